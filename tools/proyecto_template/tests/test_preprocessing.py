"""preprocessing_fn, run by tf.Transform on a few penguins: measurements standardized, species kept."""

import pytest
import tensorflow as tf
import tensorflow_transform.beam as tft_beam
from tensorflow_transform.tf_metadata import dataset_metadata, schema_utils

from proyectoN.features import FEATURE_KEYS, LABEL_KEY, transformed_name
from proyectoN.preprocessing import preprocessing_fn

ROWS = [{LABEL_KEY: species, **dict.fromkeys(FEATURE_KEYS, value)} for species, value in ((0, 0.1), (1, 0.5), (2, 0.9))]


def test_measurements_are_standardized_and_the_label_kept(tmp_path):
    """Each measurement has mean 0 and standard deviation 1 over the data; the species stays 0, 1, 2."""
    spec = {LABEL_KEY: tf.io.FixedLenFeature([], tf.int64),
            **{key: tf.io.FixedLenFeature([], tf.float32) for key in FEATURE_KEYS}}
    metadata = dataset_metadata.DatasetMetadata(schema_utils.schema_from_feature_spec(spec))
    with tft_beam.Context(temp_dir=str(tmp_path)):
        (transformed, _), _ = (ROWS, metadata) | tft_beam.AnalyzeAndTransformDataset(preprocessing_fn)
    values = [row[transformed_name("body_mass_g")] for row in transformed]
    assert values == pytest.approx([-1.2247, 0.0, 1.2247], abs=1e-3), values
    assert [row[transformed_name(LABEL_KEY)] for row in transformed] == [0, 1, 2]
