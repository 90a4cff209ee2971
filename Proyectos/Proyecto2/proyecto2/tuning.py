"""The optional hyperparameter search, run by TFX Tuner.

TFX Tuner calls `tuner_fn` (passed as `proyecto2.tuning.tuner_fn`) and writes
the best hyperparameters, which Trainer then passes to run_fn
(fn_args.hyperparameters). KerasTuner's own trial loop only accepts Keras 3
models, and ours is tf_keras (the Keras of Transform's layer), so the search
overrides run_trial and trains each candidate with model.py's build_model.
"""

import keras_tuner
import tensorflow_transform as tft
import tf_keras as keras
from tfx import v1 as tfx

from proyecto2.features import CATEGORICAL_FEATURES
from proyecto2.model import TrainingConfig, build_model, dataset


def search_space() -> keras_tuner.HyperParameters:
    """A small space: 3 learning rates x 3 layer widths."""
    hp = keras_tuner.HyperParameters()
    hp.Choice("learning_rate", [0.003, 0.01, 0.03], default=0.01)
    hp.Choice("hidden_units", [4, 8, 16], default=8)
    return hp


class TfKerasRandomSearch(keras_tuner.RandomSearch):
    """Random search whose trials train model.py's tf_keras network with early stopping."""

    def __init__(self, config: TrainingConfig, island_vocabulary_size: int, **kwargs):
        super().__init__(**kwargs)
        self.config = config
        self.island_vocabulary_size = island_vocabulary_size

    def run_trial(self, trial, x, validation_data, **_):
        config = self.config.with_hyperparameters({"values": trial.hyperparameters.values})
        keras.utils.set_random_seed(config.seed)
        model = build_model(config, self.island_vocabulary_size)
        stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=config.patience,
                                             min_delta=config.min_delta, restore_best_weights=True)
        history = model.fit(x, validation_data=validation_data, epochs=config.epochs, callbacks=[stop], verbose=0)
        return {"val_loss": min(history.history["val_loss"])}


# TFX Tuner calls this function.
def tuner_fn(fn_args: tfx.components.FnArgs) -> tfx.components.TunerFnResult:
    """Search `search_space()` with a few random trials, minimizing the eval loss."""
    config = TrainingConfig.from_custom_config(fn_args.custom_config)
    max_trials = int((fn_args.custom_config or {}).get("max_trials", 4))
    transform_output = tft.TFTransformOutput(fn_args.transform_graph_path)
    tuner = TfKerasRandomSearch(
        config=config,
        island_vocabulary_size=transform_output.vocabulary_size_by_name(CATEGORICAL_FEATURES[0]),
        hyperparameters=search_space(),
        allow_new_entries=False,
        objective=keras_tuner.Objective("val_loss", "min"),
        max_trials=max_trials,
        seed=config.seed,
        directory=fn_args.working_dir,
        project_name="penguins",
    )
    fit_kwargs = {
        "x": dataset(fn_args.train_files, fn_args.data_accessor, transform_output, config.batch_size,
                     shuffle=True, seed=config.seed),
        "validation_data": dataset(fn_args.eval_files, fn_args.data_accessor, transform_output,
                                   config.batch_size, shuffle=False, seed=config.seed),
    }
    return tfx.components.TunerFnResult(tuner=tuner, fit_kwargs=fit_kwargs)
