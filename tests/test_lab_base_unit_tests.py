"""The shared helpers' (lab_base) unit tests pass inside a lab image, where the helpers are installed."""

import pytest

from harness.repo import proyectos, service_of

pytestmark = pytest.mark.e2e


def test_lab_base_unit_tests_pass_in_a_lab_image(stack):
    """`python -m pytest /opt/lab/lab-base/tests` in a lab container exits 0."""
    stack.run_unit_tests(service_of(proyectos()[0]), "/opt/lab/lab-base/tests", timeout=300)
