"""Every Proyecto notebook runs top to bottom in its container, through a real kernel, without errors."""

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
