"""The feature engineering of ProyectoN, as a tf.Transform preprocessing_fn.

Transform runs it over the whole training split to compute the analyzers (each
measurement's mean and standard deviation), then applies it to every example;
the same graph goes with a model, so serving transforms exactly as training did.
"""

import tensorflow as tf
import tensorflow_transform as tft

from proyectoN.features import FEATURE_KEYS, LABEL_KEY, transformed_name


# TFX Transform calls this function.
def preprocessing_fn(inputs: dict) -> dict:
    """Standardize every measurement (z-score) and keep the species as the label."""
    outputs = {transformed_name(key): tft.scale_to_z_score(inputs[key]) for key in FEATURE_KEYS}
    outputs[transformed_name(LABEL_KEY)] = tf.cast(inputs[LABEL_KEY], tf.int64)
    return outputs
