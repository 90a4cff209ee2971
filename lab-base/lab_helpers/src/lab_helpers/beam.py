"""Apache Beam settings for every TFX pipeline and notebook of the lab, in one place.

TFX runs its components' data processing on Beam. LAB_BEAM_MODE
(docker-compose.yaml, .env) switches every pipeline at once:

- in_process (the default), multi_thread, multi_process: Beam's DirectRunner
  in this process, in several threads, or in one worker process per core. For
  the course's samples in-process is the fastest on the 2-core reference
  machine, so it is the default; with 1,000,000 rows in several files the
  parallel modes win (docs/benchmarks.md, measured by bench/run.py).
- portable: the pipeline is submitted to Beam's job service (PortableRunner,
  the same API a Flink or Spark cluster serves) running in this process
  (--job_endpoint=embed), and the data processing runs in the worker
  containers of the compose profile `escalado` (lab_scaleout.beam_worker), one SDK
  worker per container listed in LAB_BEAM_WORKERS: the EXTERNAL environment a
  cluster's workers use.

Every mode also says which image the workers run (--sdk_container_image):
the lab's own, which already holds TFX. Without it, each TFX component with a
Beam stage repackages the installed TFX into an sdist for the workers (TFX's
dependency_utils): about 4 s and a 45 MB copy left in /tmp per component, in
every mode, for workers that have TFX already (docs/benchmarks.md).

The runner is always named, never left to Beam: outside IPython, Beam 2.77's
default DirectRunner first tries to download the Prism runner from GitHub (the
lab works offline, and a downloaded binary would ignore LAB_BEAM_MODE). Beam's
FnApiRunner is what the DirectRunner runs TFX's pipelines on anyway, and it
honours direct_running_mode and direct_num_workers; the embedded job service
runs the same FnApiRunner, with the workers outside.
"""

import os
import socket

RUNNER = "--runner=FnApiRunner"
# Informational for Beam here (no mode starts a container from it), read by TFX:
# any worker image set means "the workers have TFX", so it stages no copy of it.
WORKER_IMAGE = "--sdk_container_image=lab-base"
DIRECT_MODES: dict[str, list[str]] = {
    "in_process": ["--direct_running_mode=in_memory"],
    # direct_num_workers=0: one thread or one worker process per CPU core.
    "multi_thread": ["--direct_running_mode=multi_threading", "--direct_num_workers=0"],
    "multi_process": ["--direct_running_mode=multi_processing", "--direct_num_workers=0"],
}
PORTABLE = "portable"
MODES = [*DIRECT_MODES, PORTABLE]
# The worker pools of the compose profile `escalado` (docker-compose.yaml), by service name.
DEFAULT_WORKERS = ["beam-worker-1:50000", "beam-worker-2:50000"]


def workers_from_env() -> list[str]:
    """The worker pools' host:port addresses: $LAB_BEAM_WORKERS (comma-separated), else DEFAULT_WORKERS."""
    listed = [w.strip() for w in os.environ.get("LAB_BEAM_WORKERS", "").split(",") if w.strip()]
    return listed or list(DEFAULT_WORKERS)


def unreachable(workers: list[str], timeout: float = 3.0) -> list[str]:
    """The worker pools among `workers` that accept no TCP connection (unknown name, stopped, wrong port)."""
    down = []
    for worker in workers:
        host, _, port = worker.rpartition(":")
        try:
            with socket.create_connection((host, int(port)), timeout=timeout):
                pass
        except (OSError, ValueError):
            down.append(worker)
    return down


def portable_args(workers: list[str]) -> list[str]:
    """Submit to Beam's job service in this process; one SDK worker in each of the `workers` pools."""
    return [
        "--runner=PortableRunner",
        "--job_endpoint=embed",
        "--environment_type=EXTERNAL",
        # One address is Beam's own contract; several are spread one worker per pool by
        # lab_compat (patch beam-external-worker-pools).
        f"--environment_config={','.join(workers)}",
        # As many SDK workers as pools (the job service honours it: lab_compat patch beam-job-service-num-workers).
        f"--direct_num_workers={len(workers)}",
        WORKER_IMAGE,
    ]


def beam_pipeline_args(mode: str | None = None, workers: list[str] | None = None) -> list[str]:
    """The Beam arguments of every lab pipeline: `mode`, else $LAB_BEAM_MODE, else in-process.

    In portable mode, `workers` (else $LAB_BEAM_WORKERS, else both compose workers)
    must answer, or the error says how to start them.
    """
    mode = mode or os.environ.get("LAB_BEAM_MODE") or "in_process"
    if mode not in MODES:
        raise ValueError(f"LAB_BEAM_MODE debe ser {', '.join(MODES)} (no {mode!r})")
    if mode != PORTABLE:
        return [RUNNER, *DIRECT_MODES[mode], WORKER_IMAGE]
    workers = workers or workers_from_env()
    down = unreachable(workers)
    if down:
        raise RuntimeError(
            f"LAB_BEAM_MODE=portable necesita los workers de Beam, y no responde {', '.join(down)}. "
            "Arráncalos con `docker compose --profile escalado up -d` o cambia LAB_BEAM_WORKERS en .env.")
    return portable_args(workers)
