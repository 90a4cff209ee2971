"""drift.py on two small statistics: TFDV's comparators measure every feature, and the change shows up."""

import pandas as pd
import pytest
import tensorflow_data_validation as tfdv

from proyecto3 import drift

THRESHOLD = 0.05


@pytest.fixture
def schema():
    """payment_type with an L-infinity comparator and fare with a Jensen-Shannon one, both at THRESHOLD."""
    baseline = tfdv.generate_statistics_from_dataframe(frame(cards=25, fare=10.0))
    schema = tfdv.infer_schema(baseline)
    tfdv.get_feature(schema, "payment_type").drift_comparator.infinity_norm.threshold = THRESHOLD
    tfdv.get_feature(schema, "fare").drift_comparator.jensen_shannon_divergence.threshold = THRESHOLD
    return schema


def frame(cards: int, fare: float) -> pd.DataFrame:
    """100 trips: `cards` paid by card, the rest in cash; fares spread evenly around `fare`."""
    return pd.DataFrame({"payment_type": ["Credit Card"] * cards + ["Cash"] * (100 - cards),
                         "fare": [fare + (i % 10) for i in range(100)]})


def test_no_baseline_no_drift(schema):
    assert drift.feature_drifts(schema, tfdv.generate_statistics_from_dataframe(frame(25, 10.0)), None) == []


def test_the_same_data_has_no_drift_but_is_measured(schema):
    """Both comparators report a distance of 0 (under the threshold): measured, not drifted."""
    same = tfdv.generate_statistics_from_dataframe(frame(25, 10.0))
    drifts = drift.feature_drifts(schema, same, same)
    assert [(d.feature, d.measure) for d in drifts] == [("fare", "JENSEN_SHANNON_DIVERGENCE"),
                                                         ("payment_type", "L_INFTY")], drifts
    assert all(d.value == pytest.approx(0) and d.threshold == THRESHOLD and not d.drifted for d in drifts), drifts


def test_more_card_payments_drift_by_their_share(schema):
    """25 % -> 45 % card payments: L-infinity is the largest change of one value's share, 0.20."""
    baseline = tfdv.generate_statistics_from_dataframe(frame(25, 10.0))
    current = tfdv.generate_statistics_from_dataframe(frame(45, 10.0))
    payment = next(d for d in drift.feature_drifts(schema, current, baseline) if d.feature == "payment_type")
    assert payment.value == pytest.approx(0.20) and payment.drifted, payment
    assert str(payment) == "payment_type: L∞ 0.20 > 0.05"


def test_shifted_fares_drift_by_jensen_shannon(schema):
    baseline = tfdv.generate_statistics_from_dataframe(frame(25, 10.0))
    current = tfdv.generate_statistics_from_dataframe(frame(25, 30.0))
    fare = next(d for d in drift.feature_drifts(schema, current, baseline) if d.feature == "fare")
    assert fare.measure == "JENSEN_SHANNON_DIVERGENCE" and fare.value > THRESHOLD and fare.drifted, fare
