"""lab_helpers.artifacts: the offline tables the notebooks use and the readers the exercise checks use."""

import pandas as pd
import tensorflow as tf
import tensorflow_data_validation as tfdv
import tensorflow_transform as tft
import tensorflow_transform.beam as tft_beam
from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2
from tensorflow_transform.tf_metadata import dataset_metadata, schema_utils

from lab_helpers import artifacts


def test_drift_skew_table_lists_each_measurement():
    """One row per feature and measurement, flagged when the value exceeds the threshold."""
    drift = anomalies_pb2.Anomalies()
    info = drift.drift_skew_info.add()
    info.path.step.append("payment_type")
    info.drift_measurements.add(type=anomalies_pb2.DriftSkewInfo.Measurement.L_INFTY, value=0.04, threshold=0.01)
    skew = anomalies_pb2.Anomalies()
    info = skew.drift_skew_info.add()
    info.path.step.append("company")
    info.skew_measurements.add(type=anomalies_pb2.DriftSkewInfo.Measurement.L_INFTY, value=0.005, threshold=0.01)
    table = artifacts.drift_skew_table({"deriva": drift, "sesgo": skew})
    rows = table[["comparacion", "feature", "medida", "distancia", "supera_umbral"]].values.tolist()
    assert rows == [["deriva", "payment_type", "deriva", "L_INFTY", True],
                    ["sesgo", "company", "sesgo", "L_INFTY", False]], table


def test_schema_changes_shows_only_changed_features_with_open_bounds():
    """Unchanged features are left out; a lower bound alone reads [0, inf], not [0, 0]."""
    before = schema_pb2.Schema()
    before.feature.add(name="fare", type=schema_pb2.FLOAT)
    before.feature.add(name="hour", type=schema_pb2.INT)
    after = schema_pb2.Schema()
    after.CopyFrom(before)
    after.feature[0].float_domain.min = 0
    changes = artifacts.schema_changes(before, after)
    assert list(changes.index) == ["fare"], changes
    assert changes.loc["fare", ("dominio", "después")] == "[0, inf]", changes


def test_anomaly_types_and_drift_distances_of_a_feature():
    """A narrowed domain gives INT_TYPE_BIG_INT; a drift comparator gives a COMPARATOR type and its measurement."""
    hours = tfdv.generate_statistics_from_dataframe(pd.DataFrame({"hour": list(range(24)) * 5}))
    schema = tfdv.infer_schema(hours)
    assert artifacts.anomaly_types(tfdv.validate_statistics(hours, schema), "hour") == []
    tfdv.set_domain(schema, "hour", schema_pb2.IntDomain(min=0, max=12))
    assert artifacts.anomaly_types(tfdv.validate_statistics(hours, schema), "hour") == ["INT_TYPE_BIG_INT"]

    before = tfdv.generate_statistics_from_dataframe(pd.DataFrame({"pay": ["Cash", "Card"] * 50}))
    after = tfdv.generate_statistics_from_dataframe(pd.DataFrame({"pay": ["Cash"] * 80 + ["Card"] * 20}))
    schema = tfdv.infer_schema(before)
    tfdv.get_feature(schema, "pay").drift_comparator.infinity_norm.threshold = 0.1
    anomalies = tfdv.validate_statistics(after, schema, previous_statistics=before)
    assert set(artifacts.anomaly_types(anomalies, "pay")) <= artifacts.DRIFT_SKEW_TYPES
    assert artifacts.anomaly_types(anomalies, "pay") == ["COMPARATOR_L_INFTY_HIGH"]
    [(name, value, threshold)] = artifacts.drift_distances(anomalies, "pay")
    assert (name, round(value, 4), threshold) == ("L_INFTY", 0.3, 0.1)


def test_transformed_features_lists_transform_outputs(tmp_path):
    """The features a TransformGraph outputs, read with tf.Transform."""
    def preprocessing_fn(inputs):
        return {"x_xf": tft.scale_to_z_score(inputs["x"]), "x_raw": inputs["x"]}

    metadata = dataset_metadata.DatasetMetadata(
        schema_utils.schema_from_feature_spec({"x": tf.io.FixedLenFeature([], tf.float32)}))
    with tft_beam.Context(temp_dir=str(tmp_path / "tmp")):
        transform_fn = ([{"x": 1.0}, {"x": 3.0}], metadata) | tft_beam.AnalyzeDataset(preprocessing_fn)
        _ = transform_fn | tft_beam.WriteTransformFn(str(tmp_path / "graph"))
    assert artifacts.transformed_features(str(tmp_path / "graph")) == ["x_raw", "x_xf"]


def test_load_sliced_metrics_reads_what_the_evaluator_wrote(tmp_path):
    """Each slice's metrics come back keyed by TFMA's MetricKey, the slice key deserialized."""
    from tensorflow_model_analysis.metrics import metric_types
    from tensorflow_model_analysis.proto import metrics_for_slice_pb2
    from tensorflow_model_analysis.slicer import slicer_lib

    key = metric_types.MetricKey(name="accuracy", model_name="candidate", example_weighted=True)
    record = metrics_for_slice_pb2.MetricsForSlice(slice_key=slicer_lib.serialize_slice_key((("island", "Dream"),)))
    entry = record.metric_keys_and_values.add()
    entry.key.CopyFrom(key.to_proto())
    entry.value.double_value.value = 0.875
    with tf.io.TFRecordWriter(str(tmp_path / "metrics-00000-of-00001.tfrecord")) as writer:
        writer.write(record.SerializeToString())
    assert artifacts.load_sliced_metrics(str(tmp_path)) == [((("island", "Dream"),), {key: 0.875})]
