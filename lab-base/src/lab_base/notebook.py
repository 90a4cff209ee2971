"""Keep a TFX notebook's outputs readable in JupyterLab 4: what the cells show, not the libraries' logs.

TensorFlow, TFX and Beam log INFO lines (assets written, optional modules
missing, the oneDNN notice) into the cell outputs. The first cell of every
Proyecto notebook calls prepare_offline_notebook() before importing TFX.
(Beam's CDN scripts and the offline TFDV/TFMA views need no call: the lab's
image applies lab_base.patches to every Python process.)
"""

import contextlib
import inspect
import logging
import os

from absl import logging as absl_logging
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


def prepare_offline_notebook() -> None:
    """Load the TFX stack quietly and keep INFO logs out of the outputs; call it first, before importing TFX."""
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


def show_source(obj) -> Code:
    """The source code of a function, class or module, highlighted, read from its module.

    A notebook shows the code a TFX component calls (a preprocessing_fn, a
    run_fn...) where it teaches it, while the module stays the one place it is
    written: edit the module, and the notebook shows the new code.
    """
    return Code(inspect.getsource(obj), language="python")
