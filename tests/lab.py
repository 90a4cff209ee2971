"""Drive the lab's compose stack from tests: run compose, exec in services, poll."""

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yaml"
JUPYTER_PORT = 8888

# Python that opens, inside a lab container, the MLMD database at sys.argv[1]
# read-only as `store` (a test never locks a pipeline's SQLite file). Queries
# are appended to it and run with `python -c`.
MLMD_READONLY = """
import collections, json, sys
import ml_metadata as mlmd
from ml_metadata.proto import metadata_store_pb2 as pb
config = pb.ConnectionConfig()
config.sqlite.filename_uri = sys.argv[1]
config.sqlite.connection_mode = pb.SqliteMetadataSourceConfig.READONLY
store = mlmd.MetadataStore(config)
"""


def proyectos() -> list[str]:
    """The Proyecto folders of the lab, e.g. ['Proyecto1', 'Proyecto2']."""
    return sorted(p.name for p in (ROOT / "Proyectos").glob("Proyecto*") if p.is_dir())


def service_of(proyecto: str) -> str:
    """The compose service that runs a Proyecto's JupyterLab."""
    return proyecto.lower()


def docker_available() -> bool:
    """True when a Docker engine and Compose v2 answer."""
    if not shutil.which("docker"):
        return False
    checks = (["docker", "info"], ["docker", "compose", "version"])
    return all(subprocess.run(c, capture_output=True, timeout=60).returncode == 0 for c in checks)


def free_port() -> int:
    """A TCP port nobody listens on right now, on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check: Callable[[], object], timeout: float, what: str, interval: float = 1.0):
    """Poll `check` until it returns something truthy; fail naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except Exception as error:  # noqa: BLE001 - remembered for the failure message
            last_error = error
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what} (last error: {last_error!r})")


def http_get(url: str, headers: dict | None = None, timeout: float = 10) -> tuple[int, str, str]:
    """GET `url`; return (status, final URL after redirects, body)."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.url, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.url, error.read().decode()


@dataclass
class Stack:
    """One compose project of the lab, isolated from a student's by its name and ports."""

    project: str
    token: str
    env: dict = field(default_factory=dict)

    def __post_init__(self):
        # Every host-port variable of the compose file (PROYECTO1_PORT, ...) gets a free port.
        ports = {name: str(free_port()) for name in re.findall(r"\$\{(\w+_PORT)\b", COMPOSE_FILE.read_text())}
        self.env = {**os.environ, **ports, "LAB_HOST_IP": "127.0.0.1", "JUPYTER_TOKEN": self.token, **self.env}

    def compose(self, *args: str, timeout: float = 600, check: bool = True) -> subprocess.CompletedProcess:
        """Run `docker compose <args>` for this project; fail with its output if `check`."""
        command = ["docker", "compose", "-p", self.project, "-f", str(COMPOSE_FILE),
                   "--project-directory", str(ROOT), *args]
        result = subprocess.run(command, capture_output=True, text=True, env=self.env, timeout=timeout)
        if check:
            assert result.returncode == 0, (
                f"`{' '.join(command)}` exited {result.returncode}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
        return result

    def up(self, build: bool = True, timeout: float = 1800) -> None:
        """Start every service and wait until all are healthy."""
        self.compose("up", *(["--build"] if build else []), "-d", "--wait", timeout=timeout)

    def down(self, volumes: bool = False, remove_images: bool = False) -> None:
        """Stop the stack; `volumes` also deletes its volumes (a student's `down -v`).

        `remove_images` deletes the images built for this project (named
        <project>-<service>) and test projects' untagged builds of the base,
        never the tagged tfx-lab-base image a student's lab starts from.
        """
        self.compose("down", "--remove-orphans", *(["-v"] if volumes else []), timeout=300)
        if remove_images:
            own = docker("image", "ls", "--filter", f"reference={self.project}-*", "--format", "{{.Repository}}")
            if own.split():
                docker("image", "rm", *own.split())
            remove_dangling_test_builds()

    def exec(self, service: str, *command: str, timeout: float = 600, check: bool = True,
             user: str | None = None) -> subprocess.CompletedProcess:
        """Run a command in the service's running container."""
        return self.compose("exec", "-T", *(["-u", user] if user else []), service, *command,
                            timeout=timeout, check=check)

    def run_unit_tests(self, service: str, path: str = "tests", timeout: float = 900) -> None:
        """Run pytest on `path` in the service's container; fail with its output unless every test passes."""
        result = self.exec(service, "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", path,
                           timeout=timeout, check=False)
        assert result.returncode == 0, (
            f"{service} unit tests in {path} failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")

    def url(self, service: str, path: str = "/") -> str:
        """The host URL of a service's JupyterLab, as published on 127.0.0.1."""
        published = self.compose("port", service, str(JUPYTER_PORT)).stdout.strip()
        return f"http://{published}{path}"

    def health(self) -> dict[str, str]:
        """Each running service's container health, e.g. {'proyecto1': 'healthy'}."""
        lines = self.compose("ps", "--format", "json").stdout.splitlines()
        rows = [json.loads(line) for line in lines if line.strip()]
        return {row["Service"]: row.get("Health") or row.get("State") for row in rows}


def docker(*args: str, timeout: float = 120) -> str:
    """Run a plain `docker` CLI command and return its stdout."""
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout).stdout


def remove_dangling_test_builds() -> None:
    """Remove the untagged builds of the shared base left by test projects (named tfxlab-...).

    Compose labels each build with its project, so every test project's build of
    tfx-lab-base is an image of its own (sharing all layers); when another project
    retags tfx-lab-base:1.21 the older one is left dangling. A student's project
    (tfx-lab) and the tagged base image are never touched.
    """
    dangling = docker("image", "ls", "-q", "--filter", "dangling=true",
                      "--filter", "label=com.docker.compose.service=lab-base").split()
    for image in dangling:
        project = docker("image", "inspect", "-f", '{{index .Config.Labels "com.docker.compose.project"}}', image)
        if project.startswith("tfxlab-"):
            docker("image", "rm", image)
