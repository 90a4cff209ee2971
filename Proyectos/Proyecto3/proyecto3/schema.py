"""Curate the schema TFDV infers from a batch: what we know of Chicago taxi trips, and the drift comparators.

`python -m proyecto3.schema` infers the schema from all the trips the data API
serves (shared-data/chicago-taxi, read-only in /data) and writes the curated one
to schema/schema.pbtxt, which git keeps and ImportSchemaGen imports. The rules are loose where a batch of 1,500 trips
legitimately varies (a missing coordinate, a new company) and strict where a
value is impossible (a negative fare, hour 27, a payment type that does not
exist), so anomalies mean a broken batch, not a different one: a different one
is drift, measured by the comparators.
"""

import argparse
from pathlib import Path

import tensorflow_data_validation as tfdv
from tensorflow_metadata.proto.v0 import schema_pb2

from lab_helpers.paths import DATA_DIR
from proyecto3.decision import DRIFT_JENSEN_SHANNON, DRIFT_L_INFINITY

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schema" / "schema.pbtxt"
# Hour 0-23, day of week 1-7 (1 = Sunday), month 1-12, Chicago's 77 community areas.
INT_RANGES = {"trip_start_hour": (0, 23), "trip_start_day": (1, 7), "trip_start_month": (1, 12),
              "pickup_community_area": (1, 77), "dropoff_community_area": (1, 77)}
# Money, distance and time are never negative.
NON_NEGATIVE = ("fare", "trip_miles", "trip_seconds", "tips")
# The payment types of the City of Chicago's Taxi Trips dataset.
PAYMENT_TYPES = ("Cash", "Credit Card", "Dispute", "Mobile", "No Charge", "Pcard", "Prcard", "Prepaid", "Unknown")
# Companies come and go (6 in the oldest batch, 22 in the newest): a new one is drift, not an anomaly,
# so `company` keeps no list of values.
NO_DOMAIN = ("company",)
# Every trip carries these, with a value.
REQUIRED = ("fare", "trip_start_timestamp", "trip_start_hour", "trip_start_day", "trip_start_month",
            "payment_type", "tips")
# Census tracts: empty in every trip of some batches, so CSV decoding cannot even give them a type from one
# batch to the next; the model does not use them. Deprecated: validation skips them.
DEPRECATED = ("pickup_census_tract", "dropoff_census_tract")
# Often empty in this sample: never required.
OPTIONAL = ("pickup_community_area", "dropoff_community_area",
            "pickup_latitude", "pickup_longitude", "dropoff_latitude", "dropoff_longitude", "company",
            "trip_miles", "trip_seconds")


def _string_domain(schema: schema_pb2.Schema, name: str) -> schema_pb2.StringDomain:
    feature = tfdv.get_feature(schema, name)
    if feature.WhichOneof("domain_info") == "domain":
        return next(d for d in schema.string_domain if d.name == feature.domain)
    return feature.string_domain


def _set_range(feature: schema_pb2.Feature, low: float, high: float | None = None) -> None:
    """A range in the feature's own type (CSV decoding decides INT or FLOAT; the schema follows it)."""
    domain = feature.int_domain if feature.type == schema_pb2.INT else feature.float_domain
    domain.min = int(low) if feature.type == schema_pb2.INT else low
    if high is not None:
        domain.max = int(high) if feature.type == schema_pb2.INT else high


def curate_schema(inferred: schema_pb2.Schema) -> schema_pb2.Schema:
    """A copy of the inferred schema with ranges, domains, presence and the drift comparators."""
    schema = schema_pb2.Schema()
    schema.CopyFrom(inferred)
    for feature in schema.feature:
        feature.ClearField("shape")  # a missing value is allowed where presence allows it
    for name in DEPRECATED:
        tfdv.get_feature(schema, name).lifecycle_stage = schema_pb2.DEPRECATED
    for name, (low, high) in INT_RANGES.items():
        _set_range(tfdv.get_feature(schema, name), low, high)
    for name in NON_NEGATIVE:
        _set_range(tfdv.get_feature(schema, name), 0)
    payment = _string_domain(schema, "payment_type")
    del payment.value[:]
    payment.value.extend(PAYMENT_TYPES)
    for name in NO_DOMAIN:
        feature = tfdv.get_feature(schema, name)
        if feature.WhichOneof("domain_info") == "domain":
            kept = [d for d in schema.string_domain if d.name != feature.domain]
            del schema.string_domain[:]
            schema.string_domain.extend(kept)
        feature.ClearField("domain_info")
        feature.ClearField("distribution_constraints")
    for name in REQUIRED:
        feature = tfdv.get_feature(schema, name)
        feature.presence.min_fraction, feature.presence.min_count = 1.0, 1
    for name in OPTIONAL:
        feature = tfdv.get_feature(schema, name)
        feature.presence.min_fraction, feature.presence.min_count = 0.0, 0
        # An empty CSV cell is a feature with no value: "at least one value" would flag it as missing.
        feature.ClearField("value_count")
    for name, threshold in DRIFT_L_INFINITY.items():
        tfdv.get_feature(schema, name).drift_comparator.infinity_norm.threshold = threshold
    for name, threshold in DRIFT_JENSEN_SHANNON.items():
        tfdv.get_feature(schema, name).drift_comparator.jensen_shannon_divergence.threshold = threshold
    return schema


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA_DIR / "chicago-taxi", help="default: /data/chicago-taxi")
    parser.add_argument("--output", type=Path, default=SCHEMA_PATH)
    args = parser.parse_args(argv)
    statistics = tfdv.generate_statistics_from_csv(str(args.data / "span-*" / "data.csv"))
    tfdv.write_schema_text(curate_schema(tfdv.infer_schema(statistics)), str(args.output))
    print(f"Esquema curado en {args.output}")


if __name__ == "__main__":
    main()
