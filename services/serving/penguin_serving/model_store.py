"""The newest pushed model version, reloaded when Pusher adds a newer one (no restart).

A store knows nothing of a model's features: it calls the SavedModel's `predict`
signature with one tensor per input it declares, so it serves any Proyecto's model.
"""

import logging
import os
import threading
import time
from pathlib import Path

import numpy as np
import tensorflow as tf

# The SavedModel signature the service calls (see Proyectos/Proyecto2/proyecto2/model.py and Proyecto3's).
SIGNATURE = "predict"
# /predict looks for a newer version at most this often (seconds); /health and /metrics look every time.
# Served at one user, listing the folder on every prediction doubled /predict's latency (docs/benchmarks.md).
CHECK_SECONDS = float(os.environ.get("MODEL_CHECK_SECONDS", "1"))

log = logging.getLogger(__name__)


def complete_versions(base_dir: Path) -> list[int]:
    """Version folders (integer names) that hold a whole SavedModel, oldest first."""
    if not base_dir.is_dir():
        return []
    return sorted(int(d.name) for d in base_dir.iterdir()
                  if d.name.isdigit() and (d / "saved_model.pb").is_file() and (d / "variables").is_dir())


def _tensor(values: list, dtype: tf.DType) -> tf.Tensor:
    # JSON may write a whole number as 3.0, which tf.constant refuses for an integer dtype.
    if dtype.is_integer:
        return tf.constant(np.asarray(values).astype(dtype.as_numpy_dtype))
    return tf.constant(values, dtype=dtype)


def call(signature, columns: dict[str, list]) -> dict:
    """The signature's outputs (numpy arrays, one row per example) for one list of values per input."""
    specs = signature.structured_input_signature[1]
    inputs = {name: _tensor(columns[name], spec.dtype) for name, spec in specs.items()}
    return {name: tensor.numpy() for name, tensor in signature(**inputs).items()}


class ModelStore:
    """Loads the newest version under `base_dir`: every refresh(), and every `check_seconds` on predict()."""

    def __init__(self, base_dir: Path | str, check_seconds: float = CHECK_SECONDS):
        self.base_dir = Path(base_dir)
        self.check_seconds = check_seconds
        self._checked = float("-inf")
        self.version: int | None = None
        self._signature = None
        self._failed: set[int] = set()
        self._lock = threading.Lock()

    def refresh(self, force: bool = True) -> int | None:
        """Load the newest complete version if it is newer than the loaded one; return the served version.

        Unless `force`, a model already loaded is kept without looking at the folder for `check_seconds`.
        """
        now = time.monotonic()
        if not force and self.version is not None and now - self._checked < self.check_seconds:
            return self.version
        self._checked = now
        candidates = [v for v in complete_versions(self.base_dir) if v not in self._failed]
        newest = candidates[-1] if candidates else None
        if newest is None or newest == self.version:
            return self.version
        with self._lock:
            if newest != self.version:
                try:
                    model = tf.saved_model.load(str(self.base_dir / str(newest)))
                    self._signature = model.signatures[SIGNATURE]
                    self._model = model  # keeps the signature's variables alive
                    self.version = newest
                    log.info("Serving model version %s", newest)
                except Exception:  # a half-copied or foreign folder: keep serving the previous one
                    log.exception("Could not load model version %s; keeping version %s", newest, self.version)
                    self._failed.add(newest)
        return self.version

    def signature(self):
        """(version, `predict` signature), looking for a newer version as predict() does; LookupError without one."""
        version = self.refresh(force=False)
        if version is None:
            raise LookupError(self.base_dir)
        return version, self._signature

    def run(self, columns: dict[str, list]) -> tuple[int, dict]:
        """The served version and its signature's outputs for `columns` (see call)."""
        version, signature = self.signature()
        return version, call(signature, columns)

    def predict(self, features: dict) -> tuple[int, dict[str, float]]:
        """Class probabilities for one example, by class name; raises LookupError with no model."""
        version, outputs = self.run({name: [value] for name, value in features.items()})
        classes = [c.decode() for c in outputs["classes"][0]]
        probabilities = outputs["probabilities"][0].tolist()
        return version, dict(zip(classes, probabilities, strict=True))
