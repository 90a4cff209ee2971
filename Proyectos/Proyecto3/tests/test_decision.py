"""decision.py: each batch ends as exactly one of omitido / rechazado / promovido, with its reason in Spanish."""

import pytest

from proyecto3 import decision
from proyecto3.decision import OMITTED, PROMOTED, REJECTED, Batch, Decision, Drift, Evaluation, decide

QUIET = (Drift("payment_type", "L_INFTY", 0.01, 0.05), Drift("fare", "JENSEN_SHANNON_DIVERGENCE", 0.02, 0.05))
DRIFTED = (Drift("payment_type", "L_INFTY", 0.21, 0.05), Drift("fare", "JENSEN_SHANNON_DIVERGENCE", 0.02, 0.05))


def batch(**fields) -> Batch:
    return Batch(**{"span": 3, "rows": 1500, "rows_since_training": 1500, "drifts": QUIET, **fields})


def test_drift_trains_and_a_better_candidate_is_promoted_with_the_drift_as_reason():
    """L∞ 0.21 over 0.05 on payment_type: train; blessed and better than the champion: promovido."""
    result = decide(batch(drifts=DRIFTED), Evaluation(candidate=0.86, champion=0.84, blessed=True))
    assert result.outcome == PROMOTED, result
    assert "deriva en payment_type: L∞ 0.21 > 0.05" in result.reason, result.reason
    assert "accuracy 0.86 ≥ campeón 0.84" in result.reason, result.reason
    assert "fare" not in result.reason, "a feature under its threshold is not drift"


def test_no_drift_and_too_few_new_rows_is_omitted_without_training():
    result = decide(batch())
    assert result == Decision(OMITTED, f"sin deriva y solo 1500 filas nuevas (< {decision.MIN_ROWS_TO_RETRAIN})")


def test_enough_rows_since_the_last_training_retrains_without_drift():
    rows = decision.MIN_ROWS_TO_RETRAIN
    result = decide(batch(rows_since_training=rows), Evaluation(candidate=0.85, champion=0.84, blessed=True))
    assert result.outcome == PROMOTED and f"{rows} filas nuevas" in result.reason, result


def test_anomalies_omit_the_batch_even_with_drift_and_no_champion():
    """A batch that fails validation is never trained on, whatever else is true of it."""
    result = decide(batch(drifts=DRIFTED, has_champion=False,
                          anomalies={"trip_miles": ["Unexpected data type"], "fare": ["Out-of-range values"]}))
    assert result == Decision(OMITTED, "anomalías en el lote: fare (Out-of-range values); "
                                       "trip_miles (Unexpected data type)"), result


def test_a_worse_candidate_is_rejected_against_the_champion():
    result = decide(batch(drifts=DRIFTED), Evaluation(candidate=0.81, champion=0.84, blessed=False))
    assert result == Decision(REJECTED, "accuracy 0.81 < campeón 0.84 (deriva en payment_type: L∞ 0.21 > 0.05)"), \
        result


def test_close_metrics_get_a_third_decimal_so_the_reason_reads_true():
    """Span 2 of the headless run: 0.925 against the champion's 0.929 on the same examples, not "0.93 < 0.93"."""
    result = decide(batch(rows_since_training=3000), Evaluation(candidate=0.9252, champion=0.9293, blessed=False))
    assert result.reason.startswith("accuracy 0.925 < campeón 0.929 (sin deriva, pero 3000 filas"), result


def test_a_candidate_under_the_value_threshold_is_rejected_for_it():
    low = decision.MIN_ACCURACY - 0.1
    result = decide(batch(has_champion=False), Evaluation(candidate=low, champion=None, blessed=False))
    assert result == Decision(REJECTED, f"accuracy {low:.2f} < mínimo {decision.MIN_ACCURACY:.2f} "
                                        "(primer modelo: todavía no hay campeón)"), result


def test_the_first_candidate_is_trained_and_judged_on_the_value_threshold_alone():
    """No champion: no drift baseline and no change threshold; blessed on its own accuracy, it is promoted."""
    first = batch(drifts=(), rows_since_training=1500, has_champion=False)
    assert decision.skip_or_train(first) == "primer modelo: todavía no hay campeón"
    result = decide(first, Evaluation(candidate=0.80, champion=None, blessed=True))
    assert result == Decision(PROMOTED, "accuracy 0.80 (primer modelo: todavía no hay campeón)"), result


def test_the_blessing_decides_even_when_the_numbers_look_fine():
    """Evaluator did not bless it (another threshold failed): rejected, never promoted."""
    result = decide(batch(drifts=DRIFTED), Evaluation(candidate=0.90, champion=0.84, blessed=False))
    assert result.outcome == REJECTED and "no lo bendijo" in result.reason, result


def test_a_batch_to_train_cannot_be_decided_before_its_evaluation():
    with pytest.raises(ValueError, match="before it can be judged"):
        decide(batch(drifts=DRIFTED))


def test_only_the_three_outcomes_exist():
    with pytest.raises(ValueError):
        Decision("entrenado", "no")
