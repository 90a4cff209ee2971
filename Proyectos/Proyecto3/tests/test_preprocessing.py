"""preprocessing_fn, run by tf.Transform on a few trips: numbers standardized, gaps filled, the label computed."""

import pytest
import tensorflow as tf
import tensorflow_transform.beam as tft_beam
from tensorflow_transform.tf_metadata import dataset_metadata, schema_utils

from proyecto3.features import CATEGORICAL_FEATURES, LABEL_KEY, LABEL_SOURCE, NUMERIC_FEATURES, transformed_name
from proyecto3.preprocessing import preprocessing_fn

# As the curated schema leaves them (no fixed shape): every column may be empty, so each is a VarLenFeature.
SPEC = {**{k: tf.io.VarLenFeature(tf.float32) for k in (*NUMERIC_FEATURES, LABEL_SOURCE)},
        **{k: tf.io.VarLenFeature(tf.string) for k in CATEGORICAL_FEATURES}}


def trip(fare: float | None, tips: float = 0.0, other: float | None = 1.0, category: bytes | None = b"Cash") -> dict:
    """One trip as tf.Transform reads it; None is an empty CSV cell."""
    values = {k: other for k in NUMERIC_FEATURES} | {"fare": fare, LABEL_SOURCE: tips}
    values |= {k: category for k in CATEGORICAL_FEATURES}
    return {k: [] if v is None else [v] for k, v in values.items()}


def transform(rows: list[dict], tmp_path) -> list[dict]:
    metadata = dataset_metadata.DatasetMetadata(schema_utils.schema_from_feature_spec(SPEC))
    with tft_beam.Context(temp_dir=str(tmp_path)):
        (transformed, _), _ = (rows, metadata) | tft_beam.AnalyzeAndTransformDataset(preprocessing_fn)
    return transformed


def test_label_is_a_tip_over_a_fifth_of_the_fare_and_numbers_are_standardized(tmp_path):
    """Tips 3 on 10 is a big tip, 1 on 10 and 0 on 20 are not; fare (10, 10, 20) has mean 0 after the z-score."""
    transformed = transform([trip(10.0, 3.0), trip(10.0, 1.0), trip(20.0, 0.0)], tmp_path)
    assert [row[transformed_name(LABEL_KEY)] for row in transformed] == [1, 0, 0]
    fares = [row[transformed_name("fare")] for row in transformed]
    assert sum(fares) == pytest.approx(0, abs=1e-5) and fares[2] > 0 > fares[0], fares


def test_a_missing_number_gets_the_training_mean_and_a_missing_category_its_own_id(tmp_path):
    transformed = transform([trip(1.0), trip(3.0), trip(None, other=None, category=None)], tmp_path)
    assert transformed[2][transformed_name("fare")] == pytest.approx(0, abs=1e-5), "the mean, standardized: 0"
    payment = [row[transformed_name("payment_type")] for row in transformed]
    assert payment[0] == payment[1] != payment[2], payment
