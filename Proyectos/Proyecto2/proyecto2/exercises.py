"""The check of Proyecto2's own "Para practicar" exercise (the others are lab_helpers.exercises')."""

import pandas as pd

from lab_helpers.exercises import Verdict


def blessing_prediction(metrics: pd.DataFrame, lower_bound: float, prediction: bool) -> Verdict:
    """With accuracy >= `lower_bound` required in every slice, would Evaluator bless the model of `metrics`?"""
    failing = metrics.index[metrics["accuracy"] < lower_bound].tolist()
    blessed = not failing
    reason = (f"todos los slices llegan a {lower_bound:g}" if blessed else
              f"no llegan a {lower_bound:g}: {', '.join(failing)} (peor accuracy {metrics['accuracy'].min():.3f})")
    explanation = f"El Evaluator {'lo bendeciría' if blessed else 'no lo bendeciría'}: {reason}."
    if prediction == blessed:
        return Verdict(True, explanation)
    return Verdict(False, f"Predijiste que {'sí' if prediction else 'no'} se bendeciría. {explanation}")
