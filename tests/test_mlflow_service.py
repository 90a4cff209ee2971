"""The MLflow service is healthy, runs as non-root, answers on 127.0.0.1 and the lab network, and keeps its runs."""

import pytest

from harness import mlflow_rest
from harness.compose import http_get, wait_until

pytestmark = pytest.mark.e2e


def test_mlflow_is_healthy_and_non_root(stack):
    """`up --wait` left mlflow healthy, and its server runs as uid 1000."""
    assert stack.health().get("mlflow") == "healthy", stack.health()
    assert stack.exec("mlflow", "id", "-u").stdout.strip() == "1000"


def test_ui_and_api_answer_on_localhost(stack):
    """The UI's page and the REST API answer on the published 127.0.0.1 port; the API lists the Default experiment."""
    url = stack.url("mlflow", "")
    status, _, page = http_get(f"{url}/")
    assert status == 200 and "<title>MLflow</title>" in page, (status, page[:500])
    experiments = mlflow_rest.ok(url, "experiments/search", max_results=10)["experiments"]
    assert "Default" in [e["name"] for e in experiments], experiments


def test_foreign_host_header_is_refused(stack):
    """A request naming another host (a DNS rebinding attack from a web page) gets a 403."""
    status, _, body = http_get(f"{stack.url('mlflow', '')}/api/2.0/mlflow/experiments/search?max_results=1",
                               headers={"Host": "attacker.example:5000"})
    assert status == 403, (status, body)


def test_labs_reach_mlflow_by_its_service_name(stack):
    """From a lab, the MLflow CLI reaches the server through MLFLOW_TRACKING_URI (http://mlflow:5000)."""
    assert stack.exec("proyecto2", "printenv", "MLFLOW_TRACKING_URI").stdout.strip() == "http://mlflow:5000"
    listing = stack.exec("proyecto2", "mlflow", "experiments", "search").stdout
    assert "Default" in listing, listing


def test_runs_survive_down_and_vanish_with_down_v(fresh_stack):
    """A run logged to mlflow is still there after `down` + `up`, and gone after `down -v` + `up`."""
    def up(build: bool = False) -> str:
        fresh_stack.compose("up", *(["--build"] if build else []), "-d", "--wait", "mlflow", timeout=1800)
        return fresh_stack.url("mlflow", "")

    url = up(build=True)
    run = mlflow_rest.ok(url, "runs/create", {"experiment_id": "0", "run_name": "persistencia"})["run"]
    run_id = run["info"]["run_id"]

    fresh_stack.down()
    url = up()
    assert mlflow_rest.ok(url, "runs/get", run_id=run_id)["run"]["info"]["run_name"] == "persistencia"

    fresh_stack.down(volumes=True)
    url = up()
    status, answer = wait_until(lambda: mlflow_rest.call(url, "runs/get", run_id=run_id), timeout=30,
                                what="MLflow to answer runs/get")
    assert status == 404 and answer.get("error_code") == "RESOURCE_DOES_NOT_EXIST", (status, answer)
