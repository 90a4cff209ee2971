"""The README's one-line headless Locust run writes its CSV and HTML report into the repository's informes-carga/,
and says in Spanish how to fix a folder the container cannot write to."""

import re
import shlex

import pytest

from harness.repo import ROOT

pytestmark = pytest.mark.e2e

REPORTS = ROOT / "informes-carga"
README_LINE = re.search(r"^\s*docker compose run --rm locust (--headless .*)$", (ROOT / "README.md").read_text(), re.M)
# The README's run, bounded for CI: 2 users for 3 s instead of its 50 for a minute.
BOUNDS = {"-u": "2", "-r": "2", "-t": "3s"}


def bounded_arguments() -> list[str]:
    assert README_LINE, "the README has no one-line headless Locust run"
    arguments = shlex.split(README_LINE.group(1))
    for flag, value in BOUNDS.items():
        assert flag in arguments, f"the README's Locust line has no {flag}: {arguments}"
        arguments[arguments.index(flag) + 1] = value
    return arguments


@pytest.fixture
def report_folder():
    """informes-carga/ as shipped (only its .gitignore), its mode restored and the reports removed afterwards."""
    assert (REPORTS / ".gitignore").is_file(), "informes-carga/ is not shipped: Docker would create it as root"
    mode = REPORTS.stat().st_mode & 0o777
    try:
        yield REPORTS
    finally:
        REPORTS.chmod(mode)
        for written in REPORTS.glob("carga*"):
            written.unlink()


def run_readme_line(stack):
    # --no-deps: the stack is up; `run` must not recreate serving or its balancer.
    return stack.compose("run", "--rm", "-T", "--quiet-build", "--no-deps", "locust", *bounded_arguments(),
                         check=False, timeout=600)


def test_unwritable_folder_is_refused_before_the_test_with_the_fix(stack, report_folder):
    """A folder the container's user cannot write to: exit 1 at once, the Spanish message says the chmod."""
    report_folder.chmod(0o555)
    run = run_readme_line(stack)
    assert run.returncode == 1, f"locust exited {run.returncode}:\n{run.stderr[-2000:]}"
    assert "chmod a+w informes-carga" in run.stderr, run.stderr[-2000:]
    assert not list(report_folder.glob("carga*")), "a report was written into a read-only folder"


def test_readme_line_writes_the_csv_and_html_report(stack, report_folder):
    """After the fix the message gives, the README's line leaves Locust's CSV files and HTML report in the folder."""
    report_folder.chmod(0o777)
    run = run_readme_line(stack)
    assert run.returncode == 0, f"locust exited {run.returncode}:\n{run.stderr[-4000:]}"
    written = sorted(p.name for p in report_folder.glob("carga*"))
    for expected in ("carga_stats.csv", "carga_failures.csv", "carga_stats_history.csv", "carga.html"):
        assert expected in written, f"{expected} not in informes-carga/: {written}"
    assert "/predict" in (report_folder / "carga_stats.csv").read_text(), "the CSV has no /predict row"
