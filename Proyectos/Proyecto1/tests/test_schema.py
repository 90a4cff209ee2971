"""Schema curation adds the domain knowledge and the environments."""

import pytest
import tensorflow_data_validation as tfdv
from tensorflow_metadata.proto.v0 import schema_pb2

from proyecto1 import schema as curation
from proyecto1.pipeline import SCHEMA_PATH


def inferred_schema(frame) -> schema_pb2.Schema:
    return tfdv.infer_schema(tfdv.generate_statistics_from_dataframe(frame))


def test_curation_sets_ranges_domains_presence_and_comparators(taxi_frame):
    """Hours, days, months, coordinates, money and payment types get their domains; required columns presence 1."""
    schema = curation.curate_schema(inferred_schema(taxi_frame))
    hour = tfdv.get_feature(schema, "trip_start_hour").int_domain
    assert (hour.min, hour.max) == (0, 23), hour
    day = tfdv.get_feature(schema, "trip_start_day").int_domain
    assert (day.min, day.max) == (1, 7), day
    latitude = tfdv.get_feature(schema, "pickup_latitude").float_domain
    assert (latitude.min, latitude.max) == pytest.approx(curation.CHICAGO_LATITUDE), latitude
    fare = tfdv.get_feature(schema, "fare").float_domain
    assert fare.min == 0 and not fare.HasField("max"), fare
    assert list(curation.string_domain(schema, "payment_type").value) == list(curation.PAYMENT_TYPES)
    company = tfdv.get_feature(schema, "company")
    assert company.distribution_constraints.min_domain_mass == curation.COMPANY_MIN_DOMAIN_MASS
    assert company.drift_comparator.infinity_norm.threshold == curation.DRIFT_THRESHOLD
    assert company.skew_comparator.infinity_norm.threshold == curation.SKEW_THRESHOLD
    assert tfdv.get_feature(schema, "payment_type").presence.min_fraction == 1.0
    assert tfdv.get_feature(schema, "pickup_census_tract").lifecycle_stage == schema_pb2.DEPRECATED


def test_curation_leaves_the_inferred_schema_untouched(taxi_frame):
    """curate_schema works on a copy."""
    inferred = inferred_schema(taxi_frame)
    before = inferred.SerializeToString()
    curation.curate_schema(inferred)
    assert inferred.SerializeToString() == before, "curate_schema modified its input"


def test_tips_is_absent_only_at_serving(taxi_frame):
    """Without tips, the data is valid in SERVING and misses a column in TRAINING."""
    schema = curation.curate_schema(inferred_schema(taxi_frame))
    assert list(schema.default_environment) == ["TRAINING", "SERVING"], schema.default_environment
    serving_stats = tfdv.generate_statistics_from_dataframe(taxi_frame.drop(columns=["tips"]))
    serving = tfdv.validate_statistics(serving_stats, schema, environment="SERVING")
    training = tfdv.validate_statistics(serving_stats, schema, environment="TRAINING")
    assert "tips" not in serving.anomaly_info, serving
    assert "tips" in training.anomaly_info, training


def test_committed_schema_is_the_curated_one():
    """schema/schema.pbtxt, which ImportSchemaGen imports, is a fixed point of curate_schema."""
    committed = tfdv.load_schema_text(str(SCHEMA_PATH))
    assert curation.curate_schema(committed) == committed, "schema/schema.pbtxt is not the output of curate_schema"
