"""The saved model's `predict` signature (what serving calls) takes one tensor per raw feature and agrees with
`serving_default` (what the Evaluator calls) on the same trips, zeros and empty text included."""

import apache_beam as beam
import pytest
import tensorflow as tf
import tensorflow_data_validation as tfdv
import tensorflow_transform as tft
import tensorflow_transform.beam as tft_beam
from tensorflow_transform.tf_metadata import dataset_metadata, schema_utils

from proyecto3.features import CATEGORICAL_FEATURES, FEATURE_KEYS, LABEL_SOURCE, NUMERIC_FEATURES
from proyecto3.model import BIG_TIP_THRESHOLD, TrainingConfig, _signatures, build_model
from proyecto3.pipeline import SCHEMA_PATH
from proyecto3.preprocessing import preprocessing_fn

# Three trips: the second has hour 0, fare 0 and no company (a value Transform must see, not a gap).
TRIPS = [
    {"fare": 12.5, "trip_miles": 2.1, "trip_seconds": 720, "trip_start_hour": 14, "trip_start_day": 3,
     "pickup_latitude": 41.88, "pickup_longitude": -87.63, "payment_type": "Credit Card", "company": "Flash Cab"},
    {"fare": 0.0, "trip_miles": 0.0, "trip_seconds": 60, "trip_start_hour": 0, "trip_start_day": 1,
     "pickup_latitude": 41.97, "pickup_longitude": -87.9, "payment_type": "Cash", "company": ""},
    {"fare": 40.0, "trip_miles": 17.5, "trip_seconds": 2400, "trip_start_hour": 23, "trip_start_day": 7,
     "pickup_latitude": 41.79, "pickup_longitude": -87.75, "payment_type": "Cash", "company": "Taxi Affiliation"},
]


def raw_spec() -> dict:
    """The raw features the model reads and the label's source, typed as the curated schema types them."""
    spec = schema_utils.schema_as_feature_spec(tfdv.load_schema_text(str(SCHEMA_PATH))).feature_spec
    return {k: spec[k] for k in (*FEATURE_KEYS, LABEL_SOURCE)}


def raw_row(trip: dict, spec: dict, tips: float) -> dict:
    """A trip as tf.Transform reads it, each value in its schema type."""
    row = {k: [trip[k] if spec[k].dtype == tf.string else spec[k].dtype.as_numpy_dtype(trip[k])]
           for k in FEATURE_KEYS}
    return {**row, LABEL_SOURCE: [spec[LABEL_SOURCE].dtype.as_numpy_dtype(tips)]}


def example(trip: dict, spec: dict) -> bytes:
    """A trip as a serialized tf.Example, as the Evaluator gives it to serving_default."""
    features = {}
    for k in FEATURE_KEYS:
        if spec[k].dtype == tf.string:
            features[k] = tf.train.Feature(bytes_list=tf.train.BytesList(value=[trip[k].encode()]))
        elif spec[k].dtype.is_integer:
            features[k] = tf.train.Feature(int64_list=tf.train.Int64List(value=[int(trip[k])]))
        else:
            features[k] = tf.train.Feature(float_list=tf.train.FloatList(value=[trip[k]]))
    return tf.train.Example(features=tf.train.Features(feature=features)).SerializeToString()


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory):
    """An untrained model (its weights are random, not its wiring) saved with its signatures on these trips."""
    root = tmp_path_factory.mktemp("signatures")
    spec = raw_spec()
    metadata = dataset_metadata.DatasetMetadata(schema_utils.schema_from_feature_spec(spec))
    rows = [raw_row(trip, spec, tips) for trip in TRIPS for tips in (0.0, 5.0)]
    with beam.Pipeline() as pipeline, tft_beam.Context(temp_dir=str(root / "tmp")):
        raw = pipeline | beam.Create(rows, reshuffle=False)
        transform_fn = (raw, metadata) | tft_beam.AnalyzeDataset(preprocessing_fn)
        _ = transform_fn | tft_beam.WriteTransformFn(str(root / "transform_output"))
        _ = metadata | tft_beam.WriteMetadata(
            str(root / "transform_output" / tft.TFTransformOutput.RAW_METADATA_DIR), pipeline)
    transform_output = tft.TFTransformOutput(str(root / "transform_output"))
    sizes = {k: transform_output.vocabulary_size_by_name(k) for k in CATEGORICAL_FEATURES}
    model = build_model(TrainingConfig(), sizes)
    model.save(str(root / "model"), save_format="tf", signatures=_signatures(model, transform_output))
    return tf.saved_model.load(str(root / "model")), spec


def test_predict_takes_one_tensor_per_raw_feature(saved_model):
    """Numbers as float64 and text as string, one value per example: what GET /models/taxi describes."""
    signature = saved_model[0].signatures["predict"]
    inputs = {k: v.dtype for k, v in signature.structured_input_signature[1].items()}
    assert inputs == {**{k: tf.float64 for k in NUMERIC_FEATURES}, **{k: tf.string for k in CATEGORICAL_FEATURES}}
    assert set(signature.structured_outputs) == {"probability", "big_tipper"}, signature.structured_outputs
    assert {"serving_default", "transform_features"} <= set(saved_model[0].signatures)


def test_predict_agrees_with_serving_default(saved_model):
    """The same trips through both signatures give the same probability, and big_tipper follows it."""
    model, spec = saved_model
    columns = {k: tf.constant([trip[k] for trip in TRIPS],
                              tf.string if k in CATEGORICAL_FEATURES else tf.float64) for k in FEATURE_KEYS}
    predicted = model.signatures["predict"](**columns)
    probability = predicted["probability"].numpy()
    served = model.signatures["serving_default"](examples=tf.constant([example(t, spec) for t in TRIPS]))
    expected = served["probability"].numpy().reshape(-1)
    assert probability.shape == (len(TRIPS),), probability
    assert probability == pytest.approx(expected, abs=1e-6), (probability, expected)
    assert len(set(probability.round(6))) == len(TRIPS), f"the trips' features did not reach the model: {probability}"
    assert predicted["big_tipper"].numpy().tolist() == [int(p >= BIG_TIP_THRESHOLD) for p in probability]
