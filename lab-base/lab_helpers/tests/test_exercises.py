"""lab_helpers.exercises: each "Para practicar" check says right to a correct answer and not yet to a wrong one."""

import pandas as pd
import pytest
import tensorflow as tf
import tensorflow_data_validation as tfdv
import tensorflow_transform as tft
import tensorflow_transform.beam as tft_beam
from tensorflow_metadata.proto.v0 import schema_pb2
from tensorflow_transform.tf_metadata import dataset_metadata, schema_utils

from lab_helpers import exercises


@pytest.fixture(scope="module")
def hours():
    """Statistics of trips at hours 0-23, their inferred schema with the hour bounded to [0, 23]."""
    statistics = tfdv.generate_statistics_from_dataframe(pd.DataFrame({"hour": list(range(24)) * 5}))
    schema = tfdv.infer_schema(statistics)
    tfdv.set_domain(schema, "hour", schema_pb2.IntDomain(min=0, max=23))
    return schema, statistics


def test_anomaly_prediction_right_and_wrong(hours):
    """A bound of 12 puts hours 13-23 out of range (INT_TYPE_BIG_INT); 23 leaves no anomaly ("ninguna")."""
    schema, statistics = hours
    assert exercises.anomaly_prediction(schema, statistics, "hour", "ninguna")
    assert not exercises.anomaly_prediction(schema, statistics, "hour", "INT_TYPE_BIG_INT")
    tfdv.get_feature(schema, "hour").int_domain.max = 12
    right = exercises.anomaly_prediction(schema, statistics, "hour", "INT_TYPE_BIG_INT")
    assert right and "INT_TYPE_BIG_INT" in right.message, right
    wrong = exercises.anomaly_prediction(schema, statistics, "hour", "ninguna")
    assert not wrong and "INT_TYPE_BIG_INT" in wrong.message, wrong


def test_drift_prediction_right_and_wrong():
    """Shares 50/50 -> 80/20 drift by 0.3: above a 0.1 threshold, not above 0.5."""
    before = tfdv.generate_statistics_from_dataframe(pd.DataFrame({"pay": ["Cash", "Card"] * 50}))
    after = tfdv.generate_statistics_from_dataframe(pd.DataFrame({"pay": ["Cash"] * 80 + ["Card"] * 20}))
    schema = tfdv.infer_schema(before)
    assert exercises.drift_prediction(schema, before, after, "pay", 0.1, prediction=True)
    assert not exercises.drift_prediction(schema, before, after, "pay", 0.1, prediction=False)
    assert exercises.drift_prediction(schema, before, after, "pay", 0.5, prediction=False)
    assert "0.3000" in exercises.drift_prediction(schema, before, after, "pay", 0.5, prediction=True).message


def test_transformed_feature_right_and_wrong(tmp_path):
    """A feature preprocessing_fn outputs is found in Transform's output; one it does not is not."""
    def preprocessing_fn(inputs):
        return {"x_xf": tft.scale_to_z_score(inputs["x"])}

    metadata = dataset_metadata.DatasetMetadata(
        schema_utils.schema_from_feature_spec({"x": tf.io.FixedLenFeature([], tf.float32)}))
    with tft_beam.Context(temp_dir=str(tmp_path / "tmp")):
        transform_fn = ([{"x": 1.0}, {"x": 3.0}], metadata) | tft_beam.AnalyzeDataset(preprocessing_fn)
        _ = transform_fn | tft_beam.WriteTransformFn(str(tmp_path / "graph"))
    assert exercises.transformed_feature(str(tmp_path / "graph"), "x_xf")
    wrong = exercises.transformed_feature(str(tmp_path / "graph"), "y_xf")
    assert not wrong and "x_xf" in wrong.message, wrong
