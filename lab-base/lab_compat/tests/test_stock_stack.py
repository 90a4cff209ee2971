"""Stock TFX code runs on the lab's stack as it is: Keras 2 behind tf.keras, module_file= packaged offline."""


def test_tf_keras_is_keras_2_and_saves_a_savedmodel(tmp_path):
    """`tf.keras` is Keras 2: `model.save(dir, save_format='tf')` and `tf.keras.models.load_model(dir)` work."""
    import tensorflow as tf

    assert tf.keras.__name__.startswith("tf_keras"), f"tf.keras is {tf.keras.__name__}, not Keras 2 (tf_keras)"
    inputs = tf.keras.Input(shape=(2,), name="x")
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(inputs))
    model.save(tmp_path / "model", save_format="tf")
    assert tf.keras.models.load_model(tmp_path / "model").predict(tf.zeros((1, 2)), verbose=0).shape == (1, 1)


def test_module_file_is_packaged_and_installed(tmp_path):
    """TFX builds a wheel of a `module_file=` and installs it with `python -m pip install --target` (offline)."""
    from tfx.components.util import udf_utils
    from tfx.utils import import_utils

    module = tmp_path / "my_trainer.py"
    module.write_text("def run_fn(fn_args):\n    return 'trained'\n")
    _, key = udf_utils.package_user_module_file("Trainer", str(module), str(tmp_path / "root"))
    name, wheels = udf_utils.decode_user_module_key(key)
    with udf_utils.TempPipInstallContext(wheels):
        assert import_utils.import_func_from_module(name, "run_fn")(None) == "trained"
