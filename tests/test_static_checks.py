"""Python passes ruff, notebooks carry no outputs, every Proyecto has its files, locks agree."""

import json
import shutil
import subprocess
import tomllib

import pytest

from harness.repo import ROOT, proyectos

NOTEBOOKS = sorted(ROOT.glob("Proyectos/*/*.ipynb"))


def tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        pytest.fail(f"{name} is missing: run the tests with `uv run pytest` (it installs the dev group)")
    return path


def test_python_passes_ruff():
    """All Python in the repository passes ruff."""
    result = subprocess.run([tool("ruff"), "check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_no_outputs(notebook):
    """Committed notebooks have no outputs or execution counts."""
    cells = json.loads(notebook.read_text())["cells"]
    dirty = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and (c["outputs"] or c["execution_count"])]
    assert not dirty, f"{notebook.name}: cells {dirty} carry outputs; clear them before committing"


def test_every_proyecto_has_its_files():
    """Each Proyecto has its notebook, uv project, README, Dockerfile and images/."""
    for proyecto in proyectos():
        folder = ROOT / "Proyectos" / proyecto
        for name in (f"{proyecto}.ipynb", "pyproject.toml", "uv.lock", "README.md", "Dockerfile", "images"):
            assert (folder / name).exists(), f"{proyecto} lacks {name}"


def locked_versions(lock_file) -> dict[str, str]:
    packages = tomllib.loads(lock_file.read_text())["package"]
    return {p["name"]: p["version"] for p in packages if "version" in p and "registry" in p.get("source", {})}


@pytest.mark.parametrize("proyecto", proyectos())
def test_proyecto_lock_agrees_with_shared_stack(proyecto):
    """A Proyecto's lock pins every shared-stack package at the stack's version, so its layer adds only its own."""
    stack = locked_versions(ROOT / "lab-base/uv.lock")
    own = locked_versions(ROOT / "Proyectos" / proyecto / "uv.lock")
    differ = {name: (version, own.get(name)) for name, version in stack.items() if own.get(name) != version}
    assert not differ, f"{proyecto}/uv.lock differs from lab-base/uv.lock (stack, own): {differ}; re-run `uv lock`"


@pytest.mark.parametrize("proyecto", proyectos())
def test_proyecto_excludes_what_the_stack_excludes(proyecto):
    """A Proyecto excludes the same dependencies as the shared stack, so it reinstalls none of them."""
    def excluded(folder):
        return tomllib.loads((ROOT / folder / "pyproject.toml").read_text())["tool"]["uv"].get(
            "exclude-dependencies", [])
    assert excluded(f"Proyectos/{proyecto}") == excluded("lab-base"), (
        f"{proyecto}/pyproject.toml [tool.uv] exclude-dependencies")
