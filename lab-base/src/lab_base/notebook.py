"""Keep a TFX notebook offline and readable in JupyterLab 4.

Running Beam inside a Jupyter kernel (every InteractiveContext.run does)
makes Apache Beam's interactive environment inject JavaScript that loads
jQuery and DataTables from public CDNs; offline it only fails, and the lab
never loads code from the internet. TensorFlow also logs INFO lines (assets
written, optional modules missing) into the cell outputs.
"""

import contextlib
import logging
import os

from absl import logging as absl_logging


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
    """Stop Beam's CDN scripts and TensorFlow's INFO logs in this kernel; call it first, before importing TFX."""
    # TensorFlow's C++ libraries print INFO lines (the oneDNN notice) when they load, before any
    # setting applies; Python errors still show, they go through sys.stderr. The rest of the
    # stack's native libraries are loaded here too, silently.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")
    with _native_stderr_silenced():
        import tensorflow as tf
        import tensorflow_data_validation  # noqa: F401
        import tensorflow_transform  # noqa: F401
        import tfx.v1  # noqa: F401
        from apache_beam.runners.interactive import interactive_environment

    interactive_environment.InteractiveEnvironment.load_jquery_with_datatable = lambda self: None
    absl_logging.set_verbosity(absl_logging.ERROR)
    tf.get_logger().setLevel(logging.ERROR)
    # "Dependencies required for Interactive Beam PCollection visualization are not available": not used here.
    logging.getLogger("apache_beam.runners.interactive").setLevel(logging.ERROR)
