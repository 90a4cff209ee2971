"""The big-tipper classifier, trained by TFX Trainer on one span.

TFX Trainer calls `run_fn` (passed as `proyecto3.model.run_fn`). A small Keras
network (tf_keras, the Keras of TensorFlow Transform's layer) on Transform's
outputs, saved as a SavedModel with three signatures, each applying Transform's
graph first:

- `serving_default`: serialized tf.Example -> the probability of a big tip (Evaluator);
- `transform_features`: serialized tf.Example -> Transform's features (Evaluator reads the label from it);
- `predict`: one tensor per raw feature (numbers float64, text string) -> `probability` and
  `big_tipper` (0 or 1), what the serving service calls (POST /models/taxi/predict).
"""

import json
import logging
from dataclasses import asdict, dataclass

import tensorflow as tf
import tensorflow_transform as tft
import tf_keras as keras
from tfx import v1 as tfx
from tfx_bsl.public import tfxio

from proyecto3.features import CATEGORICAL_FEATURES, FEATURE_KEYS, LABEL_KEY, NUMERIC_FEATURES, transformed_name
from proyecto3.preprocessing import VOCABULARY_OOV_BUCKETS

# `big_tipper` of the predict signature is 1 from this probability on.
BIG_TIP_THRESHOLD = 0.5


@dataclass(frozen=True)
class TrainingConfig:
    """Hyperparameters the pipeline passes to run_fn through Trainer's custom_config."""

    learning_rate: float = 0.01
    hidden_units: int = 16
    embedding_size: int = 4
    epochs: int = 20
    batch_size: int = 64
    patience: int = 3
    seed: int = 7

    def to_custom_config(self) -> dict:
        return asdict(self)

    @classmethod
    def from_custom_config(cls, config: dict | None) -> "TrainingConfig":
        return cls(**{k: v for k, v in (config or {}).items() if k in cls.__dataclass_fields__})


def dataset(files: list[str], data_accessor, transform_output: tft.TFTransformOutput, batch_size: int,
            shuffle: bool, seed: int) -> tf.data.Dataset:
    """Transformed examples as (features, label) batches, one pass per epoch."""
    return data_accessor.tf_dataset_factory(
        files,
        tfxio.TensorFlowDatasetOptions(batch_size=batch_size, label_key=transformed_name(LABEL_KEY),
                                       num_epochs=1, shuffle=shuffle, shuffle_seed=seed),
        transform_output.transformed_metadata.schema)


def build_model(config: TrainingConfig, vocabulary_sizes: dict[str, int]) -> keras.Model:
    """Numbers + an embedding per text feature -> one hidden layer -> P(big tip)."""
    numeric = [keras.layers.Input(shape=(1,), name=transformed_name(k)) for k in NUMERIC_FEATURES]
    categorical = [keras.layers.Input(shape=(1,), name=transformed_name(k), dtype=tf.int64)
                   for k in CATEGORICAL_FEATURES]
    embedded = [keras.layers.Flatten()(keras.layers.Embedding(vocabulary_sizes[k] + VOCABULARY_OOV_BUCKETS,
                                                              config.embedding_size)(c))
                for k, c in zip(CATEGORICAL_FEATURES, categorical, strict=True)]
    x = keras.layers.concatenate(numeric + embedded)
    x = keras.layers.Dense(config.hidden_units, activation="relu")(x)
    outputs = keras.layers.Dense(1, activation="sigmoid", name="probability")(x)
    model = keras.Model(inputs=numeric + categorical, outputs=outputs)
    model.compile(optimizer=keras.optimizers.Adam(config.learning_rate), loss="binary_crossentropy",
                  metrics=[keras.metrics.BinaryAccuracy(name="accuracy")])
    return model


def _raw_column(values: tf.Tensor, spec) -> tf.Tensor | tf.SparseTensor:
    """One value per example, as parsing a tf.Example with the raw `spec` gives it to Transform.

    The curated schema fixes no shape, so each raw feature is a VarLenFeature: a
    SparseTensor holding every value, 0 and "" included (Transform decides what
    a missing value is), in the schema's own type (INT or FLOAT).
    """
    if spec.dtype.is_integer:
        values = tf.cast(tf.round(values), spec.dtype)
    elif spec.dtype != tf.string:
        values = tf.cast(values, spec.dtype)
    if not isinstance(spec, tf.io.VarLenFeature):
        return tf.reshape(values, [-1, 1])
    batch = tf.shape(values, out_type=tf.int64)[0]
    indices = tf.stack([tf.range(batch), tf.zeros([batch], tf.int64)], axis=1)
    return tf.SparseTensor(indices, values, tf.stack([batch, 1]))


def _signatures(model: keras.Model, transform_output: tft.TFTransformOutput) -> dict:
    """The SavedModel's signatures; each applies Transform's graph before the model."""
    model.tft_layer = transform_output.transform_features_layer()
    raw_spec = transform_output.raw_feature_spec()
    serving_spec = {k: raw_spec[k] for k in FEATURE_KEYS}

    def _probability(raw_features: dict) -> tf.Tensor:
        transformed = model.tft_layer(raw_features)
        return model({k: transformed[k] for k in map(transformed_name, FEATURE_KEYS)})

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="examples")])
    def serve_examples(serialized):
        return {"probability": _probability(tf.io.parse_example(serialized, serving_spec))}

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="examples")])
    def transform_features(serialized):
        return model.tft_layer(tf.io.parse_example(serialized, raw_spec))

    numeric_specs = {k: tf.TensorSpec([None], tf.float64, name=k) for k in NUMERIC_FEATURES}
    categorical_specs = {k: tf.TensorSpec([None], tf.string, name=k) for k in CATEGORICAL_FEATURES}

    @tf.function(input_signature=[{**numeric_specs, **categorical_specs}])
    def predict(features):
        probability = tf.reshape(_probability({k: _raw_column(features[k], serving_spec[k]) for k in FEATURE_KEYS}),
                                 [-1])
        return {"probability": probability, "big_tipper": tf.cast(probability >= BIG_TIP_THRESHOLD, tf.int64)}

    return {"serving_default": serve_examples.get_concrete_function(),
            "transform_features": transform_features.get_concrete_function(),
            "predict": predict.get_concrete_function()}


# TFX Trainer calls this function.
def run_fn(fn_args: tfx.components.FnArgs) -> None:
    """Train with early stopping, log to TensorBoard under the run's folder, save the SavedModel."""
    config = TrainingConfig.from_custom_config(fn_args.custom_config)
    logging.info("Training config: %s", json.dumps(asdict(config)))
    keras.utils.set_random_seed(config.seed)
    transform_output = tft.TFTransformOutput(fn_args.transform_output)
    train = dataset(fn_args.train_files, fn_args.data_accessor, transform_output, config.batch_size,
                    shuffle=True, seed=config.seed)
    evaluation = dataset(fn_args.eval_files, fn_args.data_accessor, transform_output, config.batch_size,
                         shuffle=False, seed=config.seed)
    sizes = {k: transform_output.vocabulary_size_by_name(k) for k in CATEGORICAL_FEATURES}
    model = build_model(config, sizes)
    callbacks = [keras.callbacks.EarlyStopping(monitor="val_loss", patience=config.patience,
                                               restore_best_weights=True),
                 keras.callbacks.TensorBoard(log_dir=fn_args.model_run_dir)]
    model.fit(train, validation_data=evaluation, epochs=config.epochs, callbacks=callbacks, verbose=0)
    model.save(fn_args.serving_model_dir, save_format="tf", signatures=_signatures(model, transform_output))
