"""How Evaluator judges a model (TFMA EvalConfig) and offline views of its results.

The TFMA widget does not render in JupyterLab 4, so the notebook reads the
Evaluator's output with tfma.load_eval_result / load_validation_result and
shows it as pandas tables and matplotlib figures.
"""

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import tensorflow_model_analysis as tfma
from tensorflow_model_analysis.proto import config_pb2
from tfx.types import Artifact

from lab_helpers import offline_views
from proyecto2.features import LABEL_KEY, SLICE_FEATURES, transformed_name

ACCURACY = "sparse_categorical_accuracy"
# A model is blessed only if its eval accuracy reaches this bound...
ACCURACY_LOWER_BOUND = 0.9
# ...and, when there is a blessed baseline, it loses at most this much accuracy against it.
ACCURACY_MAX_DROP = 0.02


def eval_config(accuracy_lower_bound: float = ACCURACY_LOWER_BOUND) -> config_pb2.EvalConfig:
    """Accuracy overall and per species and island; an absolute and a change threshold."""
    return config_pb2.EvalConfig(
        model_specs=[config_pb2.ModelSpec(
            # A plain SavedModel signature (TFMA would otherwise try to load it as a Keras model).
            model_type="tf_generic",
            signature_name="serving_default",
            # The label is Transform's species index: TFMA runs the model's
            # transform_features signature to get it.
            label_key=transformed_name(LABEL_KEY),
            preprocessing_function_names=["transform_features"],
        )],
        slicing_specs=[config_pb2.SlicingSpec()] + [config_pb2.SlicingSpec(feature_keys=[f]) for f in SLICE_FEATURES],
        metrics_specs=[config_pb2.MetricsSpec(metrics=[
            config_pb2.MetricConfig(class_name="ExampleCount"),
            config_pb2.MetricConfig(
                class_name="SparseCategoricalAccuracy",
                threshold=config_pb2.MetricThreshold(
                    value_threshold=config_pb2.GenericValueThreshold(lower_bound={"value": accuracy_lower_bound}),
                    change_threshold=config_pb2.GenericChangeThreshold(
                        direction=config_pb2.MetricDirection.HIGHER_IS_BETTER,
                        absolute={"value": -ACCURACY_MAX_DROP}),
                ),
            ),
        ])],
    )


def metrics_table(evaluation: Artifact | str) -> pd.DataFrame:
    """One row per slice (Overall, species=..., island=...): example count and accuracy (and its change)."""
    uri = evaluation if isinstance(evaluation, str) else evaluation.uri
    table = offline_views.slicing_metrics_table(tfma.load_eval_result(uri))
    # The diff columns exist only when there was a baseline model to compare with.
    names = {"example_count": "ejemplos", ACCURACY: "accuracy", f"{ACCURACY}_diff": "accuracy_diff"}
    return table[[c for c in names if c in table.columns]].rename(columns=names)


def plot_slice_accuracy(table: pd.DataFrame, title: str = "Accuracy por slice"):
    """A horizontal bar per slice, with the blessing bound as a vertical line."""
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(table) + 1))
    ax.barh(table.index[::-1], table["accuracy"][::-1], color="#1f77b4")
    ax.axvline(ACCURACY_LOWER_BOUND, color="red", linestyle="--", label=f"umbral {ACCURACY_LOWER_BOUND}")
    ax.set_xlim(0, 1.05)
    ax.set_xlabel("accuracy")
    ax.set_title(title)
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


def _threshold_text(threshold: config_pb2.MetricThreshold) -> str:
    if threshold.HasField("change_threshold"):
        return f"cambio >= {threshold.change_threshold.absolute.value:g}"
    return f">= {threshold.value_threshold.lower_bound.value:g}"


def validation_table(evaluation: Artifact | str) -> pd.DataFrame:
    """The thresholds a model failed, one row per slice and metric; empty when it passed."""
    uri = evaluation if isinstance(evaluation, str) else evaluation.uri
    result = tfma.load_validation_result(uri)
    rows = []
    for per_slice in result.metric_validations_per_slice:
        slice_key = tuple((s.column, s.bytes_value.decode() or s.float_value or s.int64_value)
                          for s in per_slice.slice_key.single_slice_keys)
        for failure in per_slice.failures:
            rows.append({"slice": offline_views.slice_name(slice_key), "metrica": failure.metric_key.name,
                         "comparacion": "cambio frente al modelo base" if failure.metric_key.is_diff else "absoluto",
                         "valor": failure.metric_value.double_value.value,
                         "umbral": _threshold_text(failure.metric_threshold)})
    table = pd.DataFrame(rows, columns=["slice", "metrica", "comparacion", "valor", "umbral"])
    return table.sort_values(["slice", "comparacion"]).reset_index(drop=True)


def is_blessed(blessing: Artifact) -> bool:
    """Whether Evaluator blessed the model (its BLESSED file exists)."""
    return (Path(blessing.uri) / "BLESSED").exists()
