"""Stage 1: choose the numeric features that say most about the label, with scikit-learn.

The label is `big_tipper` (proyecto1.features): `tips` defines it, so `tips`
can never be a feature (leakage).
"""

from functools import partial
from pathlib import Path

import pandas as pd
from sklearn.feature_selection import SelectKBest, mutual_info_classif

from proyecto1.features import LABEL_KEY, LABEL_SOURCE, TIP_SHARE

LEAKY_COLUMNS = (LABEL_SOURCE,)


def load_frame(csv_path: Path | str) -> pd.DataFrame:
    """Read the taxi CSV and add the binary label big_tipper = tips > 20 % of fare."""
    frame = pd.read_csv(csv_path)
    frame[LABEL_KEY] = (frame[LABEL_SOURCE] > TIP_SHARE * frame["fare"]).astype(int)
    return frame


def select_features(frame: pd.DataFrame, k: int = 8, random_state: int = 0) -> pd.DataFrame:
    """Rank the numeric columns by mutual information with the label; keep the best k.

    Returns one row per numeric column: its score, rank, whether it is kept and
    why (in Spanish, for the notebook). Empty columns and the label's source are
    dropped before scoring; the remaining gaps are filled with the median.
    """
    numeric = frame.select_dtypes("number").drop(columns=[LABEL_KEY])
    rows = []
    for column in LEAKY_COLUMNS:
        if column in numeric:
            rows.append({"feature": column, "seleccionada": False,
                         "motivo": "define el label: usarla sería una fuga de información"})
    numeric = numeric.drop(columns=[c for c in LEAKY_COLUMNS if c in numeric])
    empty = [c for c in numeric if numeric[c].isna().all()]
    rows += [{"feature": c, "seleccionada": False, "motivo": "100 % valores faltantes"} for c in empty]
    candidates = numeric.drop(columns=empty)
    candidates = candidates.fillna(candidates.median())
    score = partial(mutual_info_classif, random_state=random_state)
    selector = SelectKBest(score, k=min(k, candidates.shape[1]))
    selector.fit(candidates, frame[LABEL_KEY])
    scores = pd.Series(selector.scores_, index=candidates.columns).sort_values(ascending=False)
    kept = set(candidates.columns[selector.get_support()])
    for rank, (column, score) in enumerate(scores.items(), start=1):
        rows.append({
            "feature": column, "informacion_mutua": round(float(score), 4), "puesto": rank,
            "seleccionada": column in kept,
            "motivo": f"entre las {len(kept)} de mayor información mutua" if column in kept
            else "información mutua baja frente a las elegidas",
        })
    table = pd.DataFrame(rows).set_index("feature")
    return table.reindex(columns=["informacion_mutua", "puesto", "seleccionada", "motivo"])
