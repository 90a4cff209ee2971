"""TensorFlow's x86-64 wheels need the CPU's AVX instructions: check for them before TensorFlow loads.

Without AVX, `import tensorflow` kills the process ("Illegal instruction") or
aborts with a message few students can act on. That happens on Apple Silicon
Macs when Docker Desktop emulates x86-64 with Rosetta, which does not report
AVX to Linux containers (docker/roadmap#384); its other emulator, QEMU, does
(docker/for-mac#6620). It also happens on very old x86 CPUs and on some
virtual machines. The lab checks the CPU flags first and says what to do.

LAB_CPUINFO overrides the file read (default /proc/cpuinfo), to test the check.
"""

import os
from pathlib import Path

MESSAGE = (
    "Tu Docker no ofrece a los contenedores las instrucciones AVX del procesador, y TensorFlow (y con él TFX) "
    "no puede funcionar sin ellas. En un Mac con Apple Silicon (M1, M2, M3, M4…): abre Docker Desktop → Settings "
    "→ General, desactiva «Use Rosetta for x86_64/amd64 emulation on Apple Silicon» (Docker emulará con QEMU, que "
    "sí tiene AVX), pulsa «Apply & restart» y vuelve a arrancar el laboratorio (docker compose up -d). En un PC: tu "
    "procesador o tu máquina virtual no tiene AVX; usa otro ordenador o activa AVX en la máquina virtual. "
    "Más detalles en el README, «Problemas frecuentes»."
)


def cpuinfo_path() -> Path:
    return Path(os.environ.get("LAB_CPUINFO") or "/proc/cpuinfo")


def has_avx(cpuinfo: Path | None = None) -> bool:
    """True if any CPU listed in `cpuinfo` (default: LAB_CPUINFO or /proc/cpuinfo) has the avx flag."""
    try:
        text = (cpuinfo or cpuinfo_path()).read_text()
    except OSError:  # not Linux: nothing to check here
        return True
    flags = (line.split(":", 1)[1].split() for line in text.splitlines() if line.startswith("flags"))
    return any("avx" in cpu_flags for cpu_flags in flags)
