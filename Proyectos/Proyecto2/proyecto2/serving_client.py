"""Calls to the lab's model-serving service (services/serving) from the Proyecto2 container.

Inside the compose network the service answers at http://serving:8501; from
your computer, at http://127.0.0.1:8501 (SERVING_PORT in .env).
"""

import json
import os
import time
import urllib.error
import urllib.request

SERVING_URL = os.environ.get("SERVING_URL", "http://serving:8501")


def _call(url: str, body: dict | None = None, timeout: float = 10) -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def health(url: str = SERVING_URL) -> dict:
    """The service's status and the model version it serves."""
    return _call(f"{url}/health")[1]


def predict(penguin: dict, url: str = SERVING_URL) -> tuple[int, dict]:
    """POST one penguin's measurements; return (HTTP status, JSON answer)."""
    return _call(f"{url}/predict", penguin)


def wait_for_version(version: str | int, url: str = SERVING_URL, timeout: float = 120) -> dict:
    """Poll /health until the service serves `version` (it checks the folder on each request)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = health(url)
            if str(last.get("model_version")) == str(version):
                return last
        except OSError as error:  # the service is still starting
            last = repr(error)
        time.sleep(1)
    raise TimeoutError(f"El servicio {url} no sirve la versión {version} tras {timeout:.0f} s (último estado: {last})")
