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

from harness.repo import COMPOSE_FILE, ROOT


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


def port_variables(compose_file: Path = COMPOSE_FILE) -> list[str]:
    """The host-port variables the compose file reads (PROYECTO1_PORT, SERVING_PORT, ...)."""
    return sorted(set(re.findall(r"\$\{(\w+_PORT)\b", compose_file.read_text())))


def isolated_environment(project: str, token: str, compose_file: Path = COMPOSE_FILE) -> dict:
    """os.environ plus what keeps a compose project off a student's lab: its own name, free ports, a token."""
    ports = {name: str(free_port()) for name in port_variables(compose_file)}
    return {**os.environ, **ports, "COMPOSE_PROJECT_NAME": project, "LAB_HOST_IP": "127.0.0.1",
            "JUPYTER_TOKEN": token}


@dataclass
class Stack:
    """One compose project of the lab, isolated from a student's by its name and ports."""

    project: str
    token: str
    root: Path = ROOT
    env: dict = field(default_factory=dict)

    def __post_init__(self):
        self.env = {**isolated_environment(self.project, self.token, self.root / COMPOSE_FILE.name), **self.env}

    def compose(self, *args: str, timeout: float = 600, check: bool = True) -> subprocess.CompletedProcess:
        """Run `docker compose <args>` for this project; fail with its output if `check`."""
        command = ["docker", "compose", "-p", self.project, "-f", str(self.root / COMPOSE_FILE.name),
                   "--project-directory", str(self.root), *args]
        result = subprocess.run(command, capture_output=True, text=True, env=self.env, timeout=timeout)
        if check:
            assert result.returncode == 0, (
                f"`{' '.join(command)}` exited {result.returncode}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
        return result

    def up(self, *services: str, build: bool = True, timeout: float = 1800) -> None:
        """Start `services` (with what they depend on), else every service, and wait until all are healthy."""
        self.compose("up", *(["--build"] if build else []), "-d", "--wait", *services, timeout=timeout)

    def down(self, volumes: bool = False, remove_images: bool = False) -> None:
        """Stop the stack; `volumes` also deletes its volumes (a student's `down -v`).

        `remove_images` deletes the images built for this project, the base
        included: Compose names them <project>-<service>, so a student's images
        (project tfx-lab) are never touched. Every profile's services go too (the
        Beam workers of `escalado`): a plain `down` leaves them running, and with
        them the network and the volumes they use.
        """
        self.compose("--profile", "*", "down", "--remove-orphans", *(["-v"] if volumes else []), timeout=300)
        if remove_images:
            remove_project_images(self.project)

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

    def metadata(self, metadata_path: str, reader: str) -> dict:
        """A pipeline's ML Metadata store as `python -m lab_helpers.metadata` prints it, read in a new `reader`."""
        # --quiet-build: `run` first (re)builds the build-only base, whose progress would go to stdout.
        result = self.compose("run", "--rm", "--no-deps", "--quiet-build", "-T", reader, "python", "-m",
                              "lab_helpers.metadata", metadata_path, timeout=300)
        return json.loads(result.stdout)

    def url(self, service: str, path: str = "/") -> str:
        """The host URL of a lab service, on 127.0.0.1 and its port variable (e.g. PROYECTO2_PORT)."""
        return f"http://127.0.0.1:{self.env[f'{service.upper()}_PORT']}{path}"

    def health(self) -> dict[str, str]:
        """Each running service's container health, e.g. {'proyecto1': 'healthy'}."""
        lines = self.compose("ps", "--format", "json").stdout.splitlines()
        rows = [json.loads(line) for line in lines if line.strip()]
        return {row["Service"]: row.get("Health") or row.get("State") for row in rows}


def resolved_config(variables: dict[str, str] | None = None, compose_file: Path = COMPOSE_FILE,
                    profiles: tuple[str, ...] = ()) -> dict:
    """The compose file as Compose resolves it with no .env, none of its variables set but `variables`, and
    `profiles` on (COMPOSE_PROFILES from the caller's environment is ignored unless given in `variables`)."""
    names = set(re.findall(r"\$\{(\w+)", compose_file.read_text())) | {"COMPOSE_PROFILES"}
    env = {k: v for k, v in os.environ.items() if k not in names} | (variables or {})
    result = subprocess.run(
        ["docker", "compose", "-f", str(compose_file), "--project-directory", str(compose_file.parent),
         "--env-file", os.devnull, *(f"--profile={p}" for p in profiles), "config", "--format", "json"],
        capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, f"docker compose config failed:\n{result.stderr}"
    return json.loads(result.stdout)


def docker(*args: str, timeout: float = 120) -> str:
    """Run a plain `docker` CLI command and return its stdout."""
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout).stdout


def remove_project_images(project: str) -> None:
    """Remove every image Compose built for `project` (<project>-<service>, the base included)."""
    own = docker("image", "ls", "--filter", f"label=com.docker.compose.project={project}", "-q").split()
    named = docker("image", "ls", "--filter", f"reference={project}-*", "--format", "{{.Repository}}").split()
    if own or named:
        docker("image", "rm", "-f", *sorted(set(own + named)))
