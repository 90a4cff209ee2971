"""LAB_BEAM_MODE=portable runs a lab pipeline's data processing in the worker containers, with in-process's outputs."""

import json

import pytest

pytestmark = pytest.mark.e2e

WORKERS = ["beam-worker-1", "beam-worker-2"]
# Proyecto2's headless pipeline: ExampleGen, StatisticsGen, Transform and Evaluator run Beam (penguins: 344 rows).
PIPELINE = ["python", "-m", "proyecto2.pipeline"]


def bundles(stack, worker: str) -> list[str]:
    """The bundle lines of a worker's log (lab_scaleout.beam_worker)."""
    log = stack.compose("logs", "--no-color", "--no-log-prefix", worker).stdout
    return [line for line in log.splitlines() if " procesado: " in line]


def run_pipeline(stack, mode: str) -> None:
    """Proyecto2's pipeline with LAB_BEAM_MODE=mode into /tfx/beam-<mode>, pushing to a folder of its own."""
    stack.compose("exec", "-T", "-e", f"LAB_BEAM_MODE={mode}", "proyecto2", *PIPELINE,
                  "--pipeline-name", f"beam-{mode}", "--serving-dir", f"/tfx/beam-{mode}/serving", timeout=900)


@pytest.fixture(scope="module")
def runs(stack) -> dict:
    """The workers started (profile escalado), then the pipeline in-process and portable; the bundles after each."""
    stack.compose("--profile", "escalado", "up", "-d", "--wait", *WORKERS, timeout=900)
    run_pipeline(stack, "in_process")
    after_in_process = {w: len(bundles(stack, w)) for w in WORKERS}
    run_pipeline(stack, "portable")
    return {"after_in_process": after_in_process, "after_portable": {w: bundles(stack, w) for w in WORKERS}}


def test_in_process_stays_in_the_lab_container(runs):
    """LAB_BEAM_MODE=in_process, the default, sends nothing to the workers even while they run."""
    assert runs["after_in_process"] == dict.fromkeys(WORKERS, 0), runs["after_in_process"]


def test_each_worker_logged_the_bundles_it_processed(runs):
    """Both workers processed bundles of the pipeline's Beam components: statistics, Transform, Evaluator."""
    for worker, lines in runs["after_portable"].items():
        assert lines, f"{worker} logged no bundle"
        log = "\n".join(lines)
        for stage in ("GenerateStatistics", "Analyze", "ExtractEvaluateAndWriteResults"):
            assert stage in log, f"{worker} processed no {stage} bundle:\n" + "\n".join(lines[-20:])
        assert any(" 0 elementos" not in line for line in lines), f"{worker} only got empty bundles"


def test_portable_outputs_equal_in_process(stack, runs):
    """Examples, statistics, schemas, anomalies, vocabularies and row counts are the same in both runs."""
    result = stack.exec("proyecto2", "python", "-m", "lab_scaleout.outputs", "/tfx/beam-in_process/artifacts",
                        "/tfx/beam-portable/artifacts", check=False, timeout=300)
    comparison = json.loads(result.stdout.strip().splitlines()[-1])
    assert comparison["differences"] == [], comparison["differences"]
    for output in ("CsvExampleGen/examples/train", "StatisticsGen/statistics/train", "Transform/post_transform_stats"):
        assert output in comparison["compared"], f"{output} not compared: {comparison['compared']}"


def test_examplegen_wrote_one_file_per_worker(stack, runs):
    """The work split in two: in portable mode ExampleGen wrote each split in two files, in-process in one."""
    for mode, files in (("in_process", 1), ("portable", 2)):
        listing = stack.exec("proyecto2", "sh", "-c",
                             f"ls /tfx/beam-{mode}/artifacts/CsvExampleGen/examples/*/Split-train").stdout.split()
        assert len([f for f in listing if f.endswith(".gz")]) == files, f"{mode}: {listing}"
