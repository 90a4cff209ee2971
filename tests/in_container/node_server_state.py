"""Print the state of the worker's warm TFX process (lab_helpers.node_server) as JSON, read from /proc.

    python node_server_state.py    # {"pid": ..., "threads": 1, "tensorflow_loaded": true}

Runs in a Proyecto's Airflow worker, with any Python (standard library only).
"""

import json
from pathlib import Path


def server_pid() -> int | None:
    """The oldest process whose command line runs lab_helpers.node_server."""
    for proc in sorted((p for p in Path("/proc").iterdir() if p.name.isdigit()), key=lambda p: int(p.name)):
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"lab_helpers.node_server" in argv:
            return int(proc.name)
    return None


pid = server_pid()
state = {"pid": pid}
if pid:
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    state["threads"] = int(status["Threads"])
    state["tensorflow_loaded"] = "libtensorflow" in Path(f"/proc/{pid}/maps").read_text()
print(json.dumps(state))
