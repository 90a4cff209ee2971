"""Proyecto2's DAG, triggered through Airflow's REST API, runs its TFX pipeline one task per component.

One DAG run is one TFX pipeline run in ML Metadata (lab_helpers.node_runner): the
tasks follow TFX's edges, every component's execution is recorded under the
DAG run's id, the Pusher's model is the one serving then answers with, and the
run is in MLflow, whose store is the postgres service.
"""

import json
import time

import pytest

from conftest import TIMINGS
from harness import airflow_rest, mlflow_rest
from harness.compose import http_get, wait_until
from harness.repo import ROOT

pytestmark = pytest.mark.e2e

DAG = "proyecto2"
MANIFEST = json.loads((ROOT / "Proyectos" / "Proyecto2" / "dags" / "pipeline.json").read_text())
NODES = [node["id"] for node in MANIFEST["nodes"]]
RUN_SCRIPT = ROOT / "tests" / "in_container" / "pipeline_run.py"


@pytest.fixture(scope="module")
def token(stack) -> str:
    """A REST API token for admin, with the password the README's command prints."""
    return airflow_rest.token(airflow_rest.base_url(stack), airflow_rest.printed_password(stack))


@pytest.fixture(scope="module")
def dag_run(stack, token) -> dict:
    """Proyecto2's DAG triggered once and finished: the run, its task instances and its ML Metadata record."""
    started = time.monotonic()
    run_id = airflow_rest.trigger(airflow_rest.base_url(stack), token, DAG)
    run = airflow_rest.wait_for_run(airflow_rest.base_url(stack), token, DAG, run_id, timeout=1800)
    TIMINGS["proyecto2 DAG run (Airflow)"] = time.monotonic() - started
    tasks = airflow_rest.task_instances(airflow_rest.base_url(stack), token, DAG, run_id)
    stack.compose("cp", str(RUN_SCRIPT), "proyecto2:/tmp/pipeline_run.py")
    recorded = json.loads(stack.exec("proyecto2", "python", "/tmp/pipeline_run.py", "/tfx/proyecto2/metadata.sqlite",
                                     run_id, timeout=300).stdout.strip().splitlines()[-1])
    return {"run": run, "tasks": tasks, "mlmd": recorded}


def test_run_succeeds_with_one_task_per_component(dag_run):
    """Every TFX node of create_pipeline is one task, and every task succeeded."""
    states = {task: ti["state"] for task, ti in dag_run["tasks"].items()}
    assert sorted(states) == sorted(NODES), f"tasks {sorted(states)} are not the pipeline's nodes {sorted(NODES)}"
    assert dag_run["run"]["state"] == "success" and set(states.values()) == {"success"}, states


def test_tasks_ran_in_the_workers_warm_tfx_process(stack, token, dag_run):
    """No task fell back to a new Python process (lab_helpers.node_client's AVISO): the node server ran them all."""
    run_id = dag_run["run"]["dag_run_id"]
    for task in ("CsvExampleGen", "Trainer"):
        log = airflow_rest.task_log(airflow_rest.base_url(stack), token, DAG, run_id, task)
        assert f"{task}: terminado" in log, f"{task}'s log lacks the component's own output:\n{log[-3000:]}"
        assert "AVISO: el proceso de TFX ya cargado" not in log, f"{task} did not run in the node server"


def test_tasks_follow_the_pipelines_edges(dag_run):
    """Each task started only after every upstream component's task had ended (TFX's order)."""
    tasks = dag_run["tasks"]
    for node in MANIFEST["nodes"]:
        for upstream in node["upstream"]:
            assert tasks[upstream]["end_date"] <= tasks[node["id"]]["start_date"], (
                f"{node['id']} started before {upstream} ended")


def test_every_task_is_an_execution_of_the_dag_runs_tfx_run(dag_run):
    """ML Metadata holds one completed execution per component under the pipeline run named by Airflow's run id."""
    executions = dag_run["mlmd"]["executions"]
    components = sorted(e["component"] for e in executions)
    assert components == sorted(NODES), f"executions of the run: {components}, nodes: {sorted(NODES)}"
    assert {e["state"] for e in executions} <= {"COMPLETE", "CACHED"}, executions


def test_serving_answers_with_the_pushers_model(stack, dag_run):
    """The Pusher of the DAG run pushed a version, and the serving service then serves exactly that version."""
    pushed = dag_run["mlmd"]["pushed"]
    assert pushed and pushed.get("pushed") == 1, f"the DAG run's Pusher pushed nothing: {pushed}"
    version = int(pushed["pushed_version"])

    def serving_version():
        status, _, body = http_get(stack.url("serving", "/health"))
        return status == 200 and json.loads(body)["model_version"] == version
    wait_until(serving_version, timeout=180, what=f"serving to answer with the pushed version {version}")


def test_run_is_in_mlflow_on_postgres(stack, dag_run):
    """MLflow has a run tagged with this DAG run's Pusher execution, stored in PostgreSQL's mlflow database."""
    pusher = next(e["id"] for e in dag_run["mlmd"]["executions"] if e["component"] == "Pusher")
    mlflow_url = stack.url("mlflow", "")
    runs = mlflow_rest.runs(mlflow_url, "proyecto2", f"tags.`mlmd.execution_id.Pusher` = '{pusher}'")
    assert len(runs) == 1, f"MLflow runs of the DAG run's Pusher execution {pusher}: {runs}"
    run_uuid = runs[0]["info"]["run_id"]
    stored = stack.exec("postgres", "psql", "-U", "mlflow", "-d", "mlflow", "-At", "-c",
                        f"SELECT count(*) FROM runs WHERE run_uuid = '{run_uuid}'").stdout.strip()
    assert stored == "1", f"run {run_uuid} is not in PostgreSQL's mlflow database ({stored!r})"
