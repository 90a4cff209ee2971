"""docs/benchmarks.md is rendered from one run's stored values, and its prose quotes that run, not an earlier one."""

import copy
import importlib.util
import json

import pytest

from harness.repo import ROOT


@pytest.fixture(scope="module")
def report():
    spec = importlib.util.spec_from_file_location("bench_report", ROOT / "bench" / "report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def stored() -> dict:
    return json.loads((ROOT / "docs" / "benchmarks.json").read_text())


def test_page_is_what_its_stored_values_render(report, stored):
    """docs/benchmarks.md is bench/report.py's rendering of docs/benchmarks.json (`uv run python bench/report.py`),
    then bench/serving_load.py's own section."""
    page = ROOT / "docs" / "benchmarks.md"
    assert page.read_text() == report.page(stored, page), (
        "docs/benchmarks.md differs from what docs/benchmarks.json renders: run `uv run python bench/report.py`")


def test_prose_quotes_the_run_that_wrote_it(report, stored):
    """Another run's values (1.33x with two worker containers, 1.29x multi-process) change the prose too."""
    other = copy.deepcopy(stored)
    beam = other["beam"][0]
    baseline = beam["runs"][beam["baseline"]]["seconds"]
    beam["runs"]["portable_2_workers-2"]["seconds"] = baseline / 1.33
    beam["runs"]["multi_process-2"]["seconds"] = baseline / 1.29
    other["up"], other["imports"]["without"] = 12.0, other["imports"]["with"] + 5
    prose = report.render(other).split("## Reading the results", 1)[1]
    for figure in ("two worker containers reach 1.33x, multi-process 1.29x", "buy 1.29x", "two give 1.33x",
                   "1.7x is missed by 0.37x", "healthy in 12 s", "takes 5 s longer"):
        assert figure in prose, f"the prose does not say {figure!r} for a run that measured it"
    assert "1.66x" not in prose and "1.42x" not in prose, "the prose still quotes the stored run's speed-ups"
