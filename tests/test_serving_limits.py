"""The serving containers run with the CPU and memory limits docker-compose.yaml takes from .env."""

import json

import pytest

from harness.compose import docker

pytestmark = pytest.mark.e2e


def test_limits_from_env_are_applied(stack, compose_config):
    """Each serving container's NanoCpus and Memory match SERVING_CPUS and SERVING_MEMORY as Compose resolved them."""
    limits = compose_config["services"]["serving"]["deploy"]["resources"]["limits"]
    containers = stack.compose("ps", "-q", "serving").stdout.split()
    assert len(containers) == compose_config["services"]["serving"]["deploy"]["replicas"], containers
    for container in containers:
        host = json.loads(docker("inspect", container))[0]["HostConfig"]
        assert host["NanoCpus"] == int(float(limits["cpus"]) * 1e9), host["NanoCpus"]
        assert host["Memory"] == int(limits["memory"]), host["Memory"]
