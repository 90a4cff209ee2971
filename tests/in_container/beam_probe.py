"""Inside a lab container: what Beam does with the lab's arguments, seen through Beam's own INFO logs.

    python beam_probe.py pipeline-args <module> [args]  # the Beam args of the pipeline `python -m <module>` builds
    python beam_probe.py run lab|unpinned                # a 3-element Beam pipeline; its apache_beam INFO records
    python beam_probe.py headless <module> [args]        # `python -m <module>` with apache_beam INFO logs on

Run from the lab's work folder (where `python -m` finds the Proyecto's package);
each prints one JSON line last. `unpinned` is the lab's arguments without the
runner pin (--runner=FnApiRunner): outside IPython Beam then tries its Prism
runner, downloading it from GitHub. Downloads go to a proxy on a closed local
port here, so the attempt fails at once, offline or not, and Beam falls back.
"""

import json
import logging
import os
import runpy
import sys

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions

from lab_helpers import beam as lab_beam
from lab_helpers import pipelines


class Records(logging.Handler):
    """Every record of the apache_beam loggers, from INFO up."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} {record.name}: {record.getMessage()}")


def beam_info_on() -> Records:
    """Send apache_beam's INFO records (off by default: Python logs WARNING and up) to stderr and to a list."""
    records, stderr = Records(), logging.StreamHandler(sys.stderr)
    stderr.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("apache_beam")
    logger.setLevel(logging.INFO)
    logger.addHandler(records)
    logger.addHandler(stderr)
    return records


def run_module(module: str, *args: str) -> None:
    """`python -m <module> <args>`, in this process."""
    sys.path.insert(0, os.getcwd())
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


def pipeline_args(module: str, *args: str) -> dict:
    """Build the pipeline `python -m <module>` runs, without running it: its Beam arguments."""
    built = []
    pipelines.run = built.append
    run_module(module, *args)
    return {"beam_pipeline_args": built[0].beam_pipeline_args}


def run(which: str) -> dict:
    args = lab_beam.beam_pipeline_args("in_process")
    if which == "unpinned":
        args = [a for a in args if a != lab_beam.RUNNER]
    os.environ["https_proxy"] = os.environ["HTTPS_PROXY"] = "http://127.0.0.1:9"
    records = beam_info_on()
    with beam.Pipeline(options=PipelineOptions(args)) as pipeline:
        _ = pipeline | beam.Create([1, 2, 3]) | beam.Map(lambda x: x * 2)
    return {"beam_pipeline_args": args, "records": records.lines}


def headless(module: str, *args: str) -> dict:
    """Run the pipeline with Beam's INFO records on stderr; how many there were."""
    records = beam_info_on()
    run_module(module, *args)
    return {"beam_info_records": len(records.lines)}


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    result = {"pipeline-args": pipeline_args, "run": run, "headless": headless}[command](*arguments)
    print(json.dumps(result))
