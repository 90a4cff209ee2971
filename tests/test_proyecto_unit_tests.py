"""Each Proyecto's own unit tests (its tests/ folder) pass inside its image."""

import pytest

from harness.repo import proyectos, service_of

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("proyecto", proyectos())
def test_unit_tests_pass_in_the_image(stack, proyecto):
    """`python -m pytest -q tests` in the Proyecto's container exits 0 (the README's command)."""
    stack.run_unit_tests(service_of(proyecto))
