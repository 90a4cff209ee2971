"""Every Proyecto's Airflow worker runs its tasks in a warm TFX process (lab_helpers.node_server), safely forkable.

The server imports TensorFlow and TFX once and forks a child per task; it binds
its socket only after checking it holds no other thread and none of the student's
code, so a server that answers passed that check. Its client is the worker's
healthcheck and each task's command (tests/test_airflow_dag_run.py).
"""

import json

import pytest

from harness.repo import ROOT, proyectos, service_of

pytestmark = pytest.mark.e2e

STATE_SCRIPT = ROOT / "tests" / "in_container" / "node_server_state.py"


@pytest.mark.parametrize("proyecto", proyectos())
def test_worker_has_a_warm_single_threaded_server(stack, proyecto):
    """The worker's node server answers ping, has TensorFlow loaded and runs one thread when it forks."""
    worker = f"airflow-worker-{service_of(proyecto)}"
    ping = stack.exec(worker, "/opt/venv/bin/python", "-m", "lab_helpers.node_client", "ping", check=False)
    assert ping.returncode == 0, f"{worker}'s node server does not answer: {ping.stdout}{ping.stderr}"
    stack.compose("cp", str(STATE_SCRIPT), f"{worker}:/tmp/node_server_state.py")
    state = json.loads(stack.exec(worker, "python", "/tmp/node_server_state.py").stdout.strip().splitlines()[-1])
    assert state["pid"], f"no lab_helpers.node_server process in {worker}"
    assert state["tensorflow_loaded"], f"{worker}'s node server has not imported TensorFlow: {state}"
    assert state["threads"] == 1, f"{worker}'s node server runs {state['threads']} threads: a fork may copy a held lock"
