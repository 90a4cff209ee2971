"""Without AVX, importing TensorFlow stops with a Spanish explanation instead of killing the process."""

import os
import subprocess
import sys
from pathlib import Path

from lab_compat import avx

HERE = Path(__file__).parent
WITHOUT_AVX = HERE / "data" / "cpuinfo_without_avx"


def test_cpu_flags_are_read(tmp_path):
    """A CPU listing with avx has it; the test file without it does not; a missing file is not Linux: no check."""
    with_avx = tmp_path / "cpuinfo"
    with_avx.write_text(WITHOUT_AVX.read_text().replace(" sse4_2", " sse4_2 avx avx2"))
    assert avx.has_avx(with_avx)
    assert not avx.has_avx(WITHOUT_AVX)
    assert avx.has_avx(tmp_path / "missing")


def test_this_machine_has_avx():
    """The machine the tests run on offers AVX (so the lab starts as usual)."""
    assert avx.has_avx(Path("/proc/cpuinfo")), "this machine's CPU reports no AVX"


def test_import_without_avx_stops_with_the_message():
    """With LAB_CPUINFO pointing at a CPU without AVX, `import tensorflow` exits 1 with the message, no traceback."""
    result = subprocess.run([sys.executable, str(HERE / "fresh_process" / "import_tensorflow.py")],
                            env={**os.environ, "LAB_CPUINFO": str(WITHOUT_AVX)}, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1, result
    assert avx.MESSAGE in result.stderr and "Traceback" not in result.stderr, result.stderr[-1500:]
    assert "Use Rosetta" in avx.MESSAGE and "QEMU" in avx.MESSAGE


def test_import_with_avx_works():
    """With this machine's CPU, TensorFlow imports as usual."""
    result = subprocess.run([sys.executable, str(HERE / "fresh_process" / "import_tensorflow.py")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and "TensorFlow" in result.stdout, result.stderr[-1500:]
