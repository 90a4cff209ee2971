"""The Chicago Taxi columns and the label of Proyecto3, shared by every module.

The data API (services/data-api) serves the trips of shared-data/chicago-taxi
in 10 time-ordered batches, each row a list of 18 values in the order of
`GET /columns`. Each collected batch becomes one span (proyecto3.collect).

The label is `big_tipper`, as in TFX's taxi example: the passenger tipped more
than 20 % of the fare. `tips` defines it, so `tips` is never a feature.
"""

LABEL_KEY = "big_tipper"
LABEL_SOURCE = "tips"
TIP_SHARE = 0.2
# Numeric inputs of the model, standardized by Transform (a missing value: the training mean).
NUMERIC_FEATURES = ("fare", "trip_miles", "trip_seconds", "trip_start_hour", "trip_start_day",
                    "pickup_latitude", "pickup_longitude")
# Text inputs of the model, mapped to ids by a vocabulary; also the features whose drift TFDV
# measures with the L-infinity distance (the numeric ones: Jensen-Shannon divergence).
CATEGORICAL_FEATURES = ("payment_type", "company")
FEATURE_KEYS = NUMERIC_FEATURES + CATEGORICAL_FEATURES


def transformed_name(key: str) -> str:
    """The name Transform gives a feature's output, e.g. fare -> fare_xf."""
    return f"{key}_xf"
