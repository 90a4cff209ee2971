"""run_fn trains on a tiny dataset, stops early, logs for TensorBoard and saves the serving signatures."""

import tensorflow as tf

from conftest import CENTROIDS, fn_args
from proyecto2 import training_logs
from proyecto2.features import SPECIES
from proyecto2.model import run_fn


def predict(model_dir: str, island: str, measurements) -> dict:
    signature = tf.saved_model.load(model_dir).signatures["predict"]
    names = ("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g")
    inputs = {k: tf.constant([v], tf.float64) for k, v in zip(names, measurements, strict=True)}
    return signature(island=tf.constant([island]), **inputs)


def test_run_fn_learns_the_species(transformed, tmp_path):
    """The saved model's predict signature returns the three classes and gets each species' typical penguin right."""
    args = fn_args(transformed, tmp_path, epochs=40, learning_rate=0.05, patience=40)
    run_fn(args)
    for species, (island, *measurements) in CENTROIDS.items():
        outputs = predict(args.serving_model_dir, island, measurements)
        classes = [c.decode() for c in outputs["classes"].numpy()[0]]
        probabilities = outputs["probabilities"].numpy()[0]
        assert classes == list(SPECIES), classes
        assert abs(probabilities.sum() - 1) < 1e-4, probabilities
        answer = dict(zip(classes, probabilities, strict=True))
        assert classes[probabilities.argmax()] == species, f"{species}: {answer}"
    assert {"serving_default", "transform_features"} <= set(tf.saved_model.load(args.serving_model_dir).signatures)


def test_early_stopping_and_tensorboard_logs(transformed, tmp_path):
    """With an unreachable min_delta, training stops after patience + 1 epochs, and the logs say so."""
    args = fn_args(transformed, tmp_path, epochs=50, patience=1, min_delta=100.0)
    run_fn(args)
    history = training_logs.history(args.model_run_dir)
    assert set(history["split"]) == {"train", "validation"}, history
    assert history["epoch"].max() == 2, f"expected early stop after 2 epochs:\n{history}"
