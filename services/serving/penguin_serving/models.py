"""Every model under the serving root, by name: /tfx/serving/<name>/<version>/, each with its own ModelStore.

A Proyecto's Pusher writes its blessed models to one folder of the root (Proyecto2:
penguins, Proyecto3: taxi). A store is created the first time a model is asked for
and then reloads its newest version by itself, as the penguins' store does. What a
model takes and returns is read from its `predict` signature, so the routes that
use this module know no Proyecto's features.
"""

import re
import threading
from pathlib import Path

import numpy as np
import tensorflow as tf

from penguin_serving.model_store import CHECK_SECONDS, ModelStore, call, complete_versions

# The Proyecto whose pipeline pushes each model, for the messages that say what to run.
PIPELINES = {"penguins": "Proyecto2", "taxi": "Proyecto3"}
# A folder name, never a path: a name from a URL must not leave the serving root.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


class UnknownModel(LookupError):
    """No folder of that name under the root, and no Proyecto that pushes one."""


class ModelRegistry:
    """The models under `root`, one ModelStore per name, each created on first use."""

    def __init__(self, root: Path | str, check_seconds: float = CHECK_SECONDS):
        self.root = Path(root)
        self.check_seconds = check_seconds
        self._stores: dict[str, ModelStore] = {}
        self._lock = threading.Lock()

    def adopt(self, store: ModelStore) -> None:
        """Use `store` for its folder's name if it lies in the root (one loaded copy of the penguins' model)."""
        if store.base_dir.parent.resolve() == self.root.resolve():
            self._stores[store.base_dir.name] = store

    def names(self) -> list[str]:
        """The folders of the root that hold at least one complete version, by name."""
        if not self.root.is_dir():
            return []
        return sorted(d.name for d in self.root.iterdir() if NAME.fullmatch(d.name) and complete_versions(d))

    def store(self, name: str) -> ModelStore:
        """The store of model `name`; UnknownModel if the root has no such folder and no Proyecto pushes it."""
        if name not in self._stores:
            if not NAME.fullmatch(name) or not ((self.root / name).is_dir() or name in PIPELINES):
                raise UnknownModel(name)
            with self._lock:
                self._stores.setdefault(name, ModelStore(self.root / name, self.check_seconds))
        return self._stores[name]


def _shape(shape: tf.TensorShape) -> list[int | None] | None:
    return None if shape.rank is None else shape.as_list()


def describe(signature) -> dict:
    """A signature's inputs and outputs: name, dtype and shape (the first dimension is the batch)."""
    inputs = signature.structured_input_signature[1]
    outputs = signature.structured_outputs
    return {key: [{"name": k, "dtype": s.dtype.name, "shape": _shape(s.shape)} for k, s in sorted(specs.items())]
            for key, specs in (("inputs", inputs), ("outputs", outputs))}


def _value_error(value, dtype: tf.DType, shape: list) -> str | None:
    """Why `value` cannot be one example's value of an input of `dtype` and per-example `shape` (None if it can)."""
    if shape:
        if not isinstance(value, list) or (shape[0] is not None and len(value) != shape[0]):
            return f"debe ser una lista de forma {shape}".replace("None", "cualquiera")
        return next((e for v in value if (e := _value_error(v, dtype, shape[1:]))), None)
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if dtype == tf.string:
        return None if isinstance(value, str) else "debe ser un texto"
    if dtype == tf.bool:
        return None if isinstance(value, bool) else "debe ser true o false"
    if dtype.is_integer:
        return None if number and float(value).is_integer() else "debe ser un número entero"
    return None if number else "debe ser un número"


def columns(instances: list[dict], signature) -> tuple[dict[str, list], list[dict]]:
    """One list of values per input of `signature`, and the problems found ({campo, error}, in Spanish)."""
    specs = dict(sorted(signature.structured_input_signature[1].items()))  # messages in a stable order
    problems = []
    for i, instance in enumerate(instances):
        for name, spec in specs.items():
            shape = [] if spec.shape.rank is None else spec.shape.as_list()[1:]
            if name not in instance:
                problems.append({"campo": f"instances.{i}.{name}", "error": "falta este campo"})
            elif error := _value_error(instance[name], spec.dtype, shape):
                problems.append({"campo": f"instances.{i}.{name}", "error": error})
        problems.extend({"campo": f"instances.{i}.{name}", "error": "campo desconocido"}
                        for name in instance if name not in specs)
    return {name: [instance.get(name) for instance in instances] for name in specs}, problems


def _plain(value):
    """A numpy value as JSON: lists, numbers, booleans and text (bytes decoded)."""
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value]
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    return value.item() if isinstance(value, np.generic) else value


def predict(signature, instances: list[dict]) -> tuple[list[dict], list[dict]]:
    """(one dict of outputs per instance, []) or ([], the problems that stop the call)."""
    values, problems = columns(instances, signature)
    if problems:
        return [], problems
    return rows(call(signature, values), len(instances)), []


def rows(outputs: dict[str, np.ndarray], count: int) -> list[dict]:
    """The outputs of a batch of `count` examples as one dict per example."""
    return [{name: _plain(values[i]) for name, values in sorted(outputs.items())} for i in range(count)]
