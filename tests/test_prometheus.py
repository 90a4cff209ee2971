"""The prometheus service is healthy and scrapes every serving replica every 5 s."""

import json
import urllib.parse

import pytest

from harness.compose import http_get, wait_until

pytestmark = pytest.mark.e2e


def api(stack, path: str, **params) -> dict:
    status, _, body = http_get(stack.url("prometheus", f"/api/v1/{path}?{urllib.parse.urlencode(params)}"))
    assert status == 200, body
    return json.loads(body)["data"]


def test_prometheus_is_healthy(stack):
    """GET /-/healthy answers 200 on the published port."""
    status, _, body = http_get(stack.url("prometheus", "/-/healthy"))
    assert status == 200, body


def test_every_serving_replica_is_up(stack):
    """up{job="serving"} is 1 for each running serving container, scraped every 5 s."""
    replicas = len(stack.compose("ps", "-q", "serving").stdout.split())
    assert replicas >= 1

    def all_up():
        result = api(stack, "query", query='up{job="serving"}')["result"]
        return len(result) == replicas and all(r["value"][1] == "1" for r in result) and result

    wait_until(all_up, timeout=60, what=f'up{{job="serving"}} = 1 for {replicas} replica(s)')
    targets = [t for t in api(stack, "targets", state="active")["activeTargets"] if t["labels"]["job"] == "serving"]
    assert {t["scrapeInterval"] for t in targets} == {"5s"}, targets
