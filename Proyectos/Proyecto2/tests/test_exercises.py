"""The blessing exercise's check: right for a correct prediction, not yet for a wrong one."""

import pandas as pd

from proyecto2.exercises import blessing_prediction

METRICS = pd.DataFrame({"accuracy": [0.98, 1.0, 0.95]}, index=["Overall", "species=Adelie", "island=Dream"])


def test_blessing_prediction_right_and_wrong():
    """At 0.9 every slice passes (blessed); at 0.97 island=Dream fails (not blessed)."""
    assert blessing_prediction(METRICS, 0.9, prediction=True)
    assert not blessing_prediction(METRICS, 0.9, prediction=False)
    right = blessing_prediction(METRICS, 0.97, prediction=False)
    assert right and "island=Dream" in right.message, right
    assert not blessing_prediction(METRICS, 0.97, prediction=True)
