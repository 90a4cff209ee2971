"""The headless pipeline's structure: the components, wired in order, on one span of the data root."""

from tensorflow_model_analysis.proto import config_pb2
from tfx import v1 as tfx
from tfx.utils import proto_utils

from proyecto3 import pipeline
from proyecto3.decision import MAX_ACCURACY_DROP, METRIC, MIN_ACCURACY


def build(tmp_path, **options):
    return pipeline.create_pipeline("test", tmp_path / "root", tmp_path / "spans", tmp_path / "metadata.sqlite",
                                    tmp_path / "serving", **options)


def as_proto(value, message):
    """An exec property as its proto: components keep protos as JSON text (or, for some, the proto itself)."""
    return proto_utils.json_to_proto(value, message) if isinstance(value, str) else value


def test_pipeline_wires_the_components(tmp_path):
    """CsvExampleGen -> ... -> Pusher, Transform on the curated schema, Evaluator against the latest blessed model."""
    components = {c.id: c for c in build(tmp_path).components}
    assert sorted(components) == sorted(["CsvExampleGen", "StatisticsGen", "ImportSchemaGen", "ExampleValidator",
                                         "Transform", "Trainer", "latest_blessed_model_resolver", "Evaluator",
                                         "Pusher"]), list(components)
    assert components["Transform"].inputs["schema"].producer_component_id == "ImportSchemaGen"
    assert components["Evaluator"].inputs["baseline_model"].producer_component_id == "latest_blessed_model_resolver"
    assert components["Pusher"].inputs["model_blessing"].producer_component_id == "Evaluator"
    assert components["Transform"].exec_properties["preprocessing_fn"] == pipeline.PREPROCESSING_FN
    assert components["ImportSchemaGen"].exec_properties["schema_file"] == str(pipeline.SCHEMA_PATH)


def test_example_gen_reads_spans_the_newest_unless_one_is_pinned(tmp_path):
    newest = {c.id: c for c in build(tmp_path).components}["CsvExampleGen"]
    splits = as_proto(newest.exec_properties["input_config"], tfx.proto.Input()).splits
    assert [s.pattern for s in splits] == ["span-{SPAN}/*.csv"], splits
    assert not newest.exec_properties.get("range_config"), "no range: ExampleGen takes the newest span"
    pinned = {c.id: c for c in build(tmp_path, span=2).components}["CsvExampleGen"]
    static = as_proto(pinned.exec_properties["range_config"], tfx.proto.RangeConfig()).static_range
    assert (static.start_span_number, static.end_span_number) == (2, 2), static


def test_evaluator_has_a_value_and_a_change_threshold_from_the_decision_policy(tmp_path):
    evaluator = {c.id: c for c in build(tmp_path).components}["Evaluator"]
    config = as_proto(evaluator.exec_properties["eval_config"], config_pb2.EvalConfig())
    metric = next(m for m in config.metrics_specs[0].metrics if m.class_name == "BinaryAccuracy")
    assert METRIC == "binary_accuracy", "decision.METRIC names the metric TFMA computes for BinaryAccuracy"
    assert metric.threshold.value_threshold.lower_bound.value == MIN_ACCURACY, metric
    change = metric.threshold.change_threshold
    assert change.direction == config_pb2.MetricDirection.HIGHER_IS_BETTER, change
    assert -change.absolute.value >= MAX_ACCURACY_DROP and change.absolute.value < 0, change


def test_main_builds_without_any_span(tmp_path, monkeypatch):
    """The DAG's manifest is built before any batch is collected: main() must not need the data yet."""
    built = []
    monkeypatch.setattr(pipeline.pipelines, "run", built.append)
    pipeline.main(["--data-root", str(tmp_path / "none"), "--tfx-dir", str(tmp_path)])
    assert len(built) == 1 and built[0].pipeline_info.pipeline_name == pipeline.PIPELINE_NAME
