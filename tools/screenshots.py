"""Regenerate the README screenshots of every Proyecto (images/dockerCompose.png and images/notebook.png)
and of the MLflow UI (services/mlflow/images/mlflow.png).

    docker compose down -v                  # the run starts where a new student starts
    uv run python tools/screenshots.py

It does what a new student does on this machine (compose project tfx-lab, ports and token from .env):
runs `docker compose up --build -d` in a terminal and renders the terminal as the command leaves it;
then, in headless Chromium (Debian's `chromium`), logs in to each lab with its token, opens the
notebook from the file browser, runs all cells and saves a screenshot at the first figure; then opens
the MLflow UI on the runs the notebooks logged. It stops if a notebook shows an error, and ends with
`docker compose down -v`. Needs Linux or macOS (a pty).
"""

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pyte

from harness import browser
from harness.compose import wait_until
from harness.repo import ROOT, proyectos, service_of

PROJECT = "tfx-lab"  # the `name:` of docker-compose.yaml: what a student's compose uses
COMMAND = ["docker", "compose", "up", "--build", "-d"]
COLUMNS, ROWS = 110, 200
NOTEBOOK_TIMEOUT = 1800

# pyte's names for the 8 ANSI colors, drawn with a terminal palette readable on a dark background.
PALETTE = {"black": "#6c6c7a", "red": "#ff6e6e", "green": "#5af78e", "brown": "#f4f99d", "yellow": "#f4f99d",
           "blue": "#6cb6ff", "magenta": "#ff92d0", "cyan": "#9aedfe", "white": "#f1f1f0"}
# Only this machine prints it (Compose without the buildx plugin); a student's Docker Desktop does not.
NOT_A_STUDENTS_LINE = re.compile(r"configured to build using Bake, but buildx isn't installed")
# BuildKit's detail lines (its own loading of Dockerfiles and contexts, exporting, image digests): left out
# so the image shows the build steps and what compose created, with a line saying how many were left out.
BUILDKIT_DETAIL = re.compile(r"^ => => |^ => \[[\w-]+ internal\] ")


def compose(*args: str, timeout: float = 600) -> str:
    """Run `docker compose <args>` in the repository, as a student does; return stdout."""
    result = subprocess.run(["docker", "compose", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if result.returncode:
        sys.exit(f"`docker compose {' '.join(args)}` failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def require_fresh_lab() -> None:
    """Stop unless the lab has no containers and no volumes, the state of a new student's machine."""
    containers = compose("ps", "-a", "-q").split()
    label = f"label=com.docker.compose.project={PROJECT}"
    volumes = subprocess.run(["docker", "volume", "ls", "-q", "--filter", label],
                             capture_output=True, text=True).stdout.split()
    if containers or volumes:
        sys.exit(f"the {PROJECT} lab exists ({len(containers)} containers, {len(volumes)} volumes): the screenshots "
                 "show a new student's first run, so stop and reset it first with `docker compose down -v` "
                 "(it deletes the lab's volumes: save your work)")


def run_in_terminal(command: list[str]) -> pyte.Screen:
    """Run `command` in a pseudo-terminal of COLUMNS x ROWS and return the screen as it leaves it."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(ROWS)}
    process = subprocess.Popen(command, cwd=ROOT, stdin=slave, stdout=slave, stderr=slave, env=env,
                               start_new_session=True)
    os.close(slave)
    screen = pyte.Screen(COLUMNS, ROWS)
    stream = pyte.ByteStream(screen)
    while True:
        ready, _, _ = select.select([master], [], [], 1)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # the command closed the terminal
                break
            if not data:
                break
            stream.feed(data)
        elif process.poll() is not None:
            break
    os.close(master)
    if process.wait():
        sys.exit(f"`{' '.join(command)}` exited {process.returncode}:\n" + "\n".join(screen.display).rstrip())
    return screen


def screen_rows(screen: pyte.Screen) -> list[list[tuple[str, str | None, bool]]]:
    """The screen's non-empty lines as (text, color, bold) runs, without lines a student would not see.

    BuildKit's detail lines are left out and a dim line after the "[+] Building" one counts them.
    """
    rows = []
    left_out = 0
    for y in range(screen.lines):
        line = screen.buffer[y]
        text = "".join(line[x].data for x in range(screen.columns)).rstrip()
        if not text or NOT_A_STUDENTS_LINE.search(text):
            continue
        if BUILDKIT_DETAIL.search(text):
            left_out += 1
            continue
        runs: list[tuple[str, str | None, bool]] = []
        for x in range(len(text)):
            char = line[x]
            color = PALETTE.get(char.fg) or (f"#{char.fg}" if re.fullmatch(r"[0-9a-fA-F]{6}", char.fg) else None)
            if runs and runs[-1][1:] == (color, char.bold):
                runs[-1] = (runs[-1][0] + char.data, color, char.bold)
            else:
                runs.append((char.data, color, char.bold))
        rows.append(runs)
    building = next((i for i, row in enumerate(rows) if row[0][0].startswith("[+] Building")), None)
    if left_out and building is not None:
        note = f" … {left_out} líneas de detalle de BuildKit (carga de Dockerfiles y contextos, exportación) omitidas"
        rows.insert(building + 1, [(note, PALETTE["black"], False)])
    return rows


def lab_address(service: str) -> tuple[str, str]:
    """The lab's URL and token, read the README's way: `docker compose exec <lab> lab-url`."""
    url = wait_until(lambda: compose("exec", "-T", service, "lab-url").strip(), timeout=120,
                     what=f"{service} to print its URL")
    lab_url, token = url.split("?token=")
    return lab_url, token


def notebook_screenshot(chromium, proyecto: str) -> Path:
    """Run the Proyecto's notebook in the browser like a student and save the screenshot in its images/."""
    service = service_of(proyecto)
    wait_until(lambda: '"Health":"healthy"' in compose("ps", "--format", "json", service).replace(" ", ""),
               timeout=300, what=f"{service} to be healthy")
    page = chromium.new_page(viewport=browser.VIEWPORT)
    console = browser.ConsoleLog(page)
    try:
        with browser.evidence_on_failure(page, console, f"screenshots-{proyecto}"):
            lab_url, token = lab_address(service)
            state = browser.run_notebook_like_a_student(page, lab_url, token, f"{proyecto}.ipynb",
                                                        timeout=NOTEBOOK_TIMEOUT)
            not_run = [p for p in state["prompts"] if not any(c.isdigit() for c in p)]
            assert not state["errors"] and not not_run, f"{proyecto}.ipynb did not run cleanly: {state}"
            path = ROOT / "Proyectos" / proyecto / "images" / "notebook.png"
            browser.save_notebook_screenshot(page, path)
            browser.shut_down_kernels(page, token)
            return path
    finally:
        page.close()


def mlflow_screenshot(chromium) -> Path:
    """The MLflow UI at its published port, on the runs the notebooks logged: services/mlflow/images/mlflow.png."""
    url = f"http://{compose('port', 'mlflow', '5000').strip()}"
    page = chromium.new_page(viewport=browser.VIEWPORT)
    console = browser.ConsoleLog(page)
    try:
        with browser.evidence_on_failure(page, console, "screenshots-mlflow"):
            path = ROOT / "services" / "mlflow" / "images" / "mlflow.png"
            path.parent.mkdir(exist_ok=True)
            browser.save_mlflow_screenshot(page, url, path)
            return path
    finally:
        page.close()


def main() -> None:
    require_fresh_lab()
    try:
        started = time.monotonic()
        screen = run_in_terminal(COMMAND)
        print(f"{' '.join(COMMAND)}: {time.monotonic() - started:.0f} s")
        rows = [[("$ ", PALETTE["green"], True), (" ".join(COMMAND), None, False)], *screen_rows(screen)]
        with browser.chromium() as chromium:
            page_html = browser.terminal_html("tfx-lab — bash", rows)
            for proyecto in proyectos():
                path = ROOT / "Proyectos" / proyecto / "images" / "dockerCompose.png"
                browser.screenshot_html(chromium, page_html, path)
                print(f"saved {path.relative_to(ROOT)}")
            for proyecto in proyectos():
                started = time.monotonic()
                path = notebook_screenshot(chromium, proyecto)
                print(f"saved {path.relative_to(ROOT)} (Run All: {time.monotonic() - started:.0f} s)")
            path = mlflow_screenshot(chromium)
            print(f"saved {path.relative_to(ROOT)}")
    finally:
        compose("down", "-v", timeout=300)


if __name__ == "__main__":
    main()
