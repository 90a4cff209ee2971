"""The corrupted copy raises the anomalies it was built to raise; new data lands in one folder per split."""

import pandas as pd
import pytest
import tensorflow_data_validation as tfdv

from proyecto1 import anomalies
from proyecto1.schema import curate_schema


def csv_statistics(frame: pd.DataFrame, path):
    frame.to_csv(path, index=False)
    return tfdv.generate_statistics_from_csv(str(path))


def test_corrupted_copy_raises_each_injected_anomaly(taxi_frame, tmp_path):
    """Validating the corrupted CSV against the curated schema finds every anomaly kind of CORRUPTIONS."""
    clean_stats = csv_statistics(taxi_frame, tmp_path / "clean.csv")
    schema = curate_schema(tfdv.infer_schema(clean_stats))
    clean = anomalies.anomaly_kinds(tfdv.validate_statistics(clean_stats, schema, environment="TRAINING"))
    assert clean == {}, f"clean data should have no anomalies: {clean}"
    dirty = anomalies.corrupt(taxi_frame)
    found = anomalies.anomaly_kinds(tfdv.validate_statistics(csv_statistics(dirty, tmp_path / "dirty.csv"),
                                                             schema, environment="TRAINING"))
    for feature, _, expected in anomalies.CORRUPTIONS:
        assert expected in found.get(feature, []), f"{feature}: expected {expected}, found {found}"


def test_prepare_incoming_writes_one_folder_per_split(taxi_frame, tmp_path):
    """span2 is copied as is, serving lacks tips, corrupted lacks company."""
    source = tmp_path / "span-2.csv"
    taxi_frame.to_csv(source, index=False)
    paths = anomalies.prepare_incoming(source, tmp_path / "incoming")
    assert set(paths) == set(anomalies.INCOMING_SPLITS)
    assert paths["span2"].read_text() == source.read_text()
    assert "tips" not in pd.read_csv(paths["serving"]).columns
    corrupted = pd.read_csv(paths["corrupted"])
    assert "company" not in corrupted.columns
    assert len(corrupted) == len(taxi_frame), "corruption changes values, never the number of rows"


def test_missing_new_data_is_explained_in_spanish(tmp_path):
    """A missing CSV names its path in a Spanish message."""
    with pytest.raises(FileNotFoundError, match="No existe el fichero de datos nuevos .*nada.csv"):
        anomalies.prepare_incoming(tmp_path / "nada.csv", tmp_path / "incoming")
