"""Every lab of the stack comes up healthy and answers on 127.0.0.1."""

import json

import pytest

from harness.compose import http_get
from harness.repo import proyectos, service_of

pytestmark = pytest.mark.e2e

SETTINGS = "/lab/api/settings/@jupyterlab/apputils-extension:notification"


def test_every_lab_is_healthy(stack):
    """`up --wait` left every lab service running and healthy."""
    health = stack.health()
    for proyecto in proyectos():
        assert health.get(service_of(proyecto)) == "healthy", f"service health: {health}"


@pytest.mark.parametrize("proyecto", proyectos())
def test_api_answers_on_localhost(stack, proyecto):
    """The JupyterLab API answers on the published 127.0.0.1 port."""
    url = stack.url(service_of(proyecto), "/api")
    assert url.startswith("http://127.0.0.1:"), url
    status, _, body = http_get(url)
    assert status == 200, f"{url} answered {status}"
    assert json.loads(body)["version"].startswith("2."), body


@pytest.mark.parametrize("proyecto", proyectos())
def test_lab_runs_as_non_root(stack, proyecto):
    """The lab's processes run as uid 1000, not root."""
    uid = stack.exec(service_of(proyecto), "id", "-u").stdout.strip()
    assert uid == "1000", f"{proyecto} runs as uid {uid}"


@pytest.mark.parametrize("proyecto", proyectos())
def test_pid1_is_tini(stack, proyecto):
    """PID 1 is tini, which forwards signals so `down` does not wait for the kill timeout."""
    comm = stack.exec(service_of(proyecto), "cat", "/proc/1/comm").stdout.strip()
    assert comm == "tini", f"PID 1 of {proyecto} is {comm!r}"


@pytest.mark.parametrize("proyecto", proyectos())
def test_jupyterlab_does_not_phone_home(stack, proyecto):
    """JupyterLab is set neither to fetch jupyter.org news nor to check for updates (the lab runs offline)."""
    status, _, body = http_get(stack.url(service_of(proyecto), SETTINGS),
                               headers={"Authorization": f"token {stack.token}"})
    assert status == 200, f"settings API answered {status}"
    defaults = {k: v.get("default") for k, v in json.loads(body)["schema"]["properties"].items()}
    assert defaults["fetchNews"] == "false" and defaults["checkForUpdates"] is False, defaults
