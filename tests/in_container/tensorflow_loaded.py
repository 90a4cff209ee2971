"""In a container: which of its processes have TensorFlow's library loaded; print JSON {command line: loaded?}."""

import json
from pathlib import Path

loaded = {}
for process in Path("/proc").glob("[0-9]*"):
    try:
        command = process.joinpath("cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        maps = process.joinpath("maps").read_text()
    except OSError:  # the process ended, or is not ours to read
        continue
    if command:
        loaded[command] = "libtensorflow" in maps
print(json.dumps(loaded))
