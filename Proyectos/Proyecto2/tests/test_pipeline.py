"""The headless pipeline's structure: the full chain, wired to the curated schema, the Tuner only on request."""

import pytest

from proyecto2 import pipeline


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "penguins.csv").write_text("species,island\nAdelie,Dream\n")
    return folder


def build(tmp_path, data, **options):
    return pipeline.create_pipeline("test", tmp_path / "root", data, tmp_path / "m.sqlite", tmp_path / "serving",
                                    **options)


def test_pipeline_has_the_full_chain(tmp_path, data):
    """Eleven components, Transform and Trainer on the curated schema, Pusher gated by the blessing, then MLflow."""
    components = {c.id: c for c in build(tmp_path, data).components}
    assert set(components) == {"CsvExampleGen", "StatisticsGen", "SchemaGen", "ImportSchemaGen", "ExampleValidator",
                               "Transform", "Trainer", "latest_blessed_model_resolver", "Evaluator", "Pusher",
                               "MlflowLogger"}
    assert components["MlflowLogger"].inputs["pushed_model"].producer_component_id == "Pusher"
    for name in ("ExampleValidator", "Transform", "Trainer"):
        assert components[name].inputs["schema"].producer_component_id == "ImportSchemaGen", name
    assert components["Pusher"].inputs["model_blessing"].producer_component_id == "Evaluator"
    assert components["Trainer"].exec_properties["run_fn"] == pipeline.RUN_FN


def test_tuner_feeds_the_trainer_only_when_asked(tmp_path, data):
    """With tune=True a Tuner's best hyperparameters reach the Trainer."""
    components = {c.id: c for c in build(tmp_path, data, tune=True).components}
    assert components["Trainer"].inputs["hyperparameters"].producer_component_id == "Tuner"


def test_worse_config_reaches_the_trainer(tmp_path, data):
    """The configuration passed in is the Trainer's custom_config."""
    trainer = next(c for c in build(tmp_path, data, config=pipeline.WORSE_CONFIG).components if c.id == "Trainer")
    assert '"epochs": 1' in trainer.exec_properties["custom_config"], trainer.exec_properties["custom_config"]
