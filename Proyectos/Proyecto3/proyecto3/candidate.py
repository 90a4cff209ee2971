"""What the Evaluator said of a candidate, as the decision module reads it (decision.Evaluation).

The candidate's accuracy on the span's eval split, the champion's on the same
examples (None without a baseline: TFX then ignores the change threshold and
writes no `_diff` metric) and the blessing. The notebook judges its own
candidate with it; proyecto3.gate reads a DAG run's the same way.
"""

import tensorflow_model_analysis as tfma
from tfx.types import Artifact

from proyecto3 import decision


def evaluation_of(evaluation: Artifact, blessing: Artifact) -> decision.Evaluation:
    """The overall METRIC of the candidate and of the champion (candidate minus the change), and the blessing."""
    result = tfma.load_eval_result(evaluation.uri)
    overall = next(metrics for slice_key, metrics in result.slicing_metrics if not slice_key)
    values = overall[""][""]
    candidate = values[decision.METRIC]["doubleValue"]
    change = values.get(f"{decision.METRIC}_diff")
    champion = None if change is None else candidate - change["doubleValue"]
    return decision.Evaluation(candidate=candidate, champion=champion,
                               blessed=blessing.get_int_custom_property("blessed") == 1)
