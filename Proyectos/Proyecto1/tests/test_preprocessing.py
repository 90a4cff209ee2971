"""preprocessing_fn, run by tf.Transform's Beam implementation on a few in-memory trips."""

import math

import pytest
import tensorflow as tf
import tensorflow_transform.beam as tft_beam
from tensorflow_transform.tf_metadata import dataset_metadata, schema_utils

from proyecto1 import preprocessing as prep

# As Transform parses the curated schema: always-present columns are dense,
# columns with gaps (empty CSV cells) are sparse.
FEATURE_SPEC = {
    "fare": tf.io.FixedLenFeature([1], tf.float32),
    "trip_seconds": tf.io.VarLenFeature(tf.float32),
    "trip_miles": tf.io.FixedLenFeature([1], tf.float32),
    "trip_start_timestamp": tf.io.FixedLenFeature([1], tf.int64),
    "payment_type": tf.io.FixedLenFeature([1], tf.string),
    "company": tf.io.VarLenFeature(tf.string),
    "pickup_latitude": tf.io.FixedLenFeature([1], tf.float32),
    "pickup_longitude": tf.io.FixedLenFeature([1], tf.float32),
    "dropoff_longitude": tf.io.VarLenFeature(tf.float32),
    "dropoff_census_tract": tf.io.VarLenFeature(tf.float32),
    "tips": tf.io.FixedLenFeature([1], tf.float32),
}


def trip(fare, seconds, miles, payment, company, tips, tract=(17031081000.0,)):
    return {"fare": [fare], "trip_seconds": seconds, "trip_miles": [miles],
            "trip_start_timestamp": [1_400_000_000 + int(fare * 1000)], "payment_type": [payment],
            "company": company, "pickup_latitude": [41.8 + fare / 1000], "pickup_longitude": [-87.7 - fare / 1000],
            "dropoff_longitude": [-87.65], "dropoff_census_tract": list(tract), "tips": [tips]}


TRIPS = [
    trip(5.0, [300.0], 1.0, "Cash", [b"Flash Cab"], 0.0),
    trip(10.0, [600.0], 2.0, "Cash", [b"Flash Cab"], 3.0),
    trip(20.0, [], 4.0, "Cash", [], 0.0, tract=()),  # trip_seconds, company and tract missing
    trip(40.0, [1500.0], 8.0, "Credit Card", [b"Blue Ribbon"], 10.0),
    trip(25.0, [900.0], 5.0, "Cash", [b"Flash Cab"], 4.0),
]


@pytest.fixture(scope="module")
def transformed(tmp_path_factory):
    """The transformed trips, in input order."""
    metadata = dataset_metadata.DatasetMetadata(schema_utils.schema_from_feature_spec(FEATURE_SPEC))
    with tft_beam.Context(temp_dir=str(tmp_path_factory.mktemp("tft"))):
        (rows, _), _ = (TRIPS, metadata) | tft_beam.AnalyzeAndTransformDataset(prep.preprocessing_fn)
    return list(rows)


def column(rows, key):
    return [float(row[key]) for row in rows]


def test_z_score_has_mean_zero_and_unit_variance(transformed):
    """fare_xf is standardized: mean 0, population standard deviation 1."""
    values = column(transformed, "fare_xf")
    mean = sum(values) / len(values)
    std = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    assert abs(mean) < 1e-5 and abs(std - 1) < 1e-4, (mean, std, values)


def test_min_max_scaling_spans_zero_to_one(transformed):
    """trip_miles_xf goes from exactly 0 (shortest trip) to exactly 1 (longest)."""
    values = column(transformed, "trip_miles_xf")
    assert min(values) == pytest.approx(0) and max(values) == pytest.approx(1), values
    assert values[1] == pytest.approx((2 - 1) / (8 - 1)), values


def test_missing_values_are_imputed(transformed):
    """A missing duration gets the mean (z-score 0); a missing company gets its own vocabulary id."""
    assert column(transformed, "trip_seconds_xf")[2] == pytest.approx(0, abs=1e-5), column(transformed,
                                                                                               "trip_seconds_xf")
    companies = column(transformed, "company_xf")
    assert companies[2] not in (companies[0], companies[3]), companies


def test_vocabulary_gives_the_most_frequent_value_id_zero(transformed):
    """Cash (4 trips) is id 0 and Credit Card (1 trip) id 1 in the payment_type vocabulary."""
    assert column(transformed, "payment_type_xf") == [0, 0, 0, 1, 0]
    assert column(transformed, "company_xf")[0] == 0, "Flash Cab is the most frequent company"


def test_buckets_and_hashes_stay_in_range(transformed):
    """Bucket ids are within BUCKET_COUNT, hash ids within HASH_BUCKETS."""
    for key in prep.BUCKET_FEATURES:
        assert all(0 <= v < prep.BUCKET_COUNT for v in column(transformed, prep.transformed_name(key))), key
    hashes = column(transformed, "dropoff_census_tract_xf")
    assert all(0 <= v < prep.HASH_BUCKETS for v in hashes), hashes
    assert hashes[0] == hashes[1], "the same tract must hash to the same bucket"


def test_label_is_tips_above_twenty_percent_of_fare(transformed):
    """big_tipper is 1 exactly when tips > 0.2 * fare."""
    assert column(transformed, prep.LABEL_KEY) == [0, 1, 0, 1, 0]
