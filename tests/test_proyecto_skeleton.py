"""Every Proyecto (and the scaffold's template) has the skeleton Proyectos/README.md describes."""

import ast
import json
import re
from pathlib import Path

import pytest

from harness.repo import ROOT, proyectos, service_of

TEMPLATE = ROOT / "tools" / "proyecto_template"
FOLDERS = {p: ROOT / "Proyectos" / p for p in proyectos()} | {"template": TEMPLATE}
# Optional modules: if a Proyecto has one, it defines this function (what a TFX component calls).
MODULE_MEANING = {"schema.py": "curate_schema", "preprocessing.py": "preprocessing_fn", "model.py": "run_fn",
                  "tuning.py": "tuner_fn", "evaluation.py": "eval_config"}
PATH_ARGUMENTS = ["pipeline_name", "pipeline_root", "data_root", "metadata_path"]


def package(folder: Path) -> Path:
    return folder / ("proyectoN" if folder == TEMPLATE else service_of(folder.name))


def functions(module: Path) -> dict[str, ast.FunctionDef]:
    return {node.name: node for node in ast.parse(module.read_text()).body if isinstance(node, ast.FunctionDef)}


@pytest.mark.parametrize("name", FOLDERS)
def test_has_its_files(name):
    """Notebook, README, uv project, Dockerfile, images/, tests/, the package with features.py, pipeline.py and
    exercises.py (its "Para practicar" checks), and dags/ with the Airflow DAG and its manifest."""
    folder = FOLDERS[name]
    notebook = "ProyectoN.ipynb" if folder == TEMPLATE else f"{name}.ipynb"
    dags = folder / "dags"
    for part in (notebook, "README.md", "pyproject.toml", "Dockerfile", ".dockerignore", "images", "tests",
                 package(folder) / "__init__.py", package(folder) / "features.py", package(folder) / "pipeline.py",
                 package(folder) / "exercises.py",
                 dags / f"{package(folder).name}_dag.py", dags / "pipeline.json"):
        assert (folder / part).exists(), f"{name} lacks {part}"
    if folder != TEMPLATE:
        assert (folder / "uv.lock").is_file(), f"{name} lacks uv.lock"


@pytest.mark.parametrize("name", FOLDERS)
def test_builds_its_own_image_from_the_lab_base(name):
    """Its Dockerfile: one stage FROM the lab's base (the context `lab-base`), the marked line for apt packages, its
    uv.lock installed by the base's lab-sync-proyecto, its folder copied last (images/ left out by .dockerignore)."""
    folder = FOLDERS[name]
    text = (folder / "Dockerfile").read_text()
    steps = [line for line in text.splitlines() if line and not line.startswith(("#", " "))]
    assert steps[:2] == ["ARG LAB_BASE=lab-base", "FROM ${LAB_BASE}"], f"{name}/Dockerfile starts {steps[:2]}"
    assert [s for s in steps if s.startswith("FROM ")] == ["FROM ${LAB_BASE}"], f"{name}: one stage, on the base"
    apt = [s for s in steps if s.startswith("RUN lab-apt-install")]
    assert len(apt) == 1 and re.search(r"^# >>> .*\n(#.*\n)*RUN lab-apt-install", text, re.M), (
        f"{name}/Dockerfile: no marked `RUN lab-apt-install` line for apt packages")
    assert re.search(r"--mount=type=bind,source=uv\.lock,.*\n(.*\\\n)*\s+lab-sync-proyecto$", text, re.M), (
        f"{name}/Dockerfile does not install its uv.lock with lab-sync-proyecto")
    assert steps[-1].startswith("COPY --chown=lab:lab . "), f"{name}/Dockerfile ends with {steps[-1]}"
    for program in ("lab-apt-install", "lab-sync-proyecto"):
        assert (ROOT / "lab-base" / "bin" / program).is_file(), f"the base does not ship {program}"
    assert "images/" in (folder / ".dockerignore").read_text().split(), f"{name}/.dockerignore keeps images/"


@pytest.mark.parametrize("name", FOLDERS)
def test_pipeline_takes_every_path_as_an_argument(name):
    """pipeline.py defines create_pipeline(pipeline_name, pipeline_root, data_root, metadata_path, ...,
    beam_pipeline_args) and main(argv)."""
    defined = functions(package(FOLDERS[name]) / "pipeline.py")
    assert {"create_pipeline", "main"} <= set(defined), f"{name}/pipeline.py defines {sorted(defined)}"
    arguments = [a.arg for a in defined["create_pipeline"].args.args]
    assert arguments[:4] == PATH_ARGUMENTS and arguments[-1] == "beam_pipeline_args", arguments


@pytest.mark.parametrize("name", FOLDERS)
def test_optional_modules_mean_what_the_skeleton_says(name):
    """schema.py, preprocessing.py, model.py, tuning.py, evaluation.py, where present, define their function."""
    for module, function in MODULE_MEANING.items():
        path = package(FOLDERS[name]) / module
        if path.exists():
            assert function in functions(path), f"{name}: {module} must define {function}"


@pytest.mark.parametrize("name", FOLDERS)
def test_component_callbacks_say_which_component_calls_them(name):
    """Each function a TFX component calls carries the comment saying so, right above it."""
    for module, function in MODULE_MEANING.items():
        path = package(FOLDERS[name]) / module
        if path.exists() and function.endswith("_fn"):
            text = path.read_text()
            assert re.search(rf"# TFX \w+ calls this function\.\ndef {function}\(", text), f"{name}: {module}"


@pytest.mark.parametrize("name", FOLDERS)
def test_features_imports_nothing_of_its_package(name):
    """features.py is the bottom of the package's imports: it imports no other module of the package."""
    folder = FOLDERS[name]
    tree = ast.parse((package(folder) / "features.py").read_text())
    imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [m for m in imported if m and m.startswith(package(folder).name)], imported


@pytest.mark.parametrize("proyecto", proyectos())
def test_is_registered_in_compose_env_and_readme(proyecto, compose_config):
    """Its service and work volume are in compose, its port variable in .env.example, its lab-url line in the README."""
    service, variable = service_of(proyecto), f"{service_of(proyecto).upper()}_PORT"
    assert service in compose_config["services"], f"no service {service}"
    assert f"{service}-work" in compose_config["volumes"], f"no volume {service}-work"
    assert re.search(rf"^{variable}=\d+$", (ROOT / ".env.example").read_text(), re.M), f"{variable} not in .env.example"
    readme = (ROOT / "README.md").read_text()
    assert f"docker compose exec {service} lab-url" in readme, f"the README has no lab-url line for {service}"
    assert f"[{proyecto}](Proyectos/{proyecto}/README.md)" in readme, f"the README's table does not list {proyecto}"


@pytest.mark.parametrize("proyecto", proyectos())
def test_notebook_starts_quietly_and_runs_its_own_pipeline(proyecto):
    """The first code cell calls prepare_offline_notebook("proyecton"); its pipeline is proyecton-notebook."""
    cells = json.loads((ROOT / "Proyectos" / proyecto / f"{proyecto}.ipynb").read_text())["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    assert f'prepare_offline_notebook("{service_of(proyecto)}")' in code[0], code[0]
    assert f'"{service_of(proyecto)}-notebook"' in "\n".join(code), "the notebook's pipeline name"
