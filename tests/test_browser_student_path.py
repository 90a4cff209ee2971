"""A student's path through each lab in headless Chromium: login page, token, notebook, Run All, results.

Each notebook runs once in the browser, in a fresh lab of this module's own, as a new student's. The
JupyterLab screenshot of the executed notebook is kept in test-artifacts/<test>/notebook.png;
`uv run python tools/screenshots.py` regenerates the README's. On failure the same folder keeps a
screenshot and the browser console log.
"""

import json
import time

import pytest

from conftest import TIMINGS, started_stack
from harness import browser
from harness.repo import ROOT, proyectos, service_of

pytestmark = pytest.mark.e2e

# The services the notebooks reach, with their dependencies: Proyecto2's logs to MLflow and asks serving;
# Proyecto3's collects from the data API, triggers its DAG (Airflow's API server, scheduler, DAG processor and
# its Celery worker; no triggerer: the DAG defers nothing) and reads the DAG's decisions back from MLflow.
AIRFLOW_FOR_PROYECTO3 = ("airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-worker-proyecto3")
BROWSER_LAB = (*[service_of(p) for p in proyectos()], "mlflow", "serving", "data-api", *AIRFLOW_FOR_PROYECTO3)
# Run All of a notebook that trains and evaluates models takes minutes on 2 cores.
NOTEBOOK_TIMEOUT = 1800


@pytest.fixture(scope="module")
def fresh_lab():
    """A lab of this module's own, fresh as a new student's, so the session stack's volumes stay as its tests expect.
    It starts what the notebooks talk to (the labs, MLflow, serving, the data API, and the Airflow services that run
    Proyecto3's DAG) and nothing else (the triggerer, Prometheus, Locust), whose idle services would only take CPU
    from the browser on a 2-core machine; the README's own command is tested with everything."""
    with started_stack("tfxlab-browser", "browser lab up --build --wait", BROWSER_LAB) as lab:
        yield lab


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium for the module's tests."""
    with browser.chromium() as instance:
        yield instance


@pytest.mark.parametrize("proyecto", proyectos())
def test_student_runs_the_notebook_in_the_browser(fresh_lab, chromium, proyecto, request):
    """Every code cell runs from Run All without an error output, its tables and figures render, and every
    exercise shows as pending (the student has not answered yet)."""
    browser.evidence_folder(request.node.name, fresh=True)
    page = chromium.new_page(viewport=browser.VIEWPORT)
    console = browser.ConsoleLog(page)
    try:
        with browser.evidence_on_failure(page, console, request.node.name):
            started = time.monotonic()
            lab_url = fresh_lab.url(service_of(proyecto), "/lab")
            state = browser.run_notebook_like_a_student(page, lab_url, fresh_lab.token, f"{proyecto}.ipynb",
                                                        timeout=NOTEBOOK_TIMEOUT)
            TIMINGS[f"{proyecto}.ipynb Run All in the browser"] = time.monotonic() - started

            cells = json.loads((ROOT / "Proyectos" / proyecto / f"{proyecto}.ipynb").read_text())["cells"]
            code_cells = sum(cell["cell_type"] == "code" for cell in cells)
            assert len(state["prompts"]) == code_cells, (
                f"JupyterLab shows {len(state['prompts'])} code cells of {proyecto}.ipynb's {code_cells}")
            assert not state["errors"], f"{proyecto}.ipynb shows error outputs: {state['errors']}"
            not_run = [i for i, prompt in enumerate(state["prompts"]) if not any(c.isdigit() for c in prompt)]
            assert not not_run, f"{proyecto}.ipynb: code cells {not_run} have no execution count: {state['prompts']}"

            shown = browser.visualizations(page)
            assert shown["tables_with_rows"], f"{proyecto}.ipynb shows no table with rows: {shown}"
            assert shown["images"], f"{proyecto}.ipynb shows no figure: {shown}"
            blank = {k: v for k, v in shown.items() if k.startswith(("blank_", "images_pending")) and v}
            assert not blank, f"{proyecto}.ipynb shows blank visualizations: {shown}"
            sources = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
            exercises = sum("exercises." in source for source in sources)
            listings = sum("show_source(" in source for source in sources)
            # As shipped, every exercise waits for the student: each check shows a pending box, none a verdict.
            assert shown["verdicts"] == {"passed": 0, "failed": 0, "pending": exercises}, (
                f"{proyecto}.ipynb as shipped: {exercises} exercises should all show pending: {shown['verdicts']}")
            assert shown["source_listings"] >= listings, f"{proyecto}.ipynb: {listings} code listings: {shown}"

            screenshot = browser.evidence_folder(request.node.name) / "notebook.png"
            browser.save_notebook_screenshot(page, screenshot)
            assert screenshot.stat().st_size > 10_000, f"the notebook screenshot {screenshot} is nearly empty"
    finally:
        if page.url.startswith("http"):
            browser.shut_down_kernels(page, fresh_lab.token)
        page.close()


def test_mlflow_ui_loads_in_the_browser(fresh_lab, chromium, request):
    """The MLflow UI opens at its published 127.0.0.1 port and lists the experiments, without a page error.

    Its screenshot (the notebook's runs compared, once the notebook logged them) is kept in
    test-artifacts/<test>/mlflow.png; `uv run python tools/screenshots.py` regenerates the README's.
    """
    folder = browser.evidence_folder(request.node.name, fresh=True)
    page = chromium.new_page(viewport=browser.VIEWPORT)
    console = browser.ConsoleLog(page)
    try:
        with browser.evidence_on_failure(page, console, request.node.name):
            url = fresh_lab.url("mlflow", "")
            browser.save_mlflow_screenshot(page, url, folder / "mlflow.png")
            browser.open_mlflow(page, url)
            assert page.title().endswith("MLflow"), page.title()
            errors = [line for line in console.lines if line.startswith("[pageerror]")]
            assert not errors, f"the MLflow UI raised errors: {errors}"
            assert (folder / "mlflow.png").stat().st_size > 10_000, "the MLflow screenshot is nearly empty"
    finally:
        page.close()
