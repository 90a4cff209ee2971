"""On a CPU without AVX the service stays up and answers 503 with the fix, instead of crashing in a loop."""

from fastapi.testclient import TestClient

from lab_compat import avx
from penguin_serving.app import create_app


def test_health_and_predict_explain_the_missing_avx(tmp_path):
    """GET /health and POST /predict answer 503 with lab_compat.avx's Spanish message."""
    client = TestClient(create_app(str(tmp_path), has_avx=False))
    health = client.get("/health")
    assert health.status_code == 503 and health.json() == {"status": "sin AVX", "detail": avx.MESSAGE}
    predict = client.post("/predict", json={"island": "Dream"})
    assert predict.status_code == 503 and "Rosetta" in predict.json()["detail"]


def test_models_by_name_explain_the_missing_avx(tmp_path):
    """The routes by model name answer the same 503, never loading TensorFlow."""
    client = TestClient(create_app(str(tmp_path), has_avx=False, model_root=str(tmp_path)))
    for response in (client.get("/models"), client.get("/models/taxi"),
                     client.post("/models/taxi/predict", json={"instances": [{}]})):
        assert response.status_code == 503 and response.json() == {"detail": avx.MESSAGE}, response.text
