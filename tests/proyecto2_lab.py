"""Proyecto2's headless pipeline in a lab of a test's own: run it, list what its Pusher pushed, read serving.

Shared by the tests that run the pipeline while they stop a service (test_mlflow_tracking: mlflow;
test_postgres_outage: postgres).
"""

import json
import time

from conftest import TIMINGS
from harness.compose import http_get, wait_until

EXPERIMENT = "proyecto2"
# Where the labs log: the mlflow service by its name on the lab network (MLFLOW_TRACKING_URI in compose).
TRACKING_URI = "http://mlflow:5000"


def run_pipeline(lab, *args: str, check: bool = True):
    """`python -m proyecto2.pipeline <args>` in the proyecto2 container; its process result."""
    started = time.monotonic()
    result = lab.exec("proyecto2", "python", "-m", "proyecto2.pipeline", *args, timeout=1200, check=False)
    TIMINGS[f"headless pipeline {' '.join(args)}".rstrip()] = time.monotonic() - started
    if check:
        assert result.returncode == 0, f"the pipeline failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
    return result


def pushed_versions(lab) -> list[int]:
    """The model versions in /tfx/serving/penguins, oldest first."""
    listing = lab.exec("proyecto2", "ls", "/tfx/serving/penguins", check=False).stdout.split()
    return sorted(int(v) for v in listing if v.isdigit())


def serving_health(lab, version: int | None = None) -> dict:
    """The serving service's /health, once it serves `version` (any, if None)."""
    def health():
        status, _, body = http_get(lab.url("serving", "/health"))
        answer = json.loads(body) if status == 200 else None
        return answer if answer and (version is None or answer["model_version"] == version) else None
    return wait_until(health, timeout=120, what=f"serving to serve version {version}")


def mlflow_url(lab) -> str:
    """The MLflow server's URL on the host (its port is MLFLOW_PORT)."""
    return lab.url("mlflow", "")
