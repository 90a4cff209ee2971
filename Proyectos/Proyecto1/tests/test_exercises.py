"""Each exercise's check: pending while unanswered, right for a correct answer, not yet for a wrong one."""

import pandas as pd
import pytest
import tensorflow_data_validation as tfdv
from tensorflow_metadata.proto.v0 import schema_pb2

from lab_helpers import artifacts
from lab_helpers.exercises import PENDING, RIGHT, WRONG
from proyecto1 import exercises
from proyecto1.schema import INT_RANGES


@pytest.fixture
def hours():
    """Statistics of trips at hours 0-23 and their schema with the curated hour domain [0, 23]."""
    statistics = tfdv.generate_statistics_from_dataframe(pd.DataFrame({"trip_start_hour": list(range(24)) * 5}))
    schema = tfdv.infer_schema(statistics)
    tfdv.set_domain(schema, "trip_start_hour", schema_pb2.IntDomain(min=0, max=INT_RANGES["trip_start_hour"][1]))
    return schema, statistics


def test_anomaly_prediction_three_states(hours):
    """Pending until the maximum is lowered and a prediction written; then TFDV's anomaly is the answer."""
    schema, statistics = hours
    unchanged = exercises.anomaly_prediction(schema, statistics, "ninguna")
    assert unchanged.state == PENDING and not unchanged and "máximo" in unchanged.message, unchanged
    tfdv.get_feature(schema, "trip_start_hour").int_domain.max = 12
    unanswered = exercises.anomaly_prediction(schema, statistics, None)
    assert unanswered.state == PENDING and "prediccion" in unanswered.message, unanswered
    right = exercises.anomaly_prediction(schema, statistics, "INT_TYPE_BIG_INT")
    assert right.state == RIGHT and right and "INT_TYPE_BIG_INT" in right.message, right
    wrong = exercises.anomaly_prediction(schema, statistics, "ninguna")
    assert wrong.state == WRONG and not wrong and "INT_TYPE_BIG_INT" in wrong.message, wrong


def test_anomaly_prediction_without_anomaly(hours):
    """A wider domain leaves no anomaly: "ninguna" is right."""
    schema, statistics = hours
    tfdv.get_feature(schema, "trip_start_hour").int_domain.max = 30
    assert exercises.anomaly_prediction(schema, statistics, "ninguna").state == RIGHT
    assert exercises.anomaly_prediction(schema, statistics, "INT_TYPE_BIG_INT").state == WRONG


@pytest.fixture
def payments():
    """Payment types 50/50 before and 80/20 after (an L-infinity distance of 0.3); the schema knows only Cash."""
    before = tfdv.generate_statistics_from_dataframe(pd.DataFrame({"payment_type": ["Cash", "Card"] * 50}))
    after = tfdv.generate_statistics_from_dataframe(
        pd.DataFrame({"payment_type": ["Cash"] * 80 + ["Card"] * 20}))
    schema = tfdv.infer_schema(before)
    # A value outside the domain: an anomaly on the feature, but not drift.
    tfdv.get_domain(schema, "payment_type").value.remove("Card")
    return schema, before, after


def test_drift_prediction_three_states(payments):
    """Pending without an answer; 0.3 drifts above a 0.1 threshold and not above 0.5."""
    schema, before, after = payments
    pending = exercises.drift_prediction(schema, before, after, 0.1, None)
    assert pending.state == PENDING and "hay_deriva" in pending.message, pending
    assert exercises.drift_prediction(schema, before, after, 0.1, True).state == RIGHT
    assert exercises.drift_prediction(schema, before, after, 0.1, False).state == WRONG
    wrong = exercises.drift_prediction(schema, before, after, 0.5, True)
    assert wrong.state == WRONG and "0.3000" in wrong.message, wrong


def test_drift_prediction_counts_only_drift(payments):
    """Under the threshold there is no drift although the feature has a domain anomaly."""
    schema, before, after = payments
    found = artifacts.anomaly_types(tfdv.validate_statistics(after, schema), "payment_type")
    assert found and not artifacts.DRIFT_SKEW_TYPES & set(found), found
    assert exercises.drift_prediction(schema, before, after, 0.5, False).state == RIGHT


def test_shipped_outputs_are_what_preprocessing_fn_outputs(transform_graph):
    """SHIPPED_OUTPUTS, next to the check, is exactly the shipped preprocessing_fn's outputs.

    A student who added a feature for the exercise sees it here as an extra output.
    """
    outputs = set(artifacts.transformed_features(transform_graph))
    assert outputs == exercises.SHIPPED_OUTPUTS, (
        f"preprocessing_fn outputs {sorted(outputs - exercises.SHIPPED_OUTPUTS)} beyond SHIPPED_OUTPUTS and lacks "
        f"{sorted(exercises.SHIPPED_OUTPUTS - outputs)}")


def test_transformed_feature_three_states(transform_graph, monkeypatch):
    """Pending without a name; a shipped feature or an absent one is wrong; a new one in Transform's output is right."""
    assert exercises.transformed_feature(transform_graph, None).state == PENDING
    shipped = exercises.transformed_feature(transform_graph, "fare_xf")
    assert shipped.state == WRONG and "ya la produce" in shipped.message, shipped
    absent = exercises.transformed_feature(transform_graph, "trip_start_hour_xf")
    assert absent.state == WRONG and "fare_xf" in absent.message, absent
    # As if fare_xf were the student's addition.
    monkeypatch.setattr(exercises, "SHIPPED_OUTPUTS", exercises.SHIPPED_OUTPUTS - {"fare_xf"})
    assert exercises.transformed_feature(transform_graph, "fare_xf").state == RIGHT
