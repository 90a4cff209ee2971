"""A notebook honours LAB_BEAM_MODE: with `portable`, its StatisticsGen runs on the Beam workers (profile escalado).

The notebook (tests/notebooks/beam_mode_statistics.ipynb) makes its InteractiveContext the way every Proyecto
notebook and the template do (lab_helpers.pipelines.interactive_context; tests/test_notebook_lessons.py checks
that they do), then runs CsvExampleGen and StatisticsGen over the penguins, in a pipeline of its own.
"""

import json

import pytest

from harness.repo import ROOT

pytestmark = pytest.mark.e2e

WORKERS = ["beam-worker-1", "beam-worker-2"]
NOTEBOOK = ROOT / "tests" / "notebooks" / "beam_mode_statistics.ipynb"
SERVICE = "proyecto1"


def bundles(stack, worker: str) -> list[str]:
    """The bundle lines of a worker's log (lab_scaleout.beam_worker logs one per bundle it processed)."""
    log = stack.compose("logs", "--no-color", "--no-log-prefix", worker).stdout
    return [line for line in log.splitlines() if " procesado: " in line]


@pytest.fixture(scope="module")
def portable_run(stack) -> dict:
    """The workers up, the notebook executed with LAB_BEAM_MODE=portable; its outputs and the workers' new bundles."""
    stack.compose("--profile", "escalado", "up", "-d", "--wait", *WORKERS, timeout=900)
    before = {worker: len(bundles(stack, worker)) for worker in WORKERS}
    stack.compose("cp", str(NOTEBOOK), f"{SERVICE}:/tmp/{NOTEBOOK.name}")
    stack.compose("exec", "-T", "-e", "LAB_BEAM_MODE=portable", SERVICE, "jupyter", "nbconvert", "--to", "notebook",
                  "--execute", f"/tmp/{NOTEBOOK.name}", "--output-dir", "/tmp/executed-beam-mode",
                  "--ExecutePreprocessor.timeout=900", timeout=1200)
    executed = json.loads(stack.exec(SERVICE, "cat", f"/tmp/executed-beam-mode/{NOTEBOOK.name}").stdout)
    text = "\n".join("".join(output.get("text", "")) for cell in executed["cells"] if cell["cell_type"] == "code"
                     for output in cell["outputs"])
    return {"text": text, "bundles": {worker: bundles(stack, worker)[before[worker]:] for worker in WORKERS}}


def test_the_notebooks_context_carries_the_portable_arguments(portable_run):
    """The InteractiveContext the notebook made has LAB_BEAM_MODE=portable's Beam arguments."""
    assert "--runner=PortableRunner" in portable_run["text"], portable_run["text"][-3000:]
    assert "--environment_type=EXTERNAL" in portable_run["text"], portable_run["text"][-3000:]


def test_statisticsgen_of_the_notebook_runs_on_the_workers(portable_run):
    """The workers logged bundles of the notebook's StatisticsGen (GenerateStatistics) with elements in them."""
    lines = [line for worker_lines in portable_run["bundles"].values() for line in worker_lines]
    statistics = [line for line in lines if "GenerateStatistics" in line]
    assert statistics, "no worker processed a GenerateStatistics bundle of the notebook:\n" + "\n".join(lines[-30:])
    assert any(" 0 elementos" not in line for line in statistics), "\n".join(statistics)
