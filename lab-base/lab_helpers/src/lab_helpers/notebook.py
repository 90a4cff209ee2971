"""Make a TFX notebook a lesson in JupyterLab 4: quiet outputs, edited modules reloaded, code shown.

TensorFlow, TFX and Beam log INFO lines (assets written, optional modules
missing, the oneDNN notice) into the cell outputs. The first cell of every
Proyecto notebook calls prepare_offline_notebook("proyecton") before importing
TFX: the logs stay out, and the Proyecto's modules are reloaded when the
student edits them. (Beam's CDN scripts and the offline TFDV/TFMA views need
no call: the lab's image applies lab_compat.patches to every Python process.)
"""

import contextlib
import importlib
import inspect
import logging
import os
import pkgutil

from absl import logging as absl_logging
from IPython import get_ipython
from IPython.display import Code


@contextlib.contextmanager
def _native_stderr_silenced():
    """Send file descriptor 2 to /dev/null: C++ libraries write there, below Python's sys.stderr."""
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def prepare_offline_notebook(package: str | None = None) -> None:
    """Load the TFX stack quietly, keep INFO logs out of the outputs and reload `package` when it is edited.

    Call it first, before importing TFX.
    """
    # TensorFlow's C++ libraries print INFO lines (the oneDNN notice) when they load, before any
    # setting applies; Python errors still show, they go through sys.stderr. The rest of the
    # stack's native libraries are loaded here too, silently.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")
    with _native_stderr_silenced():
        import tensorflow as tf
        import tensorflow_data_validation  # noqa: F401
        import tensorflow_transform  # noqa: F401
        import tfx.v1  # noqa: F401

    absl_logging.set_verbosity(absl_logging.ERROR)
    tf.get_logger().setLevel(logging.ERROR)
    # "Dependencies required for Interactive Beam PCollection visualization are not available": not used here.
    logging.getLogger("apache_beam.runners.interactive").setLevel(logging.ERROR)
    if package:
        reload_when_edited(package)


def reload_when_edited(package: str) -> list[str]:
    """Have IPython reload the package's modules before a cell runs if their files changed; return their names.

    Python imports a module once per kernel: without this, an edited
    preprocessing_fn would only take effect after restarting the kernel. Only
    the Proyecto's own modules are watched (IPython's autoreload, explicit mode).
    """
    shell = get_ipython()
    if shell is None:  # not in a notebook
        return []
    submodules = pkgutil.iter_modules(importlib.import_module(package).__path__)
    modules = [package] + [f"{package}.{m.name}" for m in submodules]
    shell.run_line_magic("load_ext", "autoreload")
    shell.run_line_magic("autoreload", "explicit")
    for module in modules:
        shell.run_line_magic("aimport", module)
    return modules


def show_source(obj) -> Code:
    """The source code of a function, class or module, highlighted, read from its module.

    A notebook shows the code a TFX component calls (a preprocessing_fn, a
    run_fn...) where it teaches it, while the module stays the one place it is
    written: edit the module, and the notebook shows the new code. A custom
    component made from a Python function (@component) shows that function.
    """
    function = getattr(getattr(getattr(obj, "EXECUTOR_SPEC", None), "executor_class", None), "_FUNCTION", None)
    return Code(inspect.getsource(function or obj), language="python")
