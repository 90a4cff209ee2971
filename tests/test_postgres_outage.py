"""With the postgres service stopped the labs keep working and lose no model; MLflow and Airflow recover by themselves.

postgres holds MLflow's runs and Airflow's metadata. While it is down, a lab's
notebook still runs and Proyecto2's pipeline still trains and pushes (serving
serves the new model); only its MlflowLogger fails, in Spanish, naming the
MLflow server and postgres (MLflow itself still answers /health). Once postgres
is back, MLflow reads its store and every Airflow service is healthy again
without anyone restarting them (test_mlflow_tracking's outage test shows the next
run is then logged). The test stops a service, so it runs in Proyecto2's lab of
its own (conftest's proyecto2_lab, after test_mlflow_tracking), Airflow started in it.

The outage is the postgres container stopped under running clients (`docker stop`,
as a crash or an out-of-memory kill leaves it): `docker compose stop postgres` may
also stop the services that depend on it, which would test something else.
"""

import json
import time

import pytest

from conftest import TIMINGS
from harness import airflow_rest, mlflow_rest
from harness.compose import docker, http_get, wait_until
from harness.repo import ROOT
from proyecto2_lab import EXPERIMENT, TRACKING_URI, mlflow_url, pushed_versions, run_pipeline, serving_health

pytestmark = pytest.mark.e2e

AIRFLOW = ("airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer",
           "airflow-worker-proyecto2")
NOTEBOOK_HEAD = ROOT / "tests" / "in_container" / "notebook_head.py"
# The notebook's cells up to this one: its set-up (imports, the InteractiveContext), which needs no MLflow.
NOTEBOOK_UNTIL = "interactive_context("
# Docker restarts a service that exits with a back-off of up to a minute, on top of Airflow's start-up.
RECOVERY_TIMEOUT = 240


def airflow_health(lab) -> dict[str, str]:
    """Airflow's own view of itself (GET /api/v2/monitor/health, no login): {component: status}."""
    status, _, body = http_get(f"{airflow_rest.base_url(lab)}/api/v2/monitor/health")
    answer = json.loads(body) if status == 200 else {}
    return {name: part.get("status") for name, part in answer.items() if isinstance(part, dict)} or {"http": status}


def mlflow_reads_its_store(lab) -> bool:
    """MLflow answers a call that reads its database: the experiment, or 404 while it does not exist yet."""
    status, _ = mlflow_rest.call(mlflow_url(lab), "experiments/get-by-name", timeout=10, experiment_name=EXPERIMENT)
    return status in (200, 404)


def airflow_containers(lab) -> dict[str, str]:
    """Docker's health of each Airflow container."""
    health = lab.health()
    return {service: health.get(service) for service in AIRFLOW}


def all_healthy(states: dict) -> bool:
    """True when every state is healthy; otherwise fails with them, which wait_until reports on timeout."""
    assert set(states.values()) == {"healthy"}, states
    return True


def test_postgres_outage_loses_no_model_and_mlflow_and_airflow_recover(proyecto2_lab):
    """postgres stopped: the notebook's kernel runs, the pipeline pushes, MlflowLogger names MLflow and postgres;
    postgres started: MLflow and Airflow are healthy again by themselves."""
    lab = proyecto2_lab
    started = time.monotonic()
    lab.compose("up", "--build", "-d", "--wait", *AIRFLOW, timeout=1800)  # redis and airflow-init come with them
    TIMINGS["airflow up --build --wait in proyecto2's lab"] = time.monotonic() - started
    pushed_before = pushed_versions(lab)

    postgres = lab.compose("ps", "-q", "postgres").stdout.strip()
    assert postgres and docker("stop", postgres).strip() == postgres, f"postgres ({postgres!r}) did not stop"
    wait_until(lambda: airflow_health(lab).get("metadatabase") != "healthy", timeout=60,
               what="Airflow to notice that its database is gone")

    # The notebook: JupyterLab answers and a new kernel runs the notebook's set-up cells.
    status, _, _ = http_get(lab.url("proyecto2", "/api/status"), headers={"Authorization": f"token {lab.token}"})
    assert status == 200, f"JupyterLab's /api/status answered {status} with postgres stopped"
    lab.compose("cp", str(NOTEBOOK_HEAD), "proyecto2:/tmp/notebook_head.py")
    head = lab.exec("proyecto2", "python", "/tmp/notebook_head.py", "Proyecto2.ipynb", NOTEBOOK_UNTIL, timeout=600)
    result = json.loads(head.stdout.strip().splitlines()[-1])
    assert result["executed"] >= 3 and not result["errors"], f"the notebook's first cells failed: {result}"

    # The pipeline: everything up to the Pusher works; the logger says what is wrong, in Spanish.
    failed = run_pipeline(lab, check=False)
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0, "the pipeline should report that MlflowLogger failed"
    expected = f"El servidor de MLflow en {TRACKING_URI} responde, pero no puede usar su base de datos"
    assert expected in output and "es el servicio postgres" in output, output[-3000:]
    pushed = pushed_versions(lab)
    assert len(pushed) == len(pushed_before) + 1, f"the Pusher's model is not on disk after the run: {pushed}"
    assert serving_health(lab, pushed[-1])["mlflow_run_id"] is None

    # postgres back: nobody restarts MLflow or Airflow, they reconnect.
    assert docker("start", postgres).strip() == postgres, "postgres did not start again"
    recovering = time.monotonic()
    wait_until(lambda: mlflow_reads_its_store(lab), timeout=RECOVERY_TIMEOUT, what="MLflow to read its store again")
    TIMINGS["mlflow back after postgres start"] = time.monotonic() - recovering
    wait_until(lambda: all_healthy(airflow_health(lab)), timeout=RECOVERY_TIMEOUT,
               what="Airflow's components to report healthy", interval=3)
    wait_until(lambda: all_healthy(airflow_containers(lab)), timeout=RECOVERY_TIMEOUT,
               what="every Airflow container to be healthy", interval=3)
    TIMINGS["airflow healthy after postgres start"] = time.monotonic() - recovering
    url = airflow_rest.base_url(lab)
    token = airflow_rest.token(url, airflow_rest.printed_password(lab))
    dag = airflow_rest.ok(url, "GET", "/api/v2/dags/proyecto2", token)
    assert dag["dag_id"] == "proyecto2" and not dag["is_paused"], dag

