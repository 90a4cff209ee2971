"""The pipeline's structure, and a clear Spanish error for a missing data folder."""

import pytest

from proyecto1 import pipeline


def test_pipeline_has_the_full_chain(tmp_path):
    """create_pipeline with new data wires the ten components, Transform reading the curated schema."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "data.csv").write_text("a,b\n1,2\n")
    built = pipeline.create_pipeline("test", tmp_path / "root", data, tmp_path / "m.sqlite",
                                      incoming_root=tmp_path / "incoming")
    ids = {c.id for c in built.components}
    assert ids == {"CsvExampleGen", "StatisticsGen", "SchemaGen", "ImportSchemaGen", "CuratedStatisticsGen",
                   "ExampleValidator", "Transform", "IncomingExampleGen", "IncomingStatisticsGen",
                   "IncomingExampleValidator"}, ids
    transform = next(c for c in built.components if c.id == "Transform")
    assert transform.inputs["schema"].producer_component_id == "ImportSchemaGen"
    assert transform.exec_properties["preprocessing_fn"] == pipeline.PREPROCESSING_FN


def test_committed_schema_exists():
    """The headless run imports the committed curated schema."""
    assert pipeline.SCHEMA_PATH.is_file(), f"{pipeline.SCHEMA_PATH} is missing"


def test_missing_data_folder_is_explained_in_spanish(tmp_path):
    """A missing folder raises FileNotFoundError naming the path, in Spanish."""
    with pytest.raises(FileNotFoundError, match=f"No existe la carpeta de datos {tmp_path / 'nada'}"):
        pipeline.create_pipeline("test", tmp_path / "root", tmp_path / "nada", tmp_path / "m.sqlite")
