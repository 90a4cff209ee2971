"""Proyecto2's headless pipeline logs each run to MLflow and registers what it pushes; an MLflow outage loses no model.

These tests run the pipeline (`python -m proyecto2.pipeline`) several times and stop
MLflow, so they use a lab of their own (conftest's proyecto2_lab: proyecto2, serving behind serving-lb, and
mlflow): the session lab's shared volume keeps exactly what its notebook pushed.
"""

import json
import urllib.error
import urllib.request

import pytest

from harness import mlflow_rest
from harness.repo import ROOT
from proyecto2_lab import EXPERIMENT, TRACKING_URI, mlflow_url, pushed_versions, run_pipeline, serving_health

pytestmark = pytest.mark.e2e

MODEL = "penguins"
PREDICT_FILE = ROOT / "tests" / "in_container" / "champion_predict.py"
# A typical penguin of each species (the first Adelie of the CSV, and two more): island and measurements.
MEASUREMENTS = ("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g")
# Floats: the registered model's signature takes doubles, and MLflow refuses to convert integers to them.
PENGUINS = [{"island": island, **dict(zip(MEASUREMENTS, values, strict=True))} for island, *values in (
    ("Torgersen", 39.1, 18.7, 181.0, 3750.0), ("Dream", 49.5, 19.0, 200.0, 3800.0),
    ("Biscoe", 47.5, 15.0, 217.0, 5076.0))]


@pytest.fixture(scope="module")
def lab(proyecto2_lab):
    """Proyecto2's lab of its own (tests/conftest.py), shared with test_postgres_outage, which runs after these."""
    return proyecto2_lab


def champion(lab) -> dict:
    """The registry's model version with the alias champion."""
    return mlflow_rest.ok(mlflow_url(lab), "registered-models/alias", name=MODEL, alias="champion")["model_version"]


def predict_with_serving(lab, penguin: dict) -> tuple[int, dict]:
    """POST one penguin to serving's /predict; (HTTP status, JSON answer)."""
    request = urllib.request.Request(lab.url("serving", "/predict"), data=json.dumps(penguin).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def tags_of(version: dict) -> dict:
    return {t["key"]: t["value"] for t in version.get("tags", [])}


@pytest.fixture(scope="module")
def first_run(lab) -> dict:
    """The MLflow run of a first headless pipeline run (blessed and pushed)."""
    run_pipeline(lab)
    runs = mlflow_rest.runs(mlflow_url(lab), EXPERIMENT)
    assert len(runs) == 1, f"one pipeline run should give one MLflow run: {runs}"
    return runs[0]


def test_run_has_the_config_the_metrics_and_the_lineage(lab, first_run):
    """The run's params are the training config; metrics per epoch and per slice; tags lead back to ML Metadata."""
    params, metrics, tags = mlflow_rest.as_dicts(first_run)
    assert {k: params.get(k) for k in ("learning_rate", "hidden_units", "epochs", "tuner")} == {
        "learning_rate": "0.01", "hidden_units": "8", "epochs": "60", "tuner": "false"}, params
    assert metrics["eval_accuracy"] >= 0.9 and metrics["eval_example_count"] > 0, metrics
    for name in ("eval_accuracy/species/Adelie", "eval_accuracy/island/Dream", "train_loss", "validation_accuracy"):
        assert name in metrics, f"{name} missing from {sorted(metrics)}"
    history = mlflow_rest.ok(mlflow_url(lab), "metrics/get-history", run_id=first_run["info"]["run_id"],
                             metric_key="validation_loss")["metrics"]
    assert sorted(m["step"] for m in history) == list(range(1, int(metrics["epochs_trained"]) + 1)), history
    assert (tags["blessed"], tags["pushed"], tags["tfx.pipeline"]) == ("true", "true", "proyecto2"), tags
    assert tags["mlmd.database"] == "/tfx/proyecto2/metadata.sqlite", tags
    assert {"mlmd.execution_id.Trainer", "mlmd.execution_id.Evaluator", "mlmd.execution_id.Pusher",
            "mlmd.artifact_id.model_run", "mlmd.artifact_id.schema"} <= set(tags), tags
    # ...and ML Metadata keeps the run id as the output of the component's execution.
    kept = lab.exec("proyecto2", "sh", "-c", "cat /tfx/proyecto2/artifacts/MlflowLogger/mlflow_run_id/*/value").stdout
    assert kept == first_run["info"]["run_id"], kept


def test_run_keeps_the_schema_and_the_evaluation_tables(lab, first_run):
    """The curated schema and the evaluation tables are the run's artifacts, served by MLflow."""
    listing = {}
    for folder in ("schema", "evaluation"):
        files = mlflow_rest.ok(mlflow_url(lab), "artifacts/list", run_id=first_run["info"]["run_id"], path=folder)
        listing[folder] = sorted(f["path"] for f in files.get("files", []))
    assert listing == {"schema": ["schema/schema.pbtxt"],
                       "evaluation": ["evaluation/failed_thresholds.csv", "evaluation/metrics_by_slice.csv"]}, listing


def test_champion_is_the_version_serving_serves(lab, first_run):
    """The champion's pushed_version tag is the version serving reports, and /health names that run."""
    best = champion(lab)
    health = serving_health(lab, pushed_versions(lab)[-1])
    assert tags_of(best)["pushed_version"] == str(health["model_version"]), (best, health)
    assert best["run_id"] == health["mlflow_run_id"] == first_run["info"]["run_id"], (best, health)


def test_champion_predicts_what_serving_predicts(lab, first_run):
    """models:/penguins@champion, loaded with the MLflow client, gives each penguin the species serving gives."""
    lab.compose("cp", str(PREDICT_FILE), "proyecto2:/tmp/champion_predict.py")
    result = lab.exec("proyecto2", "python", "/tmp/champion_predict.py", MODEL, json.dumps(PENGUINS), timeout=300)
    from_registry = json.loads(result.stdout.strip().splitlines()[-1])
    for penguin, registry in zip(PENGUINS, from_registry, strict=True):
        status, answer = predict_with_serving(lab, penguin)
        assert status == 200, answer
        assert registry["species"] == answer["species"], (penguin, registry, answer)
        for species, probability in answer["probabilities"].items():
            assert abs(registry[species] - probability) < 1e-5, (penguin, registry, answer)
    assert [r["species"] for r in from_registry] == ["Adelie", "Chinstrap", "Gentoo"], from_registry


def test_worse_run_is_logged_unblessed_and_not_registered(lab, first_run):
    """The worse configuration is a run with blessed=false and pushed=false; the registry gets no version."""
    before = champion(lab)
    run_pipeline(lab, "--worse")
    worse = mlflow_rest.runs(mlflow_url(lab), EXPERIMENT, "tags.blessed = 'false'")
    assert len(worse) == 1, worse
    params, _, tags = mlflow_rest.as_dicts(worse[0])
    assert (tags["blessed"], tags["pushed"], params["epochs"]) == ("false", "false", "1"), (tags, params)
    versions = mlflow_rest.ok(mlflow_url(lab), "model-versions/search", filter=f"name = '{MODEL}'")
    assert len(versions["model_versions"]) == 1 and champion(lab) == before, versions


def test_outage_loses_no_model_and_the_next_run_is_logged(lab, first_run):
    """With mlflow stopped the pipeline still pushes (and serving serves it) and the logger fails naming the URL
    in Spanish; with mlflow back, the next run is logged and its model is the champion."""
    runs_before = len(mlflow_rest.runs(mlflow_url(lab), EXPERIMENT))
    pushed_before = pushed_versions(lab)
    lab.compose("stop", "mlflow")
    try:
        failed = run_pipeline(lab, check=False)
        output = failed.stdout + failed.stderr
        assert failed.returncode != 0, "the pipeline should report that MlflowLogger failed"
        assert f"No se puede conectar con el servidor de MLflow en {TRACKING_URI}" in output, output[-3000:]
        pushed = pushed_versions(lab)
        assert len(pushed) == len(pushed_before) + 1, f"no new model pushed during the outage: {pushed}"
        health = serving_health(lab, pushed[-1])
        assert health["mlflow_run_id"] is None, health
    finally:
        lab.compose("start", "mlflow")
        lab.compose("up", "-d", "--wait", "mlflow")

    run_pipeline(lab)
    runs = mlflow_rest.runs(mlflow_url(lab), EXPERIMENT)
    assert len(runs) == runs_before + 1, [r["info"]["run_name"] for r in runs]
    newest = pushed_versions(lab)[-1]
    best = champion(lab)
    assert tags_of(best)["pushed_version"] == str(newest) and best["run_id"] == runs[0]["info"]["run_id"], best
    assert serving_health(lab, newest)["mlflow_run_id"] == best["run_id"]
