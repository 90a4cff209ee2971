"""Proyecto2's blessing check agrees with the Evaluator itself on the evaluations its notebook produced.

The notebook's first Evaluator runs without a baseline model (only the absolute bound counts) and its
second one (Evaluator_worse) with the first model as baseline (the change threshold counts too): the
check, which reads the metrics as TFMA wrote them and validates them with TFMA, says what each blessing says.
"""

import json

import pytest

from harness.repo import ROOT

pytestmark = pytest.mark.e2e

SCRIPT = ROOT / "tests" / "in_container" / "blessing_check.py"


def test_blessing_check_agrees_with_the_evaluator(stack, executed_notebooks):
    """For every Evaluator run: the real blessing is RIGHT, its opposite WRONG, and accuracy >= 1.01 never blesses."""
    assert "Proyecto2" in executed_notebooks
    stack.compose("cp", str(SCRIPT), f"proyecto2:/tmp/{SCRIPT.name}")
    # The Proyecto's package is imported from its work folder, as the notebook's kernel does.
    result = stack.compose("exec", "-T", "-e", "PYTHONPATH=/home/lab/work", "proyecto2", "python",
                           f"/tmp/{SCRIPT.name}", "/tfx/proyecto2-notebook/artifacts", timeout=300)
    runs = json.loads(result.stdout.strip().splitlines()[-1])
    assert any(name.startswith("Evaluator_worse/") for name in runs), runs
    for name, run in runs.items():
        verdicts = (run["same"], run["opposite"], run["unreachable_bound"])
        assert verdicts == ("correcto", "todavia_no", "correcto"), f"{name}: {run}"
    worse = [run for name, run in runs.items() if name.startswith("Evaluator_worse/")]
    assert any("modelo base" in run["message"] for run in worse), worse
