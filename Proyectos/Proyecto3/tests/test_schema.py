"""The shipped curated schema carries the policy's drift comparators and the domain rules of proyecto3.schema."""

import pandas as pd
import tensorflow_data_validation as tfdv
from tensorflow_metadata.proto.v0 import schema_pb2

from proyecto3 import schema as curation
from proyecto3.decision import DRIFT_JENSEN_SHANNON, DRIFT_L_INFINITY


def shipped() -> schema_pb2.Schema:
    return tfdv.load_schema_text(str(curation.SCHEMA_PATH))


def test_drift_comparators_are_the_policys_features_and_thresholds():
    """L∞ and Jensen-Shannon exactly where decision.py puts them, and no comparator anywhere else."""
    schema = shipped()
    compared = {f.name: f.drift_comparator for f in schema.feature if f.HasField("drift_comparator")}
    assert set(compared) == {*DRIFT_L_INFINITY, *DRIFT_JENSEN_SHANNON}, sorted(compared)
    for name, threshold in DRIFT_L_INFINITY.items():
        assert compared[name].infinity_norm.threshold == threshold, (name, compared[name])
    for name, threshold in DRIFT_JENSEN_SHANNON.items():
        assert compared[name].jensen_shannon_divergence.threshold == threshold, (name, compared[name])


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


def test_the_trips_the_data_api_serves_have_no_anomalies():
    """All 15,000 trips of shared-data/chicago-taxi (mounted at /data in the Proyecto's container) validate clean:
    an anomaly then means a broken batch, never the shipped data (empty cells included)."""
    data = curation.DATA_DIR / "chicago-taxi"
    assert data.is_dir(), f"{data} is not mounted (docker-compose.yaml mounts shared-data/ at /data)"
    statistics = tfdv.generate_statistics_from_csv(str(data / "span-*" / "data.csv"))
    anomalies = tfdv.validate_statistics(statistics, shipped())
    assert not anomalies.anomaly_info, {k: v.description for k, v in anomalies.anomaly_info.items()}
