"""Inside a lab container: predict penguins with the registry's champion model; print the answers as one JSON line.

    python champion_predict.py <registered model> '<JSON list of penguins>'

The tests copy this file into the proyecto2 container (which has TensorFlow and
the MLflow client) and compare its answers with the serving service's.
"""

import json
import sys

import mlflow
import pandas as pd

name, penguins = sys.argv[1], json.loads(sys.argv[2])
model = mlflow.pyfunc.load_model(f"models:/{name}@champion")
print(json.dumps(model.predict(pd.DataFrame(penguins)).to_dict("records")))
