"""The pushed penguin SavedModel as an MLflow pyfunc model ("models from code").

MlflowLogger (proyecto2/tracking.py) logs this file together with the
SavedModel the Pusher published, and registers both. Loading the registered
model runs this file again, on its own (it imports nothing from proyecto2):

    model = mlflow.pyfunc.load_model("models:/penguins@champion")
    model.predict(pd.DataFrame([{"island": "Torgersen", "bill_length_mm": 39.1, ...}]))

It calls the SavedModel's `predict` signature, the same one the serving
service calls, and returns one row per penguin: the species and the
probability of each class.
"""

import mlflow
import pandas as pd
import tensorflow as tf

# The SavedModel signature the serving service calls too (see proyecto2/model.py).
SIGNATURE = "predict"


class PenguinClassifier(mlflow.pyfunc.PythonModel):
    """Species and class probabilities for a table of penguin measurements."""

    def load_context(self, context):
        self._model = tf.saved_model.load(context.artifacts["saved_model"])
        self._predict = self._model.signatures[SIGNATURE]

    def predict(self, context, model_input: pd.DataFrame, params=None) -> pd.DataFrame:
        specs = self._predict.structured_input_signature[1]
        outputs = self._predict(**{name: tf.constant(model_input[name].to_numpy(dtype=spec.dtype.as_numpy_dtype),
                                                     dtype=spec.dtype)
                                   for name, spec in specs.items()})
        classes = [c.decode() for c in outputs["classes"].numpy()[0]]
        table = pd.DataFrame(outputs["probabilities"].numpy().astype("float64"), columns=classes)
        return table.assign(species=table.idxmax(axis=1))[["species", *classes]]


mlflow.models.set_model(PenguinClassifier())
