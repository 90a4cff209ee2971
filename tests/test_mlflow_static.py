"""The mlflow service is declared the way the lab promises: localhost only, its own volume, the labs' MLflow version."""

import tomllib

from harness.repo import ROOT, proyectos, service_of

TRACKING_URI = "http://mlflow:5000"


def locked(lock_file) -> dict[str, str]:
    packages = tomllib.loads(lock_file.read_text())["package"]
    return {p["name"]: p["version"] for p in packages if "version" in p and "registry" in p.get("source", {})}


def test_mlflow_publishes_on_localhost_with_its_own_volume(compose_config):
    """mlflow listens on 127.0.0.1:5000 by default and keeps its runs in the named volume mlflow-data, not in /tfx."""
    service = compose_config["services"]["mlflow"]
    assert [(p["host_ip"], p["published"], p["target"]) for p in service["ports"]] == [("127.0.0.1", "5000", 5000)]
    assert [(v["type"], v["source"], v["target"]) for v in service["volumes"]] == [("volume", "mlflow-data", "/mlflow")]
    assert "mlflow-data" in compose_config["volumes"], compose_config["volumes"]
    assert service["platform"] == "linux/amd64" and service["restart"] == "unless-stopped", service


def test_labs_and_serving_log_to_the_mlflow_service(compose_config):
    """Every lab and the serving service have MLFLOW_TRACKING_URI = the mlflow service on the lab network."""
    for name in [*map(service_of, proyectos()), "serving"]:
        environment = compose_config["services"][name].get("environment", {})
        assert environment.get("MLFLOW_TRACKING_URI") == TRACKING_URI, f"{name}: {environment}"


def test_labs_do_not_wait_for_mlflow(compose_config):
    """No service depends on mlflow: without it the labs still start and the pipelines still push."""
    waiting = [name for name, s in compose_config["services"].items() if "mlflow" in s.get("depends_on", {})]
    assert not waiting, f"services that depend on mlflow: {waiting}"


def test_server_is_the_version_of_the_labs_client():
    """The server's mlflow is the version of the mlflow-skinny client in the lab's stack."""
    server = locked(ROOT / "services/mlflow/uv.lock")
    client = locked(ROOT / "lab-base/uv.lock")
    assert server["mlflow"] == client["mlflow-skinny"], (server["mlflow"], client["mlflow-skinny"])
    assert server["mlflow-skinny"] == client["mlflow-skinny"], (server["mlflow-skinny"], client["mlflow-skinny"])
