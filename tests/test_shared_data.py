"""shared-data/ is mounted read-only in every lab, with the datasets the Proyectos use."""

import pytest

from harness.repo import proyectos, service_of

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("proyecto", proyectos())
def test_shared_data_is_mounted_read_only(stack, proyecto):
    """Writing under /data fails with a read-only file system error."""
    result = stack.exec(service_of(proyecto), "touch", "/data/written-by-a-test", check=False)
    assert result.returncode != 0, f"{proyecto} could write to /data"
    assert "Read-only file system" in result.stderr, result.stderr


@pytest.mark.parametrize("proyecto", proyectos())
def test_datasets_are_visible(stack, proyecto):
    """The Chicago Taxi spans and Palmer Penguins are readable in the lab."""
    result = stack.exec(service_of(proyecto), "wc", "-l", "/data/chicago-taxi/span-1/data.csv",
                        "/data/chicago-taxi/span-2/data.csv", "/data/penguins/penguins.csv")
    counts = [int(line.split()[0]) for line in result.stdout.splitlines()[:3]]
    assert counts == [10001, 5001, 345], f"line counts (with header): {counts}"
