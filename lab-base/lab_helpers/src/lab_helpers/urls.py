"""Where a lab answers: the host's IP and the lab's published port, which is also its port in the container.

docker-compose.yaml gives each lab LAB_HOST_IP (where the host publishes its
ports) and LAB_PORT (this lab's port, e.g. 8889 for Proyecto2), and publishes
LAB_PORT on the host as the same number. So the URL JupyterLab prints in its
log (jupyter/jupyter_server_config.py) and `lab-url` gives is the one a
student opens, and the container's own 127.0.0.1 URL names the same port.
"""

import os

DEFAULT_PORT = 8888
# A host IP that listens on every address is not one to type in a browser.
_ANY_ADDRESS = {"", "0.0.0.0", "::"}


def lab_port(environ: dict | None = None) -> int:
    """The port this lab listens on, in the container and on the host."""
    environ = os.environ if environ is None else environ
    return int(environ.get("LAB_PORT") or DEFAULT_PORT)


def public_url(environ: dict | None = None) -> str:
    """http://<LAB_HOST_IP, or 127.0.0.1 if it is every address>:<LAB_PORT>, with no path."""
    environ = os.environ if environ is None else environ
    host = environ.get("LAB_HOST_IP", "")
    host = "127.0.0.1" if host in _ANY_ADDRESS else host
    if ":" in host:  # an IPv6 address goes in brackets
        host = f"[{host}]"
    return f"http://{host}:{lab_port(environ)}"


def lab_url(token: str, environ: dict | None = None) -> str:
    """The URL that opens JupyterLab with `token`."""
    return f"{public_url(environ)}/lab?token={token}"
