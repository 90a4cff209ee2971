"""JupyterLab requires a token: the configured one, or a random one when none is set."""

import json
import re

import pytest

from lab import docker, http_get, proyectos, service_of, wait_until

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
def test_readme_command_prints_the_url_with_token(stack, proyecto):
    """`docker compose exec <lab> jupyter server list` (the README's way) shows the URL with the token."""
    output = stack.exec(service_of(proyecto), "jupyter", "server", "list").stdout
    assert f"token={stack.token}" in output, output


def test_no_token_configured_means_a_random_one(stack):
    """A lab started with JUPYTER_TOKEN empty still requires a token, a long random one."""
    name = f"{stack.project}-notoken"
    stack.compose("run", "-d", "--no-deps", "--name", name, "-e", "JUPYTER_TOKEN=", service_of(proyectos()[0]))
    try:
        listed = wait_until(lambda: re.search(r"token=(\w+)", docker("exec", name, "jupyter", "server", "list")),
                            timeout=120, what="the token-less lab to list its server")
        assert len(listed.group(1)) >= 32, f"generated token is short: {listed.group(1)!r}"
        status = docker("exec", name, "python", "-c",
                        "import urllib.request as u, urllib.error as e\n"
                        "try: u.urlopen('http://127.0.0.1:8888/api/contents')\n"
                        "except e.HTTPError as x: print(x.code)")
        assert status.strip() == "403", f"token-less lab served /api/contents without a token: {status!r}"
    finally:
        docker("rm", "-f", name)
