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
