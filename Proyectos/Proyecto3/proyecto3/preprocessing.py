"""The feature engineering of Proyecto3, as a tf.Transform preprocessing_fn.

Transform runs it over the span's train split to compute the analyzers (each
numeric feature's mean and standard deviation, each text feature's
vocabulary), then applies it to every example; the same graph goes with the
model, so Evaluator and serving transform exactly as training did.

A CSV cell can be empty (a trip without coordinates or company): the curated
schema allows it, so those features arrive as sparse tensors and are filled in
here (numbers with the training mean, text with MISSING_CATEGORY).
"""

import tensorflow as tf
import tensorflow_transform as tft

from proyecto3.features import (
    CATEGORICAL_FEATURES,
    LABEL_KEY,
    LABEL_SOURCE,
    NUMERIC_FEATURES,
    TIP_SHARE,
    transformed_name,
)

# Text used in place of a missing category; a value the vocabulary never saw goes to its extra bucket.
MISSING_CATEGORY = "desconocida"
VOCABULARY_OOV_BUCKETS = 1


def _dense(x: tf.Tensor | tf.SparseTensor, default) -> tf.Tensor:
    """One value per example: a missing value (empty CSV cell) becomes `default`."""
    if isinstance(x, tf.SparseTensor):
        x = tf.sparse.to_dense(tf.SparseTensor(x.indices, x.values, [x.dense_shape[0], 1]),
                               default_value=tf.cast(default, x.dtype))
    return tf.reshape(x, [-1])


def _as_float(x: tf.Tensor | tf.SparseTensor) -> tf.Tensor | tf.SparseTensor:
    if isinstance(x, tf.SparseTensor):
        return tf.SparseTensor(x.indices, tf.cast(x.values, tf.float32), x.dense_shape)
    return tf.cast(x, tf.float32)


def _impute_with_mean(x: tf.Tensor | tf.SparseTensor) -> tf.Tensor:
    """Fill the gaps of a numeric feature with its training mean (an analyzer), as float32."""
    x = _as_float(x)
    return _dense(x, tft.mean(x.values if isinstance(x, tf.SparseTensor) else x))


def big_tipper(tips: tf.Tensor | tf.SparseTensor, fare: tf.Tensor | tf.SparseTensor) -> tf.Tensor:
    """The label: the tip is more than TIP_SHARE of the fare (a missing tip counts as no tip)."""
    return tf.cast(_dense(_as_float(tips), 0.0) > TIP_SHARE * _dense(_as_float(fare), 0.0), tf.int64)


# TFX Transform calls this function.
def preprocessing_fn(inputs: dict) -> dict:
    """Raw taxi trips -> standardized numbers, text as vocabulary ids, and the big_tipper label."""
    outputs = {}
    for key in NUMERIC_FEATURES:
        outputs[transformed_name(key)] = tft.scale_to_z_score(_impute_with_mean(inputs[key]))
    for key in CATEGORICAL_FEATURES:
        text = _dense(inputs[key], MISSING_CATEGORY)
        text = tf.where(tf.equal(text, ""), MISSING_CATEGORY, text)
        outputs[transformed_name(key)] = tft.compute_and_apply_vocabulary(
            text, num_oov_buckets=VOCABULARY_OOV_BUCKETS, vocab_filename=key)
    outputs[transformed_name(LABEL_KEY)] = big_tipper(inputs[LABEL_SOURCE], inputs["fare"])
    return outputs
