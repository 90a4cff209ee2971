"""A Beam worker pool: where LAB_BEAM_MODE=portable runs the data processing of every lab pipeline.

The services beam-worker-1 and beam-worker-2 (compose profile `escalado`) run

    python -m lab_scaleout.beam_worker               # serve on port 50000
    python -m lab_scaleout.beam_worker --check       # Docker's healthcheck: is the port open?
    python -m lab_scaleout.beam_worker --cpu-seconds # this container's CPU time so far (bench/)

It is Beam's own worker pool (apache_beam.runners.worker.worker_pool_main, the
EXTERNAL environment's contract), with three differences for the lab:

- Each SDK worker runs as a thread of this process, not as a new Python process:
  TensorFlow, TFX and TFDV are imported once, not once per component (about
  8 s each, docs/benchmarks.md). One worker per container keeps the GIL out of
  the way: two containers are two cores.
- Transform's Beam stages unpickle functions that refer to the Proyecto's code by
  module path (proyecto1.preprocessing...), so every Proyecto's work volume is
  mounted read-only under /home/lab/proyectos/<proyecto>/ and put on sys.path.
  The Proyecto modules are forgotten whenever a pipeline starts, so the next
  one imports the code as the student last saved it.
- Every bundle it processes is logged (stage, elements, seconds), so
  `docker compose logs beam-worker-1` shows the work it did.
"""

import argparse
import logging
import socket
import sys
from pathlib import Path

PORT = 50000
# Where docker-compose.yaml mounts each Proyecto's work volume (read-only).
USER_CODE_DIR = Path("/home/lab/proyectos")
# Beam's transform that feeds a bundle its input from the runner.
DATA_INPUT_URN = "beam:runner:source:v1"

log = logging.getLogger("lab_scaleout.beam_worker")


def cpu_seconds() -> float:
    """CPU seconds used so far by every process of this container (its cgroup, v2 or v1)."""
    v2 = Path("/sys/fs/cgroup/cpu.stat")
    if v2.exists():
        usage = dict(line.split() for line in v2.read_text().splitlines())
        return int(usage["usage_usec"]) / 1e6
    for v1 in ("/sys/fs/cgroup/cpuacct/cpuacct.usage", "/sys/fs/cgroup/cpu,cpuacct/cpuacct.usage"):
        if Path(v1).exists():
            return int(Path(v1).read_text()) / 1e9
    raise FileNotFoundError("no cgroup CPU accounting under /sys/fs/cgroup")


def user_code_paths(root: Path = USER_CODE_DIR) -> list[str]:
    """The folder of each mounted Proyecto, to put on sys.path."""
    return sorted(str(p) for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def forget_user_modules(paths: list[str]) -> list[str]:
    """Drop from sys.modules every module loaded from `paths`; return their names."""
    forgotten = [name for name, module in list(sys.modules.items())
                 if any(str(getattr(module, "__file__", None) or "").startswith(p + "/") for p in paths)]
    for name in forgotten:
        del sys.modules[name]
    return forgotten


def _plumbing(transform) -> bool:
    """Beam's own transforms in a bundle (data from and to the runner), not the pipeline's."""
    return not transform.unique_name or transform.unique_name.startswith(("fn/", "ref_"))


def stage_name(descriptor) -> str:
    """A readable name for the fused stage a bundle runs: the pipeline's transform that takes its input first."""
    transforms = [t for t in descriptor.transforms.values() if not _plumbing(t)]
    fed = {pcoll for t in descriptor.transforms.values() if t.spec.urn == DATA_INPUT_URN
           for pcoll in t.outputs.values()}
    first = [t for t in transforms if not t.inputs or fed & set(t.inputs.values())] or transforms
    return min(t.unique_name for t in first) if first else descriptor.id


def input_elements(descriptor, response) -> int:
    """How many elements the runner sent the bundle: the element counts of its data inputs' outputs."""
    from apache_beam.metrics import monitoring_infos

    inputs = {pcoll for t in descriptor.transforms.values() if t.spec.urn == DATA_INPUT_URN
              for pcoll in t.outputs.values()}
    return sum(monitoring_infos.extract_counter_value(info)
               for info in response.process_bundle.monitoring_infos
               if info.urn == monitoring_infos.ELEMENT_COUNT_URN and info.labels.get("PCOLLECTION") in inputs)


def log_bundle(worker_id: str, instruction_id: str, descriptor, response, seconds: float) -> None:
    """Log one finished bundle: the worker that ran it, its stage, its input elements and its seconds."""
    elements = input_elements(descriptor, response)
    log.info("%s: bundle %s procesado: %s, %d elemento%s de entrada, %.2f s", worker_id, instruction_id,
             stage_name(descriptor), elements, "" if elements == 1 else "s", seconds)


def log_bundles() -> None:
    """Log every bundle this process's SDK workers finish (lab_compat's patch beam-sdk-worker-bundle-log)."""
    import lab_compat
    from lab_compat import beam_worker_log

    if lab_compat.apply("beam-sdk-worker-bundle-log") and log_bundle not in beam_worker_log.LISTENERS:
        beam_worker_log.LISTENERS.append(log_bundle)


def start_pool(port: int = PORT, paths: list[str] | None = None):
    """Start the worker pool on `port` (0: any free port) with bundles logged; return (address, gRPC server).

    `paths`: the Proyectos' folders, put on sys.path and their modules forgotten
    whenever a worker starts (default: each folder under USER_CODE_DIR).
    """
    from apache_beam.runners.worker import worker_pool_main

    paths = user_code_paths() if paths is None else paths
    sys.path[:0] = [p for p in paths if p not in sys.path]

    class LabWorkerPool(worker_pool_main.BeamFnExternalWorkerPoolServicer):
        address = ""

        def StartWorker(self, request, context):  # noqa: N802 - gRPC method name
            forget_user_modules(paths)
            log.info("worker %s arrancado en el pool %s (runner en %s)", request.worker_id, self.address,
                     request.control_endpoint.url)
            return super().StartWorker(request, context)

        def StopWorker(self, request, context):  # noqa: N802 - gRPC method name
            log.info("worker %s terminado; CPU del contenedor hasta ahora: %.1f s", request.worker_id,
                     cpu_seconds())
            return super().StopWorker(request, context)

    log_bundles()
    address, server = LabWorkerPool.start(use_process=False, port=port)
    LabWorkerPool.address = address
    log.info("pool de workers de Beam escuchando en %s; código de los Proyectos: %s", address,
             ", ".join(paths) or "ninguno")
    return address, server


def port_open(port: int = PORT, host: str = "127.0.0.1") -> bool:
    """True when something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--check", action="store_true", help="exit 0 if the pool accepts connections")
    parser.add_argument("--cpu-seconds", action="store_true", help="print this container's CPU seconds")
    args = parser.parse_args(argv)
    if args.check:
        sys.exit(0 if port_open(args.port) else 1)
    if args.cpu_seconds:
        print(f"{cpu_seconds():.3f}")
        return
    # Beam's and TensorFlow's own INFO lines stay out; the worker's go to the container's log.
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    log.setLevel(logging.INFO)
    _, server = start_pool(args.port)
    server.wait_for_termination()


if __name__ == "__main__":
    main()
