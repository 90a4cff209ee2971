"""tools/new_proyecto.py makes a Proyecto that passes the static checks, builds, starts, runs and tests.

It works on a copy of the repository, which it changes as a teacher's checkout
would be changed; the lab's own files are never touched. The files it edits
(docker-compose.yaml, .env.example, README.md) are reformatted first, as a
person or a formatter would, to show it edits them by structure, not by line.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time

import pytest
from ruamel.yaml import YAML

from conftest import TIMINGS, new_stack, require_docker
from harness.repo import copy_repo, proyectos, service_of
from new_proyecto import create
from scaffold_compose import load, next_port

NAME, TITLE = "Proyecto9", "Proyecto de prueba del andamio"
# What a student adds to the new Proyecto: a Debian package in its Dockerfile's marked line, used by its notebook.
APT_PACKAGE, APT_CELL = "jq", "# jq, el paquete de Debian que añade el Dockerfile de este Proyecto\n!jq --version"


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


def repad(table: str) -> str:
    """A Markdown table with every column padded to its widest cell, as editors' table formatters do."""
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in table.splitlines()]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]

    def padded(cell: str, width: int) -> str:
        return "-" * width if set(cell) == {"-"} else cell.ljust(width)
    return "".join("| " + " | ".join(padded(c, w) for c, w in zip(row, widths, strict=True)) + " |\n" for row in rows)


def reformat(repo) -> None:
    """Reformat the files the scaffold edits without changing what they mean: compose re-indented (4 spaces),
    keys reordered, flow lists made block lists, blank lines dropped; the README's tables re-padded and its
    regions spaced out; .env.example's Proyecto ports moved to its end."""
    compose = repo / "docker-compose.yaml"
    yaml = YAML()
    yaml.preserve_quotes, yaml.width = True, 4096
    data = yaml.load(compose.read_text())
    for name in ("proyecto1", "proyecto2"):
        data["services"][name].move_to_end("build")
    data["x-beam-worker"]["depends_on"].fa.set_block_style()
    data.move_to_end("volumes")
    yaml.indent(mapping=4, sequence=6, offset=4)
    with compose.open("w") as out:
        yaml.dump(data, out)
    compose.write_text("".join(line for line in compose.read_text().splitlines(keepends=True) if line.strip()))

    readme = repo / "README.md"
    text = re.sub(r"(?m)^(\|.*\|\n)+", lambda table: repad(table.group(0)), readme.read_text())
    readme.write_text(re.sub(r"(<!-- \w+:(?:begin|end)[^>]*-->)", r"\n\1\n", text))

    env = repo / ".env.example"
    lines = env.read_text().splitlines(keepends=True)
    ports = [line for line in lines if re.match(r"PROYECTO\d+_PORT=", line)]
    env.write_text("".join(line for line in lines if line not in ports) + "\n" + "\n".join(ports))


def compose_config(repo) -> dict:
    """The copy's compose file as Compose resolves it (merge keys applied), Beam workers included."""
    variables = set(re.findall(r"\$\{(\w+)", (repo / "docker-compose.yaml").read_text()))
    result = subprocess.run(["docker", "compose", "--project-directory", str(repo), "--env-file", os.devnull,
                             "--profile", "escalado", "config", "--format", "json"], capture_output=True, text=True,
                            env={k: v for k, v in os.environ.items() if k not in variables}, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("reformatted", [False, True], ids=["as-committed", "reformatted"])
def test_scaffold_registers_the_proyecto_by_structure(repo, reformatted):
    """In compose, .env.example and the README, as committed or reformatted: the new service built and set up
    like the others, its volume, its mount in the Beam workers, its DAG folder in Airflow and its Airflow worker; its
    port variable after the other Proyectos';
    its rows and lab-url line in the README's regions. Comments and anchors survive."""
    if not shutil.which("docker"):
        pytest.skip("the docker CLI is not installed (docker compose config)")
    if reformatted:
        reformat(repo)
    before = (repo / "docker-compose.yaml").read_text()
    # The new Proyecto comes after the lab's own, on the next free port: whatever Proyectos the lab has.
    existing, port = proyectos(repo), next_port(load(before)[1])
    last, last_variable = existing[-1], f"{service_of(existing[-1]).upper()}_PORT"
    create(NAME, TITLE, root=repo, lock=False)
    after = (repo / "docker-compose.yaml").read_text()

    comments = [line.strip() for line in before.splitlines() if line.strip().startswith("#")]
    assert [c for c in comments if c not in after] == [], "the scaffold dropped comments of docker-compose.yaml"
    for alias in ("*lab\n", "*proyecto-build\n", "*lab-environment\n"):
        assert after.count(alias) == before.count(alias) + 1, f"the new service does not merge {alias.strip()}"
    # A comment above a service stays above it: the new Proyecto goes in before serving's comment, not after it
    # (the reformatting itself, moving keys, may already have displaced it).
    above_serving = re.compile(r"^\s*# Serves the newest penguin model.*\n.*\n\s*serving:$", re.M)
    if above_serving.search(before):
        assert above_serving.search(after), "the comment about serving no longer stands above serving"

    config = compose_config(repo)
    service = config["services"]["proyecto9"]
    assert service["build"]["context"] == str(repo / "Proyectos" / NAME), service["build"]
    assert service["build"]["dockerfile"] == "Dockerfile", service["build"]
    assert service["build"]["additional_contexts"]["lab-base"] == "service:lab-base", service["build"]
    assert service["environment"]["LAB_PORT"] == str(port) and service["environment"]["JUPYTER_TOKEN"] == ""
    assert [(p["host_ip"], p["published"], p["target"]) for p in service["ports"]] == [("127.0.0.1", str(port), port)]
    assert {(v["source"], v["target"]) for v in service["volumes"] if v["type"] == "volume"} == {
        ("proyecto9-work", "/home/lab/work"), ("tfx", "/tfx")}
    assert service["platform"] == "linux/amd64" and list(service["networks"]) == ["lab"], service
    assert "proyecto9-work" in config["volumes"]
    for worker in ("beam-worker-1", "beam-worker-2"):
        mounts = {v["source"]: v for v in config["services"][worker]["volumes"]}
        assert mounts["proyecto9-work"]["target"] == "/home/lab/proyectos/proyecto9", mounts
        assert mounts["proyecto9-work"].get("read_only") is True, mounts
        assert "proyecto9" in config["services"][worker]["depends_on"], worker
    # Airflow: every Airflow service mounts its DAG folder; its own Celery worker runs its tasks on its image.
    dags = (str(repo / "Proyectos" / NAME / "dags"), "/opt/lab/dags/proyecto9")
    for name in ("airflow-scheduler", "airflow-dag-processor", "airflow-apiserver"):
        binds = {(v["source"], v["target"]) for v in config["services"][name]["volumes"] if v["type"] == "bind"}
        assert dags in binds, f"{name} does not mount the new DAG folder: {binds}"
    worker = config["services"]["airflow-worker-proyecto9"]
    assert worker["build"]["additional_contexts"]["proyecto"] == "service:proyecto9", worker["build"]
    assert worker["command"][-2:] == ["--queues", "proyecto9"], worker["command"]
    assert worker["environment"]["LAB_BEAM_MODE"] and worker["environment"]["AIRFLOW__CORE__EXECUTOR"], worker
    assert {(v["source"], v["target"]) for v in worker["volumes"] if v["type"] == "volume"} >= {
        ("proyecto9-work", "/home/lab/work"), ("tfx", "/tfx")}, worker["volumes"]
    assert "proyecto9" in worker["depends_on"] and "postgres" in worker["depends_on"], worker["depends_on"]

    env = (repo / ".env.example").read_text()
    assert re.search(rf"^{last_variable}=\d+\nPROYECTO9_PORT={port}$", env, re.M), env
    readme = (repo / "README.md").read_text()
    assert re.search(rf"^\| \[{last}\]\(.*\n\| \[Proyecto9\]\(Proyectos/Proyecto9/README\.md\) \| "
                     rf"{TITLE} \|.*\| http://127\.0\.0\.1:{port}/lab \|$", readme, re.M), "the Proyectos' table"
    assert "linaje en ML Metadata" in readme, "the scaffold lost Proyecto1's row"
    lab_urls = "\n".join(f"docker compose exec {service_of(p)} lab-url" for p in [*existing, NAME])
    assert re.search(rf"^{lab_urls}$", readme, re.M), "the lab-url lines"
    assert re.search(rf"^\| `{last_variable}` .*\n\| `PROYECTO9_PORT` \| `{port}` \|", readme, re.M), "the ports table"
    for written in ("Dockerfile", ".dockerignore"):
        assert (repo / "Proyectos" / NAME / written).is_file(), f"the scaffold wrote no {written}"


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


def test_readme_without_its_marks_is_refused_and_nothing_is_written(repo):
    """A README whose Proyectos region lost its marks: a Spanish message, exit 1, no file changed (and no lock)."""
    readme = repo / "README.md"
    readme.write_text(readme.read_text().replace("<!-- proyectos:begin", "<!-- "))
    before = snapshot(repo)
    result = scaffold(repo, NAME, TITLE)
    assert result.returncode == 1 and "no se ha creado nada" in result.stderr, result.stderr
    assert snapshot(repo) == before, "the refused scaffold wrote something"


def add_apt_package_used_by_the_notebook(folder) -> None:
    """What a student does: the Debian package on the Dockerfile's marked line, a notebook cell that runs it."""
    dockerfile = folder / "Dockerfile"
    text = dockerfile.read_text()
    assert text.count("\nRUN lab-apt-install\n") == 1, "the Dockerfile has no marked apt line"
    dockerfile.write_text(text.replace("\nRUN lab-apt-install\n", f"\nRUN lab-apt-install {APT_PACKAGE}\n"))
    notebook = folder / f"{NAME}.ipynb"
    content = json.loads(notebook.read_text())
    content["cells"].append({"cell_type": "code", "execution_count": None, "id": "apt-package", "metadata": {},
                             "outputs": [], "source": APT_CELL.splitlines(keepends=True)})
    notebook.write_text(json.dumps(content, indent=1, ensure_ascii=False) + "\n")


@pytest.mark.e2e
def test_new_proyecto_builds_starts_runs_and_passes_its_tests(tmp_path_factory):
    """Generated into a reformatted copy, with a Debian package added to its Dockerfile and run by its notebook:
    the static suite passes; the lab builds, starts healthy, runs its notebook (the package too) and its tests."""
    require_docker()
    repo = copy_repo(tmp_path_factory.mktemp("scaffold") / "tfx-lab")
    reformat(repo)
    started = time.monotonic()
    result = scaffold(repo, NAME, TITLE)
    assert result.returncode == 0, result.stdout + result.stderr
    TIMINGS["scaffold: new Proyecto written and locked"] = time.monotonic() - started
    folder = repo / "Proyectos" / NAME
    assert (folder / f"{NAME}.ipynb").is_file() and (folder / "proyecto9" / "pipeline.py").is_file()
    add_apt_package_used_by_the_notebook(folder)

    # -n 0: in one process, so -v prints each test's outcome after its name.
    static = subprocess.run([sys.executable, "-m", "pytest", "-v", "-n", "0", "-p", "no:cacheprovider", "-m",
                             "not e2e", "-k", "not scaffold", "tests"], cwd=repo,
                            env={**os.environ, "PYTHONPATH": str(repo)}, capture_output=True, text=True, timeout=600)
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
        apt_cell = next(c for c in cells if "".join(c["source"]) == APT_CELL)
        printed = "".join("".join(o.get("text", "")) for o in apt_cell["outputs"])
        assert printed.startswith(f"{APT_PACKAGE}-"), f"the notebook could not run {APT_PACKAGE}: {apt_cell['outputs']}"
        lab.run_unit_tests("proyecto9")
    finally:
        lab.down(volumes=True, remove_images=True)
