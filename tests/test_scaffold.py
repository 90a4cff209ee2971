"""tools/new_proyecto.py makes a Proyecto that passes the static checks, builds, starts, runs and tests.

It works on a copy of the repository, which it changes as a teacher's checkout
would be changed; the lab's own files are never touched.
"""

import json
import os
import subprocess
import sys
import time

import pytest

from conftest import TIMINGS, new_stack, require_docker
from harness.repo import copy_repo

NAME, TITLE = "Proyecto9", "Proyecto de prueba del andamio"


def scaffold(folder, *args: str) -> subprocess.CompletedProcess:
    """Run the copy's tools/new_proyecto.py with the copy's own harness."""
    return subprocess.run([sys.executable, str(folder / "tools" / "new_proyecto.py"), *args], cwd=folder,
                          env={**os.environ, "PYTHONPATH": str(folder)}, capture_output=True, text=True, timeout=600)


def snapshot(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".git" not in p.parts and "__pycache__" not in p.parts}


@pytest.fixture
def repo(tmp_path):
    return copy_repo(tmp_path / "tfx-lab")


@pytest.mark.parametrize(("name", "title", "says"), [
    ("proyecto9", TITLE, "tiene que ser «Proyecto» seguido de un número"),
    ("Proyecto09", TITLE, "sin espacios ni ceros delante"),
    ("Proyecto 9", TITLE, "sin espacios"),
    ("Proyecto1", TITLE, "Proyecto1 ya existe"),
    (NAME, "  ", "Falta el título"),
])
def test_bad_or_taken_name_is_refused_and_nothing_is_written(repo, name, title, says):
    """A name that is not ProyectoN, a taken one or an empty title: a Spanish message, exit 1, no file changed."""
    before = snapshot(repo)
    result = scaffold(repo, name, title)
    assert result.returncode == 1 and says in result.stderr, result.stderr
    assert snapshot(repo) == before, "the refused scaffold wrote something"


@pytest.mark.e2e
def test_new_proyecto_builds_starts_runs_and_passes_its_tests(tmp_path_factory):
    """Generated into a copy: the static suite passes; the lab builds, starts healthy, runs its notebook and tests."""
    require_docker()
    repo = copy_repo(tmp_path_factory.mktemp("scaffold") / "tfx-lab")
    started = time.monotonic()
    result = scaffold(repo, NAME, TITLE)
    assert result.returncode == 0, result.stdout + result.stderr
    TIMINGS["scaffold: new Proyecto written and locked"] = time.monotonic() - started
    folder = repo / "Proyectos" / NAME
    assert (folder / f"{NAME}.ipynb").is_file() and (folder / "proyecto9" / "pipeline.py").is_file()

    static = subprocess.run([sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", "-m", "not e2e",
                             "-k", "not scaffold", "tests"], cwd=repo, env={**os.environ, "PYTHONPATH": str(repo)},
                            capture_output=True, text=True, timeout=600)
    assert static.returncode == 0, f"the copy's static suite failed:\n{static.stdout[-4000:]}"
    assert "test_has_its_files[Proyecto9] PASSED" in static.stdout, "the copy's suite did not check Proyecto9"

    lab = new_stack("tfxlab-scaffold", root=repo)
    try:
        started = time.monotonic()
        lab.compose("up", "--build", "-d", "--wait", "proyecto9", timeout=1800)
        TIMINGS["scaffold: new Proyecto built and healthy"] = time.monotonic() - started
        started = time.monotonic()
        lab.exec("proyecto9", "jupyter", "nbconvert", "--to", "notebook", "--execute", f"{NAME}.ipynb",
                 "--output-dir", "/tmp/executed", timeout=1200)
        TIMINGS["scaffold: new Proyecto's notebook executed"] = time.monotonic() - started
        cells = json.loads(lab.exec("proyecto9", "cat", f"/tmp/executed/{NAME}.ipynb").stdout)["cells"]
        errors = [o for c in cells if c["cell_type"] == "code" for o in c["outputs"] if o["output_type"] == "error"]
        assert not errors, errors
        lab.run_unit_tests("proyecto9")
    finally:
        lab.down(volumes=True, remove_images=True)
