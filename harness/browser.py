"""Drive a lab's JupyterLab in headless Chromium as a student does: log in, open, Run All, look at the result.

Debian's chromium (`apt-get install chromium`) through Playwright for Python: Playwright's own browser
download needs internet, which the lab does not assume.
"""

import html
import json
import os
import re
import shutil
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from harness import mlflow_rest
from harness.repo import ROOT

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1440, "height": 900}
ARTIFACTS = ROOT / "test-artifacts"

# The open notebook: Lumino hides the other dock panels with lm-mod-hidden.
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

# JupyterLab 4 renders an error output like stderr (data-mime-type application/vnd.jupyter.stderr, the
# same as TensorFlow's logs): what tells them apart is IPython's red traceback markup, the dashed header
# line and the exception name (e.g. ZeroDivisionError, SyntaxError) in .ansi-red-fg spans.
_NOTEBOOK_STATE_JS = """panel => {
  const root = document.querySelector(panel);
  if (!root) return null;
  const cells = [...root.querySelectorAll('.jp-CodeCell')];
  const indicator = root.querySelector('.jp-Notebook-ExecutionIndicator')
      || document.querySelector('.jp-Notebook-ExecutionIndicator');
  const isError = out => [...out.querySelectorAll('.ansi-red-fg')].some(
      s => /^-{20,}$|^[\\w.]*(Error|Exception|Exit|Interrupt)$/.test(s.textContent.trim()));
  const errors = [];
  cells.forEach((cell, i) => cell.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').forEach(out => {
    if (isError(out)) errors.push(`code cell ${i}: ` + out.innerText.trim().split('\\n').slice(-3).join(' | '));
  }));
  return {
    prompts: cells.map(c => (c.querySelector('.jp-InputArea-prompt')?.textContent || '').trim()),
    status: indicator ? indicator.dataset.status : null,
    errors,
  };
}"""

_SCROLL_TO_FIRST_ERROR_JS = """panel => {
  const error = [...document.querySelectorAll(panel + ' .ansi-red-fg')][0];
  if (error) error.closest('.jp-OutputArea-child').scrollIntoView({block: 'center'});
}"""

# The title of each state's Verdict box (lab_helpers.exercises.LOOK: mark and title).
VERDICT_TITLES = {"passed": "✔ Correcto.", "failed": "✘ Todavía no.", "pending": "✎ Pendiente."}

_VISUALIZATIONS_JS = """({panel, titles}) => {
  const root = document.querySelector(panel);
  const tables = [...root.querySelectorAll('.jp-RenderedHTMLCommon table')];
  const images = [...root.querySelectorAll('.jp-RenderedImage img')];
  const svgs = [...root.querySelectorAll('.jp-RenderedSVG svg, .jp-RenderedHTMLCommon svg')];
  return {
    tables: tables.length,
    tables_with_rows: tables.filter(t => t.querySelector('td')).length,
    blank_tables: tables.filter(t => !t.querySelector('th, td')).length,
    images: images.length,
    images_pending: images.filter(i => !i.complete).length,
    blank_images: images.filter(i => i.complete && !(i.naturalWidth > 0 && i.naturalHeight > 0)).length,
    svgs: svgs.length,
    // lab_helpers.exercises.Verdict boxes by state (their titles), and code shown with
    // lab_helpers.notebook.show_source (Pygments).
    verdicts: Object.fromEntries(Object.entries(titles).map(([state, title]) => [state,
        [...root.querySelectorAll('.jp-RenderedHTMLCommon b')].filter(b => b.textContent.trim() === title).length])),
    source_listings: root.querySelectorAll('.jp-RenderedHTMLCommon .highlight pre').length,
    // Off-screen cells skip layout (content-visibility), so an SVG is judged by what it draws, not its box.
    blank_svgs: svgs.filter(
        s => !s.querySelector('path, rect, circle, ellipse, line, polyline, polygon, text, image, use')).length,
  };
}"""


def chromium_path() -> str:
    """Debian's chromium binary; LAB_CHROMIUM overrides it."""
    path = os.environ.get("LAB_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise AssertionError(f"no chromium at {path}: `apt-get install chromium` (Debian's) or set LAB_CHROMIUM")
    return path


@contextmanager
def chromium() -> Iterator[Browser]:
    """Headless Chromium, closed afterwards."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class ConsoleLog:
    """Everything the page printed to its console, and its uncaught errors, in order."""

    def __init__(self, page: Page):
        self.lines: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.lines.append(f"[pageerror] {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        self.lines.append(f"[{message.type}] {message.text}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def evidence_folder(name: str, fresh: bool = False) -> Path:
    """test-artifacts/<name>/, for a test's screenshots and console log (CI keeps the folder); `fresh` empties it."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", name)
    if fresh:
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def evidence_on_failure(page: Page, console: ConsoleLog, name: str) -> Iterator[None]:
    """On any failure inside, keep a screenshot and the console log and name their folder in the error."""
    try:
        yield
    except BaseException as error:
        if isinstance(error, KeyboardInterrupt):
            raise
        folder = evidence_folder(name)
        try:
            page.evaluate(_SCROLL_TO_FIRST_ERROR_JS, PANEL)
            page.screenshot(path=folder / "failure.png", full_page=True)
        except Exception as screenshot_error:  # noqa: BLE001 - the console log is still worth keeping
            console.lines.append(f"[evidence] screenshot failed: {screenshot_error}")
        (folder / "console.log").write_text(console.text())
        raise AssertionError(f"{error}\nbrowser evidence (screenshot, console log): {folder}") from error


def log_in(page: Page, lab_url: str, token: str) -> None:
    """Open /lab without the token, check the login page, and log in through its form."""
    page.goto(lab_url)
    assert "/login" in page.url, f"{lab_url} without a token did not go to the login page but to {page.url}"
    field = page.locator("#password_input")
    assert field.is_visible(), "the login page has no password/token field"
    field.fill(token)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.locator("#jp-main-dock-panel").wait_for(timeout=60_000)
    assert "/login" not in page.url, f"logging in with the token failed: still at {page.url}"


def kernel_state(page: Page, notebook: str) -> str | None:
    """The server's execution state ('starting', 'idle', 'busy') of the notebook's kernel, None without one."""
    origin = re.match(r"https?://[^/]+", page.url).group(0)
    sessions = page.request.get(f"{origin}/api/sessions").json()
    return next((s["kernel"]["execution_state"] for s in sessions if s["path"].endswith(notebook)), None)


def shut_down_kernels(page: Page, token: str) -> None:
    """Shut down the lab's kernels (Kernel → Shut Down All Kernels), freeing their memory for what runs next."""
    origin = re.match(r"https?://[^/]+", page.url).group(0)
    auth = {"Authorization": f"token {token}"}  # token requests need no XSRF cookie
    for session in page.request.get(f"{origin}/api/sessions", headers=auth).json():
        page.request.delete(f"{origin}/api/sessions/{session['id']}", headers=auth)


def open_notebook(page: Page, name: str) -> None:
    """Double-click the notebook in the file browser and wait for its kernel (accepting a kernel dialog).

    The toolbar shows 'idle' before the kernel exists: the server's session list tells when it started.
    """
    item = page.locator(".jp-DirListing-item", has=page.locator(".jp-DirListing-itemText", has_text=name))
    item.first.wait_for(timeout=60_000)
    item.first.dblclick()
    page.locator(f"{PANEL} .jp-Cell").first.wait_for(timeout=60_000)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        dialog = page.locator(".jp-Dialog")
        if dialog.count() and "kernel" in dialog.inner_text().lower():
            dialog.locator(".jp-mod-accept").click()  # "Select" the proposed Python 3 kernel
        if kernel_state(page, name) == "idle" and notebook_state(page)["status"] == "idle":
            return
        time.sleep(0.5)
    raise AssertionError(f"the kernel of {name} did not start within 180 s: {kernel_state(page, name)}")


def run_all_cells(page: Page) -> None:
    """Run → Run All Cells, from the menu bar; once more if no cell was queued (kernel still connecting)."""
    for _ in range(2):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if any(p != "[ ]:" for p in notebook_state(page)["prompts"]):
                return
            time.sleep(0.5)
    raise AssertionError(f"Run All Cells queued no cell: {notebook_state(page)}")


def run_notebook_like_a_student(page: Page, lab_url: str, token: str, notebook: str, timeout: float) -> dict:
    """Log in, open the notebook from the file browser, Run All from the menu; return the final state."""
    log_in(page, lab_url, token)
    open_notebook(page, notebook)
    run_all_cells(page)
    return wait_until_executed(page, timeout=timeout)


def notebook_state(page: Page) -> dict | None:
    """The open notebook's code-cell prompts ('[3]:', '[*]:', '[ ]:'), kernel status and error outputs."""
    return page.evaluate(_NOTEBOOK_STATE_JS, PANEL)


def wait_until_executed(page: Page, timeout: float) -> dict:
    """Wait until the kernel is idle and no cell is queued; return the final state.

    Run All marks every cell [*] at once, so an idle kernel with no [*] left means the run is over, either
    complete or stopped at an error (the cells after it keep [ ]). Seen twice in a row, 2 s apart, to
    let the prompts of the last cell settle.
    """
    deadline = time.monotonic() + timeout
    settled = None
    state = None
    while time.monotonic() < deadline:
        state = notebook_state(page)
        over = state and state["status"] == "idle" and not any("*" in p for p in state["prompts"])
        if over and settled == state:
            return state
        settled = state if over else None
        time.sleep(2)
    raise AssertionError(f"the notebook was still running after {timeout:.0f} s: {state}")


def visualizations(page: Page, timeout: float = 30) -> dict:
    """Counts of the rendered tables, images and SVGs, and of the blank ones, once the images loaded."""
    deadline = time.monotonic() + timeout
    while True:
        found = page.evaluate(_VISUALIZATIONS_JS, {"panel": PANEL, "titles": VERDICT_TITLES})
        if not found["images_pending"] or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


# The first figure (of a cell without log lines on stderr, if any) with its bottom at the bottom of the
# window, so the code and text above it show too; a table's cell at the top when nothing is drawn.
_SCROLL_TO_FIRST_FIGURE_JS = """panel => {
  const root = document.querySelector(panel);
  const figures = [...root.querySelectorAll('.jp-RenderedImage img, .jp-RenderedSVG svg')];
  const quiet = figures.filter(f => !f.closest('.jp-Cell').querySelector('[data-mime-type$="stderr"]'));
  const figure = quiet[0] || figures[0];
  const target = figure || root.querySelector('.jp-RenderedHTMLCommon table')?.closest('.jp-Cell');
  if (!target) return null;
  target.scrollIntoView({block: figure ? 'end' : 'start'});
  return Math.round(target.getBoundingClientRect().top);
}"""


def save_notebook_screenshot(page: Page, path: Path) -> None:
    """Save the window as a student sees it, scrolled to the notebook's first figure (else its first table).

    Off-screen cells have estimated heights until drawn (content-visibility), so one scroll can land
    short: scroll again until the cell stays put.
    """
    top = None
    for _ in range(20):
        now = page.evaluate(_SCROLL_TO_FIRST_FIGURE_JS, PANEL)
        page.wait_for_timeout(300)
        if now == top:
            break
        top = now
    page.screenshot(path=path)


def terminal_html(title: str, rows: list[list[tuple[str, str | None, bool]]]) -> str:
    """A dark terminal window as an HTML page; rows are lists of (text, css color or None, bold) runs."""
    lines = []
    for row in rows:
        spans = []
        for text, color, bold in row:
            style = (f"color:{color};" if color else "") + ("font-weight:bold;" if bold else "")
            spans.append(f'<span style="{style}">{html.escape(text)}</span>' if style else html.escape(text))
        lines.append("".join(spans))
    return f"""<!doctype html><meta charset="utf-8">
<style>
  body {{ margin: 0; padding: 24px; background: #d9dde3; display: inline-block; }}
  .window {{ border-radius: 10px; overflow: hidden; box-shadow: 0 8px 30px rgba(0,0,0,.35);
             background: #1e1f29; display: inline-block; }}
  .bar {{ height: 34px; background: #3a3c4a; display: flex; align-items: center; padding: 0 14px; gap: 8px;
          font: 13px 'DejaVu Sans', sans-serif; color: #c8c8d0; }}
  .dot {{ width: 12px; height: 12px; border-radius: 50%; }}
  .title {{ flex: 1; text-align: center; margin-right: 60px; }}
  pre {{ margin: 0; padding: 14px 18px 18px; color: #e6e6e6;
         font: 13px/1.45 'DejaVu Sans Mono', 'Liberation Mono', monospace; }}
</style>
<div class="window">
  <div class="bar"><span class="dot" style="background:#ff5f56"></span><span class="dot" style="background:#ffbd2e">
  </span><span class="dot" style="background:#27c93f"></span><span class="title">{html.escape(title)}</span></div>
  <pre>{chr(10).join(lines)}</pre>
</div>"""


def screenshot_html(browser: Browser, page_html: str, path: Path) -> None:
    """Render an HTML page in Chromium and save a screenshot of its content."""
    page = browser.new_page(viewport={"width": 400, "height": 200}, device_scale_factor=1)
    try:
        page.set_content(page_html)
        page.locator("body").screenshot(path=path)
    finally:
        page.close()


def open_mlflow(page: Page, mlflow_url: str) -> None:
    """Open the MLflow UI's experiment list as the course uses it: the *Model training* view, the assistant closed."""
    page.goto(f"{mlflow_url}/#/experiments")
    page.get_by_role("button", name="Model training", exact=True).click()
    close_assistant = page.get_by_role("button", name="Close", exact=True)
    if close_assistant.count():
        close_assistant.first.click()
    page.get_by_role("link", name="Default", exact=True).wait_for(timeout=60_000)


def save_mlflow_screenshot(page: Page, mlflow_url: str, path: Path, experiment: str = "proyecto2") -> None:
    """Save the MLflow UI as a student sees it: the experiment's runs compared side by side, else the experiment list.

    The comparison (/#/compare-runs) plots each run's training config against its loss, then lists their
    params, metrics and tags in columns.
    """
    open_mlflow(page, mlflow_url)
    status, answer = mlflow_rest.call(mlflow_url, "experiments/get-by-name", experiment_name=experiment)
    runs = mlflow_rest.runs(mlflow_url, experiment) if status == 200 else []
    if runs:
        query = urllib.parse.urlencode({"runs": json.dumps([r["info"]["run_id"] for r in runs]),
                                        "experiments": json.dumps([answer["experiment"]["experiment_id"]])})
        page.goto(f"{mlflow_url}/#/compare-runs?{query}")
        page.get_by_text(f"Comparing {len(runs)} Runs").wait_for(timeout=60_000)
        page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1000)  # the plot's lines are drawn after its frame
    page.screenshot(path=path)
