"""Import what a lab imports, once, at build time: Python writes the bytecode of exactly those modules.

Run by lab-base/Dockerfile in its build stage (the venv is read-only for the lab
user, so a kernel could not cache bytecode itself).
"""

import apache_beam  # noqa: F401
import ipykernel.kernelapp  # noqa: F401
import jupyter_server_proxy  # noqa: F401
import jupyterlab  # noqa: F401
import matplotlib.pyplot  # noqa: F401
import ml_metadata  # noqa: F401
import mlflow  # noqa: F401
import nbclient  # noqa: F401
import nbconvert  # noqa: F401
import pandas  # noqa: F401
import pytest  # noqa: F401
import sklearn  # noqa: F401
import tensorboard.notebook  # noqa: F401
import tensorflow  # noqa: F401
import tensorflow_data_validation  # noqa: F401
import tensorflow_model_analysis  # noqa: F401
import tensorflow_transform.beam  # noqa: F401
import tf_keras  # noqa: F401
import tfx.components  # noqa: F401
import tfx.orchestration.experimental.interactive.interactive_context  # noqa: F401
import tfx.v1  # noqa: F401
