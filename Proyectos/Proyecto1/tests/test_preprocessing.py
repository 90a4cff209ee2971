"""preprocessing_fn, run by tf.Transform's Beam implementation on a few in-memory trips (conftest.TRIPS)."""

import math

import pytest

from proyecto1 import preprocessing as prep


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
