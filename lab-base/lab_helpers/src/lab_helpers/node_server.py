"""A warm TFX process in a Proyecto's Airflow worker: runs each task's node in a fork, without importing TFX again.

Every task of a Proyecto's DAG runs one node of its pipeline (lab_helpers.node_runner).
Started as a new Python process, a task spends about 8 s importing TensorFlow,
TFX, Beam and MLflow before its node runs (services/airflow/README.md, Medidas).
This server, started with the worker (services/airflow/bin/airflow-worker), imports
them once and then waits on a Unix socket; each task's command is the small
client lab_helpers.node_client, which imports nothing of TFX, passes the server
its stdin, stdout and stderr (SCM_RIGHTS) and exits with the node's exit code.

For every task the server forks a supervisor, and the supervisor a child that
takes the task's file descriptors, working folder and environment and runs the
task's module as `python -m lab_helpers.node_runner run ...` would have:
its output goes to the Airflow task log, a failed component ends with the same
Spanish message and exit code 1. The Proyecto's own package (the student's code
in the work volume) is never imported by the server, only by each child, after
the fork: every task sees the code as last saved. The server checks this, and
that it has no other thread when it forks (a thread's locks would be copied
held into the child): it refuses to start otherwise.

The supervisor waits for the child and sends its exit code to the client; if the
client goes away (Airflow stopped the task), it ends the child's process group.
One socket per container (/tmp, never a shared volume):

    python -m lab_helpers.node_server            # in the worker, in the background
    python -m lab_helpers.node_client ping       # healthcheck: "pong" once the server is ready
"""

import argparse
import contextlib
import importlib
import json
import os
import runpy
import select
import signal
import socket
import sys
import time
import traceback
from pathlib import Path

SOCKET_PATH = os.environ.get("LAB_NODE_SERVER_SOCKET", "/tmp/lab-node-server.sock")
# The stack every Proyecto's pipeline imports (lab-base), never a Proyecto's package. Each module costs
# its import once per worker instead of once per task.
PRELOAD = (
    "tensorflow", "apache_beam", "tfx.v1", "tensorflow_data_validation", "tensorflow_transform",
    "tensorflow_transform.beam", "tensorflow_model_analysis", "mlflow", "pandas",
    "tfx.components.example_gen.csv_example_gen.executor", "tfx.components.statistics_gen.executor",
    "tfx.components.schema_gen.executor", "tfx.components.schema_gen.import_schema_gen.executor",
    "tfx.components.example_validator.executor", "tfx.components.transform.executor",
    "tfx.components.trainer.executor", "tfx.components.evaluator.executor", "tfx.components.pusher.executor",
    "lab_helpers.node_runner", "lab_helpers.pipelines", "lab_helpers.beam", "lab_helpers.paths",
)
# The student's code: the work volume, mounted where the worker's tasks run.
WORK_DIR = Path("/home/lab/work")
# How long the child gets to end after SIGTERM when its task is stopped, before SIGKILL.
STOP_GRACE_SECONDS = 10
# A request is one JSON line; its first bytes carry the three file descriptors.
MAX_REQUEST_BYTES = 1 << 20


def preload(modules=PRELOAD) -> None:
    """Import the stack; a module missing from this image is skipped (its tasks import it themselves)."""
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError as error:
            print(f"node_server: {name} no se precarga: {error}", file=sys.stderr, flush=True)


def fork_hazards(work_dir: Path = WORK_DIR) -> list[str]:
    """What makes forking this process unsafe or stale: other threads, modules loaded from the student's folder."""
    hazards = []
    threads = len(os.listdir("/proc/self/task"))
    if threads != 1:
        hazards.append(f"{threads} threads (only the main one may run when the server forks)")
    student = sorted(name for name, module in list(sys.modules.items())
                     if Path(getattr(module, "__file__", None) or "/").resolve().is_relative_to(work_dir.resolve()))
    if student:
        hazards.append(f"modules of the work folder {work_dir} imported: {', '.join(student)}")
    return hazards


def receive(conn: socket.socket) -> tuple[dict, list[int]]:
    """The client's request and the file descriptors that came with it."""
    data, fds, _, _ = socket.recv_fds(conn, 65536, 3)
    while not data.endswith(b"\n"):
        if len(data) > MAX_REQUEST_BYTES:
            raise ValueError("request too long")
        chunk = conn.recv(65536)
        if not chunk:
            raise ValueError("request cut short")
        data += chunk
    return json.loads(data), fds


def run_task(request: dict, fds: list[int]) -> None:
    """In the task's child: become the task's process (stdio, folder, environment) and run its module; never return.

    `python -m <module> <args>` in the task's folder, in this already warm process:
    the module (and the Proyecto's package it imports) is imported now, fresh.
    """
    code = 1
    try:
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        # Like `python -m` there: the task's folder first on the path, the finders' caches of the
        # server's start dropped (a module the student added since is found).
        sys.path[0] = request["cwd"]
        importlib.invalidate_caches()
        sys.argv = [request["module"], *request["args"]]
        # `python -m` runs the module's code anew as __main__ even when the server preloaded it.
        sys.modules.pop(request["module"], None)
        try:
            runpy.run_module(request["module"], run_name="__main__", alter_sys=True)
            code = 0
        except SystemExit as exit_:
            if isinstance(exit_.code, int) or exit_.code is None:
                code = exit_.code or 0
            else:
                print(exit_.code, file=sys.stderr)
    except BaseException:  # noqa: BLE001 - whatever happens, the task ends with a code, never in the server's loop
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # the task's pipe may be gone
                stream.flush()
        os._exit(code)


def supervise(conn: socket.socket, request: dict, fds: list[int]) -> int:
    """In the supervisor: run the task in a child of its own session, wait for it, report its exit code."""
    # A stop of the worker's container (tini -g) ends the server, not a running task's supervisor:
    # the task ends as Celery's warm shutdown lets it, its client still gets its exit code.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    child = os.fork()
    if child == 0:
        conn.close()
        # Its own process group: stopping the task stops whatever the node started (Beam's workers too).
        os.setsid()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        run_task(request, fds)
    for fd in fds:
        os.close(fd)
    poller = select.poll()
    child_fd = os.pidfd_open(child)
    poller.register(child_fd, select.POLLIN)
    poller.register(conn, select.POLLIN | select.POLLHUP)
    while True:
        ready = {fd for fd, _ in poller.poll()}
        if child_fd in ready:
            break
        if conn.recv(4096, socket.MSG_DONTWAIT) == b"":  # the client is gone (its task was stopped): stop the task
            stop(child)
            break
    _, status = os.waitpid(child, 0)
    code = os.waitstatus_to_exitcode(status)
    with contextlib.suppress(OSError):  # the client is gone
        conn.sendall(f"exit {code}\n".encode())
    return code


def stop(child: int) -> None:
    """SIGTERM to the task's process group, SIGKILL if it is still there after the grace period."""
    try:
        os.killpg(child, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        while time.monotonic() < deadline:
            if os.waitid(os.P_PID, child, os.WEXITED | os.WNOHANG | os.WNOWAIT):
                return
            time.sleep(0.2)
        os.killpg(child, signal.SIGKILL)
    except ProcessLookupError:
        pass


def serve(listener: socket.socket) -> None:
    """Accept clients forever: a ping is answered here, a task forks a supervisor."""
    # The supervisors are reaped by the kernel: the loop never waits for a task.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    while True:
        conn, _ = listener.accept()
        fds = []
        try:
            conn.settimeout(10)
            request, fds = receive(conn)
            if request.get("ping"):
                conn.sendall(b"pong\n")
                continue
            if len(fds) != 3:
                raise ValueError(f"{len(fds)} file descriptors instead of stdin, stdout and stderr")
            # Nothing buffered may be written twice, and nothing may run beside the fork.
            sys.stdout.flush()
            sys.stderr.flush()
            if os.fork() == 0:
                listener.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                conn.settimeout(None)
                code = 1
                try:
                    code = supervise(conn, request, fds)
                finally:
                    os._exit(0 if code == 0 else 1)
        except (OSError, ValueError) as error:
            print(f"node_server: request refused: {error}", file=sys.stderr, flush=True)
        finally:
            for fd in fds:
                os.close(fd)
            conn.close()


def listen(path: str) -> socket.socket:
    """The server's socket, readable and writable by its user only (a worker's tasks run as that user)."""
    Path(path).unlink(missing_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o177)
    try:
        listener.bind(path)
    finally:
        os.umask(old_umask)
    listener.listen(16)
    return listener


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", default=SOCKET_PATH, help=f"default: $LAB_NODE_SERVER_SOCKET or {SOCKET_PATH}")
    parser.add_argument("--work-dir", type=Path, default=WORK_DIR, help=f"the student's code, never preloaded "
                        f"(default: {WORK_DIR})")
    parser.add_argument("--preload", default=",".join(PRELOAD), help="the modules to import once, comma-separated")
    args = parser.parse_args(argv)
    # Before the first native library loads: the two libraries of the stack that start threads when
    # imported (measured in the lab image: numpy's OpenBLAS pool, pyarrow's jemalloc purging thread)
    # start none, so the server has only its main thread when it forks. BLAS in a task then runs on
    # one core (TensorFlow does not use it), and jemalloc purges on allocation instead.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("JE_ARROW_MALLOC_CONF", "background_thread:false")
    started = time.monotonic()
    preload(filter(None, args.preload.split(",")))
    hazards = fork_hazards(args.work_dir)
    if hazards:
        sys.exit(f"node_server: cannot fork tasks safely: {'; '.join(hazards)}")
    listener = listen(args.socket)
    print(f"node_server: stack imported in {time.monotonic() - started:.1f} s; listening on {args.socket}",
          flush=True)
    serve(listener)


if __name__ == "__main__":
    main()
