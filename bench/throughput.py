"""StatisticsGen + Transform on N Chicago Taxi rows: in-process vs multi-process Beam DirectRunner.

Runs INSIDE a lab container (bench/run.py starts it there). It replicates the
10,000-row sample to --rows rows, ingests it once, then runs StatisticsGen and
Proyecto1's Transform in each Beam mode (in-process, multi-threaded,
multi-process) on the same Examples and schema, and checks that in-process and
multi-process produce the same statistics, vocabularies and row counts.
Prints one JSON line with the timings, the cores each mode kept busy and the
comparison.
"""

import argparse
import json
import math
import resource
import shutil
import time
from pathlib import Path

import tensorflow_data_validation as tfdv
import tensorflow_transform as tft
from tfx import v1 as tfx
from tfx.types import standard_artifacts

from lab_base.beam import MODES, beam_pipeline_args
from lab_base.paths import DATA_DIR

SAMPLE = DATA_DIR / "chicago-taxi" / "span-1" / "data.csv"
PREPROCESSING_FN = "proyecto1.preprocessing.preprocessing_fn"


def replicate(rows: int, folder: Path) -> Path:
    """Write `rows` data rows (the sample repeated) to folder/data.csv."""
    folder.mkdir(parents=True, exist_ok=True)
    header, *body = SAMPLE.read_text().splitlines(keepends=True)
    with open(folder / "data.csv", "w") as out:
        out.write(header)
        for i in range(rows):
            out.write(body[i % len(body)])
    return folder


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (Beam's worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(name: str, root: Path, components: list, beam_args: list[str]) -> float:
    """Run a pipeline with its own MLMD database; return its wall-clock seconds."""
    pipeline = tfx.dsl.Pipeline(
        pipeline_name=name, pipeline_root=str(root / name), components=components,
        metadata_connection_config=tfx.orchestration.metadata.sqlite_metadata_connection_config(
            str(root / name / "metadata.sqlite")),
        beam_pipeline_args=beam_args)
    started = time.monotonic()
    tfx.orchestration.LocalDagRunner().run(pipeline)
    return time.monotonic() - started


def ingest(root: Path, data: Path) -> tuple[str, str]:
    """CsvExampleGen + StatisticsGen + SchemaGen once (in-process); return the Examples and Schema URIs."""
    example_gen = tfx.components.CsvExampleGen(input_base=str(data))
    statistics_gen = tfx.components.StatisticsGen(examples=example_gen.outputs["examples"])
    schema_gen = tfx.components.SchemaGen(statistics=statistics_gen.outputs["statistics"])
    run("ingest", root, [example_gen, statistics_gen, schema_gen], beam_pipeline_args("in_process"))
    base = root / "ingest"
    examples = next((base / "CsvExampleGen" / "examples").iterdir())
    schema = next((base / "SchemaGen" / "schema").iterdir())
    return str(examples), str(schema)


def stats_and_transform(mode: str, root: Path, examples_uri: str, schema_uri: str, beam_args: list[str]) -> float:
    """StatisticsGen + Transform on already-ingested Examples, in one Beam mode."""
    examples = tfx.dsl.Importer(source_uri=examples_uri, artifact_type=standard_artifacts.Examples,
                                properties={"split_names": '["train", "eval"]'}).with_id("import_examples")
    schema = tfx.dsl.Importer(source_uri=schema_uri, artifact_type=standard_artifacts.Schema).with_id("import_schema")
    statistics_gen = tfx.components.StatisticsGen(examples=examples.outputs["result"])
    transform = tfx.components.Transform(examples=examples.outputs["result"], schema=schema.outputs["result"],
                                         preprocessing_fn=PREPROCESSING_FN)
    return run(mode, root, [examples, schema, statistics_gen, transform], beam_args)


def outputs_of(root: Path, mode: str) -> dict:
    """What must not depend on the Beam mode: statistics, vocabularies, transformed row counts."""
    base = root / mode
    stats = tfdv.load_stats_binary(str(next((base / "StatisticsGen" / "statistics").iterdir())
                                       / "Split-train" / "FeatureStats.pb")).datasets[0]
    numeric = {f.path.step[0]: {"mean": f.num_stats.mean, "min": f.num_stats.min, "max": f.num_stats.max}
               for f in stats.features if f.HasField("num_stats")}
    transform_output = tft.TFTransformOutput(str(next((base / "Transform" / "transform_graph").iterdir())))
    vocabularies = {name: transform_output.vocabulary_by_name(name) for name in ("payment_type", "company")}
    post = tfdv.load_stats_binary(str(next((base / "Transform" / "post_transform_stats").iterdir())
                                      / "FeatureStats.pb")).datasets[0]
    post_means = {f.path.step[0]: f.num_stats.mean for f in post.features if f.HasField("num_stats")}
    return {"num_examples": stats.num_examples, "numeric_stats": numeric,
            "vocabularies": {k: [v.decode() for v in vocab] for k, vocab in vocabularies.items()},
            "post_transform_examples": post.num_examples, "post_transform_means": post_means}


def differ(a, b, path: str = "") -> list[str]:
    """Where two output summaries differ; floats compare with a relative tolerance of 1e-6
    (summing in another order changes the last bits)."""
    if isinstance(a, dict) and isinstance(b, dict):
        keys = sorted(set(a) | set(b))
        return [d for k in keys for d in differ(a.get(k), b.get(k), f"{path}/{k}")]
    if isinstance(a, float) or isinstance(b, float):
        ok = a is not None and b is not None and math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6)
        return [] if ok else [f"{path}: {a} != {b}"]
    return [] if a == b else [f"{path}: {a} != {b}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--root", type=Path, default=Path("/tfx/bench"))
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=sorted(MODES))
    args = parser.parse_args()
    root = args.root / f"rows-{args.rows}"
    shutil.rmtree(root, ignore_errors=True)
    data = replicate(args.rows, root / "data")
    started = time.monotonic()
    examples_uri, schema_uri = ingest(root, data)
    ingest_seconds = time.monotonic() - started
    seconds, cores = {}, {}
    for mode in args.modes:
        cpu = cpu_seconds()
        seconds[mode] = stats_and_transform(mode, root, examples_uri, schema_uri, beam_pipeline_args(mode))
        # How many cores the mode kept busy on average: CPU seconds over wall-clock seconds.
        cores[mode] = (cpu_seconds() - cpu) / seconds[mode]
    differences = differ(outputs_of(root, "in_process"), outputs_of(root, "multi_process"))
    print(json.dumps({"rows": args.rows, "ingest_seconds": ingest_seconds, "seconds": seconds, "cores": cores,
                      "speedup": seconds["in_process"] / seconds["multi_process"],
                      "same_outputs": not differences, "differences": differences[:20]}))
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
