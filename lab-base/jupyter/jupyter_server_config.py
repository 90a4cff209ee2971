# Every `jupyter lab` of the lab loads this file (the sys.prefix config of
# /opt/venv). `c` is the configuration object Jupyter hands to config files.
import logging

from lab_compat import avx
from lab_helpers.urls import lab_port, public_url

# Listen on every interface of the container, on the lab's published port
# (LAB_PORT). "" rather than "0.0.0.0": with a wildcard address Jupyter would
# print the container's hostname as the URL to copy, which no browser opens.
c.ServerApp.ip = ""  # noqa: F821
c.ServerApp.port = lab_port()  # noqa: F821
# The URL in the log ("http://…/lab?token=…") names the host's address and the
# lab's port: the one a student copies from `docker compose logs` opens this lab.
c.ServerApp.custom_display_url = public_url()  # noqa: F821

# Without AVX, TensorFlow cannot load in any kernel: say so in the lab's log at start-up.
if not avx.has_avx():
    logging.getLogger("lab").error("*** %s ***", avx.MESSAGE)
