"""The headless pipeline's structure: the five components, wired in order."""

from proyectoN import pipeline


def test_pipeline_wires_the_five_components(tmp_path):
    """CsvExampleGen -> StatisticsGen -> SchemaGen -> ExampleValidator, and Transform on the inferred schema."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "data.csv").write_text("species,body_mass_g\n0,0.5\n")
    built = pipeline.create_pipeline("test", tmp_path / "root", data, tmp_path / "metadata.sqlite")
    components = {c.id: c for c in built.components}
    assert list(components) == ["CsvExampleGen", "StatisticsGen", "SchemaGen", "ExampleValidator", "Transform"]
    assert components["Transform"].inputs["schema"].producer_component_id == "SchemaGen"
    assert components["Transform"].exec_properties["preprocessing_fn"] == pipeline.PREPROCESSING_FN
