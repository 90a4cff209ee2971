"""Log every pipeline run to MLflow and register the pushed model: a custom TFX component.

`MlflowLogger` is a Python-function component (TFX's @component decorator):
its inputs are the artifacts of the Trainer, Evaluator, Pusher and curated
schema of one run (and the Tuner's best hyperparameters when it runs), and it
records them in the lab's MLflow server (the `mlflow` service, reached at
$MLFLOW_TRACKING_URI, http://mlflow:5000 in the lab). The server's address is
read from the environment when the component runs, never a parameter of the
pipeline: a pipeline compiled for a cluster (lab_scaleout.kubeflow) carries no
host name of the lab's network, and logs to whatever server the cluster sets.

- params: the training configuration the Trainer used (with the Tuner's values);
- metrics: loss and accuracy per epoch (train and validation), and TFMA's
  metrics overall and per slice;
- tags: blessed, pushed, pushed_version, and the ML Metadata ids of the run's
  artifacts and executions, so an MLflow run leads back to its TFX lineage;
- artifacts: the curated schema and the evaluation tables;
- a blessed and pushed model is registered as a new version of REGISTERED_MODEL
  (a pyfunc wrapping the SavedModel, proyecto2/penguin_pyfunc.py) with the alias
  `champion`. MLflow numbers the versions itself (1, 2, ...): the Pusher's version
  is the model version's tag `pushed_version`.

The functions above the component are plain Python over files and dicts, so
the unit tests (tests/test_tracking.py) check them without a pipeline.
"""

import contextlib
import io
import json
import logging
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from importlib.metadata import version
from pathlib import Path

import mlflow
import pandas as pd
from mlflow.entities import Metric
from mlflow.models import ModelSignature
from mlflow.types import ColSpec, Schema
from tfx import v1 as tfx
from tfx.types import Artifact

from lab_helpers.paths import PipelinePaths
from proyecto2 import evaluation, training_logs
from proyecto2.features import CATEGORICAL_FEATURES, NUMERIC_FEATURES, SPECIES
from proyecto2.model import TrainingConfig

# MLflow's INFO lines (experiment created, uv files copied, signature validated) are not the student's concern.
logging.getLogger("mlflow").setLevel(logging.WARNING)
# The same server as your browser reaches it (MLFLOW_PORT in .env), for the links the component prints.
UI_URL = os.environ.get("MLFLOW_UI_URL", "http://127.0.0.1:5000")
EXPERIMENT_NAME = "proyecto2"
# One registered model for every model the Pusher publishes to /tfx/serving/penguins.
REGISTERED_MODEL = os.environ.get("MLFLOW_REGISTERED_MODEL", "penguins")
# The registry alias of the newest pushed version, the one the serving service serves.
CHAMPION = "champion"
PYFUNC_FILE = Path(__file__).with_name("penguin_pyfunc.py")
# What the registered model takes and returns (proyecto2/penguin_pyfunc.py).
PYFUNC_SIGNATURE = ModelSignature(
    inputs=Schema([ColSpec("string", k) for k in CATEGORICAL_FEATURES]
                  + [ColSpec("double", k) for k in NUMERIC_FEATURES]),
    outputs=Schema([ColSpec("string", "species")] + [ColSpec("double", s) for s in SPECIES]),
)
# Shown with the model in the MLflow UI: the first penguin of the data, an Adelie.
INPUT_EXAMPLE = pd.DataFrame([{"island": "Torgersen", "bill_length_mm": 39.1, "bill_depth_mm": 18.7,
                               "flipper_length_mm": 181.0, "body_mass_g": 3750.0}])
# The column names of evaluation.metrics_table, as MLflow metric names.
EVAL_METRICS = {"ejemplos": "example_count", "accuracy": "accuracy", "accuracy_diff": "accuracy_diff"}


def tracking_uri() -> str:
    """The MLflow server to log to: $MLFLOW_TRACKING_URI where the component runs (compose sets it in every lab)."""
    uri = os.environ.get("MLFLOW_TRACKING_URI")
    if not uri:
        raise RuntimeError("MLFLOW_TRACKING_URI no está definida: es la dirección del servidor de MLflow "
                           "(http://mlflow:5000 en el laboratorio, que la pone docker-compose.yaml).")
    return uri


# What every failure of check_server ends with: the pipeline's work is done, only the logging is missing.
NOTHING_LOST = ("El pipeline ya entrenó, evaluó y (si el Evaluator lo bendijo) publicó el modelo: no se pierde nada, "
                "solo falta registrarlo en MLflow.")


def check_server(tracking_uri: str, experiment_name: str = EXPERIMENT_NAME, timeout: float = 5,
                 database_timeout: float = 15) -> None:
    """Fail fast, in Spanish and naming the URL, when the MLflow server cannot take a run.

    Two plain requests, without the MLflow client's retries (it retries a 5xx with
    backoff for about four minutes before failing in English): /health, which
    answers as soon as the server runs, and reading the experiment, which needs the
    server's database (the postgres service in the lab). With that database down
    the server still answers /health, and reading is MLflow's 503 once its driver
    gives up, or no answer within `database_timeout` while it still waits (the
    stopped service's host name can take that long to fail to resolve).
    """
    if not tracking_uri.startswith(("http://", "https://")):
        return  # a local store (the unit tests): nothing to reach
    base = tracking_uri.rstrip("/")
    try:
        with urllib.request.urlopen(f"{base}/health", timeout=timeout):
            pass
    except (urllib.error.URLError, OSError) as error:
        raise ConnectionError(
            f"No se puede conectar con el servidor de MLflow en {tracking_uri} ({error}). {NOTHING_LOST} "
            "Arranca MLflow (`docker compose start mlflow` o `docker compose up -d`) y vuelve a ejecutar este "
            "componente o el pipeline.") from error
    query = urllib.parse.urlencode({"experiment_name": experiment_name})
    try:
        with urllib.request.urlopen(f"{base}/api/2.0/mlflow/experiments/get-by-name?{query}",
                                    timeout=database_timeout):
            return
    except urllib.error.HTTPError as error:
        if error.code < 500:
            return  # 404: the experiment is new, which the database just said (set_experiment creates it)
        detail = server_error(error)
        if "TEMPORARILY_UNAVAILABLE" not in detail:  # not MLflow's code for a database it cannot reach
            raise ConnectionError(
                f"El servidor de MLflow en {tracking_uri} responde a /health, pero falla al leer el experimento "
                f"{experiment_name} ({detail}). {NOTHING_LOST} Mira qué le pasa con `docker compose logs mlflow` "
                "y vuelve a ejecutar este componente o el pipeline.") from None
    except (urllib.error.URLError, OSError) as error:
        detail = f"no contesta en {database_timeout:.0f} s al leer el experimento {experiment_name}: {error}"
    raise ConnectionError(
        f"El servidor de MLflow en {tracking_uri} responde, pero no puede usar su base de datos ({detail}). "
        "En el laboratorio es el servicio postgres: mira si está en marcha con `docker compose ps postgres` y, si "
        "no, arráncalo con `docker compose up -d`; MLflow se reconecta solo, sin reiniciarlo. "
        f"{NOTHING_LOST} Después vuelve a ejecutar este componente o el pipeline.")


def server_error(error: urllib.error.HTTPError) -> str:
    """HTTP status, MLflow's error code and the first line of its message (the cause, e.g. psycopg2's)."""
    try:
        answer = json.loads(error.read().decode())
    except ValueError:
        return f"HTTP {error.code}"
    message = str(answer.get("message", "")).strip().splitlines()
    return f"HTTP {error.code} {answer.get('error_code', '')}: {message[0][:300] if message else ''}".rstrip(": ")


def training_params(config: dict, hyperparameters: dict | None = None) -> dict[str, str]:
    """The configuration the Trainer trained with: Trainer's custom_config, with the Tuner's best values.

    `hyperparameters` is what the Tuner wrote (KerasTuner's config, {"values": {...}}):
    its values replace the configuration's and are also listed as tuner.<name>.
    """
    best = (hyperparameters or {}).get("values", {})
    used = TrainingConfig.from_custom_config({**config, **best}).to_custom_config()
    params = {name: str(value) for name, value in used.items()}
    params["tuner"] = str(bool(hyperparameters)).lower()
    params.update({f"tuner.{name}": str(value) for name, value in best.items()})
    return params


def read_best_hyperparameters(artifact: Artifact | None) -> dict | None:
    """The Tuner's best hyperparameters (best_hyperparameters.txt), None without a Tuner."""
    if artifact is None:
        return None
    return json.loads((Path(artifact.uri) / "best_hyperparameters.txt").read_text())


def epoch_metrics(history: pd.DataFrame) -> list[tuple[str, float, int]]:
    """(name, value, epoch) for every metric of every epoch, named <split>_<metric> (train_loss, ...)."""
    metrics = []
    for row in history.to_dict("records"):
        for name, value in row.items():
            if name not in ("split", "epoch") and pd.notna(value):
                metrics.append((f"{row['split']}_{name}", float(value), int(row["epoch"])))
    return metrics


def slice_metrics(table: pd.DataFrame) -> dict[str, float]:
    """TFMA's metrics by slice (evaluation.metrics_table) as MLflow metrics.

    The Overall slice gives eval_accuracy, eval_example_count...; a slice such as
    species=Adelie gives eval_accuracy/species/Adelie (MLflow names allow no `=`).
    """
    metrics = {}
    for slice_name, row in table.iterrows():
        suffix = "" if slice_name == "Overall" else "/" + "/".join(
            part for pair in slice_name.split(", ") for part in pair.split("=", 1))
        for column, name in EVAL_METRICS.items():
            if column in row and pd.notna(row[column]):
                metrics[f"eval_{name}{suffix}"] = float(row[column])
    return metrics


def producer(artifact: Artifact) -> tuple[str, str]:
    """(component id, execution id) that produced an artifact, read from its URI.

    TFX writes each output to <pipeline_root>/<component id>/<output key>/<execution id>.
    """
    parts = Path(artifact.uri).parts
    return parts[-3], parts[-1]


def pipeline_of(artifact: Artifact) -> PipelinePaths:
    """The lab folders (lab_helpers.paths) of the pipeline that wrote `artifact`, read from its URI."""
    root = Path(artifact.uri).parents[2].parent  # <root>/artifacts/<component id>/<output key>/<execution id>
    return PipelinePaths(name=root.name, root=root)


def lineage_tags(artifacts: dict[str, Artifact]) -> dict[str, str]:
    """Tags that lead from an MLflow run back to ML Metadata: pipeline, database, artifact and execution ids."""
    pipeline = pipeline_of(next(iter(artifacts.values())))
    tags = {"tfx.pipeline": pipeline.name,
            "tfx.pipeline_root": str(pipeline.pipeline_root),
            "mlmd.database": str(pipeline.metadata_path)}
    for name, artifact in artifacts.items():
        component, execution = producer(artifact)
        tags[f"mlmd.artifact_id.{name}"] = str(artifact.id)
        tags[f"mlmd.execution_id.{component}"] = execution
    return tags


def run_name(model_run: Artifact) -> str:
    """The run's name in MLflow: the pipeline, the Trainer and its ML Metadata execution id."""
    component, execution = producer(model_run)
    return f"{pipeline_of(model_run).name}/{component}/{execution}"


def pip_requirements() -> list[str]:
    """What loading the registered model needs: the lab's TensorFlow, pandas and MLflow."""
    return [f"{name}=={version(name)}" for name in ("mlflow-skinny", "tensorflow-cpu", "pandas")]


def register_pushed_model(saved_model_dir: str, pushed_version: str, model_name: str) -> int:
    """Log the pushed SavedModel as a pyfunc model of the active run, register it and make it the champion."""
    # MLflow narrates each step of this on stderr ("Successfully registered model..."); the component
    # says what happened itself, in Spanish.
    with contextlib.redirect_stderr(io.StringIO()):
        info = mlflow.pyfunc.log_model(
            name="model", python_model=str(PYFUNC_FILE), artifacts={"saved_model": saved_model_dir},
            signature=PYFUNC_SIGNATURE, input_example=INPUT_EXAMPLE, pip_requirements=pip_requirements())
        registered = mlflow.register_model(info.model_uri, model_name, tags={"pushed_version": pushed_version})
    client = mlflow.MlflowClient()
    client.update_model_version(model_name, registered.version,
                                description=f"Versión {pushed_version} del Pusher ({saved_model_dir}).")
    client.set_registered_model_alias(model_name, CHAMPION, registered.version)
    return int(registered.version)


# Proyecto2's pipeline runs this component after the Pusher (create_model_components in proyecto2/pipeline.py).
@tfx.dsl.components.component
def MlflowLogger(  # a component's name, like TFX's own (Trainer, Pusher)
    model_run: tfx.dsl.components.InputArtifact[tfx.types.standard_artifacts.ModelRun],
    evaluation_result: tfx.dsl.components.InputArtifact[tfx.types.standard_artifacts.ModelEvaluation],
    blessing: tfx.dsl.components.InputArtifact[tfx.types.standard_artifacts.ModelBlessing],
    pushed_model: tfx.dsl.components.InputArtifact[tfx.types.standard_artifacts.PushedModel],
    schema: tfx.dsl.components.InputArtifact[tfx.types.standard_artifacts.Schema],
    training_config: tfx.dsl.components.Parameter[str],
    hyperparameters: tfx.dsl.components.InputArtifact[tfx.types.standard_artifacts.HyperParameters] = None,
    experiment_name: tfx.dsl.components.Parameter[str] = EXPERIMENT_NAME,
    registered_model_name: tfx.dsl.components.Parameter[str] = REGISTERED_MODEL,
) -> tfx.dsl.components.OutputDict(mlflow_run_id=str, registered_version=int):
    """Log one pipeline run to MLflow; register the model if it was blessed and pushed.

    `training_config` is the Trainer's custom_config as JSON. Returns the MLflow
    run id and the registry version (0 when nothing was registered), which ML
    Metadata keeps as this execution's outputs: the link back from TFX to MLflow.
    """
    started = time.monotonic()
    server = tracking_uri()
    check_server(server, experiment_name)
    mlflow.set_tracking_uri(server)
    mlflow.set_experiment(experiment_name)
    blessed = evaluation.is_blessed(blessing)
    pushed = bool(pushed_model.get_int_custom_property("pushed"))
    pushed_version = pushed_model.get_string_custom_property("pushed_version")
    inputs = {"model_run": model_run, "evaluation": evaluation_result, "blessing": blessing,
              "pushed_model": pushed_model, "schema": schema}
    if hyperparameters is not None:
        inputs["hyperparameters"] = hyperparameters
    tags = {**lineage_tags(inputs), "blessed": str(blessed).lower(), "pushed": str(pushed).lower(),
            "pushed_version": pushed_version or ""}

    registered_version = 0
    with mlflow.start_run(run_name=run_name(model_run), tags=tags) as run:
        mlflow.log_params(training_params(json.loads(training_config), read_best_hyperparameters(hyperparameters)))
        history = training_logs.history(model_run.uri)
        by_slice = evaluation.metrics_table(evaluation_result)
        now = int(time.time() * 1000)
        metrics = [Metric(name, value, now, step) for name, value, step in epoch_metrics(history)]
        metrics += [Metric(name, value, now, 0) for name, value in slice_metrics(by_slice).items()]
        metrics.append(Metric("epochs_trained", float(history["epoch"].max()), now, 0))
        mlflow.MlflowClient().log_batch(run.info.run_id, metrics=metrics)
        mlflow.log_artifact(str(Path(schema.uri) / "schema.pbtxt"), "schema")
        mlflow.log_text(by_slice.to_csv(), "evaluation/metrics_by_slice.csv")
        mlflow.log_text(evaluation.validation_table(evaluation_result).to_csv(index=False),
                        "evaluation/failed_thresholds.csv")
        if blessed and pushed:
            destination = pushed_model.get_string_custom_property("pushed_destination")
            registered_version = register_pushed_model(destination, pushed_version, registered_model_name)
            mlflow.set_tag("registered_version", str(registered_version))
    print(f"MLflow: ejecución {run_name(model_run)} (bendecido: {'sí' if blessed else 'no'}) registrada en "
          f"{time.monotonic() - started:.1f} s: {UI_URL}/#/experiments/{run.info.experiment_id}/runs/{run.info.run_id}")
    if registered_version:
        print(f"MLflow: modelo {registered_model_name} versión {registered_version} (versión publicada "
              f"{pushed_version}), alias {CHAMPION}: "
              f"{UI_URL}/#/models/{registered_model_name}/versions/{registered_version}")
    return {"mlflow_run_id": run.info.run_id, "registered_version": registered_version}
