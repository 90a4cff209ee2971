"""Airflow's state (PostgreSQL, airflow-data) is kept by `down`, gone with `down -v` (MLflow: test_mlflow_service)."""


import pytest

from harness import airflow_rest

pytestmark = pytest.mark.e2e

VARIABLE = {"key": "persistencia", "value": "se conserva"}


def test_airflow_state_survives_down_and_vanishes_with_down_v(fresh_stack):
    """A Variable and the generated admin password survive `down` + `up`; after `down -v` + `up` both are new."""
    url = airflow_rest.base_url(fresh_stack)

    def up(build: bool = False) -> tuple[str, str]:
        """Start the API server (and postgres, redis, airflow-init); its password and a token."""
        fresh_stack.compose("up", *(["--build"] if build else []), "-d", "--wait", "airflow-apiserver", timeout=1800)
        password = airflow_rest.printed_password(fresh_stack)
        return password, airflow_rest.token(url, password)

    password, token = up(build=True)
    airflow_rest.ok(url, "POST", "/api/v2/variables", token, VARIABLE)

    fresh_stack.down()
    kept_password, token = up()
    assert kept_password == password, "the generated password changed across down/up"
    assert airflow_rest.ok(url, "GET", f"/api/v2/variables/{VARIABLE['key']}", token)["value"] == VARIABLE["value"]

    fresh_stack.down(volumes=True)
    new_password, token = up()
    assert new_password != password, "down -v kept the generated password"
    status, _ = airflow_rest.call(url, "GET", f"/api/v2/variables/{VARIABLE['key']}", token)
    assert status == 404, f"the Variable survived down -v ({status})"
