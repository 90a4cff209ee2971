"""A component that fails in Proyecto2's DAG fails its own task, with the lab's Spanish message in its log.

The curated schema is taken out of the student's work volume for one DAG run
(and put back afterwards): ImportSchemaGen, which copies it, fails; the
components that need its schema never start; the others still succeed.
"""

import re

import pytest

from harness import airflow_rest

pytestmark = pytest.mark.e2e

DAG = "proyecto2"
SCHEMA = "schema/schema.pbtxt"


@pytest.fixture
def missing_schema(stack):
    """Proyecto2's curated schema moved out of its work folder; moved back afterwards."""
    stack.exec("proyecto2", "mv", SCHEMA, "/tmp/schema.pbtxt.bak")
    try:
        yield
    finally:
        stack.exec("proyecto2", "mv", "/tmp/schema.pbtxt.bak", SCHEMA)


def test_failed_component_fails_only_its_task(stack, missing_schema):
    """ImportSchemaGen fails with the Spanish message; CsvExampleGen succeeds; what needs the schema never runs."""
    url = f"http://127.0.0.1:{stack.env['AIRFLOW_PORT']}"
    printed = stack.exec("airflow-apiserver", "airflow-password").stdout
    token = airflow_rest.token(url, re.search(r"contraseña: (\S+)", printed).group(1))
    run_id = airflow_rest.trigger(url, token, DAG)
    run = airflow_rest.wait_for_run(url, token, DAG, run_id, timeout=1200)
    states = {task: ti["state"] for task, ti in airflow_rest.task_instances(url, token, DAG, run_id).items()}
    assert run["state"] == "failed", f"the run ended {run['state']}: {states}"
    assert states["ImportSchemaGen"] == "failed" and states["CsvExampleGen"] == "success", states
    for needs_schema in ("ExampleValidator", "Transform", "Trainer", "Pusher"):
        assert states[needs_schema] == "upstream_failed", f"{needs_schema}: {states[needs_schema]}"
    log = airflow_rest.task_log(url, token, DAG, run_id, "ImportSchemaGen")
    assert "ERROR: el componente ImportSchemaGen del pipeline proyecto2.pipeline falló" in log, log[-3000:]
    assert "vuelve a ejecutar solo esta tarea" in log, log[-3000:]
