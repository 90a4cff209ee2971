"""StatisticsGen + Transform on N Chicago Taxi rows, by how Beam runs: in-process, multi-process, worker containers.

Runs INSIDE a lab container of a stack started with the profile `escalado`
(bench/run.py starts it there), one step per call, each printing one JSON line:

    python /bench/throughput.py prepare --rows 1000000 --shards 1 2
    python /bench/throughput.py run --rows 1000000 --setup portable_2_workers --shards 2
    python /bench/throughput.py compare --rows 1000000 --baseline in_process-2 --runs multi_process-2 ...
    python /bench/throughput.py clean --rows 1000000
    python /bench/throughput.py staging      # Proyecto1's pipeline with and without TFX staging itself

`prepare` replicates the 10,000-row sample to N rows and ingests it
(CsvExampleGen + StatisticsGen + SchemaGen) once per shard count: a Beam
stage splits its input between workers file by file (ExampleGen's files are
gzipped, so not splittable), and ExampleGen writes one file per worker of its
own run, so the Examples are ingested by as many workers as shards wanted.
`run` runs StatisticsGen and Proyecto1's Transform on those Examples and schema
in one setup (SETUPS) and reports its wall-clock seconds and the CPU seconds
of this container (the runner, and Beam's worker processes in multi-process
mode); bench/run.py adds the worker containers' CPU. `compare` checks that every
run wrote the same statistics, vocabularies and row counts as the baseline
(lab_scaleout.outputs).

`staging` runs Proyecto1's whole pipeline (10,000 rows) in-process twice each
way, alternating: with the lab's arguments, and without --sdk_container_image,
when each Beam component first repackages the installed TFX for its workers
(TFX's dependency_utils); it reports the best time of each and what /tmp grew by.
"""

import argparse
import json
import shutil
import time
from pathlib import Path

from tfx import v1 as tfx
from tfx.types import standard_artifacts

from lab_helpers.beam import DIRECT_MODES, RUNNER, WORKER_IMAGE, beam_pipeline_args
from lab_helpers.paths import DATA_DIR
from lab_scaleout.beam_worker import cpu_seconds
from lab_scaleout.outputs import compare

SAMPLE = DATA_DIR / "chicago-taxi" / "span-1" / "data.csv"
PREPROCESSING_FN = "proyecto1.preprocessing.preprocessing_fn"
WORKERS = ["beam-worker-1:50000", "beam-worker-2:50000"]
# How each setup runs Beam (lab_helpers.beam), by name.
SETUPS = {
    "in_process": lambda: beam_pipeline_args("in_process"),
    # One worker process per core.
    "multi_process": lambda: beam_pipeline_args("multi_process"),
    # The job service in this container, the work in the beam-worker containers.
    "portable_1_worker": lambda: beam_pipeline_args("portable", WORKERS[:1]),
    "portable_2_workers": lambda: beam_pipeline_args("portable", WORKERS),
}


def replicate(rows: int, folder: Path) -> Path:
    """Write `rows` data rows (the sample repeated) to folder/data.csv."""
    folder.mkdir(parents=True, exist_ok=True)
    header, *body = SAMPLE.read_text().splitlines(keepends=True)
    with open(folder / "data.csv", "w") as out:
        out.write(header)
        for i in range(rows):
            out.write(body[i % len(body)])
    return folder


def run_pipeline(name: str, root: Path, components: list, beam_args: list[str]) -> float:
    """Run a pipeline with its own MLMD database under root/name; return its wall-clock seconds."""
    pipeline = tfx.dsl.Pipeline(
        pipeline_name=name, pipeline_root=str(root / name), components=components,
        metadata_connection_config=tfx.orchestration.metadata.sqlite_metadata_connection_config(
            str(root / name / "metadata.sqlite")),
        beam_pipeline_args=beam_args)
    started = time.monotonic()
    tfx.orchestration.LocalDagRunner().run(pipeline)
    return time.monotonic() - started


def ingest_args(shards: int) -> list[str]:
    """In-process for one file per split; otherwise one worker process per file wanted."""
    if shards == 1:
        return beam_pipeline_args("in_process")
    return [RUNNER, "--direct_running_mode=multi_processing", f"--direct_num_workers={shards}", WORKER_IMAGE]


def ingest(root: Path, data: Path, shards: int) -> float:
    """CsvExampleGen + StatisticsGen + SchemaGen into root/ingest-<shards>; return the seconds."""
    example_gen = tfx.components.CsvExampleGen(input_base=str(data))
    statistics_gen = tfx.components.StatisticsGen(examples=example_gen.outputs["examples"])
    schema_gen = tfx.components.SchemaGen(statistics=statistics_gen.outputs["statistics"])
    return run_pipeline(f"ingest-{shards}", root, [example_gen, statistics_gen, schema_gen], ingest_args(shards))


def ingested(root: Path, shards: int) -> tuple[Path, Path]:
    """The Examples and Schema folders `prepare` wrote for `shards`."""
    base = root / f"ingest-{shards}"
    return next((base / "CsvExampleGen" / "examples").iterdir()), next((base / "SchemaGen" / "schema").iterdir())


def files_per_split(examples: Path) -> dict[str, int]:
    return {split.name.removeprefix("Split-"): len(list(split.glob("*.gz"))) for split in sorted(examples.iterdir())}


def stats_and_transform(name: str, root: Path, shards: int, beam_args: list[str]) -> float:
    """StatisticsGen + Transform on the ingested Examples into root/<name>; return the seconds."""
    examples_uri, schema_uri = ingested(root, shards)
    examples = tfx.dsl.Importer(source_uri=str(examples_uri), artifact_type=standard_artifacts.Examples,
                                properties={"split_names": '["train", "eval"]'}).with_id("import_examples")
    schema = tfx.dsl.Importer(source_uri=str(schema_uri), artifact_type=standard_artifacts.Schema).with_id(
        "import_schema")
    statistics_gen = tfx.components.StatisticsGen(examples=examples.outputs["result"])
    transform = tfx.components.Transform(examples=examples.outputs["result"], schema=schema.outputs["result"],
                                         preprocessing_fn=PREPROCESSING_FN)
    return run_pipeline(name, root, [examples, schema, statistics_gen, transform], beam_args)


def folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def staging(root: Path) -> dict:
    """Proyecto1's pipeline in-process, with TFX staging itself and with the lab's arguments; best of two each."""
    from tfx.dsl.components.base.base_beam_component import BaseBeamComponent

    from proyecto1 import pipeline as proyecto1

    setups = {"tfx_stages_itself": [RUNNER, *DIRECT_MODES["in_process"]], "lab": beam_pipeline_args("in_process")}
    seconds, tmp_growth = {name: [] for name in setups}, {}
    for attempt in range(2):
        for name, beam_args in setups.items():
            folder = root / f"staging-{name}-{attempt}"
            shutil.rmtree(folder, ignore_errors=True)
            tmp = folder_bytes(Path("/tmp"))
            started = time.monotonic()
            pipeline = proyecto1.create_pipeline(
                pipeline_name=f"staging-{name}", pipeline_root=folder / "artifacts", data_root=proyecto1.DATA_ROOT,
                metadata_path=folder / "metadata.sqlite", beam_pipeline_args=beam_args)
            tfx.orchestration.LocalDagRunner().run(pipeline)
            seconds[name].append(time.monotonic() - started)
            tmp_growth[name] = folder_bytes(Path("/tmp")) - tmp
    return {"seconds": {name: min(times) for name, times in seconds.items()}, "all_seconds": seconds,
            "tmp_bytes": tmp_growth,
            "beam_components": sum(isinstance(c, BaseBeamComponent) for c in pipeline.components)}


def component_seconds(root: Path, name: str) -> dict[str, float]:
    """How long each component of the pipeline root/name ran, from its ML Metadata executions."""
    import ml_metadata as mlmd
    from ml_metadata.proto import metadata_store_pb2

    config = metadata_store_pb2.ConnectionConfig()
    config.sqlite.filename_uri = str(root / name / "metadata.sqlite")
    config.sqlite.connection_mode = metadata_store_pb2.SqliteMetadataSourceConfig.READONLY
    store = mlmd.MetadataStore(config)
    types = {t.id: t.name.rsplit(".", 1)[-1] for t in store.get_execution_types()}
    return {types[e.type_id]: (e.last_update_time_since_epoch - e.create_time_since_epoch) / 1000
            for e in store.get_executions() if types[e.type_id] in ("StatisticsGen", "Transform")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["prepare", "run", "compare", "clean", "staging"])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--root", type=Path, default=Path("/tfx/bench"))
    parser.add_argument("--shards", type=int, nargs="+", default=[2], help="prepare: each; run: the first")
    parser.add_argument("--setup", choices=sorted(SETUPS), help="run: how Beam runs")
    parser.add_argument("--baseline", help="compare: the run the others must equal, <setup>-<shards>")
    parser.add_argument("--runs", nargs="+", default=[], help="compare: the other runs, <setup>-<shards>")
    args = parser.parse_args()
    root = args.root / f"rows-{args.rows}"

    if args.step == "prepare":
        shutil.rmtree(root, ignore_errors=True)
        data = replicate(args.rows, root / "data")
        seconds = {shards: ingest(root, data, shards) for shards in args.shards}
        files = {shards: files_per_split(ingested(root, shards)[0]) for shards in args.shards}
        print(json.dumps({"rows": args.rows, "ingest_seconds": seconds, "files_per_split": files}))
    elif args.step == "run":
        name = f"{args.setup}-{args.shards[0]}"
        shutil.rmtree(root / name, ignore_errors=True)
        beam_args = SETUPS[args.setup]()
        cpu = cpu_seconds()
        seconds = stats_and_transform(name, root, args.shards[0], beam_args)
        print(json.dumps({"run": name, "seconds": seconds, "container_cpu_seconds": cpu_seconds() - cpu,
                          "components": component_seconds(root, name), "beam_args": beam_args}))
    elif args.step == "compare":
        results = {run: compare(root / args.baseline, root / run) for run in args.runs}
        print(json.dumps({"baseline": args.baseline, "compared": len(next(iter(results.values()))["compared"])
                          if results else 0,
                          "differences": {run: r["differences"][:20] for run, r in results.items()}}))
    elif args.step == "staging":
        print(json.dumps(staging(args.root / "staging")))
        shutil.rmtree(args.root / "staging", ignore_errors=True)
    else:
        shutil.rmtree(root, ignore_errors=True)
        print(json.dumps({"removed": str(root)}))


if __name__ == "__main__":
    main()
