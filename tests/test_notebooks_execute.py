"""Every Proyecto notebook runs top to bottom in its container, through a real kernel, without errors."""

import re

import pytest

from harness.repo import proyectos

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("proyecto", proyectos())
def test_notebook_executes_without_errors(executed_notebooks, proyecto):
    """Every code cell ran and none produced an error output."""
    notebook = executed_notebooks[proyecto]
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert code, f"{proyecto}.ipynb has no code cells"
    not_run = [i for i, c in enumerate(code) if c.get("execution_count") is None]
    assert not not_run, f"{proyecto}: code cells {not_run} did not run"
    errors = [f"cell {i}: {o['ename']}: {o['evalue']}" for i, c in enumerate(code)
              for o in c["outputs"] if o["output_type"] == "error"]
    assert not errors, f"{proyecto} notebook errors: {errors}"


@pytest.mark.parametrize("proyecto", proyectos())
def test_notebook_shows_tables_and_figures(executed_notebooks, proyecto):
    """The notebook's visualizations rendered as offline HTML tables and PNG figures."""
    outputs = [o for c in executed_notebooks[proyecto]["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("<table" in "".join(h) for h in html), f"{proyecto}: no HTML table in the outputs"
    assert any("image/png" in o.get("data", {}) for o in outputs), f"{proyecto}: no figure in the outputs"
    assert not any("<script src=\"http" in "".join(h) for h in html), f"{proyecto}: an output loads scripts online"


@pytest.mark.parametrize("proyecto", proyectos())
def test_every_exercise_waits_for_the_student(executed_notebooks, proyecto):
    """As shipped, each exercise check's output is a pending verdict box: none right, none wrong."""
    code = [c for c in executed_notebooks[proyecto]["cells"] if c["cell_type"] == "code"]
    checks = [c for c in code if "exercises." in "".join(c["source"])]
    shown = ["".join(o["data"].get("text/html", "")) for c in checks for o in c["outputs"] if "data" in o]
    states = [re.search(r"lab-verdict-(\w+)", html).group(1) for html in shown if "lab-verdict-" in html]
    assert checks and states == ["pendiente"] * len(checks), f"{proyecto}: exercise verdicts {states} of {len(checks)}"
