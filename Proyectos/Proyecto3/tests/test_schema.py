"""The shipped curated schema carries the policy's drift comparators and the domain rules of proyecto3.schema."""

import pandas as pd
import tensorflow_data_validation as tfdv
from tensorflow_metadata.proto.v0 import schema_pb2

from proyecto3 import schema as curation
from proyecto3.decision import DRIFT_JENSEN_SHANNON, DRIFT_L_INFINITY
from proyecto3.features import CATEGORICAL_FEATURES, LABEL_SOURCE, NUMERIC_FEATURES


def shipped() -> schema_pb2.Schema:
    return tfdv.load_schema_text(str(curation.SCHEMA_PATH))


def test_every_model_feature_has_its_drift_comparator_at_the_policy_threshold():
    schema = shipped()
    for name in CATEGORICAL_FEATURES:
        comparator = tfdv.get_feature(schema, name).drift_comparator
        assert comparator.infinity_norm.threshold == DRIFT_L_INFINITY, (name, comparator)
    for name in (*NUMERIC_FEATURES, LABEL_SOURCE):
        comparator = tfdv.get_feature(schema, name).drift_comparator
        assert comparator.jensen_shannon_divergence.threshold == DRIFT_JENSEN_SHANNON, (name, comparator)


def test_payment_types_are_closed_companies_open_and_census_tracts_deprecated():
    schema = shipped()
    assert tuple(curation._string_domain(schema, "payment_type").value) == curation.PAYMENT_TYPES
    assert tfdv.get_feature(schema, "company").WhichOneof("domain_info") is None
    assert "company" not in [d.name for d in schema.string_domain], "no orphan domain left behind"
    for name in curation.DEPRECATED:
        assert tfdv.get_feature(schema, name).lifecycle_stage == schema_pb2.DEPRECATED, name


def test_a_fare_of_minus_ten_is_an_anomaly_and_a_new_company_is_not():
    """Impossible values are anomalies; a company the schema never saw is not (it is drift, if anything)."""
    trips = pd.DataFrame({"fare": [-10.0, 12.0], "company": ["Nueva Compañía", "Otra"], "payment_type": ["Cash"] * 2})
    anomalies = tfdv.validate_statistics(tfdv.generate_statistics_from_dataframe(trips), shipped())
    assert "fare" in anomalies.anomaly_info and "company" not in anomalies.anomaly_info, anomalies.anomaly_info.keys()
