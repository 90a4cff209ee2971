"""Every lab pipeline names Beam's runner, so Beam never tries to download its Prism runner; without the pin it does.

Beam 2.77's default DirectRunner, outside IPython, first tries the Prism runner, downloading it from GitHub,
and says so only at INFO, which Python does not show by default. The probe (tests/in_container/beam_probe.py)
turns Beam's INFO logs on, so these tests see the attempt when it happens.
"""

import json

import pytest

from conftest import BEAM_PROBE
from harness.repo import proyectos, service_of

pytestmark = pytest.mark.e2e

# What Beam logs (INFO) when its DirectRunner hands a pipeline to Prism.
PRISM_ATTEMPT = "Running pipeline with PrismRunner"


def probe(stack, service: str, *args: str) -> dict:
    stack.compose("cp", str(BEAM_PROBE), f"{service}:/tmp/beam_probe.py")
    result = stack.exec(service, "python", "/tmp/beam_probe.py", *args, timeout=600)
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("proyecto", proyectos())
def test_pipeline_pins_beams_runner(stack, proyecto):
    """The pipeline `python -m proyecton.pipeline` builds carries --runner=FnApiRunner in its Beam arguments."""
    service = service_of(proyecto)
    args = probe(stack, service, "pipeline-args", f"{service}.pipeline", "--tfx-dir", "/tmp/beam-probe-tfx")
    assert "--runner=FnApiRunner" in args["beam_pipeline_args"], args


def test_beam_tries_prism_only_without_the_pin(stack):
    """The same probe sees Beam try Prism once the runner pin is removed, and not with the lab's arguments."""
    service = service_of(proyectos()[0])
    unpinned = probe(stack, service, "run", "unpinned")
    assert any(PRISM_ATTEMPT in line for line in unpinned["records"]), (
        "without --runner the probe should see Beam try Prism; its INFO records:\n" + "\n".join(unpinned["records"]))
    pinned = probe(stack, service, "run", "lab")
    tried = [line for line in pinned["records"] if "prism" in line.lower()]
    assert not tried, f"with the lab's Beam arguments {pinned['beam_pipeline_args']} Beam tried Prism: {tried}"
