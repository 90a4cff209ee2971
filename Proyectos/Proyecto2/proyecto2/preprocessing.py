"""Feature engineering for the penguins, run by TFX Transform (and embedded in the model).

TFX Transform calls `preprocessing_fn` (passed as `proyecto2.preprocessing.preprocessing_fn`):
it runs once over the training data to compute the statistics (means, variances,
the island vocabulary) and the same graph is saved with the model, so serving
applies exactly the training-time transformation.
"""

import tensorflow as tf
import tensorflow_transform as tft

from proyecto2.features import CATEGORICAL_FEATURES, LABEL_KEY, MISSING, NUMERIC_FEATURES, SPECIES, transformed_name


def parse_measurement(text: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
    """Parse a text measurement column into (float32 values with 0 where missing, missing mask)."""
    missing = tf.logical_or(tf.equal(text, MISSING), tf.equal(text, ""))
    values = tf.strings.to_number(tf.where(missing, tf.constant("0"), text), out_type=tf.float32)
    return values, missing


def species_index(species: tf.Tensor) -> tf.Tensor:
    """The label as an index into SPECIES (a fixed list, so the classes never change order)."""
    matches = tf.equal(tf.expand_dims(species, -1), tf.constant(SPECIES))
    return tf.argmax(tf.cast(matches, tf.int64), axis=-1)


# TFX Transform calls this function.
def preprocessing_fn(inputs: dict) -> dict:
    """Impute and z-score the measurements, index the island and the species."""
    outputs = {}
    for key in NUMERIC_FEATURES:
        values, missing = parse_measurement(inputs[key])
        present = tf.boolean_mask(values, tf.logical_not(missing))
        # Analyzers: computed over the whole training split, constants at serving.
        mean = tft.mean(present)
        std = tf.sqrt(tft.var(present))
        filled = tf.where(missing, mean, values)
        outputs[transformed_name(key)] = (filled - mean) / tf.maximum(std, 1e-6)
    for key in CATEGORICAL_FEATURES:
        outputs[transformed_name(key)] = tft.compute_and_apply_vocabulary(
            inputs[key], num_oov_buckets=1, vocab_filename=key)
    outputs[transformed_name(LABEL_KEY)] = species_index(inputs[LABEL_KEY])
    return outputs
