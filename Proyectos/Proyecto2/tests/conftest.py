"""A tiny penguin dataset, transformed with preprocessing_fn, shared by the unit tests."""

import random

import apache_beam as beam
import pytest
import tensorflow as tf
import tensorflow_data_validation as tfdv
import tensorflow_transform as tft
import tensorflow_transform.beam as tft_beam
from tensorflow_transform.tf_metadata import dataset_metadata
from tfx.components.trainer.fn_args_utils import DataAccessor, FnArgs
from tfx_bsl.public import tfxio

from proyecto2.pipeline import SCHEMA_PATH
from proyecto2.preprocessing import preprocessing_fn

# Typical measurements of each species: (island, bill length, bill depth, flipper length, body mass).
CENTROIDS = {
    "Adelie": ("Torgersen", 38.8, 18.3, 190.0, 3700.0),
    "Chinstrap": ("Dream", 48.8, 18.4, 196.0, 3733.0),
    "Gentoo": ("Biscoe", 47.5, 15.0, 217.0, 5076.0),
}
MEASUREMENTS = ("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g")


def raw_rows(per_species: int = 12, seed: int = 0) -> list[dict]:
    """Rows as CsvExampleGen stores them (measurements as text, "NA" when missing)."""
    rng = random.Random(seed)
    rows = []
    for species, (island, *centre) in CENTROIDS.items():
        for i in range(per_species):
            values = [f"{c * (1 + rng.gauss(0, 0.02)):.1f}" for c in centre]
            if i == 0:
                values[0] = "NA"
            rows.append({"species": [species], "island": [island], "sex": ["NA"], "year": [2008],
                         **{k: [v] for k, v in zip(MEASUREMENTS, values, strict=True)}})
    return rows


@pytest.fixture(scope="session")
def transformed(tmp_path_factory):
    """(transform output dir, transformed TFRecord file, transformed rows) of the tiny dataset."""
    root = tmp_path_factory.mktemp("transform")
    metadata = dataset_metadata.DatasetMetadata(tfdv.load_schema_text(str(SCHEMA_PATH)))
    examples = root / "examples.tfrecord"
    with beam.Pipeline() as pipeline, tft_beam.Context(temp_dir=str(root / "tmp")):
        raw = pipeline | beam.Create(raw_rows(), reshuffle=False)
        (rows, transformed_metadata), transform_fn = (raw, metadata) | tft_beam.AnalyzeAndTransformDataset(
            preprocessing_fn)
        _ = transform_fn | tft_beam.WriteTransformFn(str(root / "transform_output"))
        # Transform also keeps the raw schema: the serving signatures parse raw examples with it.
        _ = metadata | tft_beam.WriteMetadata(
            str(root / "transform_output" / tft.TFTransformOutput.RAW_METADATA_DIR), pipeline)
        coder = tft.coders.ExampleProtoCoder(transformed_metadata.schema)
        _ = (rows | beam.Map(coder.encode)
             | beam.io.WriteToTFRecord(str(examples), shard_name_template="", num_shards=1))
    spec = tft.TFTransformOutput(str(root / "transform_output")).transformed_feature_spec()
    parsed = [{k: v.numpy() for k, v in tf.io.parse_single_example(record, spec).items()}
              for record in tf.data.TFRecordDataset(str(examples))]
    return root / "transform_output", examples, parsed


def fn_args(transformed, tmp_path, **custom_config) -> FnArgs:
    """What TFX Trainer would pass to run_fn, on the tiny dataset (train = eval)."""
    transform_output, examples, _ = transformed

    def dataset_factory(files, options, schema):
        return tfxio.TFExampleRecord(file_pattern=files, schema=schema).TensorFlowDataset(options)

    return FnArgs(
        train_files=[str(examples)], eval_files=[str(examples)], transform_output=str(transform_output),
        serving_model_dir=str(tmp_path / "serving_model"), model_run_dir=str(tmp_path / "model_run"),
        data_accessor=DataAccessor(tf_dataset_factory=dataset_factory, record_batch_factory=None,
                                   data_view_decode_fn=None),
        custom_config=custom_config)
