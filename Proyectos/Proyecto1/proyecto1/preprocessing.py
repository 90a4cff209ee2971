"""Stage 7: the feature engineering of Proyecto1, as a tf.Transform preprocessing_fn.

The Transform component calls `preprocessing_fn` (pipeline.py passes it as
"proyecto1.preprocessing.preprocessing_fn"): once over the whole training data
to compute the analyzers (means, minimums, vocabularies, quantiles), then on
every example, in training and, inside the exported graph, at serving time.

Its numeric inputs are the eight columns the feature selection of stage 1 kept
(selection.select_features), plus the two categorical columns (features.CATEGORICAL_FEATURES).
"""

import tensorflow as tf
import tensorflow_transform as tft

from proyecto1.features import CATEGORICAL_FEATURES, LABEL_KEY, LABEL_SOURCE, TIP_SHARE, transformed_name

# Standardized to mean 0 and standard deviation 1.
Z_SCORE_FEATURES = ("fare", "trip_seconds")
# Scaled linearly to [0, 1] with the training minimum and maximum.
SCALE_0_1_FEATURES = ("trip_miles", "trip_start_timestamp")
# Strings mapped to integer ids by a vocabulary computed on the training data.
VOCABULARY_FEATURES = CATEGORICAL_FEATURES
VOCABULARY_OOV_BUCKETS = 1
# Cut into quantile buckets: a coordinate says little linearly, its area says more.
BUCKET_FEATURES = ("pickup_latitude", "pickup_longitude", "dropoff_longitude")
BUCKET_COUNT = 10
# An identifier with hundreds of values, hashed into a fixed number of buckets.
HASH_FEATURES = ("dropoff_census_tract",)
HASH_BUCKETS = 64
# Text used in place of a missing category.
MISSING_CATEGORY = "desconocida"

NUMERIC_FEATURES = Z_SCORE_FEATURES + SCALE_0_1_FEATURES + BUCKET_FEATURES + HASH_FEATURES


def _dense(x: tf.Tensor | tf.SparseTensor, default) -> tf.Tensor:
    """One value per example: a missing value (empty CSV cell) becomes `default` (imputation)."""
    if isinstance(x, tf.SparseTensor):
        x = tf.sparse.to_dense(tf.SparseTensor(x.indices, x.values, [x.dense_shape[0], 1]),
                               default_value=tf.cast(default, x.dtype))
    return tf.reshape(x, [-1])


def _present_values(x: tf.Tensor | tf.SparseTensor) -> tf.Tensor:
    return x.values if isinstance(x, tf.SparseTensor) else x


def _as_float(x: tf.Tensor | tf.SparseTensor) -> tf.Tensor | tf.SparseTensor:
    if isinstance(x, tf.SparseTensor):
        return tf.SparseTensor(x.indices, tf.cast(x.values, tf.float32), x.dense_shape)
    return tf.cast(x, tf.float32)


def _impute_with_mean(x: tf.Tensor | tf.SparseTensor) -> tf.Tensor:
    """Fill the gaps of a numeric feature with its training mean (an analyzer), as float32."""
    x = _as_float(x)
    return _dense(x, tft.mean(_present_values(x)))


# TFX Transform calls this function.
def preprocessing_fn(inputs: dict) -> dict:
    """Raw Chicago Taxi features -> model-ready features plus the big_tipper label."""
    outputs = {}
    for key in Z_SCORE_FEATURES:
        outputs[transformed_name(key)] = tft.scale_to_z_score(_impute_with_mean(inputs[key]))
    for key in SCALE_0_1_FEATURES:
        outputs[transformed_name(key)] = tft.scale_to_0_1(_impute_with_mean(inputs[key]))
    for key in VOCABULARY_FEATURES:
        text = _dense(inputs[key], MISSING_CATEGORY)
        text = tf.where(tf.equal(text, ""), MISSING_CATEGORY, text)
        outputs[transformed_name(key)] = tft.compute_and_apply_vocabulary(
            text, num_oov_buckets=VOCABULARY_OOV_BUCKETS, vocab_filename=key)
    for key in BUCKET_FEATURES:
        outputs[transformed_name(key)] = tft.bucketize(_impute_with_mean(inputs[key]), BUCKET_COUNT)
    for key in HASH_FEATURES:
        # A missing tract becomes its own value, "0", before hashing.
        tract = tf.strings.as_string(tf.cast(_dense(inputs[key], 0), tf.int64))
        outputs[transformed_name(key)] = tf.strings.to_hash_bucket_fast(tract, HASH_BUCKETS)
    # The label: tipped more than 20 % of the fare (a missing tip counts as no tip).
    tips = _dense(_as_float(inputs[LABEL_SOURCE]), 0.0)
    fare = _dense(_as_float(inputs["fare"]), 0.0)
    outputs[LABEL_KEY] = tf.cast(tips > TIP_SHARE * fare, tf.int64)
    return outputs
