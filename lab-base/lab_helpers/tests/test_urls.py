"""lab_helpers.urls gives the URL a student opens: the host's address and the lab's published port."""

from lab_helpers.urls import lab_port, lab_url, public_url


def test_default_is_localhost_8888():
    """With nothing set, the lab is http://127.0.0.1:8888."""
    assert public_url({}) == "http://127.0.0.1:8888"


def test_host_ip_and_port_come_from_compose():
    """LAB_HOST_IP and LAB_PORT (set per lab in docker-compose.yaml) make the URL."""
    environ = {"LAB_HOST_IP": "192.168.1.20", "LAB_PORT": "8889"}
    assert lab_url("abc", environ) == "http://192.168.1.20:8889/lab?token=abc"
    assert lab_port(environ) == 8889


def test_every_address_becomes_localhost():
    """LAB_HOST_IP=0.0.0.0 opens the lab to the network, but 0.0.0.0 is not an address to browse to."""
    assert public_url({"LAB_HOST_IP": "0.0.0.0", "LAB_PORT": "8890"}) == "http://127.0.0.1:8890"


def test_ipv6_host_goes_in_brackets():
    """An IPv6 host IP is written [::1] in a URL."""
    assert public_url({"LAB_HOST_IP": "::1", "LAB_PORT": "8888"}) == "http://[::1]:8888"
