"""lab_helpers.node_server and node_client: a task run by the warm process behaves like `python -m` in a new one.

The server here preloads nothing (a real worker's preloads TensorFlow and TFX):
what is checked is the fork per task, the task's stdio, folder and exit code,
and that the student's code is imported fresh by every task, never by the server.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lab_helpers import node_client, node_server

# The folders lab_helpers imports from, for the server and clients started here as new processes.
PYTHONPATH = os.pathsep.join([str(Path(node_server.__file__).parents[1]), *sys.path[1:]])


def wait_for(condition, what: str, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture
def work(tmp_path) -> Path:
    """A student's work folder."""
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@pytest.fixture
def server(tmp_path, work):
    """A node server on its own socket, preloading nothing; its socket path. Stopped afterwards."""
    socket_path = str(tmp_path / "node.sock")
    process = subprocess.Popen([sys.executable, "-m", "lab_helpers.node_server", "--socket", socket_path,
                                "--work-dir", str(work), "--preload", ""],
                               env={**os.environ, "PYTHONPATH": PYTHONPATH}, cwd=work,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for(lambda: process.poll() is not None or node_client.ping(socket_path), "the server to answer")
        assert process.poll() is None, f"the server ended: {process.stdout.read()}"
        yield socket_path
    finally:
        process.kill()
        process.wait()


def run_client(socket_path: str, work: Path, *argv: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """`python -m lab_helpers.node_client <argv>` in the work folder, as an Airflow task's command."""
    env = {**os.environ, "PYTHONPATH": PYTHONPATH, "LAB_NODE_SERVER_SOCKET": socket_path, "TASK_MARK": "task-1"}
    return subprocess.run([sys.executable, "-m", "lab_helpers.node_client", *argv], cwd=work, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_task_runs_in_a_fork_with_its_stdio_folder_and_environment(server, work):
    """The module prints to the client's stdout and stderr, from the client's folder, with its environment."""
    (work / "show.py").write_text("import os, sys\nprint('out', os.getcwd(), os.environ['TASK_MARK'], sys.argv[1:])\n"
                                  "print('err', os.getpid(), file=sys.stderr)\n")
    result = run_client(server, work, "show", "a", "--b")
    assert result.returncode == 0, result
    assert result.stdout.strip() == f"out {work} task-1 ['a', '--b']", result
    assert result.stderr.startswith("err "), result
    assert "AVISO" not in result.stderr, f"the client ran the module itself: {result.stderr}"


def test_every_task_imports_the_students_code_fresh(server, work):
    """An edit of the student's module between two tasks is what the second task runs; the server never imports it."""
    (work / "student").mkdir()
    (work / "student" / "__init__.py").write_text("")
    module = work / "student" / "code.py"
    module.write_text("print('version 1')\n")
    (work / "runner.py").write_text("import student.code\n")
    assert run_client(server, work, "runner").stdout.strip() == "version 1"
    module.write_text("print('version two, edited')\n")
    (work / "student" / "added.py").write_text("print('a module added since')\n")
    assert run_client(server, work, "runner").stdout.strip() == "version two, edited"
    assert run_client(server, work, "student.added").stdout.strip() == "a module added since"


@pytest.mark.parametrize(("body", "code"), [("raise RuntimeError('componente roto')", 1),
                                            ("import sys; sys.exit(3)", 3),
                                            ("import os, signal; os.kill(os.getpid(), signal.SIGKILL)", 128 + 9)])
def test_a_failing_task_exits_with_its_code(server, work, body, code):
    """An exception ends the task with 1 and its traceback on stderr; sys.exit's code and a signal reach the client."""
    (work / "fails.py").write_text(body + "\n")
    result = run_client(server, work, "fails")
    assert result.returncode == code, result
    if code == 1:
        assert "RuntimeError: componente roto" in result.stderr, result.stderr


def test_a_stopped_task_stops_its_process(server, work, tmp_path):
    """When Airflow stops a task (its client ends), the module's process group is ended too."""
    pid_file = tmp_path / "pid"
    (work / "sleeps.py").write_text(f"import os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
                                    "time.sleep(120)\n")
    env = {**os.environ, "PYTHONPATH": PYTHONPATH, "LAB_NODE_SERVER_SOCKET": server}
    client = subprocess.Popen([sys.executable, "-m", "lab_helpers.node_client", "sleeps"], cwd=work, env=env)
    pid = int(wait_for(lambda: pid_file.exists() and pid_file.read_text(), "the task to start"))
    client.terminate()
    client.wait(10)
    wait_for(lambda: not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2],
             f"the task's process {pid} to end")


def test_without_a_server_the_client_runs_the_module_itself(tmp_path, work):
    """No server listening: the task still runs, in a new process, and its log says why it is slower."""
    (work / "show.py").write_text("print('ran')\n")
    result = run_client(str(tmp_path / "none.sock"), work, "show")
    assert result.returncode == 0 and result.stdout.strip() == "ran", result
    assert "AVISO" in result.stderr, result.stderr


def test_server_refuses_to_fork_with_the_students_code_loaded(work, monkeypatch):
    """A module of the work folder in the server would be stale in every task: fork_hazards names it."""
    (work / "student_module.py").write_text("")
    monkeypatch.syspath_prepend(str(work))
    __import__("student_module")
    try:
        hazards = node_server.fork_hazards(work)
    finally:
        sys.modules.pop("student_module")
    assert any("student_module" in hazard for hazard in hazards), hazards
