"""The unit tests of the lab's own packages (lab_helpers, lab_compat, lab_scaleout) pass inside a lab image."""

import pytest

from harness.repo import ROOT

pytestmark = pytest.mark.e2e

PACKAGES = sorted(p.name for p in (ROOT / "lab-base").glob("lab_*") if (p / "pyproject.toml").exists())


def test_every_package_is_found():
    """The three rooms of lab-base are found by folder (a new package adds its tests here)."""
    assert PACKAGES == ["lab_compat", "lab_helpers", "lab_scaleout"], PACKAGES


@pytest.mark.parametrize("package", PACKAGES)
def test_unit_tests_pass_in_a_lab_image(proyecto2_lab, package):
    """`python -m pytest /opt/lab/lab-base/<package>/tests` in a lab container exits 0. Any lab image has the base;
    Proyecto2's lab of its own (tests/conftest.py) is used so these minutes leave the session lab's lane."""
    proyecto2_lab.run_unit_tests("proyecto2", f"/opt/lab/lab-base/{package}/tests", timeout=600)
