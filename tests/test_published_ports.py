"""The lab's rule for published ports: a service with its own login follows LAB_HOST_IP, every other stays local.

JupyterLab asks for its token; serving, TensorBoard and MLflow have no login (MLflow's --allowed-hosts only
checks the Host header a client chooses to send). A service without a login is therefore published on
127.0.0.1 whatever LAB_HOST_IP says, and other containers reach it over the network `lab`. A service joins
services_with_login (harness/repo.py) only once it refuses a request without credentials
(tests/test_network_exposure.py checks it).
"""

from conftest import resolve_compose
from harness.repo import services_with_login

LOGIN_SERVICES = services_with_login()
# An address no default takes: a port bound to it follows LAB_HOST_IP.
OPENED_TO = "192.0.2.7"


def published(variables: dict[str, str]) -> dict[str, list[str]]:
    """Each service of every profile that publishes a port: the host IPs it binds, with `variables` set."""
    services = resolve_compose(variables, profiles=("*",))["services"]
    return {name: [p.get("host_ip", "") for p in s["ports"]] for name, s in services.items() if s.get("ports")}


def test_only_services_with_a_login_follow_lab_host_ip():
    """With LAB_HOST_IP set, a service with a login binds it; every other published port stays on 127.0.0.1."""
    for name, host_ips in published({"LAB_HOST_IP": OPENED_TO}).items():
        expected = OPENED_TO if name in LOGIN_SERVICES else "127.0.0.1"
        assert set(host_ips) == {expected}, (
            f"{name} publishes on {host_ips} with LAB_HOST_IP={OPENED_TO}; "
            + ("a service with a login follows LAB_HOST_IP" if name in LOGIN_SERVICES else
               "a service without a login is published on 127.0.0.1 always (or it gets a login and joins "
               "LOGIN_SERVICES)"))


def test_every_published_port_is_local_by_default():
    """With no .env, no service of any profile publishes a port beyond 127.0.0.1."""
    for name, host_ips in published({}).items():
        assert set(host_ips) == {"127.0.0.1"}, f"{name} publishes on {host_ips} with no LAB_HOST_IP set"


def test_no_service_shares_the_host_network():
    """No service uses the host's network, which would publish every port it listens on without a mapping."""
    services = resolve_compose(profiles=("*",))["services"]
    on_host = [name for name, s in services.items() if s.get("network_mode") == "host"]
    assert not on_host, f"services on the host network: {on_host}"
