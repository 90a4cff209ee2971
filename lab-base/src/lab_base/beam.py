"""Apache Beam settings for every TFX pipeline and notebook of the lab, in one place.

TFX runs its components' data processing on Beam's DirectRunner, which can run
in this process, in several threads, or in one worker process per core. On the
2-core reference machine in-process is the fastest, for the course's samples
and still for 1,000,000 rows (docs/benchmarks.md, measured by bench/run.py):
so it is the default. LAB_BEAM_MODE (docker-compose.yaml, .env) switches every
pipeline at once, for a machine with more cores where the others may pay off.

The runner is named, not left to Beam: outside IPython, Beam 2.77's default
DirectRunner first tries to download the Prism runner from GitHub (the lab
works offline, and a downloaded binary would ignore LAB_BEAM_MODE). Beam's
FnApiRunner is what the DirectRunner runs TFX's pipelines on anyway, and it
honours direct_running_mode and direct_num_workers.
"""

import os

RUNNER = "--runner=FnApiRunner"
MODES: dict[str, list[str]] = {
    "in_process": ["--direct_running_mode=in_memory"],
    # direct_num_workers=0: one thread or one worker process per CPU core.
    "multi_thread": ["--direct_running_mode=multi_threading", "--direct_num_workers=0"],
    "multi_process": ["--direct_running_mode=multi_processing", "--direct_num_workers=0"],
}


def beam_pipeline_args(mode: str | None = None) -> list[str]:
    """The Beam arguments of every lab pipeline: `mode`, else $LAB_BEAM_MODE, else in-process."""
    mode = mode or os.environ.get("LAB_BEAM_MODE") or "in_process"
    if mode not in MODES:
        raise ValueError(f"LAB_BEAM_MODE debe ser {', '.join(MODES)} (no {mode!r})")
    return [RUNNER, *MODES[mode]]
