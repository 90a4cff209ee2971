"""The exercise's check: pending while unanswered, right for a new feature, not yet for a shipped or absent one."""

import pytest
import tensorflow as tf
import tensorflow_transform.beam as tft_beam
from tensorflow_transform.tf_metadata import dataset_metadata, schema_utils

from lab_helpers import artifacts
from lab_helpers.exercises import PENDING, RIGHT, WRONG
from proyectoN import exercises
from proyectoN.features import FEATURE_KEYS, LABEL_KEY, transformed_name
from proyectoN.preprocessing import preprocessing_fn

ROWS = [{LABEL_KEY: species, **dict.fromkeys(FEATURE_KEYS, value)} for species, value in ((0, 0.1), (1, 0.5), (2, 0.9))]


@pytest.fixture(scope="module")
def transform_graph(tmp_path_factory) -> str:
    """The folder of the TransformGraph the shipped preprocessing_fn makes of a few penguins."""
    root = tmp_path_factory.mktemp("tft")
    spec = {LABEL_KEY: tf.io.FixedLenFeature([], tf.int64),
            **{key: tf.io.FixedLenFeature([], tf.float32) for key in FEATURE_KEYS}}
    metadata = dataset_metadata.DatasetMetadata(schema_utils.schema_from_feature_spec(spec))
    with tft_beam.Context(temp_dir=str(root / "tmp")):
        _, transform_fn = (ROWS, metadata) | tft_beam.AnalyzeAndTransformDataset(preprocessing_fn)
        _ = transform_fn | tft_beam.WriteTransformFn(str(root / "transform_graph"))
    return str(root / "transform_graph")


def test_shipped_outputs_are_what_preprocessing_fn_outputs(transform_graph):
    """SHIPPED_OUTPUTS, next to the check, is exactly the shipped preprocessing_fn's outputs.

    A student who added a feature for the exercise sees it here as an extra output.
    """
    outputs = set(artifacts.transformed_features(transform_graph))
    assert outputs == exercises.SHIPPED_OUTPUTS, (
        f"preprocessing_fn outputs {sorted(outputs - exercises.SHIPPED_OUTPUTS)} beyond SHIPPED_OUTPUTS and lacks "
        f"{sorted(exercises.SHIPPED_OUTPUTS - outputs)}")


def test_new_feature_three_states(transform_graph, monkeypatch):
    """Pending without a name; a shipped feature or an absent one is wrong; a new one in Transform's output is right."""
    shipped_name = transformed_name(FEATURE_KEYS[0])
    pending = exercises.new_feature(transform_graph, None)
    assert pending.state == PENDING and "nueva_feature" in pending.message, pending
    shipped = exercises.new_feature(transform_graph, shipped_name)
    assert shipped.state == WRONG and "ya la produce" in shipped.message, shipped
    absent = exercises.new_feature(transform_graph, "culmen_ratio_xf")
    assert absent.state == WRONG and shipped_name in absent.message, absent
    # As if the first measurement's output were the student's addition.
    monkeypatch.setattr(exercises, "SHIPPED_OUTPUTS", exercises.SHIPPED_OUTPUTS - {shipped_name})
    assert exercises.new_feature(transform_graph, shipped_name).state == RIGHT
