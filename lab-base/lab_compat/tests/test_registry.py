"""lab_compat's registry: versions checked before a patch applies, one clear message, the stock switch."""

import subprocess
import sys
import warnings

import pytest

from lab_compat import registry


def test_installed_stack_is_the_one_every_patch_was_written_for():
    """In the lab image no patch is skipped: an upgrade of TFX/TFMA/TFDV/Beam fails here, naming each patch."""
    assert registry.mismatches() == {}, registry.mismatch_message(registry.mismatches())


def test_python_m_lab_compat_lists_every_patch():
    """`python -m lab_compat` prints each patch with what it fixes and its versions, and exits 0 here."""
    result = subprocess.run([sys.executable, "-m", "lab_compat"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for patch in registry.PATCHES:
        assert f"{patch.name}  [applies]" in result.stdout, result.stdout


@pytest.fixture
def fresh_warning(monkeypatch):
    monkeypatch.setattr(registry, "_warned", False)
    monkeypatch.delenv("LAB_STOCK_LIBRARIES", raising=False)


def test_a_patch_written_for_other_versions_is_skipped_with_one_message(fresh_warning, monkeypatch):
    """Beam 2.77 installed, a patch written for 2.76: not applied, and one LabCompatWarning names it and both."""
    old = registry.Patch("demo", "demo_module", "nothing", "a test", {"apache-beam": "2.76.0"}, lambda m: None)
    monkeypatch.setattr(registry, "PATCHES", [*registry.PATCHES, old])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert not registry.applicable(old)
        assert not registry.applicable(old)
    assert len(caught) == 1, [str(w.message) for w in caught]
    message = str(caught[0].message)
    assert caught[0].category is registry.LabCompatWarning
    assert "demo: apache-beam 2.77.0 (escrito para 2.76.0)" in message, message
    print(message)


def test_stock_switch_reads_the_right_way_round():
    """LAB_STOCK_LIBRARIES=1 runs every library as shipped; a list of names only those; empty or 0, none."""
    assert registry.switched_off({}) == set()
    assert registry.switched_off({"LAB_STOCK_LIBRARIES": "0"}) == set()
    assert registry.switched_off({"LAB_STOCK_LIBRARIES": "1"}) == set(registry.BY_NAME)
    assert registry.switched_off({"LAB_STOCK_LIBRARIES": "beam-no-cdn-scripts, tfma-api-without-tfx"}) == {
        "beam-no-cdn-scripts", "tfma-api-without-tfx"}


def test_stock_libraries_in_a_new_process():
    """With LAB_STOCK_LIBRARIES=1 a new process gets TFDV's own visualize_statistics; without it, the lab's."""
    code = "import tensorflow_data_validation as t; print(t.visualize_statistics.__module__)"
    stock = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                           env={"PATH": "/usr/bin:/bin", "LAB_STOCK_LIBRARIES": "1"})
    lab = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         env={"PATH": "/usr/bin:/bin"})
    assert stock.stdout.split()[-1].startswith("tensorflow_data_validation"), stock.stdout + stock.stderr
    assert lab.stdout.split()[-1] == "lab_compat.offline_views", lab.stdout + lab.stderr
