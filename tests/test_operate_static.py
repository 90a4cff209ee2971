"""The services that operate the served model are declared as the lab promises: loopback-only, limits from .env."""

from harness.compose import resolved_config

# Services without a login: published on 127.0.0.1 whatever LAB_HOST_IP says.
LOOPBACK = {"serving-lb": 8501, "prometheus": 9090, "locust": 8089}


def test_services_without_login_stay_on_loopback_whatever_lab_host_ip_says():
    """With LAB_HOST_IP=0.0.0.0, the balancer, Prometheus and Locust still publish on 127.0.0.1 only."""
    services = resolved_config({"LAB_HOST_IP": "0.0.0.0", "COMPOSE_PROFILES": "carga"})["services"]
    for name, port in LOOPBACK.items():
        ports = [(p["host_ip"], p["target"]) for p in services[name]["ports"]]
        assert ports == [("127.0.0.1", port)], f"{name}: {ports}"
    assert "ports" not in services["serving"], "serving's replicas publish a port: they cannot share one"


def test_serving_replicas_and_limits_come_from_the_environment():
    """SERVING_REPLICAS, SERVING_CPUS and SERVING_MEMORY (.env) set serving's replicas and limits."""
    deploy = resolved_config({"SERVING_REPLICAS": "3", "SERVING_CPUS": "0.5", "SERVING_MEMORY": "600m"})[
        "services"]["serving"]["deploy"]
    assert deploy["replicas"] == 3, deploy
    assert float(deploy["resources"]["limits"]["cpus"]) == 0.5, deploy
    assert int(deploy["resources"]["limits"]["memory"]) == 600 * 2**20, deploy


def test_locust_runs_only_in_the_carga_profile():
    """`docker compose up` leaves Locust out; the profile `carga` (or `run locust`) brings it."""
    assert "locust" not in resolved_config()["services"], "Locust starts with a plain `docker compose up`"
    locust = resolved_config({"COMPOSE_PROFILES": "carga"})["services"]["locust"]
    assert locust["profiles"] == ["carga"], locust.get("profiles")
    assert locust["environment"]["LOCUST_HOST"] == "http://serving-lb:8501", locust["environment"]

