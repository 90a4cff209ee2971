"""A component that fails in Proyecto2's DAG fails its own task, with the lab's Spanish message in its log.

The curated schema is taken out of the student's work volume for one DAG run
(and put back afterwards): ImportSchemaGen, which copies it, fails; the
components that need its schema never start; the others still succeed. Once the
schema is back, *Clear* on ImportSchemaGen re-runs it and what depends on it,
within the same run, and nothing upstream runs twice.
"""

import json

import pytest

from harness import airflow_rest
from harness.repo import ROOT

pytestmark = pytest.mark.e2e

DAG = "proyecto2"
SCHEMA = "schema/schema.pbtxt"
RUN_SCRIPT = ROOT / "tests" / "in_container" / "pipeline_run.py"


@pytest.fixture(scope="module")
def airflow(stack) -> tuple[str, str]:
    """The API server's URL and a token for admin."""
    url = airflow_rest.base_url(stack)
    return url, airflow_rest.token(url, airflow_rest.printed_password(stack))


@pytest.fixture(scope="module")
def failed_run(stack, airflow) -> dict:
    """A run of the DAG without Proyecto2's curated schema (put back afterwards): its id, task states and log."""
    url, token = airflow
    stack.exec("proyecto2", "mv", SCHEMA, "/tmp/schema.pbtxt.bak")
    try:
        run_id = airflow_rest.trigger(url, token, DAG)
        run = airflow_rest.wait_for_run(url, token, DAG, run_id, timeout=1200)
    finally:
        stack.exec("proyecto2", "mv", "/tmp/schema.pbtxt.bak", SCHEMA)
    states = {task: ti["state"] for task, ti in airflow_rest.task_instances(url, token, DAG, run_id).items()}
    return {"run_id": run_id, "state": run["state"], "states": states,
            "log": airflow_rest.task_log(url, token, DAG, run_id, "ImportSchemaGen")}


def test_failed_component_fails_only_its_task(failed_run):
    """ImportSchemaGen fails with the Spanish message; CsvExampleGen succeeds; what needs the schema never runs."""
    states, log = failed_run["states"], failed_run["log"]
    assert failed_run["state"] == "failed", f"the run ended {failed_run['state']}: {states}"
    assert states["ImportSchemaGen"] == "failed" and states["CsvExampleGen"] == "success", states
    for needs_schema in ("ExampleValidator", "Transform", "Trainer", "Pusher"):
        assert states[needs_schema] == "upstream_failed", f"{needs_schema}: {states[needs_schema]}"
    assert "ERROR: el componente ImportSchemaGen del pipeline proyecto2.pipeline falló" in log, log[-3000:]
    assert "vuelve a ejecutar solo esta tarea" in log, log[-3000:]


def test_clear_reruns_only_the_failed_component_and_what_follows(stack, airflow, failed_run):
    """With the schema back, Clear on ImportSchemaGen finishes the run; CsvExampleGen ran once, in task and in MLMD."""
    url, token = airflow
    run_id = failed_run["run_id"]
    airflow_rest.clear(url, token, DAG, run_id, "ImportSchemaGen")
    run = airflow_rest.wait_for_run(url, token, DAG, run_id, timeout=1200)
    tasks = airflow_rest.task_instances(url, token, DAG, run_id)
    assert run["state"] == "success", {task: ti["state"] for task, ti in tasks.items()}
    assert tasks["CsvExampleGen"]["try_number"] == 1, f"CsvExampleGen ran again: {tasks['CsvExampleGen']}"
    assert tasks["ImportSchemaGen"]["try_number"] == 2, tasks["ImportSchemaGen"]
    stack.compose("cp", str(RUN_SCRIPT), "proyecto2:/tmp/pipeline_run.py")
    recorded = json.loads(stack.exec("proyecto2", "python", "/tmp/pipeline_run.py", "/tfx/proyecto2/metadata.sqlite",
                                     run_id, timeout=300).stdout.strip().splitlines()[-1])
    components = [e["component"] for e in recorded["executions"]]
    assert components.count("CsvExampleGen") == 1, f"executions of the run: {components}"
    assert "Pusher" in components, f"the cleared run did not reach the Pusher: {components}"
