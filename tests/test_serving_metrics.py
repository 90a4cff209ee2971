"""serving's GET /metrics, through the published port, names its series and counts the requests it answers."""

import json
import urllib.error
import urllib.request

import pytest

from harness.compose import http_get, wait_until

pytestmark = pytest.mark.e2e

# The metric families as the text format names them (a counter's family ends in _total).
FAMILIES = ["serving_requests_total", "serving_request_duration_seconds", "serving_predictions_total",
            "serving_errors_total", "serving_model_info"]


def scrape(stack) -> str:
    status, _, body = wait_until(lambda: (r := http_get(stack.url("serving", "/metrics"))) and r[0] == 200 and r,
                                 timeout=60, what="serving's /metrics")
    return body


def sample(metrics: str, line_start: str) -> float:
    """The value of the one sample whose line starts with `line_start` (0 when absent)."""
    values = [float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines() if line.startswith(line_start)]
    return values[0] if values else 0.0


def test_metrics_name_every_series(stack):
    """/metrics declares the requests, latency, predictions, errors and model series in Prometheus's format."""
    metrics = scrape(stack)
    for family in FAMILIES:
        assert f"# TYPE {family} " in metrics, f"{family} missing from /metrics:\n{metrics[:2000]}"


def test_a_bad_request_moves_the_counters(stack):
    """A 422 adds one to /predict's requests with status 422, its latency histogram and the bad_input errors.

    With one replica (the default) every request reaches the same process.
    """
    request_line = 'serving_requests_total{method="POST",route="/predict",status="422"}'
    latency_line = 'serving_request_duration_seconds_count{route="/predict"}'
    errors_line = 'serving_errors_total{kind="bad_input"}'
    before = scrape(stack)
    request = urllib.request.Request(stack.url("serving", "/predict"), data=json.dumps({"island": "Mallorca"}).encode(),
                                     headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 422
    after = scrape(stack)
    for line in (request_line, latency_line, errors_line):
        was, now = sample(before, line), sample(after, line)
        assert now == was + 1, f"{line}: {was} → {now}"
