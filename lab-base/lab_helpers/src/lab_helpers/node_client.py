"""`python -m <module> <args>`, run by the worker's warm TFX process (lab_helpers.node_server): an Airflow task.

    python -m lab_helpers.node_client lab_helpers.node_runner run proyecto2.pipeline Trainer --run-id <run id>
    python -m lab_helpers.node_client ping     # the worker's healthcheck: fails unless the server answers

Imports nothing but the standard library (it starts in a few hundredths of a
second): it hands the server this process's stdin, stdout and stderr, working
folder and environment, and exits with the exit code of the module's run. The
task's log is the module's own output, as if the task had run it. With no server
(e.g. a worker image without it), it says so and runs the module itself.
"""

import json
import os
import socket
import sys

SOCKET_PATH = os.environ.get("LAB_NODE_SERVER_SOCKET", "/tmp/lab-node-server.sock")


def connect(path: str = SOCKET_PATH) -> socket.socket | None:
    """A connection to the server, or None when no server listens on `path`."""
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.connect(path)
    except (FileNotFoundError, ConnectionRefusedError):
        client.close()
        return None
    return client


def answer(client: socket.socket) -> str:
    """The server's last line, once it closes the connection."""
    received = b""
    while chunk := client.recv(4096):
        received += chunk
    return received.decode().strip().rsplit("\n", 1)[-1]


def ping(path: str = SOCKET_PATH) -> bool:
    """Whether the server is up and serving (it binds its socket only after importing the stack)."""
    client = connect(path)
    if client is None:
        return False
    with client:
        client.settimeout(4)
        client.sendall(json.dumps({"ping": True}).encode() + b"\n")
        return answer(client) == "pong"


def run(module: str, args: list[str], path: str = SOCKET_PATH) -> int:
    """Run `python -m module args` in the server with this process's stdio, folder and environment; its exit code."""
    client = connect(path)
    if client is None:
        print(f"AVISO: el proceso de TFX ya cargado del worker no responde ({path}); se ejecuta {module} en un "
              "proceso nuevo, que tarda unos segundos más en importar TensorFlow y TFX.", file=sys.stderr, flush=True)
        os.execv(sys.executable, [sys.executable, "-m", module, *args])
    with client:
        request = {"module": module, "args": args, "cwd": os.getcwd(), "env": dict(os.environ)}
        socket.send_fds(client, [json.dumps(request).encode() + b"\n"], [0, 1, 2])
        last = answer(client)
    if not last.startswith("exit "):
        print(f"ERROR: el proceso de TFX del worker terminó sin dar el resultado de {module} ({last!r}).",
              file=sys.stderr)
        return 1
    code = int(last.split()[1])
    # Killed by a signal: the shell's convention, 128 + its number.
    return code if code >= 0 else 128 - code


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["ping"]:
        return 0 if ping() else 1
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    return run(argv[0], argv[1:])


if __name__ == "__main__":
    sys.exit(main())
