"""CI cannot go green with the end-to-end tests skipped: .ci/run sets CI=true, and then a dead engine fails them."""

import os
import re
import subprocess
import sys

from harness.repo import ROOT

CI_SCRIPT = ROOT / ".ci" / "run"


def run_e2e_without_docker(tmp_path, ci: bool) -> subprocess.CompletedProcess:
    """The e2e tests with a `docker` that answers nothing (a dead engine) first on PATH."""
    fake = tmp_path / "bin"
    fake.mkdir(exist_ok=True)
    (fake / "docker").write_text("#!/bin/sh\necho 'Cannot connect to the Docker daemon' >&2\nexit 1\n")
    (fake / "docker").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {"PATH": f"{fake}{os.pathsep}{os.environ['PATH']}"}
    if ci:
        env["CI"] = "true"
    return subprocess.run([sys.executable, "-m", "pytest", "-m", "e2e", "-q", "-p", "no:cacheprovider", "-o",
                           "addopts=", str(ROOT / "tests")], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)


def summary(result: subprocess.CompletedProcess) -> dict[str, int]:
    """pytest's last line as counts, e.g. {'failed': 3, 'error': 80}."""
    last = result.stdout.strip().splitlines()[-1]
    return {word.rstrip("s"): int(n) for n, word in re.findall(r"(\d+) (\w+)", last)}


def test_ci_script_sets_ci_before_the_tests():
    """.ci/run exports CI=true before it runs the suite."""
    lines = [line.strip() for line in CI_SCRIPT.read_text().splitlines()]
    assert "export CI=true" in lines, f"{CI_SCRIPT} does not export CI=true"
    assert lines.index("export CI=true") < max(i for i, line in enumerate(lines) if "pytest" in line), lines


def test_dead_engine_fails_every_e2e_test_under_ci(tmp_path):
    """With CI=true and no Docker engine, no e2e test skips: those that need it fail and pytest exits non-zero.
    Without CI they skip (so it is CI=true that makes the difference)."""
    under_ci = run_e2e_without_docker(tmp_path, ci=True)
    counts = summary(under_ci)
    assert under_ci.returncode != 0, under_ci.stdout[-3000:]
    assert not counts.get("skipped"), f"e2e tests skipped under CI: {counts}\n{under_ci.stdout[-3000:]}"
    assert counts.get("failed", 0) + counts.get("error", 0) > counts.get("passed", 0), counts
    locally = summary(run_e2e_without_docker(tmp_path, ci=False))
    assert locally.get("skipped", 0) > locally.get("passed", 0) and not locally.get("failed"), locally
