"""Proyecto1's own unit tests pass inside its image, with the command its README gives."""

import pytest

pytestmark = pytest.mark.e2e


def test_proyecto1_unit_tests_pass_in_the_container(stack):
    """`python -m pytest -q tests` in the proyecto1 container exits 0."""
    stack.run_unit_tests("proyecto1")
