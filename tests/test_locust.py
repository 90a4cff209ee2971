"""A short headless Locust run over the lab network exits 0, and its only failures are the invalid rows it sent."""

import json

import pytest

pytestmark = pytest.mark.e2e

INVALID_SHARE = 0.1
VALID, INVALID = "/predict", "/predict (fila no válida)"


def test_headless_run_fails_only_the_invalid_rows(stack, headless_runs):
    """5 users for 8 s against serving-lb: exit 0, every valid row answered, every invalid one refused (422)."""
    # --no-deps: the stack is up; `run` must not recreate serving or its balancer.
    run = stack.compose("run", "--rm", "-T", "--quiet-build", "--no-deps", "-e", f"INVALID_SHARE={INVALID_SHARE}",
                        "locust",
                        "--headless", "-u", "5", "-r", "5", "-t", "8s", "--only-summary", "--json",
                        check=False, timeout=600)
    assert run.returncode == 0, f"locust exited {run.returncode}:\n{run.stderr[-4000:]}"
    stats = {entry["name"]: entry for entry in json.loads(run.stdout[run.stdout.index("["):])}
    assert set(stats) == {VALID, INVALID}, stats.keys()
    assert stats[VALID]["num_requests"] > 50 and stats[VALID]["num_failures"] == 0, stats[VALID]
    assert stats[INVALID]["num_failures"] == stats[INVALID]["num_requests"] > 0, stats[INVALID]
    total = sum(entry["num_requests"] for entry in stats.values())
    ratio = stats[INVALID]["num_failures"] / total
    assert abs(ratio - INVALID_SHARE) < 0.05, f"failure ratio {ratio:.3f}, invalid share sent {INVALID_SHARE}"
