"""The serving, TensorBoard and MLflow services are declared the way the lab promises: safe defaults, on the base."""

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


@pytest.mark.parametrize("service", ["serving", "tensorboard", "mlflow"])
def test_service_builds_on_the_lab_base(compose_config, service):
    """The service's image starts FROM the lab's base (compose hands it in), sharing its layers on disk."""
    build = compose_config["services"][service]["build"]
    assert build["additional_contexts"].get("lab-base") == "service:lab-base", f"{service}: {build}"
    first = next(line for line in (ROOT / "services" / service / "Dockerfile").read_text().splitlines()
                 if line.startswith("FROM "))
    assert first == "FROM ${LAB_BASE}", f"services/{service}/Dockerfile starts {first!r}"


# The services whose lock builds on the lab's stack (a path dependency on lab-base); Airflow, the data API and
# Locust are stacks of their own.
ON_LAB_BASE = sorted(lock for lock in ROOT.glob("services/*/uv.lock")
                     if "lab-base" in tomllib.loads((lock.parent / "pyproject.toml").read_text())["project"].get(
                         "dependencies", []))


@pytest.mark.parametrize("lock", ON_LAB_BASE, ids=lambda p: p.parent.name)
def test_service_lock_agrees_with_shared_stack(lock):
    """A service's lock on the lab's stack adds its own packages without changing any stack version."""
    stack = locked(ROOT / "lab-base/uv.lock")
    own = locked(lock)
    differ = {n: (v, own.get(n)) for n, v in stack.items() if own.get(n) != v}
    assert not differ, f"{lock.relative_to(ROOT)} differs from lab-base (stack, own): {differ}; re-run `uv lock`"
