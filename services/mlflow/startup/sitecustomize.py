"""Start-up of every Python process in the mlflow image: the server, its uvicorn worker, the healthcheck.

The image is the lab's base, which holds SciPy, scikit-learn, matplotlib and
TensorFlow for the labs. MLflow imports some of them (SciPy at least) just
because they are installed, and the server never uses them: its own image
before had none of them. Marking them missing keeps the server as light and as
quick to start as it was there (services/mlflow/README.md has the figures).
"""

import sys

for name in ("scipy", "sklearn", "matplotlib", "tensorflow"):
    sys.modules.setdefault(name, None)
