"""The serving app validates requests, answers 503 without a model and picks up new versions without a restart."""

import tensorflow as tf
from fastapi.testclient import TestClient

from penguin_serving.app import create_app
from penguin_serving.mlflow_runs import RunIds

ADELIE = {"island": "Torgersen", "bill_length_mm": 39.1, "bill_depth_mm": 18.7,
          "flipper_length_mm": 181.0, "body_mass_g": 3750.0}
CLASSES = ["Adelie", "Chinstrap", "Gentoo"]


def save_fake_model(path, winner: int) -> None:
    """A SavedModel with Proyecto2's `predict` signature that always prefers class `winner`."""
    module = tf.Module()
    specs = {name: tf.TensorSpec([None], tf.string if name == "island" else tf.float64, name=name)
             for name in ADELIE}

    @tf.function(input_signature=[specs])
    def predict(features):
        batch = tf.shape(features["island"])[0]
        probabilities = tf.tile(tf.one_hot([winner], 3) * 0.8 + 0.2 / 3, [batch, 1])
        return {"probabilities": probabilities, "classes": tf.tile(tf.constant([CLASSES]), [batch, 1])}

    module.predict = predict
    tf.saved_model.save(module, str(path), signatures={"predict": predict.get_concrete_function()})


def test_no_model_gives_503_and_healthy_status(tmp_path):
    """With no version pushed, /health is ok with no version and /predict is a clear 503."""
    client = TestClient(create_app(str(tmp_path / "penguins")))
    assert client.get("/health").json()["model_version"] is None
    response = client.post("/predict", json=ADELIE)
    assert response.status_code == 503, response.text
    assert "Pusher" in response.json()["detail"], response.json()


def test_invalid_input_gives_422_naming_the_field(tmp_path):
    """A wrong type, a missing field and an unknown island each get a 422 naming the field."""
    client = TestClient(create_app(str(tmp_path)))
    cases = {"bill_length_mm": {**ADELIE, "bill_length_mm": "largo"},
             "body_mass_g": {k: v for k, v in ADELIE.items() if k != "body_mass_g"},
             "island": {**ADELIE, "island": "Mallorca"}}
    for field, body in cases.items():
        response = client.post("/predict", json=body)
        assert response.status_code == 422, (field, response.text)
        assert field in response.json()["detail"], (field, response.json())
    errors = client.post("/predict", json={**ADELIE, "flipper_length_mm": -1}).json()["errores"]
    assert errors == [{"campo": "flipper_length_mm", "error": "debe ser mayor que 0"}], errors


def test_serves_newest_version_and_picks_up_new_ones(tmp_path):
    """The newest version is served, and a version pushed later replaces it without restarting."""
    save_fake_model(tmp_path / "1", winner=2)
    client = TestClient(create_app(str(tmp_path), run_ids=RunIds(tracking_uri="")))  # no MLflow
    first = client.post("/predict", json=ADELIE).json()
    assert (first["model_version"], first["species"]) == (1, "Gentoo"), first
    assert abs(sum(first["probabilities"].values()) - 1) < 1e-5, first

    save_fake_model(tmp_path / "2", winner=0)
    (tmp_path / "3").mkdir()  # a version still being copied: ignored
    assert client.get("/health").json() == {"status": "ok", "model_version": 2, "model_base_path": str(tmp_path),
                                            "mlflow_run_id": None}
    second = client.post("/predict", json=ADELIE).json()
    assert (second["model_version"], second["species"]) == (2, "Adelie"), second


def test_predictions_look_for_new_versions_at_most_every_check_seconds(tmp_path):
    """predict() keeps the loaded version within check_seconds; refresh() (/health, /metrics) looks at once."""
    from penguin_serving.model_store import ModelStore

    save_fake_model(tmp_path / "1", winner=0)
    store = ModelStore(tmp_path, check_seconds=3600)
    assert store.predict(ADELIE)[0] == 1
    save_fake_model(tmp_path / "2", winner=1)
    assert store.predict(ADELIE)[0] == 1, "predict() listed the folder again within check_seconds"
    assert store.refresh() == 2
    assert store.predict(ADELIE)[0] == 2
