"""How Evaluator judges a candidate against the champion (TFMA EvalConfig).

Two thresholds on the accuracy of the candidate on the span's eval split
(decision.py holds their values and explains them):

- a value threshold, MIN_ACCURACY: a candidate below it is never blessed;
- a change threshold against the baseline, the latest blessed model (the
  pipeline's Resolver): a candidate that loses more than MAX_ACCURACY_DROP
  against the champion, on the same examples, is not blessed.

TFX ignores change thresholds while there is no baseline, so the first
candidate is judged on the value threshold alone.
"""

from tensorflow_model_analysis.proto import config_pb2

from proyecto3.decision import MAX_ACCURACY_DROP, MIN_ACCURACY
from proyecto3.features import LABEL_KEY, transformed_name

# A change of exactly 0 would fail a candidate as good as the champion: TFMA's "not worse" is a tiny negative.
NOT_WORSE = 1e-10


def eval_config(min_accuracy: float = MIN_ACCURACY) -> config_pb2.EvalConfig:
    """Overall accuracy and example count; the value threshold and the change threshold against the baseline."""
    return config_pb2.EvalConfig(
        model_specs=[config_pb2.ModelSpec(
            # A plain SavedModel signature (TFMA would otherwise try to load it as a Keras model).
            model_type="tf_generic",
            signature_name="serving_default",
            label_key=transformed_name(LABEL_KEY),
            preprocessing_function_names=["transform_features"],
        )],
        slicing_specs=[config_pb2.SlicingSpec()],
        metrics_specs=[config_pb2.MetricsSpec(metrics=[
            config_pb2.MetricConfig(class_name="ExampleCount"),
            config_pb2.MetricConfig(
                class_name="BinaryAccuracy",
                threshold=config_pb2.MetricThreshold(
                    value_threshold=config_pb2.GenericValueThreshold(lower_bound={"value": min_accuracy}),
                    change_threshold=config_pb2.GenericChangeThreshold(
                        direction=config_pb2.MetricDirection.HIGHER_IS_BETTER,
                        absolute={"value": -(MAX_ACCURACY_DROP + NOT_WORSE)}),
                ),
            ),
        ])],
    )

