"""What a pipeline's data components wrote, in a form that does not depend on how Beam ran them.

Two runs of the same pipeline on the same data, one in-process and one on the
worker containers (LAB_BEAM_MODE=portable), must write the same data: the same
examples in each split (the files are sharded differently: one per worker),
the same statistics, schema, anomalies and vocabularies. Their sums are added
in another order, so floats compare with a relative tolerance.

    python -m lab_scaleout.outputs /tfx/run-a/artifacts /tfx/run-b/artifacts

prints one JSON line with what was compared and the differences, and exits 1
if there are any. A model (Trainer) is not compared: training is random.
"""

import argparse
import gzip
import hashlib
import json
import math
import struct
import sys
from pathlib import Path

from google.protobuf import text_format
from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2, statistics_pb2

# Relative tolerance for floats: the same sums added in another order differ in the last bits.
TOLERANCE = 1e-6
# Absolute tolerance: a mean near 0 (a z-scored feature after Transform) sums terms that cancel, so the order of
# the additions moves it by about 1e-6 in absolute terms (measured: 0.0087290 in process, 0.0087280 on workers).
ABS_TOLERANCE = 1e-5


def records(files: list[Path]):
    """The records of gzipped TFRecord files, as bytes (TFRecord: length, CRC, data, CRC)."""
    for file in sorted(files):
        with gzip.open(file, "rb") as stream:
            while header := stream.read(12):
                (length,) = struct.unpack("<Q", header[:8])
                yield stream.read(length)
                stream.read(4)


def examples_summary(files: list[Path], with_digest: bool) -> dict:
    """How many records the files hold and, with `with_digest`, a digest of them free of order and sharding.

    Each record is a tf.Example, whose features are a map: serialized again
    deterministically (keys sorted), since each process may write the map in its own order.
    """
    from tensorflow.core.example import example_pb2

    count, digest = 0, 0
    for record in records(files):
        count += 1
        if with_digest:
            canonical = example_pb2.Example.FromString(record).SerializeToString(deterministic=True)
            digest = (digest + int.from_bytes(hashlib.sha256(canonical).digest()[:8], "little")) % 2**64
    return {"records": count, **({"digest": f"{digest:016x}"} if with_digest else {})}


def statistics_summary(path: Path) -> dict:
    """Per slice: the example count and each feature's exact statistics (not the approximate histograms)."""
    stats = statistics_pb2.DatasetFeatureStatisticsList.FromString(path.read_bytes())
    summary = {}
    for dataset in stats.datasets:
        features = {}
        for feature in dataset.features:
            name = ".".join(feature.path.step) or feature.name
            if feature.HasField("num_stats"):
                n = feature.num_stats
                # Not num_zeros: a value computed as 1e-17 in one run may be exactly 0.0 in another.
                features[name] = {"non_missing": n.common_stats.num_non_missing, "mean": n.mean,
                                  "std_dev": n.std_dev, "min": n.min, "max": n.max}
            elif feature.HasField("string_stats"):
                s = feature.string_stats
                features[name] = {"non_missing": s.common_stats.num_non_missing, "unique": s.unique,
                                  "top": {v.value: v.frequency for v in s.top_values}}
        summary[dataset.name or "all"] = {"examples": dataset.num_examples, "features": features}
    return summary


def anomalies_summary(path: Path) -> dict:
    """Each feature with an anomaly and its short description."""
    anomalies = anomalies_pb2.Anomalies.FromString(path.read_bytes())
    return {name: info.short_description for name, info in anomalies.anomaly_info.items()}


def schema_summary(path: Path) -> dict:
    """Each feature and domain of the schema by name (their order in the file does not count)."""
    schema = text_format.Parse(path.read_text(), schema_pb2.Schema())
    return {"features": {f.name: text_format.MessageToString(f, as_one_line=True) for f in schema.feature},
            "domains": {d.name: text_format.MessageToString(d, as_one_line=True) for d in schema.string_domain}}


def latest_executions(pipeline_root: Path) -> dict[str, Path]:
    """Each <component>/<output> of the pipeline root, at the folder of its newest execution."""
    latest = {}
    for output in sorted(p for p in pipeline_root.glob("*/*") if p.is_dir()):
        executions = [p for p in output.iterdir() if p.is_dir() and p.name.isdigit()]
        if executions:
            latest[f"{output.parent.name}/{output.name}"] = max(executions, key=lambda p: int(p.name))
    return latest


def summarize(pipeline_root: Path | str) -> dict:
    """Everything comparable the pipeline wrote, keyed by component/output[/split]."""
    summary = {}
    for key, folder in latest_executions(Path(pipeline_root)).items():
        component = key.split("/")[0]
        splits = sorted(p for p in folder.iterdir() if p.is_dir() and p.name.startswith("Split-")) or [folder]
        for split in splits:
            name = key if split == folder else f"{key}/{split.name.removeprefix('Split-')}"
            shards = list(split.glob("*.gz"))
            if shards:
                # ExampleGen's records are the data itself; Transform's hold floats computed with
                # analyzers whose sums depend on order, so only their count must agree.
                summary[name] = examples_summary(shards, with_digest=component.endswith("ExampleGen"))
            elif (split / "FeatureStats.pb").exists():
                summary[name] = statistics_summary(split / "FeatureStats.pb")
            elif (split / "SchemaDiff.pb").exists():
                summary[name] = anomalies_summary(split / "SchemaDiff.pb")
            elif (split / "schema.pbtxt").exists():
                summary[name] = schema_summary(split / "schema.pbtxt")
        assets = folder / "transform_fn" / "assets"
        if assets.is_dir():
            for vocabulary in sorted(assets.iterdir()):
                summary[f"{key}/{vocabulary.name}"] = vocabulary.read_text().splitlines()
    return summary


def differences(a, b, path: str = "") -> list[str]:
    """Where two summaries differ; floats compare with a relative tolerance of TOLERANCE."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for key in sorted(set(a) | set(b)) for d in differences(a.get(key), b.get(key), f"{path}/{key}")]
    if isinstance(a, float) or isinstance(b, float):
        ok = a is not None and b is not None and math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=ABS_TOLERANCE)
        return [] if ok else [f"{path}: {a} != {b}"]
    return [] if a == b else [f"{path}: {str(a)[:200]} != {str(b)[:200]}"]


def compare(root_a: Path | str, root_b: Path | str) -> dict:
    """What both pipeline roots hold, and where they differ."""
    a, b = summarize(root_a), summarize(root_b)
    return {"compared": sorted(set(a) | set(b)), "differences": differences(a, b)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pipeline_roots", nargs=2, type=Path, help="two pipeline roots (the artifacts folders)")
    args = parser.parse_args(argv)
    result = compare(*args.pipeline_roots)
    print(json.dumps(result))
    sys.exit(1 if result["differences"] or not result["compared"] else 0)


if __name__ == "__main__":
    main()
