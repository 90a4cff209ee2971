"""The data-api service is declared the way the lab promises: loopback only, its own volume, the data read-only."""

import json
import os
import subprocess

from harness.repo import COMPOSE_FILE, ROOT, proyectos, service_of


def test_published_on_localhost_even_when_the_lab_is_opened(compose_config):
    """With LAB_HOST_IP=0.0.0.0 (labs open to the network) the data API, which has no login, stays on 127.0.0.1."""
    env = {**os.environ, "LAB_HOST_IP": "0.0.0.0"}
    result = subprocess.run(["docker", "compose", "-f", str(COMPOSE_FILE), "--project-directory", str(ROOT),
                             "--env-file", os.devnull, "config", "--format", "json"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    opened = json.loads(result.stdout)["services"]
    assert [p["host_ip"] for p in opened[service_of(proyectos()[0])]["ports"]] == ["0.0.0.0"], "LAB_HOST_IP unread"
    ports = opened["data-api"]["ports"]
    assert [(p["host_ip"], p["target"], p["published"]) for p in ports] == [("127.0.0.1", 8000, "8000")], ports


def test_state_in_its_volume_and_data_read_only(compose_config):
    """/state is the named volume data-api-state (reset by `down -v`); shared-data is mounted read-only at /data."""
    service = compose_config["services"]["data-api"]
    mounts = {v["target"]: v for v in service["volumes"]}
    assert mounts["/state"]["type"] == "volume" and mounts["/state"]["source"] == "data-api-state", mounts
    assert mounts["/data"]["source"] == str(ROOT / "shared-data") and mounts["/data"].get("read_only"), mounts
    assert service["environment"]["LAB_BATCH_MINUTES"] == "5", service["environment"]


def test_every_lab_reaches_it_by_name(compose_config):
    """Each Proyecto's lab has LAB_DATA_API_URL naming the service and the port it listens on."""
    for proyecto in proyectos():
        url = compose_config["services"][service_of(proyecto)]["environment"].get("LAB_DATA_API_URL")
        assert url == "http://data-api:8000", f"{proyecto}: LAB_DATA_API_URL={url!r}"
