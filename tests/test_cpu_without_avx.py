"""A lab on a CPU without AVX (Rosetta on Apple Silicon) explains the fix instead of killing kernels.

The CPU is simulated with LAB_CPUINFO, lab_compat.avx's documented override, pointing at a cpuinfo without
the avx flag that the base image ships for this purpose.
"""

import json
import subprocess

import pytest

from harness.compose import docker, wait_until
from harness.repo import proyectos, service_of

pytestmark = pytest.mark.e2e

WITHOUT_AVX = "LAB_CPUINFO=/opt/lab/lab-base/lab_compat/tests/data/cpuinfo_without_avx"
MESSAGE_START = "Tu Docker no ofrece a los contenedores las instrucciones AVX"


def logs(container: str) -> str:
    """What the container printed, stdout and stderr (JupyterLab logs to stderr)."""
    result = subprocess.run(["docker", "logs", container], capture_output=True, text=True, timeout=30)
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def lab_without_avx(stack):
    """A one-off container of the first lab, started as on a Mac with Rosetta; removed afterwards."""
    service = service_of(proyectos()[0])
    name = f"{stack.project}-noavx"
    stack.compose("run", "-d", "--no-deps", "--name", name, "-e", WITHOUT_AVX, service)
    try:
        wait_until(lambda: "running at" in logs(name), timeout=120,
                   what="the lab without AVX to start JupyterLab")
        yield name, service
    finally:
        docker("rm", "-f", name)


def test_lab_log_says_what_to_do_at_start(lab_without_avx):
    """JupyterLab still starts, and its log names the cause and the fix (turn off Rosetta)."""
    name, _ = lab_without_avx
    printed = logs(name)
    assert MESSAGE_START in printed and "Use Rosetta" in printed, printed[-2000:]


def test_headless_pipeline_stops_with_the_message(lab_without_avx):
    """`python -m proyecton.pipeline` exits 1 with the message first, and no stack trace."""
    name, service = lab_without_avx
    result = subprocess.run(["docker", "exec", name, "python", "-m", f"{service}.pipeline"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result
    assert result.stderr.strip().startswith(MESSAGE_START) and "Traceback" not in result.stderr, result.stderr


def test_notebook_first_cell_shows_the_message(lab_without_avx):
    """The notebook's first cell (prepare_offline_notebook) stops with the message: the kernel stays alive."""
    name, service = lab_without_avx
    proyecto = proyectos()[0]
    docker("exec", name, "jupyter", "nbconvert", "--to", "notebook", "--execute", f"{proyecto}.ipynb",
           "--output-dir", "/tmp/noavx", "--allow-errors", "--ExecutePreprocessor.timeout=300", timeout=600)
    cells = json.loads(docker("exec", name, "cat", f"/tmp/noavx/{proyecto}.ipynb"))["cells"]
    first = next(c for c in cells if c["cell_type"] == "code")
    errors = [o for o in first["outputs"] if o["output_type"] == "error"]
    assert errors and errors[0]["ename"] == "SystemExit" and errors[0]["evalue"].startswith(MESSAGE_START), first
