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
    then the sections bench/serving_load.py and bench/idle_stack.py write."""
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


def test_sections_other_scripts_measure_survive_a_rerender(report, stored, tmp_path):
    """bench/serving_load.py and bench/idle_stack.py write their own sections; report.py keeps both, in order,
    and a second write of a section replaces it instead of adding another."""
    page = tmp_path / "benchmarks.md"
    page.write_text(report.render(stored))
    report.write_section("idle-stack", "## At rest\nIDLE-ONE", page)
    report.write_section("idle-stack", "## At rest\nIDLE-TWO", page)
    report.write_section("serving-load", "## Serving\nload", page)
    rendered = report.page(stored, page)
    assert rendered.count("## At rest") == 1 and "IDLE-TWO" in rendered and "IDLE-ONE" not in rendered, rendered[-400:]
    assert rendered.index("## Serving") < rendered.index("## At rest"), "kept sections out of the page's order"
