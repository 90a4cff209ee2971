"""The serving service answers on its published port with the model Proyecto2 pushed."""

import json
import urllib.error
import urllib.request

import pytest

from harness.compose import http_get, wait_until

pytestmark = pytest.mark.e2e

SERVING_PORT = 8501
# The first penguin of shared-data/penguins/penguins.csv, an Adelie.
ADELIE = {"island": "Torgersen", "bill_length_mm": 39.1, "bill_depth_mm": 18.7,
          "flipper_length_mm": 181, "body_mass_g": 3750}


def base_url(stack) -> str:
    return f"http://{stack.compose('port', 'serving-lb', str(SERVING_PORT)).stdout.strip()}"


def post(url: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_health_reports_the_pushed_version(stack, executed_notebooks):
    """GET /health is ok and names the newest version in the shared volume."""
    newest = max(int(v) for v in stack.exec("serving", "ls", "/tfx/serving/penguins").stdout.split() if v.isdigit())
    status, _, body = wait_until(lambda: (r := http_get(f"{base_url(stack)}/health")) and r[0] == 200 and r,
                                 timeout=60, what="/health")
    health = json.loads(body)
    assert health["status"] == "ok" and health["model_version"] == newest, health


def test_known_adelie_is_predicted_adelie(stack, executed_notebooks):
    """POST /predict through the published port returns Adelie and probabilities for the three species."""
    status, answer = post(f"{base_url(stack)}/predict", ADELIE)
    assert status == 200, answer
    assert answer["species"] == "Adelie", answer
    assert set(answer["probabilities"]) == {"Adelie", "Chinstrap", "Gentoo"}, answer
    assert abs(sum(answer["probabilities"].values()) - 1) < 1e-4, answer


def test_bad_input_gets_422_naming_the_field(stack):
    """A measurement that is not a number gets a 422 whose message names that field."""
    status, answer = post(f"{base_url(stack)}/predict", {**ADELIE, "flipper_length_mm": "larga"})
    assert status == 422, answer
    assert "flipper_length_mm" in answer["detail"], answer


def test_runs_as_non_root_with_the_volume_read_only(stack):
    """The service runs as uid 1000 and cannot write to the shared volume."""
    assert stack.exec("serving", "id", "-u").stdout.strip() == "1000"
    write = stack.exec("serving", "touch", "/tfx/serving-was-here", check=False)
    assert write.returncode != 0, "the serving container could write to /tfx"


def test_serving_unit_tests_pass_in_the_image(stack):
    """The app's own tests (validation, 503 without a model, version pick-up with temporary dirs) pass."""
    stack.run_unit_tests("serving", timeout=600)
