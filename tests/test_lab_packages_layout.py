"""The three rooms of lab-base: each a distribution with a README naming every module, imports one way."""

import ast
from pathlib import Path

import pytest

from harness.repo import ROOT

LAB_BASE = ROOT / "lab-base"
PACKAGES = sorted(p.name for p in LAB_BASE.glob("lab_*") if (p / "pyproject.toml").exists())
# Which of the lab's packages each one may import at module level (lab_compat reaches the helpers' views
# only inside the functions that show them, so that the layers stay one-way).
ALLOWED = {"lab_helpers": set(), "lab_compat": set(), "lab_scaleout": {"lab_helpers", "lab_compat"}}


def modules(package: str) -> list[Path]:
    return sorted((LAB_BASE / package / "src" / package).glob("*.py"))


def test_three_packages():
    assert sorted(ALLOWED) == PACKAGES, PACKAGES


@pytest.mark.parametrize("package", PACKAGES)
def test_readme_names_every_module(package):
    """A newcomer finds each module in its package's README (`name` in backquotes)."""
    readme = (LAB_BASE / package / "README.md").read_text()
    missing = [m.stem for m in modules(package) if not m.stem.startswith("_") and f"`{m.stem}`" not in readme
               and f"{m.stem}.py" not in readme]
    assert not missing, f"{package}/README.md does not name {missing}"


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_go_one_way(package):
    """Top-level imports of the lab's packages follow ALLOWED; nothing imports tests/ or harness/."""
    for module in modules(package):
        for node in ast.parse(module.read_text()).body:
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                top = name.split(".")[0]
                assert top not in {"tests", "harness", "conftest"}, f"{module} imports {name}"
                if top in ALLOWED and top != package:
                    assert top in ALLOWED[package], f"{module.relative_to(ROOT)} imports {name} at module level"
