"""With LAB_HOST_IP=0.0.0.0, another machine gets nothing from the lab without credentials.

The session's lab started again under a second project name with LAB_HOST_IP=0.0.0.0, on the session's
images (tagged for it, nothing rebuilt) and free random ports; a container beside it plays the other machine:
it reaches the host's published ports through the Docker bridge's gateway, as a neighbour on the network
would. Only the JupyterLabs are opened, for the seconds this test takes; their 48-character token stays
required. The session stack itself stays on 127.0.0.1, where the other tests expect it (lab-url prints the
address LAB_HOST_IP names).
"""

import json

import pytest

from conftest import new_stack
from harness.compose import docker
from harness.repo import ROOT, proyectos, service_of, services_with_login

pytestmark = pytest.mark.e2e

REACH_HOST = ROOT / "tests" / "in_container" / "reach_host.py"
# What the neighbour asks each published port for: where a service keeps its data. A JupyterLab's page and its
# contents API. Airflow's REST API (its / is the UI's single-page app, public like any login page: everything it
# shows comes from that API). Any other service's / (it must not even be reached).
JUPYTER_PATHS = ["/", "/api/contents"]
PROTECTED_PATHS = {"airflow-apiserver": ["/api/v2/dags", "/api/v2/connections", "/api/v2/variables"]}
OTHER_PATHS = ["/", "/api/contents"]


def paths_of(service: str) -> list[str]:
    if service in {service_of(p) for p in proyectos()}:
        return JUPYTER_PATHS
    return PROTECTED_PATHS.get(service, OTHER_PATHS)


@pytest.fixture(scope="module")
def open_lab(stack):
    """The lab with LAB_HOST_IP=0.0.0.0, on the session stack's images; always torn down."""
    lab = new_stack("tfxlab-open")
    lab.env["LAB_HOST_IP"] = "0.0.0.0"
    try:
        for service in lab.compose("--profile", "*", "config", "--services").stdout.split():
            if docker("image", "inspect", "-f", "{{.Id}}", f"{stack.project}-{service}").strip():
                docker("tag", f"{stack.project}-{service}", f"{lab.project}-{service}")
        lab.up(build=False, timeout=600)
        yield lab
    finally:
        lab.down(volumes=True, remove_images=True)


@pytest.fixture(scope="module")
def answers(open_lab, stack) -> list[dict]:
    """What a container beside the lab gets from each published port of the open lab."""
    rows = [json.loads(line) for line in open_lab.compose("ps", "--format", "json").stdout.splitlines() if line]
    targets = [(row["Service"], p["PublishedPort"], paths_of(row["Service"])) for row in rows
               for p in row.get("Publishers") or [] if p.get("PublishedPort")]
    assert {service_of(p) for p in proyectos()} <= {t[0] for t in targets}, f"published: {targets}"
    output = docker("run", "--rm", "--add-host=host.docker.internal:host-gateway", "-v",
                    f"{REACH_HOST}:/tmp/reach_host.py:ro", f"{stack.project}-lab-base",
                    "python", "/tmp/reach_host.py", json.dumps(targets), timeout=300)
    assert output.strip(), "the probe container printed nothing"
    return json.loads(output.strip().splitlines()[-1])


def refused(answer: dict) -> bool:
    """Not reached, or refused: 401/403, or sent to a login page."""
    return (not answer["reached"] or answer["status"] in (401, 403)
            or "/login" in answer.get("final_path", ""))


def test_no_service_answers_without_credentials(answers):
    """Every published port, with or without a forged Host header, is closed to the neighbour or asks to log in."""
    open_doors = [a for a in answers if not refused(a)]
    assert not open_doors, f"answered a neighbour without credentials: {open_doors}"


def test_services_without_a_login_are_not_reachable(answers):
    """A service without a login (serving, tensorboard, mlflow...) is not reached at all from the neighbour."""
    reached = [a for a in answers if a["service"] not in services_with_login() and a["reached"]]
    assert not reached, f"reached from another machine: {reached}"


def test_the_labs_are_reached_and_ask_for_the_token(answers):
    """The JupyterLabs are reached (so the probe does reach the host), and answer 403 or their login page."""
    for proyecto in proyectos():
        mine = [a for a in answers if a["service"] == service_of(proyecto)]
        assert mine and all(a["reached"] for a in mine), f"{proyecto} not reached from the neighbour: {mine}"
        api = [a for a in mine if a["path"] == "/api/contents"]
        assert all(a["status"] == 403 for a in api), f"{proyecto} /api/contents without token: {api}"
        pages = [a for a in mine if a["path"] == "/"]
        assert all(a["status"] == 403 or a["final_path"].startswith("/login") for a in pages), (
            f"{proyecto} / without token: {pages}")


def test_airflows_api_is_reached_and_asks_for_a_token(answers):
    """Airflow's API server is reached from the neighbour, and its REST API refuses without a token (401/403)."""
    mine = [a for a in answers if a["service"] == "airflow-apiserver"]
    assert mine and all(a["reached"] for a in mine), f"airflow-apiserver not reached from the neighbour: {mine}"
    assert all(a["status"] in (401, 403) for a in mine), f"Airflow's REST API without a token: {mine}"
