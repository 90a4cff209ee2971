"""Feature selection keeps the informative columns and explains every drop."""

import numpy as np

from proyecto1.features import LABEL_KEY as LABEL
from proyecto1.selection import select_features


def test_select_features_keeps_signal_and_explains_drops(taxi_frame):
    """The column that encodes the label is kept; leakage, empty and noise columns are dropped with a reason."""
    frame = taxi_frame.copy()
    frame[LABEL] = (frame["tips"] > 0.2 * frame["fare"]).astype(int)
    frame["signal"] = frame[LABEL] * 10 + np.random.default_rng(1).normal(0, 0.1, len(frame))
    frame["empty"] = np.nan
    table = select_features(frame, k=1)
    assert table.loc["signal", "seleccionada"], table
    assert table["seleccionada"].sum() == 1, table
    assert "fuga" in table.loc["tips", "motivo"], table.loc["tips"]
    assert "100 %" in table.loc["empty", "motivo"], table.loc["empty"]
    assert LABEL not in table.index, "the label itself must not be a candidate feature"
