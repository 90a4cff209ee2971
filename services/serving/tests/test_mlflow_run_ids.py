"""/health names the MLflow run of the served version, and answers promptly with null when MLflow is down."""

import json
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient
from test_app import save_fake_model

from penguin_serving.app import create_app
from penguin_serving.mlflow_runs import RunIds


@pytest.fixture
def fake_mlflow():
    """An HTTP server answering MLflow's model-version search like the lab's registry; yields (URL, queries)."""
    queries = []

    class Registry(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
            queries.append(query["filter"][0])
            found = "tags.pushed_version = '1700000000'" in query["filter"][0]
            body = json.dumps({"model_versions": [{"version": "3", "run_id": "abc123"}] if found else []}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Registry)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", queries
    finally:
        server.shutdown()


def test_health_reports_the_run_of_the_served_version(tmp_path, fake_mlflow):
    """The served version's registry entry (tag pushed_version) gives /health its mlflow_run_id, asked once."""
    url, queries = fake_mlflow
    save_fake_model(tmp_path / "1700000000", winner=0)
    client = TestClient(create_app(str(tmp_path), run_ids=RunIds(tracking_uri=url, model_name="penguins")))
    for _ in range(2):
        health = client.get("/health").json()
        assert (health["model_version"], health["mlflow_run_id"]) == (1700000000, "abc123"), health
    assert queries == ["name = 'penguins' and tags.pushed_version = '1700000000'"], queries


def test_health_is_prompt_and_null_without_mlflow(tmp_path):
    """With nothing listening at the tracking URI, /health still answers ok, quickly, with mlflow_run_id null."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    save_fake_model(tmp_path / "1", winner=0)
    client = TestClient(create_app(str(tmp_path), run_ids=RunIds(tracking_uri=closed)))
    started = time.monotonic()
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["model_version"] == 1, health
    assert health["mlflow_run_id"] is None, health
    assert time.monotonic() - started < 5, "/health waited too long for an MLflow that is not there"
