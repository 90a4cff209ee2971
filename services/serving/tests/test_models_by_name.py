"""/models serves every folder of the model root by name: listed, described from its `predict` signature, predicted."""

import pytest
import tensorflow as tf
from fastapi.testclient import TestClient
from test_app import ADELIE, save_fake_model

from penguin_serving.app import create_app
from penguin_serving.mlflow_runs import RunIds
from penguin_serving.models import UnknownModel

TRIP = {"fare": 12.5, "company": "Flash Cab"}


def save_fake_taxi(path, threshold: float) -> None:
    """A SavedModel whose `predict` takes fare (float64) and company (string): P(big tip) = fare / 100."""
    module = tf.Module()
    specs = {"fare": tf.TensorSpec([None], tf.float64, name="fare"),
             "company": tf.TensorSpec([None], tf.string, name="company")}

    @tf.function(input_signature=[specs])
    def predict(features):
        probability = tf.cast(features["fare"] / 100, tf.float32) + 0 * tf.cast(
            tf.strings.length(features["company"]), tf.float32)
        return {"probability": probability, "big_tipper": tf.cast(probability > threshold, tf.int64)}

    module.predict = predict
    tf.saved_model.save(module, str(path), signatures={"predict": predict.get_concrete_function()})


def client_of(root) -> TestClient:
    """The app with the penguins in root/penguins and every model under root, without MLflow."""
    return TestClient(create_app(str(root / "penguins"), run_ids=RunIds(tracking_uri=""), model_root=str(root)))


def test_lists_the_models_with_a_complete_version(tmp_path):
    """GET /models names each folder holding a whole SavedModel, with the version served; half-copied ones are not."""
    save_fake_model(tmp_path / "penguins" / "3", winner=0)
    save_fake_taxi(tmp_path / "taxi" / "7", threshold=0.1)
    (tmp_path / "empty" / "1").mkdir(parents=True)  # still being copied
    answer = client_of(tmp_path).get("/models").json()
    assert answer["models"] == [{"model": "penguins", "model_version": 3}, {"model": "taxi", "model_version": 7}], \
        answer


def test_describes_a_model_from_its_predict_signature(tmp_path):
    """GET /models/taxi gives the version and each input and output with its dtype and shape."""
    save_fake_taxi(tmp_path / "taxi" / "7", threshold=0.1)
    answer = client_of(tmp_path).get("/models/taxi").json()
    assert answer["model_version"] == 7, answer
    assert answer["inputs"] == [{"name": "company", "dtype": "string", "shape": [None]},
                                {"name": "fare", "dtype": "float64", "shape": [None]}], answer
    assert {o["name"]: o["dtype"] for o in answer["outputs"]} == {"big_tipper": "int64", "probability": "float32"}, \
        answer


def test_predicts_one_answer_per_instance(tmp_path):
    """POST /models/taxi/predict answers each instance with the signature's outputs, in order."""
    save_fake_taxi(tmp_path / "taxi" / "7", threshold=0.1)
    body = {"instances": [TRIP, {"fare": 5, "company": ""}]}
    response = client_of(tmp_path).post("/models/taxi/predict", json=body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert (answer["model"], answer["model_version"]) == ("taxi", 7), answer
    assert [p["big_tipper"] for p in answer["predictions"]] == [1, 0], answer
    assert [round(p["probability"], 4) for p in answer["predictions"]] == [0.125, 0.05], answer


def test_a_newer_version_is_served_without_restart(tmp_path):
    """A version pushed after the first request replaces the served one, for /models and for predictions."""
    save_fake_taxi(tmp_path / "taxi" / "1", threshold=0.9)
    client = client_of(tmp_path)
    first = client.post("/models/taxi/predict", json={"instances": [TRIP]}).json()
    assert (first["model_version"], first["predictions"][0]["big_tipper"]) == (1, 0), first
    save_fake_taxi(tmp_path / "taxi" / "2", threshold=0.1)
    assert client.get("/models").json()["models"] == [{"model": "taxi", "model_version": 2}]
    second = client.post("/models/taxi/predict", json={"instances": [TRIP]}).json()
    assert (second["model_version"], second["predictions"][0]["big_tipper"]) == (2, 1), second


def test_unknown_model_is_404_and_a_known_one_not_pushed_yet_is_503(tmp_path):
    """An unknown name gets 404 listing the published models; taxi before its first push says what to run."""
    save_fake_model(tmp_path / "penguins" / "1", winner=0)
    client = client_of(tmp_path)
    for path in ("/models/ballenas", "/models/ballenas/predict"):
        response = client.get(path) if not path.endswith("predict") else client.post(path, json={"instances": [{}]})
        assert response.status_code == 404, (path, response.text)
    assert "penguins" in client.get("/models/ballenas").json()["detail"]
    with pytest.raises(UnknownModel):  # a name is a folder of the root, never a way out of it
        client.app.state.registry.store("..")
    for response in (client.get("/models/taxi"), client.post("/models/taxi/predict", json={"instances": [TRIP]})):
        assert response.status_code == 503, response.text
        assert "ejecuta el pipeline de Proyecto3 hasta el Pusher" in response.json()["detail"], response.json()


def test_bad_instances_get_422_in_spanish_naming_each_field(tmp_path):
    """A missing, mistyped or unknown feature, and a body without instances, get 422 with Spanish messages."""
    save_fake_taxi(tmp_path / "taxi" / "1", threshold=0.5)
    client = client_of(tmp_path)
    body = {"instances": [{"fare": "doce"}, {**TRIP, "company": 3, "propina": 1}]}
    response = client.post("/models/taxi/predict", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["errores"] == [
        {"campo": "instances.0.company", "error": "falta este campo"},
        {"campo": "instances.0.fare", "error": "debe ser un número"},
        {"campo": "instances.1.company", "error": "debe ser un texto"},
        {"campo": "instances.1.propina", "error": "campo desconocido"}], response.json()
    assert "instances.0.fare" in response.json()["detail"], response.json()
    for body, error in (({"filas": [TRIP]}, "falta este campo"), ({"instances": []}, "no puede estar vacía"),
                        ({"instances": TRIP}, "debe ser una lista")):
        response = client.post("/models/taxi/predict", json=body)
        assert response.status_code == 422, (body, response.text)
        assert error in [e["error"] for e in response.json()["errores"]], (body, response.json())


def test_penguin_routes_are_unchanged_and_share_the_loaded_model(tmp_path):
    """/predict and /health answer as before, and /models/penguins serves the same store's version."""
    save_fake_model(tmp_path / "penguins" / "5", winner=2)
    client = client_of(tmp_path)
    answer = client.post("/predict", json=ADELIE).json()
    assert (answer["species"], answer["model_version"]) == ("Gentoo", 5), answer
    assert client.get("/health").json()["model_version"] == 5
    by_name = client.post("/models/penguins/predict", json={"instances": [ADELIE]}).json()
    assert by_name["predictions"][0]["classes"] == ["Adelie", "Chinstrap", "Gentoo"], by_name
    assert client.app.state.store is client.app.state.registry.store("penguins"), "penguins loaded twice"


def test_docs_describe_the_routes_with_a_taxi_example(tmp_path):
    """The OpenAPI schema (/docs) has the three routes and a taxi body, and points at GET /models/{name}."""
    schema = client_of(tmp_path).get("/openapi.json").json()
    assert {"/models", "/models/{name}", "/models/{name}/predict", "/predict", "/health"} <= set(schema["paths"])
    predict = schema["paths"]["/models/{name}/predict"]["post"]
    assert "GET /models/{name}" in predict["description"], predict
    examples = predict["requestBody"]["content"]["application/json"]["examples"]
    assert "payment_type" in examples["taxi"]["value"]["instances"][0], examples
