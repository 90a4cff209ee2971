"""Airflow needs its login: the REST API refuses requests without a token, the UI shows a login form first."""

import pytest

from harness import airflow_rest
from harness.browser import chromium
from harness.compose import http_get

pytestmark = pytest.mark.e2e


def airflow_url(stack, path: str = "") -> str:
    return airflow_rest.base_url(stack) + path


@pytest.fixture(scope="module")
def password(stack) -> str:
    """The admin password as the README's command prints it (generated: the tests set no AIRFLOW_PASSWORD)."""
    return airflow_rest.printed_password(stack)


@pytest.mark.parametrize("path", ["/api/v2/dags", "/api/v2/dags/proyecto2/dagRuns", "/api/v2/config"])
def test_rest_api_refuses_requests_without_a_token(stack, path):
    """Without a Bearer token the REST API answers 401 or 403 and lists nothing."""
    status, answer = airflow_rest.call(airflow_url(stack), "GET", path)
    assert status in (401, 403), f"GET {path} without a token answered {status}: {str(answer)[:300]}"


def test_wrong_password_gets_no_token(stack, password):
    """POST /auth/token with a wrong password is refused."""
    status, _ = airflow_rest.call(airflow_url(stack), "POST", "/auth/token",
                                  body={"username": "admin", "password": password + "x"})
    assert status in (401, 403), f"a wrong password got {status}"


def test_printed_password_logs_in_to_the_rest_api(stack, password):
    """The password `airflow-password` prints gets a token that lists every Proyecto's DAG."""
    token = airflow_rest.token(airflow_url(stack), password)
    dags = airflow_rest.ok(airflow_url(stack), "GET", "/api/v2/dags", token)["dags"]
    assert {"proyecto1", "proyecto2"} <= {d["dag_id"] for d in dags}, dags


def test_ui_shows_a_login_form_then_the_dags(stack, password):
    """In Chromium the UI opens on a login form; after logging in, the DAG list shows proyecto2."""
    status, _, _ = http_get(airflow_url(stack, "/api/v2/monitor/health"))
    assert status == 200, f"the API server's health answered {status}"
    with chromium() as browser:
        page = browser.new_page()
        page.goto(airflow_url(stack, "/dags"))
        username, secret = page.locator("input[name=username]"), page.locator("input[type=password]")
        username.wait_for(timeout=30_000)
        assert secret.is_visible(), "the login page has no password field"
        assert "proyecto2" not in page.content(), "the DAG list shows before logging in"
        username.fill("admin")
        secret.fill(password)
        page.locator("button[type=submit]").click()
        secret.wait_for(state="detached", timeout=30_000)
        page.goto(airflow_url(stack, "/dags"))
        page.get_by_text("proyecto2", exact=True).first.wait_for(timeout=30_000)
