"""GET /metrics names the serving series, and their values move with the requests the app answers."""

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from test_app import ADELIE, save_fake_model

from penguin_serving.app import create_app
from penguin_serving.mlflow_runs import RunIds


def samples(client: TestClient) -> dict[tuple, float]:
    """Every sample of /metrics by (name, sorted labels)."""
    response = client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain"), response.headers
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.text) for s in family.samples}


def value(found: dict, name: str, **labels) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def test_requests_predictions_and_errors_are_counted(tmp_path):
    """A prediction, a bad input and a /health each move their series; the model's version is a labelled gauge."""
    save_fake_model(tmp_path / "4", winner=2)
    client = TestClient(create_app(str(tmp_path), run_ids=RunIds(tracking_uri="")))
    before = samples(client)
    assert value(before, "serving_errors_total", kind="bad_input") == 0, before
    assert client.post("/predict", json=ADELIE).status_code == 200
    assert client.post("/predict", json=ADELIE).status_code == 200
    assert client.post("/predict", json={**ADELIE, "island": "Mallorca"}).status_code == 422
    after = samples(client)

    def moved(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("serving_requests_total", route="/predict", method="POST", status="200") == 2, after
    assert moved("serving_requests_total", route="/predict", method="POST", status="422") == 1, after
    assert moved("serving_request_duration_seconds_count", route="/predict") == 3, after
    assert moved("serving_request_duration_seconds_sum", route="/predict") > 0, after
    assert moved("serving_predictions_total", species="Gentoo") == 2, after
    assert moved("serving_errors_total", kind="bad_input") == 1, after
    assert value(after, "serving_model_info", model="penguins", version="4", mlflow_run_id="") == 1, after


def test_no_model_is_counted_and_unknown_paths_share_one_label(tmp_path):
    """A 503 without a model counts as no_model; a path no route matches is labelled `unmatched`, not by its URL."""
    client = TestClient(create_app(str(tmp_path / "penguins")))
    assert client.post("/predict", json=ADELIE).status_code == 503
    assert client.get("/wp-admin/x").status_code == 404
    found = samples(client)
    assert value(found, "serving_errors_total", kind="no_model") == 1, found
    assert value(found, "serving_requests_total", route="unmatched", method="GET", status="404") == 1, found
    assert not [key for key in found if key[0] == "serving_model_info"], "a model_info series without a model"


def test_a_newer_version_replaces_the_model_series(tmp_path):
    """After a newer push, model_info has one series, for the new version."""
    save_fake_model(tmp_path / "1", winner=0)
    client = TestClient(create_app(str(tmp_path), run_ids=RunIds(tracking_uri="")))
    samples(client)
    save_fake_model(tmp_path / "2", winner=1)
    versions = [dict(labels)["version"] for name, labels in samples(client) if name == "serving_model_info"]
    assert versions == ["2"], versions
