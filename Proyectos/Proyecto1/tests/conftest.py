"""Tiny in-memory Chicago Taxi data shared by the unit tests."""

import numpy as np
import pandas as pd
import pytest

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
