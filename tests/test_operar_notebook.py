"""Proyecto2's Operar.ipynb puts serving under a bounded load and plots what Prometheus measured, without errors."""

import json

import pytest

pytestmark = pytest.mark.e2e


def test_operar_notebook_runs_and_plots(stack, headless_runs):
    """Every code cell of Operar.ipynb runs (load test over the lab network, PromQL range queries) and draws figures."""
    stack.exec("proyecto2", "jupyter", "nbconvert", "--to", "notebook", "--execute", "Operar.ipynb",
               "--output-dir", "/tmp/executed", "--allow-errors", "--ExecutePreprocessor.timeout=300", timeout=600)
    cells = json.loads(stack.exec("proyecto2", "cat", "/tmp/executed/Operar.ipynb").stdout)["cells"]
    outputs = [o for c in cells if c["cell_type"] == "code" for o in c["outputs"]]
    errors = [f"{o['ename']}: {o['evalue']}" for o in outputs if o["output_type"] == "error"]
    assert not errors, f"Operar.ipynb errors: {errors}"
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(figures) >= 2, f"Operar.ipynb drew {len(figures)} figures: expected the overview and one per replica"
    text = next("".join(o["data"]["text/plain"]) for c in cells if "load.summary()" in "".join(c["source"])
                for o in c["outputs"] if "text/plain" in o.get("data", {}))
    summary = {line.rsplit(None, 1)[0]: float(line.rsplit(None, 1)[1]) for line in text.splitlines()
               if line and not line.startswith("dtype")}
    assert summary["respuestas 200"] > 0 and summary["otras"] == 0, f"the load test's own count:\n{text}"
