"""The compose profile `escalado` adds Beam worker pools that see what the labs see; by default nothing changes."""

import json
import os
import subprocess

import pytest

from harness.repo import COMPOSE_FILE, ROOT, proyectos, service_of, uv_image

WORKERS = ["beam-worker-1", "beam-worker-2"]


@pytest.fixture(scope="module")
def escalado(compose_config) -> dict:
    """docker-compose.yaml as Compose resolves it with the profile escalado and no .env."""
    result = subprocess.run(
        ["docker", "compose", "-f", str(COMPOSE_FILE), "--project-directory", str(ROOT), "--env-file", os.devnull,
         "--profile", "escalado", "config", "--format", "json"], capture_output=True, text=True, timeout=60,
        env={k: v for k, v in os.environ.items() if not k.startswith(("LAB_", "COMPOSE_"))})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_default_lab_runs_beam_in_process_without_workers(compose_config):
    """Without the profile no worker starts, and every lab runs Beam in-process (LAB_BEAM_MODE=in_process)."""
    assert not set(WORKERS) & set(compose_config["services"]), sorted(compose_config["services"])
    for proyecto in proyectos():
        environment = compose_config["services"][service_of(proyecto)]["environment"]
        assert environment["LAB_BEAM_MODE"] == "in_process", environment
        assert environment["LAB_BEAM_WORKERS"] == "", "empty: lab_helpers.beam's default, beam-worker-1 and -2"


def test_workers_are_built_on_the_lab_base(escalado):
    """Each worker is services/beam-worker over the lab's base, with the pinned uv like every build."""
    for worker in WORKERS:
        build = escalado["services"][worker]["build"]
        assert build["context"] == str(ROOT / "services" / "beam-worker"), build
        assert build["additional_contexts"] == {"lab-base": "service:lab-base", "uv": f"docker-image://{uv_image()}"}


def test_workers_see_the_labs_paths_and_code(escalado):
    """The shared /tfx, /data read-only and every Proyecto's work volume read-only under /home/lab/proyectos/."""
    for worker in WORKERS:
        service = escalado["services"][worker]
        mounts = {v["target"]: v for v in service["volumes"]}
        assert mounts["/tfx"]["source"] == "tfx" and not mounts["/tfx"].get("read_only"), mounts["/tfx"]
        assert mounts["/data"]["source"] == str(ROOT / "shared-data") and mounts["/data"]["read_only"], mounts
        for proyecto in proyectos():
            code = mounts.get(f"/home/lab/proyectos/{service_of(proyecto)}")
            assert code and code["source"] == f"{service_of(proyecto)}-work" and code["read_only"], (
                f"{worker} lacks {proyecto}'s work volume, read-only: a new Proyecto adds it to x-beam-worker")
        assert service["networks"] == {"lab": None} and service["platform"] == "linux/amd64", worker
        assert "ports" not in service, f"{worker} publishes a port: the workers are for the labs only"
