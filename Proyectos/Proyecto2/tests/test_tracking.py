"""What MlflowLogger records: params, per-epoch and per-slice metrics, lineage tags, and a loadable champion."""

import http.server
import json
import threading
import time

import mlflow
import pandas as pd
import pytest
from tfx.types import standard_artifacts

from conftest import CENTROIDS, MEASUREMENTS, fn_args
from proyecto2 import tracking, training_logs
from proyecto2.model import TrainingConfig, run_fn


@pytest.fixture(scope="module")
def trained(transformed, tmp_path_factory):
    """run_fn's outputs on the tiny dataset: (SavedModel dir, TensorBoard log dir)."""
    args = fn_args(transformed, tmp_path_factory.mktemp("trained"), epochs=40, learning_rate=0.05, patience=40)
    run_fn(args)
    return args.serving_model_dir, args.model_run_dir


@pytest.fixture
def local_mlflow(tmp_path, monkeypatch):
    """MLflow writing to a folder of tmp_path (its file store) instead of the lab's server."""
    uri = (tmp_path / "mlruns").as_uri()
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    mlflow.set_tracking_uri(uri)
    try:
        yield uri
    finally:
        mlflow.set_tracking_uri(None)


def artifact(kind, uri: str, artifact_id: int):
    """A TFX artifact of type `kind` as the pipeline hands it to the component: with its URI and MLMD id."""
    instance = kind()
    instance.uri = uri
    instance.id = artifact_id
    return instance


def test_training_params_are_the_config_with_the_tuner_values():
    """Without a Tuner the params are the config; with one, its best values replace the config's and are listed."""
    config = TrainingConfig().to_custom_config()
    plain = tracking.training_params(config)
    assert plain["learning_rate"] == "0.01" and plain["tuner"] == "false", plain
    assert not [k for k in plain if k.startswith("tuner.")], plain
    tuned = tracking.training_params(config, {"values": {"learning_rate": 0.03, "hidden_units": 16}})
    assert (tuned["learning_rate"], tuned["hidden_units"], tuned["epochs"]) == ("0.03", "16", "60"), tuned
    assert (tuned["tuner"], tuned["tuner.learning_rate"], tuned["tuner.hidden_units"]) == ("true", "0.03", "16")


def test_epoch_metrics_come_from_the_trainer_logs(trained):
    """Every epoch of the Trainer's TensorBoard logs gives train_* and validation_* metrics at that step."""
    _, model_run_dir = trained
    history = training_logs.history(model_run_dir)
    metrics = tracking.epoch_metrics(history)
    names = {name for name, _, _ in metrics}
    assert {"train_loss", "validation_loss", "train_accuracy", "validation_accuracy"} <= names, names
    steps = sorted({step for name, _, step in metrics if name == "validation_loss"})
    assert steps == list(range(1, history["epoch"].max() + 1)), steps


def test_slice_metrics_are_named_by_slice():
    """The Overall slice gives eval_<metric>; species=Adelie gives eval_<metric>/species/Adelie; NaN is left out."""
    table = pd.DataFrame({"ejemplos": [110.0, 48.0], "accuracy": [0.97, 1.0], "accuracy_diff": [0.01, None]},
                         index=pd.Index(["Overall", "species=Adelie"], name="slice"))
    assert tracking.slice_metrics(table) == {
        "eval_example_count": 110.0, "eval_accuracy": 0.97, "eval_accuracy_diff": 0.01,
        "eval_example_count/species/Adelie": 48.0, "eval_accuracy/species/Adelie": 1.0}


def test_lineage_tags_lead_back_to_ml_metadata():
    """Tags name the pipeline, its MLMD database and each input's artifact and producer execution ids."""
    root = "/tfx/proyecto2/artifacts"
    inputs = {"model_run": artifact(standard_artifacts.ModelRun, f"{root}/Trainer/model_run/12", 40),
              "pushed_model": artifact(standard_artifacts.PushedModel, f"{root}/Pusher/pushed_model/15", 44)}
    tags = tracking.lineage_tags(inputs)
    assert tags == {"tfx.pipeline": "proyecto2", "tfx.pipeline_root": root,
                    "mlmd.database": "/tfx/proyecto2/metadata.sqlite",
                    "mlmd.artifact_id.model_run": "40", "mlmd.execution_id.Trainer": "12",
                    "mlmd.artifact_id.pushed_model": "44", "mlmd.execution_id.Pusher": "15"}, tags
    assert tracking.run_name(inputs["model_run"]) == "proyecto2/Trainer/12"


def test_unreachable_server_fails_in_spanish_naming_the_url():
    """With no MLflow at the URL, check_server raises at once a Spanish message that names the URL."""
    url = "http://127.0.0.1:9"  # the discard port: nothing listens there
    with pytest.raises(ConnectionError, match="No se puede conectar con el servidor de MLflow en http://127.0.0.1:9"):
        tracking.check_server(url, timeout=2)


class DatabaseDownMlflow(http.server.BaseHTTPRequestHandler):
    """An MLflow server whose database is gone: /health answers; reading an experiment is MLflow's 503, or
    no answer at all while the server still waits for its database (the path asks for which)."""

    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path == "/health":
            body, status = b"OK", 200
        elif "waiting" in self.path:
            time.sleep(3)
            return
        else:
            body, status = json.dumps({"error_code": "TEMPORARILY_UNAVAILABLE", "message": (
                '(psycopg2.OperationalError) could not translate host name "postgres" to address\n'
                "(Background on this error at: https://sqlalche.me/e/20/e3q8)")}).encode(), 503
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("experiment, cause", [
    ("proyecto2", 'HTTP 503 TEMPORARILY_UNAVAILABLE: (psycopg2.OperationalError) could not translate host name '
                  '"postgres" to address'),
    ("waiting", "no contesta en 1 s al leer el experimento waiting"),
])
def test_server_without_its_database_fails_in_spanish_naming_the_url_and_postgres(experiment, cause):
    """MLflow up but its database down: check_server says so at once (no client retries), naming the URL,
    the postgres service and the cause (MLflow's own first line, or its silence)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), DatabaseDownMlflow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with pytest.raises(ConnectionError) as failure:
            tracking.check_server(url, experiment, timeout=2, database_timeout=1)
    finally:
        server.shutdown()
    message = str(failure.value)
    assert f"El servidor de MLflow en {url} responde, pero no puede usar su base de datos ({cause}" in message, message
    assert "es el servicio postgres" in message and "docker compose up -d" in message, message
    assert "Background on this error" not in message, message


def test_registered_champion_predicts_the_species(trained, local_mlflow):
    """Each registration is a new version tagged with its pushed version and made champion; the champion
    loads as a pyfunc and predicts each species' typical penguin."""
    saved_model, _ = trained
    with mlflow.start_run():
        first = tracking.register_pushed_model(saved_model, "1700000000", "penguins")
    with mlflow.start_run() as run:
        second = tracking.register_pushed_model(saved_model, "1700000100", "penguins")
    champion = mlflow.MlflowClient().get_model_version_by_alias("penguins", tracking.CHAMPION)
    assert (first, second, int(champion.version)) == (1, 2, 2), champion
    assert champion.tags == {"pushed_version": "1700000100"} and champion.run_id == run.info.run_id, champion

    penguins = pd.DataFrame([{"island": island, **dict(zip(MEASUREMENTS, values, strict=True))}
                             for island, *values in CENTROIDS.values()])
    predictions = mlflow.pyfunc.load_model(f"models:/penguins@{tracking.CHAMPION}").predict(penguins)
    assert list(predictions["species"]) == list(CENTROIDS), predictions
    assert list(predictions.columns) == ["species", "Adelie", "Chinstrap", "Gentoo"], predictions


def test_the_server_is_read_when_the_component_runs(monkeypatch):
    """MlflowLogger has no parameter for the server (it would be baked into a compiled pipeline): it reads
    MLFLOW_TRACKING_URI when it runs, and says in Spanish when that is missing."""
    assert not [p for p in tracking.MlflowLogger.SPEC_CLASS.PARAMETERS if "uri" in p], (
        tracking.MlflowLogger.SPEC_CLASS.PARAMETERS)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://otro-servidor:5000")
    assert tracking.tracking_uri() == "http://otro-servidor:5000"
    monkeypatch.delenv("MLFLOW_TRACKING_URI")
    with pytest.raises(RuntimeError, match="MLFLOW_TRACKING_URI no está definida"):
        tracking.tracking_uri()
