"""lab_helpers.artifacts: the offline drift/skew and schema-change tables the notebooks use."""

from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2

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
