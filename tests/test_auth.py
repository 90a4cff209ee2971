"""JupyterLab requires a token: the configured one, or a random one when none is set."""

import json

import pytest

from harness.compose import docker, http_get, wait_until
from harness.repo import proyectos, service_of

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("proyecto", proyectos())
def test_request_without_token_is_refused(stack, proyecto):
    """Without a token the API answers 403 and /lab redirects to the login page."""
    service = service_of(proyecto)
    status, _, _ = http_get(stack.url(service, "/api/contents"))
    assert status == 403, f"/api/contents without token answered {status}"
    status, final_url, body = http_get(stack.url(service, "/lab"))
    assert "/login" in final_url and "password" in body.lower(), f"/lab without token ended at {final_url} ({status})"


@pytest.mark.parametrize("proyecto", proyectos())
def test_request_with_token_is_served(stack, proyecto):
    """With the token the API lists the Proyecto's notebook."""
    status, _, body = http_get(stack.url(service_of(proyecto), "/api/contents"),
                               headers={"Authorization": f"token {stack.token}"})
    assert status == 200, f"/api/contents with token answered {status}"
    names = [item["name"] for item in json.loads(body)["content"]]
    assert f"{proyecto}.ipynb" in names, names


@pytest.mark.parametrize("proyecto", proyectos())
def test_lab_url_prints_the_configured_token(stack, proyecto):
    """`lab-url` (the README's way to get the URL) gives the lab's published port and the configured token."""
    service = service_of(proyecto)
    url = stack.exec(service, "lab-url").stdout.strip()
    assert url == stack.url(service, f"/lab?token={stack.token}"), url


def test_no_token_configured_means_a_random_one(stack):
    """A lab started with JUPYTER_TOKEN empty still requires a token, a long random one that lab-url prints."""
    service = service_of(proyectos()[0])
    name = f"{stack.project}-notoken"
    port = stack.env[f"{service.upper()}_PORT"]
    stack.compose("run", "-d", "--no-deps", "--name", name, "--publish", f"127.0.0.1::{port}",
                  "-e", "JUPYTER_TOKEN=", service)
    try:
        url = wait_until(lambda: docker("exec", name, "lab-url").strip(), timeout=120,
                         what="the token-less lab to print its URL")
        token = url.rsplit("token=", 1)[-1]
        assert len(token) >= 32, f"generated token is short: {url}"
        published = docker("port", name, port).split()[0]
        status, _, _ = http_get(f"http://{published}/api/contents")
        assert status == 403, f"the token-less lab served /api/contents without a token ({status})"
        status, _, _ = http_get(f"http://{published}/api/contents?token={token}")
        assert status == 200, f"the generated token was refused ({status})"
    finally:
        docker("rm", "-f", name)
