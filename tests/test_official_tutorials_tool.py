"""tools/official_tutorials.py adapts a tutorial, copies it into the lab, and stops when a command it runs fails.

A tiny tutorial folder (one notebook with an install cell and a download) and a stand-in `docker` first on
PATH, which records what it is asked, keeps the files copied into the "lab", and fails the command it is told
to: no Docker, no network.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness.repo import ROOT

TOOL = ROOT / "tools" / "official_tutorials.py"
FAKE_DOCKER = """#!{python}
import json, os, shutil, sys
from pathlib import Path
lab = Path(os.environ["FAKE_LAB"])
args = sys.argv[1:]
with open(lab / "calls.jsonl", "a") as calls:
    calls.write(json.dumps(args) + "\\n")
fail = os.environ.get("FAKE_FAIL")
if fail and fail in args:
    sys.exit(f"{{fail}}: simulated failure")
if "cp" in args:
    source = args[args.index("cp") + 1]
    shutil.copy(source, lab / Path(source).name)
elif "cat" in args:
    print((lab / Path(args[-1]).name).read_text())
"""
TUTORIAL = {"cells": [
    {"cell_type": "code", "source": ["!pip install -U tfx"], "outputs": [], "execution_count": 1, "metadata": {}},
    {"cell_type": "code", "source": [
        "_data_url = 'https://raw.githubusercontent.com/tensorflow/tfx/master/tfx/examples/penguin/data/labelled/"
        "penguins_processed.csv'\n",
        "urllib.request.urlretrieve(_data_url, _data_filepath)\n"], "outputs": [], "execution_count": 2,
     "metadata": {}},
], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


@pytest.fixture
def tutorials(tmp_path) -> Path:
    folder = tmp_path / "tutorials"
    (folder / "tfx").mkdir(parents=True)
    (folder / "tfx" / "penguin_simple.ipynb").write_text(json.dumps(TUTORIAL))
    return folder


def run_tool(tmp_path, tutorials: Path, *args: str, fail: str = "") -> subprocess.CompletedProcess:
    lab = tmp_path / "lab"
    lab.mkdir(exist_ok=True)
    (tmp_path / "bin").mkdir(exist_ok=True)
    docker = tmp_path / "bin" / "docker"
    docker.write_text(FAKE_DOCKER.format(python=sys.executable))
    docker.chmod(0o755)
    env = {**os.environ, "PATH": f"{docker.parent}{os.pathsep}{os.environ['PATH']}", "FAKE_LAB": str(lab),
           "FAKE_FAIL": fail, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, str(TOOL), str(tutorials), *args], env=env, capture_output=True,
                          text=True, timeout=120)


def test_adapted_tutorial_is_copied_into_the_lab(tmp_path, tutorials):
    """The notebook the lab gets has no install cell and copies its data from /data."""
    result = run_tool(tmp_path, tutorials)
    assert result.returncode == 0, result.stderr
    copied = json.loads((tmp_path / "lab" / "penguin_simple.ipynb").read_text())
    sources = ["".join(c["source"]) for c in copied["cells"]]
    assert len(sources) == 1 and "/data/penguins-processed/penguins_processed.csv" in sources[0], sources


@pytest.mark.parametrize("command", ["mkdir", "cp", "chown"])
def test_a_failing_copy_stops_the_tool(tmp_path, tutorials, command):
    """When putting the notebook into the lab fails, the tool exits non-zero naming the command."""
    result = run_tool(tmp_path, tutorials, fail=command)
    assert result.returncode != 0, f"the tool went on after `{command}` failed:\n{result.stdout}"
    assert "falló" in result.stderr and command in result.stderr, result.stderr


def test_a_failing_run_is_reported_and_fails_the_tool(tmp_path, tutorials):
    """When nbconvert itself fails, the table says so and the tool exits non-zero."""
    table = tmp_path / "tutorials.md"
    result = run_tool(tmp_path, tutorials, "--run", "--output", str(table), fail="nbconvert")
    written = table.read_text()
    assert result.returncode != 0 and "penguin_simple" in result.stderr, result.stdout + result.stderr
    assert "nbconvert terminó con código 1" in written, written


def test_a_folder_without_tutorials_fails(tmp_path):
    """A folder that holds none of the tutorials is an error, not an empty success."""
    (tmp_path / "empty").mkdir()
    result = run_tool(tmp_path, tmp_path / "empty")
    assert result.returncode != 0 and "ninguno de los tutoriales" in result.stderr, result.stderr
