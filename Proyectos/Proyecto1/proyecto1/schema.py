"""Stages 4 and 5: curate the inferred schema with domain knowledge, add environments, save it.

SchemaGen only knows the training data; these rules add what we know about
Chicago taxi trips, so that new data is checked against the world, not just
against last month's sample.
"""

import tensorflow_data_validation as tfdv
from tensorflow_metadata.proto.v0 import schema_pb2

from proyecto1.features import CATEGORICAL_FEATURES, LABEL_SOURCE, SERVING, TRAINING

# Calendar fields of the trip start: hour 0-23, day of week 1-7 (1 = Sunday), month 1-12.
INT_RANGES = {
    "trip_start_hour": (0, 23),
    "trip_start_day": (1, 7),
    "trip_start_month": (1, 12),
    # Chicago has 77 community areas.
    "pickup_community_area": (1, 77),
    "dropoff_community_area": (1, 77),
}
# A box around the city of Chicago (degrees).
CHICAGO_LATITUDE = (41.6, 42.1)
CHICAGO_LONGITUDE = (-88.0, -87.5)
COORDINATE_RANGES = {
    "pickup_latitude": CHICAGO_LATITUDE,
    "dropoff_latitude": CHICAGO_LATITUDE,
    "pickup_longitude": CHICAGO_LONGITUDE,
    "dropoff_longitude": CHICAGO_LONGITUDE,
}
# Empty in every trip of span-1, so SchemaGen can only guess its type, and unused by
# the model (stage 1 drops it): deprecated, validation skips it.
DEPRECATED = ("pickup_census_tract",)
# Money, distance and time are never negative.
NON_NEGATIVE = ("fare", "trip_miles", "trip_seconds", "tips")
# The payment types of the City of Chicago's Taxi Trips dataset.
PAYMENT_TYPES = ("Cash", "Credit Card", "Dispute", "Mobile", "No Charge", "Pcard", "Prcard", "Prepaid", "Unknown")
# Companies come and go: up to 10 % of trips may come from a company not seen in training.
COMPANY_MIN_DOMAIN_MASS = 0.9
# Columns every trip must carry, with a value.
REQUIRED = ("fare", "trip_start_timestamp", "trip_start_hour", "trip_start_day", "trip_start_month",
            "payment_type", "pickup_latitude", "pickup_longitude")
# The label is computed from `tips`, which a trip being served does not have yet.
# L-infinity distance between the value distributions of two datasets above which
# a categorical feature has drifted (span to span) or is skewed (training vs serving).
DRIFT_THRESHOLD = 0.01
SKEW_THRESHOLD = 0.01


def string_domain(schema: schema_pb2.Schema, name: str) -> schema_pb2.StringDomain:
    """The string domain of feature `name`: the schema-level one it refers to, or its own."""
    feature = tfdv.get_feature(schema, name)
    if feature.WhichOneof("domain_info") == "domain":
        return next(d for d in schema.string_domain if d.name == feature.domain)
    return feature.string_domain


def _set_range(feature: schema_pb2.Feature, low: float, high: float | None = None) -> None:
    if feature.type == schema_pb2.INT:
        feature.int_domain.min = int(low)
        if high is not None:
            feature.int_domain.max = int(high)
    else:
        feature.float_domain.min = low
        if high is not None:
            feature.float_domain.max = high


def curate_schema(inferred: schema_pb2.Schema) -> schema_pb2.Schema:
    """A copy of the inferred schema with ranges, domains, presence, environments and comparators."""
    schema = schema_pb2.Schema()
    schema.CopyFrom(inferred)
    for name in DEPRECATED:
        tfdv.get_feature(schema, name).lifecycle_stage = schema_pb2.DEPRECATED
    for name, (low, high) in {**INT_RANGES, **COORDINATE_RANGES}.items():
        _set_range(tfdv.get_feature(schema, name), low, high)
    for name in NON_NEGATIVE:
        _set_range(tfdv.get_feature(schema, name), 0)
    payment = string_domain(schema, "payment_type")
    del payment.value[:]
    payment.value.extend(PAYMENT_TYPES)
    tfdv.get_feature(schema, "company").distribution_constraints.min_domain_mass = COMPANY_MIN_DOMAIN_MASS
    for name in REQUIRED:
        feature = tfdv.get_feature(schema, name)
        feature.presence.min_fraction = 1.0
        feature.presence.min_count = 1
    add_environments(schema)
    for name in CATEGORICAL_FEATURES:
        feature = tfdv.get_feature(schema, name)
        feature.drift_comparator.infinity_norm.threshold = DRIFT_THRESHOLD
        feature.skew_comparator.infinity_norm.threshold = SKEW_THRESHOLD
    return schema


def add_environments(schema: schema_pb2.Schema) -> None:
    """Declare TRAINING and SERVING; the label's source column is absent at serving."""
    for environment in (TRAINING, SERVING):
        if environment not in schema.default_environment:
            schema.default_environment.append(environment)
    label = tfdv.get_feature(schema, LABEL_SOURCE)
    if SERVING not in label.not_in_environment:
        label.not_in_environment.append(SERVING)
