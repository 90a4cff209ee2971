"""The serving and TensorBoard services are declared the way the lab promises: safe defaults, pinned stacks."""

import tomllib

import pytest

from harness.repo import ROOT

SERVICES = {"serving": 8501, "tensorboard": 6006}
# Who publishes each service's port: serving's replicas cannot share one, nginx (serving-lb) publishes it for them.
PUBLISHER = {"serving": "serving-lb"}


@pytest.fixture(scope="module")
def services(compose_config) -> dict:
    """The two services as Compose resolves them with no .env and no variables."""
    return {name: compose_config["services"][name] for name in SERVICES}


def test_services_publish_on_localhost_and_mount_the_volume_read_only(services, compose_config):
    """Each service listens on 127.0.0.1 only and mounts the shared volume read-only at /tfx."""
    for name, service in services.items():
        ports = compose_config["services"][PUBLISHER.get(name, name)]["ports"]
        assert [(p["host_ip"], p["target"]) for p in ports] == [("127.0.0.1", SERVICES[name])], f"{name}: {ports}"
        tfx = [v for v in service["volumes"] if v["target"] == "/tfx"]
        assert tfx and tfx[0]["source"] == "tfx" and tfx[0].get("read_only") is True, f"{name}: {tfx}"
        assert service["platform"] == "linux/amd64" and service["networks"] == {"lab": None}, name


def locked(lock_file) -> dict[str, str]:
    packages = tomllib.loads(lock_file.read_text())["package"]
    return {p["name"]: p["version"] for p in packages if "version" in p and "registry" in p.get("source", {})}


def test_serving_lock_agrees_with_shared_stack():
    """The serving image adds FastAPI on top of the stack without changing any stack version."""
    stack = locked(ROOT / "lab-base/uv.lock")
    own = locked(ROOT / "services/serving/uv.lock")
    differ = {n: (v, own.get(n)) for n, v in stack.items() if own.get(n) != v}
    assert not differ, f"services/serving/uv.lock differs from lab-base (stack, own): {differ}; re-run `uv lock`"


def test_tensorboard_reads_with_the_version_proyecto2_writes_with():
    """The TensorBoard service pins the TensorBoard version Proyecto2's Trainer logs with."""
    service = locked(ROOT / "services/tensorboard/uv.lock")["tensorboard"]
    writer = locked(ROOT / "Proyectos/Proyecto2/uv.lock")["tensorboard"]
    assert service == writer, f"tensorboard service {service}, Proyecto2 {writer}"
