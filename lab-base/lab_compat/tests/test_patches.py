"""Each patch of lab_compat's registry fixes what it says, seen through the real library.

For every patch, its probe (probes/<name>.py) exercises the library the way a
notebook or pipeline does and prints `fixed` or `stock`. It runs twice in a new
interpreter with a clean environment (no PYTHONPATH: the lab's packages and
lab_compat.pth are installed in the venv): as the lab runs it, where the probe
must see the fix, and with LAB_STOCK_LIBRARIES=<name>, where it must see the
library's own behaviour, so that the probe is known to tell the two apart.
Removing a patch, or its entry, fails its test.
"""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from lab_compat import registry

PROBES = Path(__file__).parent / "probes"


def probe(name: str, **env: str) -> str:
    """Run probes/<name>.py in a new interpreter with a clean environment; its verdict (last line)."""
    clean = {"PATH": os.environ["PATH"], "HOME": "/tmp", "TF_USE_LEGACY_KERAS": "1", "TF_CPP_MIN_LOG_LEVEL": "2",
             "PYTHONPATH": str(PROBES), **env}
    result = subprocess.run([sys.executable, str(PROBES / f"{name}.py")], capture_output=True, text=True,
                            env=clean, cwd=PROBES, timeout=300)
    assert result.returncode == 0, f"probe {name} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result.stdout.strip().splitlines()[-1]


def test_every_patch_has_a_probe_and_every_probe_a_patch():
    """Adding a patch to the registry needs its probe here, and a probe names a patch that exists."""
    probes = {p.stem for p in PROBES.glob("*.py") if not p.name.startswith("_")}
    assert probes == set(registry.BY_NAME), f"probes without patch: {probes - set(registry.BY_NAME)}; " \
                                            f"patches without probe: {set(registry.BY_NAME) - probes}"


@pytest.fixture(scope="module")
def verdicts() -> dict[tuple[str, bool], str]:
    """Every probe, patched and stock, run a few at a time (each is a new interpreter importing its library)."""
    runs = [(name, stock) for name in registry.BY_NAME for stock in (False, True)]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = pool.map(lambda run: probe(run[0], **({"LAB_STOCK_LIBRARIES": run[0]} if run[1] else {})), runs)
        return dict(zip(runs, results, strict=True))


@pytest.mark.parametrize("name", list(registry.BY_NAME))
def test_patch_fixes_what_it_says(name, verdicts):
    """As the lab runs it the probe sees the fix; with only this patch switched off it sees the stock library."""
    fixes = registry.BY_NAME[name].fixes
    assert verdicts[name, False] == "fixed", f"{name}: the lab's behaviour is not there ({fixes})"
    assert verdicts[name, True] == "stock", (
        f"{name}: with the patch off the probe still sees the fix, so it cannot tell whether the patch works")
