"""The penguin classifier, trained by TFX Trainer.

TFX Trainer calls `run_fn` (passed as `proyecto2.model.run_fn`). The model is a
small Keras network on Transform's outputs. It is built with tf_keras (Keras 2),
the Keras that TensorFlow Transform's layer belongs to, and saved as a
TensorFlow SavedModel with three signatures:

- `serving_default`: serialized tf.Example -> class probabilities (used by Evaluator);
- `transform_features`: serialized tf.Example -> Transform's features (Evaluator reads the label from it);
- `predict`: one tensor per measurement -> probabilities and class names (used by the serving service).
"""

import json
import logging
from dataclasses import asdict, dataclass, replace

import tensorflow as tf
import tensorflow_transform as tft
import tf_keras as keras
from tfx import v1 as tfx
from tfx_bsl.public import tfxio

from proyecto2.features import (
    CATEGORICAL_FEATURES,
    FEATURE_KEYS,
    LABEL_KEY,
    NUMERIC_FEATURES,
    SPECIES,
    transformed_name,
)


@dataclass(frozen=True)
class TrainingConfig:
    """Hyperparameters the pipeline passes to run_fn through Trainer's custom_config."""

    learning_rate: float = 0.01
    hidden_units: int = 8
    epochs: int = 60
    batch_size: int = 16
    # Early stopping: stop when the eval loss has not improved by `min_delta` for `patience` epochs.
    patience: int = 3
    min_delta: float = 0.005
    seed: int = 7

    def to_custom_config(self) -> dict:
        return asdict(self)

    @classmethod
    def from_custom_config(cls, config: dict | None) -> "TrainingConfig":
        known = {k: v for k, v in (config or {}).items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def with_hyperparameters(self, hyperparameters: dict | None) -> "TrainingConfig":
        """This config with the values of a KerasTuner HyperParameters config (what Tuner writes), if any."""
        values = (hyperparameters or {}).get("values", {})
        return replace(self, **{k: v for k, v in values.items() if k in self.__dataclass_fields__})


def dataset(files: list[str], data_accessor, transform_output: tft.TFTransformOutput, batch_size: int,
             shuffle: bool, seed: int) -> tf.data.Dataset:
    """Transformed examples as (features, label) batches, one pass per epoch."""
    return data_accessor.tf_dataset_factory(
        files,
        tfxio.TensorFlowDatasetOptions(batch_size=batch_size, label_key=transformed_name(LABEL_KEY),
                                       num_epochs=1, shuffle=shuffle, shuffle_seed=seed),
        transform_output.transformed_metadata.schema)


def build_model(config: TrainingConfig, island_vocabulary_size: int) -> keras.Model:
    """Measurements + one-hot island -> one hidden layer -> softmax over SPECIES."""
    numeric = [keras.layers.Input(shape=(1,), name=transformed_name(k)) for k in NUMERIC_FEATURES]
    categorical = [keras.layers.Input(shape=(1,), name=transformed_name(k), dtype=tf.int64)
                   for k in CATEGORICAL_FEATURES]
    # +1: the out-of-vocabulary bucket of compute_and_apply_vocabulary.
    one_hot = [keras.layers.CategoryEncoding(num_tokens=island_vocabulary_size + 1, output_mode="one_hot")(c)
               for c in categorical]
    x = keras.layers.concatenate(numeric + one_hot)
    x = keras.layers.Dense(config.hidden_units, activation="relu")(x)
    outputs = keras.layers.Dense(len(SPECIES), activation="softmax", name="probabilities")(x)
    model = keras.Model(inputs=numeric + categorical, outputs=outputs)
    model.compile(optimizer=keras.optimizers.Adam(config.learning_rate),
                  loss="sparse_categorical_crossentropy",
                  metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")])
    return model


def _signatures(model: keras.Model, transform_output: tft.TFTransformOutput) -> dict:
    """The SavedModel's signatures; each applies Transform's graph before the model."""
    model.tft_layer = transform_output.transform_features_layer()
    raw_spec = transform_output.raw_feature_spec()
    serving_spec = {k: raw_spec[k] for k in FEATURE_KEYS}
    classes = tf.constant(SPECIES)

    def _predict(raw_features: dict) -> tf.Tensor:
        transformed = model.tft_layer(raw_features)
        return model({k: transformed[k] for k in map(transformed_name, FEATURE_KEYS)})

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="examples")])
    def serve_examples(serialized):
        return {"probabilities": _predict(tf.io.parse_example(serialized, serving_spec))}

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="examples")])
    def transform_features(serialized):
        return model.tft_layer(tf.io.parse_example(serialized, raw_spec))

    numeric_specs = {k: tf.TensorSpec([None], tf.float64, name=k) for k in NUMERIC_FEATURES}
    categorical_specs = {k: tf.TensorSpec([None], tf.string, name=k) for k in CATEGORICAL_FEATURES}

    @tf.function(input_signature=[{**numeric_specs, **categorical_specs}])
    def predict(features):
        # The raw columns are text (the CSV writes "NA" for a missing value):
        # write numbers the same way, so serving sees what training saw.
        raw = {k: tf.reshape(tf.strings.as_string(features[k]), [-1, 1]) for k in NUMERIC_FEATURES}
        raw.update({k: tf.reshape(features[k], [-1, 1]) for k in CATEGORICAL_FEATURES})
        probabilities = _predict(raw)
        return {"probabilities": probabilities,
                "classes": tf.broadcast_to(classes, tf.shape(probabilities))}

    return {
        "serving_default": serve_examples.get_concrete_function(),
        "transform_features": transform_features.get_concrete_function(),
        "predict": predict.get_concrete_function(),
    }


# TFX Trainer calls this function.
def run_fn(fn_args: tfx.components.FnArgs) -> None:
    """Train with early stopping, log to TensorBoard under the run's folder, save the SavedModel."""
    config = TrainingConfig.from_custom_config(fn_args.custom_config)
    # The best values Tuner found, when the pipeline runs it.
    config = config.with_hyperparameters(fn_args.hyperparameters)
    logging.info("Training config: %s", json.dumps(asdict(config)))
    keras.utils.set_random_seed(config.seed)
    transform_output = tft.TFTransformOutput(fn_args.transform_output)
    train = dataset(fn_args.train_files, fn_args.data_accessor, transform_output, config.batch_size,
                     shuffle=True, seed=config.seed)
    evaluation = dataset(fn_args.eval_files, fn_args.data_accessor, transform_output, config.batch_size,
                          shuffle=False, seed=config.seed)
    model = build_model(config, transform_output.vocabulary_size_by_name(CATEGORICAL_FEATURES[0]))
    callbacks = [
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=config.patience, min_delta=config.min_delta,
                                      restore_best_weights=True),
        # model_run_dir is inside the pipeline root, in the shared volume: the
        # TensorBoard service reads these logs from there.
        keras.callbacks.TensorBoard(log_dir=fn_args.model_run_dir),
    ]
    model.fit(train, validation_data=evaluation, epochs=config.epochs, callbacks=callbacks, verbose=0)
    model.save(fn_args.serving_model_dir, save_format="tf", signatures=_signatures(model, transform_output))
