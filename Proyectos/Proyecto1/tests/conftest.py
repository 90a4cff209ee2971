"""Tiny in-memory Chicago Taxi data shared by the unit tests, and a few trips through preprocessing_fn."""

import numpy as np
import pandas as pd
import pytest
import tensorflow as tf
import tensorflow_transform.beam as tft_beam
from tensorflow_transform.tf_metadata import dataset_metadata, schema_utils

from proyecto1.preprocessing import preprocessing_fn

COMPANIES = ("Taxi Affiliation Services", "Flash Cab")


@pytest.fixture
def taxi_frame() -> pd.DataFrame:
    """40 clean trips with the 18 columns of the Chicago Taxi CSV, a few gaps included."""
    rng = np.random.default_rng(0)
    n = 40
    fare = rng.uniform(4, 40, n).round(2)
    frame = pd.DataFrame({
        "pickup_community_area": rng.integers(1, 78, n),
        "fare": fare,
        "trip_start_month": rng.integers(1, 13, n),
        "trip_start_hour": rng.integers(0, 24, n),
        "trip_start_day": rng.integers(1, 8, n),
        "trip_start_timestamp": rng.integers(1_357_000_000, 1_483_000_000, n),
        "pickup_latitude": rng.uniform(41.7, 42.0, n),
        "pickup_longitude": rng.uniform(-87.9, -87.6, n),
        "dropoff_latitude": rng.uniform(41.7, 42.0, n),
        "dropoff_longitude": rng.uniform(-87.9, -87.6, n),
        "trip_miles": rng.uniform(0, 20, n).round(1),
        "pickup_census_tract": rng.choice([17031081000.0, 17031839100.0], n),
        "dropoff_census_tract": rng.choice([17031081000.0, 17031320100.0, np.nan], n),
        "payment_type": rng.choice(["Cash", "Credit Card"], n),
        "company": rng.choice([*COMPANIES, None], n),
        "trip_seconds": rng.integers(60, 3600, n).astype(float),
        "dropoff_community_area": rng.choice([8.0, 32.0, np.nan], n),
        "tips": (fare * rng.choice([0.0, 0.1, 0.3], n)).round(2),
    })
    return frame


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


@pytest.fixture(scope="session")
def transform_run(tmp_path_factory):
    """TRIPS through preprocessing_fn: (the transformed trips in input order, the TransformGraph folder)."""
    root = tmp_path_factory.mktemp("tft")
    metadata = dataset_metadata.DatasetMetadata(schema_utils.schema_from_feature_spec(FEATURE_SPEC))
    with tft_beam.Context(temp_dir=str(root / "tmp")):
        (rows, _), transform_fn = (TRIPS, metadata) | tft_beam.AnalyzeAndTransformDataset(preprocessing_fn)
        _ = transform_fn | tft_beam.WriteTransformFn(str(root / "transform_graph"))
    return list(rows), str(root / "transform_graph")


@pytest.fixture
def transformed(transform_run):
    """The transformed trips, in input order."""
    return transform_run[0]


@pytest.fixture
def transform_graph(transform_run):
    """The folder of the TransformGraph preprocessing_fn made of TRIPS."""
    return transform_run[1]
