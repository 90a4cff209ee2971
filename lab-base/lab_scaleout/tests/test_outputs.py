"""lab_scaleout.outputs tells whether two runs wrote the same data, however Beam sharded and ordered it."""

import json

import pytest
from tensorflow_metadata.proto.v0 import statistics_pb2

from lab_scaleout import outputs


def example(fare: float, company: str, reverse: bool = False) -> bytes:
    """A tf.Example; `reverse` adds its features in the other order (another process may write the map so)."""
    import tensorflow as tf

    features = {"fare": tf.train.Feature(float_list=tf.train.FloatList(value=[fare])),
                "company": tf.train.Feature(bytes_list=tf.train.BytesList(value=[company.encode()]))}
    items = list(features.items())[::-1] if reverse else features.items()
    return tf.train.Example(features=tf.train.Features(feature=dict(items))).SerializeToString()


def write_shards(folder, shards: list[list[bytes]]) -> None:
    import tensorflow as tf

    folder.mkdir(parents=True)
    for number, records in enumerate(shards):
        with tf.io.TFRecordWriter(str(folder / f"data-{number:05d}-of-{len(shards):05d}.gz"), "GZIP") as writer:
            for record in records:
                writer.write(record)


def write_statistics(folder, mean: float) -> None:
    folder.mkdir(parents=True)
    stats = statistics_pb2.DatasetFeatureStatisticsList()
    dataset = stats.datasets.add(num_examples=3)
    feature = dataset.features.add()
    feature.path.step.append("fare")
    feature.num_stats.mean = mean
    feature.num_stats.common_stats.num_non_missing = 3
    (folder / "FeatureStats.pb").write_bytes(stats.SerializeToString())


def pipeline_root(tmp_path, name: str, shards: list[list[bytes]], mean: float, execution: int = 1):
    root = tmp_path / name
    write_shards(root / "CsvExampleGen" / "examples" / str(execution) / "Split-train", shards)
    write_statistics(root / "StatisticsGen" / "statistics" / str(execution + 1) / "Split-train", mean)
    assets = root / "Transform" / "transform_graph" / str(execution + 2) / "transform_fn" / "assets"
    assets.mkdir(parents=True)
    (assets / "company").write_text("Flash Cab\nSun Taxi\n")
    return root


RECORDS = [example(4.5, "Flash Cab"), example(10.25, "Sun Taxi"), example(7.0, "Flash Cab")]


def test_same_data_in_other_shards_and_order_is_the_same(tmp_path):
    """One file in-process, two files from two workers in another order: no difference."""
    a = pipeline_root(tmp_path, "a", [RECORDS], mean=7.25)
    reordered = [example(7.0, "Flash Cab", reverse=True), example(4.5, "Flash Cab")]
    b = pipeline_root(tmp_path, "b", [reordered, [RECORDS[1]]], mean=7.25 * (1 + 1e-9), execution=5)
    result = outputs.compare(a, b)
    assert result["differences"] == [], result
    assert result["compared"] == ["CsvExampleGen/examples/train", "StatisticsGen/statistics/train",
                                  "Transform/transform_graph/company"]


def test_a_changed_record_or_statistic_is_a_difference(tmp_path):
    """A different record and a mean off by more than the tolerance are both reported."""
    a = pipeline_root(tmp_path, "a", [RECORDS], mean=7.25)
    b = pipeline_root(tmp_path, "b", [[*RECORDS[:2], example(7.5, "Flash Cab")]], mean=7.3)
    differences = outputs.compare(a, b)["differences"]
    assert any(d.startswith("/CsvExampleGen/examples/train/digest") for d in differences), differences
    assert any("/StatisticsGen/statistics/train/all/features/fare/mean" in d for d in differences), differences


def test_the_newest_execution_counts(tmp_path):
    """A rerun's outputs (a higher execution id) replace the first run's."""
    root = pipeline_root(tmp_path, "a", [RECORDS], mean=7.25)
    write_shards(root / "CsvExampleGen" / "examples" / "9" / "Split-train", [RECORDS[:1]])
    assert outputs.summarize(root)["CsvExampleGen/examples/train"]["records"] == 1


def test_command_line_exits_1_on_differences(tmp_path, capsys):
    """`python -m lab_scaleout.outputs a b` prints its JSON and fails when the runs differ."""
    a = pipeline_root(tmp_path, "a", [RECORDS], mean=7.25)
    b = pipeline_root(tmp_path, "b", [RECORDS[:2]], mean=7.25)
    with pytest.raises(SystemExit) as exit_code:
        outputs.main([str(a), str(b)])
    assert exit_code.value.code == 1
    assert json.loads(capsys.readouterr().out)["differences"]
