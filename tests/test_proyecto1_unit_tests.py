"""Proyecto1's own unit tests pass inside its image, with the command its README gives."""

import pytest

pytestmark = pytest.mark.e2e


def test_proyecto1_unit_tests_pass_in_the_container(stack):
    """`python -m pytest -q tests` in the proyecto1 container exits 0."""
    result = stack.exec("proyecto1", "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests",
                        timeout=900, check=False)
    assert result.returncode == 0, f"Proyecto1 unit tests failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
