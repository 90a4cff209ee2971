"""The session's lab stack: built and started once under a unique project name, always torn down."""

import contextlib
import json
import os
import secrets
import shutil
import time
import uuid
from pathlib import Path

import pytest

from harness.compose import Stack, docker_available, resolved_config
from harness.repo import ROOT, proyectos, service_of

# Run in a lab container: a Proyecto's pipeline with Beam's INFO logs on, its Beam args, a probe of Prism.
BEAM_PROBE = ROOT / "tests" / "in_container" / "beam_probe.py"

# Wall-clock seconds of the slow steps, reported at the end of the run.
TIMINGS: dict[str, float] = {}
# Tables a test prints for the reader of the CI log (e.g. Proyecto3's history of decisions), by title.
REPORTS: dict[str, str] = {}
# What every test lab sets apart from a student's: Proyecto3's DAG runs only when a test (or the notebook
# it executes) triggers it, never on its own schedule in the middle of other tests.
TEST_LAB_ENVIRONMENT = {"PROYECTO3_SCHEDULE_MINUTES": "0"}
# The session-scoped fixtures built on the session's lab: a test that uses any of them needs that lab.
SESSION_LAB_FIXTURES = {"stack", "executed_notebooks", "headless_runs"}
SESSION_LAB_GROUP = "session-lab"
# A lab of Proyecto2's pipeline for the tests that stop a service under it (mlflow, postgres): one group, one lab.
PROYECTO2_LAB_FIXTURE = "proyecto2_lab"
# This process's lane under xdist: when it started and the groups it ran, to show which lane CI waits for.
LANE = {"started": time.monotonic(), "groups": set()}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Two lanes under pytest-xdist (-n 2 --dist loadgroup, pyproject.toml): every test on the session's lab in one
    worker, so the lab is built, started and its notebooks run once; each module that starts a lab of its own is a
    group, so its module-scoped lab stays in one worker. xdist hands out the group with most tests first (the
    session's lab, the longest lane) and gives that worker nothing more while it has work, so the other worker
    takes the other labs and the static tests meanwhile. It runs first: xdist's own hook turns these marks into the
    `@group` suffix of each node id that loadgroup schedules by, and ignores marks added after it."""
    for item in items:
        if SESSION_LAB_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.xdist_group(SESSION_LAB_GROUP))
        elif PROYECTO2_LAB_FIXTURE in item.fixturenames:
            item.add_marker(pytest.mark.xdist_group(PROYECTO2_LAB_FIXTURE))
        elif item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))


def pytest_collection_finish(session):
    """In an xdist worker: fail the run if loadgroup did not take the groups (both lanes would then build the
    session's lab at once, and tests that share a lab's state would run in different labs)."""
    if not (hasattr(session.config, "workerinput") and session.config.getvalue("loadgroup")):
        return
    ungrouped = [item.nodeid for item in session.items
                 if item.get_closest_marker("xdist_group") and "@" not in item.nodeid]
    if ungrouped:
        raise pytest.UsageError(f"pytest-xdist's loadgroup ignored the lanes' groups ({len(ungrouped)} tests, e.g. "
                                f"{ungrouped[0]}): see the pytest pin in pyproject.toml")


def pytest_runtest_logstart(nodeid, location):
    """Note the test's group (the `@group` suffix loadgroup gave its node id; `static` for the ungrouped)."""
    LANE["groups"].add(nodeid.rpartition("@")[2] if "@" in nodeid else "static")


def pytest_sessionfinish(session):
    """In an xdist worker: hand the timings, its lane's among them, to the controller, which prints them."""
    if hasattr(session.config, "workeroutput"):
        worker = session.config.workerinput["workerid"]
        TIMINGS[f"lane {worker} ({', '.join(sorted(LANE['groups']))})"] = time.monotonic() - LANE["started"]
        session.config.workeroutput["lab_timings"] = json.dumps(TIMINGS)
        session.config.workeroutput["lab_reports"] = json.dumps(REPORTS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """In the xdist controller: collect a finished worker's timings."""
    TIMINGS.update(json.loads(getattr(node, "workeroutput", {}).get("lab_timings", "{}")))
    REPORTS.update(json.loads(getattr(node, "workeroutput", {}).get("lab_reports", "{}")))


def pytest_terminal_summary(terminalreporter):
    """Print how long the stack took to come up and each notebook to run."""
    if TIMINGS:
        terminalreporter.section("lab timings")
        for step, seconds in TIMINGS.items():
            terminalreporter.write_line(f"{step}: {seconds:.1f} s")
    for title, table in REPORTS.items():
        terminalreporter.section(title)
        terminalreporter.write_line(table)


def require_docker() -> None:
    """Fail (in CI) or skip (elsewhere) the test when no Docker engine with Compose answers."""
    if not docker_available():
        message = "Docker Engine with Compose is not available"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; in CI the end-to-end tests must run, not skip")
        pytest.skip(message)


def new_stack(prefix: str = "tfxlab-test", root: Path = ROOT) -> Stack:
    """A stack object with a unique project name and token, for the repository at `root`."""
    require_docker()
    return Stack(project=f"{prefix}-{uuid.uuid4().hex[:8]}", token=secrets.token_hex(24), root=root,
                 env=dict(TEST_LAB_ENVIRONMENT))


@contextlib.contextmanager
def started_stack(prefix: str, timing: str, services: tuple[str, ...] = ()):
    """A new lab, `up --build -d --wait` of `services` (all if none; its time reported as `timing`); always `down -v`
    and its images removed."""
    lab = new_stack(prefix)
    try:
        started = time.monotonic()
        lab.up(*services)
        TIMINGS[timing] = time.monotonic() - started
        yield lab
    finally:
        lab.down(volumes=True, remove_images=True)


@pytest.fixture(scope="session")
def stack():
    """The whole lab, up once for the session and torn down afterwards."""
    with started_stack("tfxlab-test", "stack up --build --wait") as lab:
        yield lab


@pytest.fixture(scope="session")
def proyecto2_lab():
    """proyecto2, serving (through serving-lb, which publishes SERVING_PORT) and mlflow, with postgres: a lab for the
    tests that run Proyecto2's pipeline while they stop a service, so the session lab's volumes keep exactly what its
    notebooks pushed. Its tests share one xdist group (pytest_collection_modifyitems), so it is started once."""
    services = ("proyecto2", "serving-lb", "mlflow")
    with started_stack("tfxlab-proyecto2", "proyecto2 lab up --build --wait", services) as lab:
        yield lab


@pytest.fixture
def fresh_stack():
    """A second, short-lived lab for tests that stop and restart it."""
    lab = new_stack("tfxlab-fresh")
    try:
        yield lab
    finally:
        lab.down(volumes=True, remove_images=True)


@pytest.fixture(scope="session")
def executed_notebooks(stack) -> dict:
    """Each Proyecto's notebook, executed once in its own container with nbconvert; by Proyecto name."""
    results = {}
    for proyecto in proyectos():
        service = service_of(proyecto)
        started = time.monotonic()
        stack.exec(service, "jupyter", "nbconvert", "--to", "notebook", "--execute", f"{proyecto}.ipynb",
                   "--output-dir", "/tmp/executed", "--allow-errors", "--ExecutePreprocessor.timeout=1800",
                   timeout=2400)
        TIMINGS[f"{proyecto}.ipynb executed"] = time.monotonic() - started
        results[proyecto] = json.loads(stack.exec(service, "cat", f"/tmp/executed/{proyecto}.ipynb").stdout)
    return results


@pytest.fixture(scope="session")
def headless_runs(stack) -> dict[str, str]:
    """Each Proyecto's pipeline run headless once (`python -m proyecton.pipeline`); its output, by Proyecto name.

    Beam's INFO logs are on (tests/in_container/beam_probe.py): Python shows only WARNING and up by default,
    and Beam says it is trying its Prism runner at INFO.
    """
    logs = {}
    for proyecto in proyectos():
        service = service_of(proyecto)
        started = time.monotonic()
        stack.compose("cp", str(BEAM_PROBE), f"{service}:/tmp/beam_probe.py")
        run = stack.exec(service, "python", "/tmp/beam_probe.py", "headless", f"{service}.pipeline", timeout=1800)
        TIMINGS[f"{service}.pipeline run headless"] = time.monotonic() - started
        logs[proyecto] = run.stdout + run.stderr
    return logs


def resolve_compose(variables: dict[str, str] | None = None, profiles: tuple[str, ...] = ()) -> dict:
    """docker-compose.yaml as Compose itself resolves it with no .env, only `variables` set, `profiles` on."""
    if not shutil.which("docker"):
        if os.environ.get("CI") == "true":
            pytest.fail("the docker CLI is missing in CI")
        pytest.skip("the docker CLI is not installed")
    return resolved_config(variables, profiles=profiles)


@pytest.fixture(scope="session")
def compose_config() -> dict:
    """docker-compose.yaml as Compose itself resolves it with no .env and none of its variables set."""
    return resolve_compose()
