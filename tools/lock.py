"""Lock the lab's uv projects with the Python and uv the images use, in a container.

    uv run python tools/lock.py                      # every project: lab-base, each Proyecto, services/*
    uv run python tools/lock.py Proyectos/Proyecto3  # only these folders (the scaffold calls it so)

The lab's stack needs Python 3.13 on Linux x86_64, which a laptop may not have
(and `uv lock` would download it). This runs `uv lock` inside the python:3.13
image the lab builds from, with the uv version docker-compose.yaml pins, as your
own user so the lock files stay yours. lab-base goes first: the others lock
against its stack.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from harness.repo import ROOT, uv_image

PYTHON_IMAGE = "python:3.13-slim-trixie"


def projects() -> list[Path]:
    """Every uv project of the lab, lab-base first."""
    others = sorted(p.parent for folder in ("Proyectos", "services") for p in ROOT.glob(f"{folder}/*/pyproject.toml"))
    return [ROOT / "lab-base", *others]


def uv_binary(folder: Path) -> Path:
    """Copy the uv binary out of its image (FROM scratch: no shell to run) into `folder`."""
    name = f"tfx-lab-uv-{os.getpid()}"
    subprocess.run(["docker", "create", "--name", name, uv_image(), "/uv"], check=True, capture_output=True)
    try:
        subprocess.run(["docker", "cp", f"{name}:/uv", str(folder / "uv")], check=True, capture_output=True)
    finally:
        subprocess.run(["docker", "rm", name], capture_output=True)
    return folder / "uv"


def lock(folders: list[Path], check: bool = False) -> None:
    """`uv lock` (or `uv lock --check`) in each folder, in order, in one Python 3.13 container."""
    relative = [str(f.resolve().relative_to(ROOT)) for f in folders]
    with tempfile.TemporaryDirectory() as tools:
        uv = uv_binary(Path(tools))
        script = " && ".join(f"(cd /lab/{r} && echo '== {r}' && uv lock{' --check' if check else ''})"
                             for r in relative)
        command = ["docker", "run", "--rm", "--user", f"{os.getuid()}:{os.getgid()}",
                   "-e", "HOME=/tmp", "-e", "UV_PYTHON_DOWNLOADS=never",
                   "-v", f"{ROOT}:/lab", "-v", f"{uv}:/usr/local/bin/uv:ro", PYTHON_IMAGE, "sh", "-c", script]
        result = subprocess.run(command)
    if result.returncode:
        sys.exit(f"uv lock falló en {', '.join(relative)} (salida arriba)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, help="uv projects to lock (default: all of them)")
    parser.add_argument("--check", action="store_true", help="only check that the locks are up to date")
    args = parser.parse_args(argv)
    lock([ROOT / f if not f.is_absolute() else f for f in args.folders] or projects(), check=args.check)


if __name__ == "__main__":
    main()
