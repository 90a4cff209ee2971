"""The repository's layout: where the Proyectos, the compose file and the pinned uv are."""

import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yaml"


def proyectos(root: Path = ROOT) -> list[str]:
    """The Proyecto folders of the lab in number order, e.g. ['Proyecto1', 'Proyecto2', 'Proyecto10']."""
    found = [p.name for p in (root / "Proyectos").glob("Proyecto*") if p.is_dir() and p.name[8:].isdigit()]
    return sorted(found, key=lambda name: int(name[8:]))


def service_of(proyecto: str) -> str:
    """The compose service that runs a Proyecto's JupyterLab."""
    return proyecto.lower()


def services_with_login(root: Path = ROOT) -> set[str]:
    """The services with a login of their own, the only ones published on LAB_HOST_IP (docker-compose.yaml):
    each Proyecto's JupyterLab (its token) and Airflow's API server (its login page)."""
    return {*map(service_of, proyectos(root)), "airflow-apiserver"}


def uv_image(compose_file: Path = COMPOSE_FILE) -> str:
    """The uv image every build uses: the one place docker-compose.yaml pins it."""
    found = re.findall(r"docker-image://(ghcr\.io/astral-sh/uv:[\w.]+)", compose_file.read_text())
    if len(set(found)) != 1:
        raise ValueError(f"{compose_file} must pin exactly one uv image, found {sorted(set(found))}")
    return found[0]


def copy_repo(destination: Path, root: Path = ROOT) -> Path:
    """Copy the repository's tracked and unignored files (the working tree as it is) into `destination`."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=root, check=True,
                           capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, files):
        source = root / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination
