"""Apache Beam settings for every TFX pipeline and notebook of the lab, in one place.

TFX runs its components' data processing on Beam's DirectRunner. By default it
uses one process; in multi-processing mode it starts one worker per core, and
each worker first imports TensorFlow and TFX (several seconds). Measured in
docs/benchmarks.md (bench/run.py): on the 10,000-row sample the single process
is about 3x faster, on 1,000,000 rows the workers win. So `beam_pipeline_args`
picks the mode from the size of the input data, and LAB_BEAM_MODE (in_process,
multi_process or auto, the default) overrides it.
"""

import os
from pathlib import Path

IN_PROCESS_ARGS: list[str] = ["--direct_running_mode=in_memory"]
# direct_num_workers=0: one worker per CPU core.
MULTI_PROCESS_ARGS: list[str] = ["--direct_running_mode=multi_processing", "--direct_num_workers=0"]
# Above this much input, worker start-up pays off (between the 1.4 MB sample and 136 MB at 1M rows).
MULTI_PROCESS_MIN_BYTES = 32 * 1024 * 1024


def input_bytes(data_root: Path | str) -> int:
    """Total size of the files under a data folder."""
    return sum(f.stat().st_size for f in Path(data_root).rglob("*") if f.is_file())


def beam_pipeline_args(data_root: Path | str | None = None, mode: str | None = None) -> list[str]:
    """The Beam arguments for a pipeline reading `data_root`: multi-process only for large inputs."""
    mode = mode or os.environ.get("LAB_BEAM_MODE", "auto")
    if mode == "auto":
        large = data_root is not None and input_bytes(data_root) >= MULTI_PROCESS_MIN_BYTES
        mode = "multi_process" if large else "in_process"
    if mode not in ("in_process", "multi_process"):
        raise ValueError(f"LAB_BEAM_MODE debe ser auto, in_process o multi_process (no {mode!r})")
    return list(MULTI_PROCESS_ARGS if mode == "multi_process" else IN_PROCESS_ARGS)
