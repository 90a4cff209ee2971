"""Every Dockerfile of the lab passes hadolint and ends as the non-root user; every service image has a HEALTHCHECK."""

import shutil
import subprocess

import pytest

from harness.repo import ROOT

DOCKERFILES = sorted(p for p in ROOT.rglob("Dockerfile") if ".venv" not in p.parts)
# Images that run a service: the base (every lab inherits its healthcheck), serving, TensorBoard, MLflow, the
# Beam workers, the data API, and the ones that operate serving (its balancer, Prometheus, Locust).
SERVICE_IMAGES = [p for p in DOCKERFILES if p.parent.name in ("lab-base", "serving", "tensorboard", "mlflow",
                                                              "beam-worker", "data-api", "serving-lb", "prometheus",
                                                              "locust")]


def name(path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=name)
def test_dockerfile_passes_hadolint(dockerfile):
    """The Dockerfile has no hadolint warnings."""
    hadolint = shutil.which("hadolint")
    assert hadolint, "hadolint is missing: run the tests with `uv run pytest` (it installs the dev group)"
    result = subprocess.run([hadolint, "--failure-threshold", "warning", str(dockerfile)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=name)
def test_dockerfile_ends_as_the_lab_user(dockerfile):
    """The last USER is `lab` (uid 1000), or the file leaves the base's USER lab as it is."""
    users = [line.split()[1] for line in dockerfile.read_text().splitlines() if line.startswith("USER ")]
    assert not users or users[-1] == "lab", f"{name(dockerfile)} ends as USER {users[-1]}"


@pytest.mark.parametrize("dockerfile", SERVICE_IMAGES, ids=name)
def test_service_image_has_a_healthcheck(dockerfile):
    """The image declares a HEALTHCHECK that probes every second while it starts (`up --wait` returns early)."""
    checks = [line for line in dockerfile.read_text().splitlines() if line.startswith("HEALTHCHECK")]
    assert checks and "--start-interval=1s" in checks[0], f"{name(dockerfile)}: {checks}"
