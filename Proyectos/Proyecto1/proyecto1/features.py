"""Stage 1: choose the numeric features that say most about the label, with scikit-learn.

The label of Proyecto1 is `big_tipper`: the passenger tipped more than 20 % of
the fare. `tips` defines the label, so it can never be a feature (leakage).
"""

from functools import partial
from pathlib import Path

import pandas as pd
from sklearn.feature_selection import SelectKBest, mutual_info_classif

LABEL = "big_tipper"
TIP_SHARE = 0.2
LEAKY_COLUMNS = ("tips",)


def load_frame(csv_path: Path | str) -> pd.DataFrame:
    """Read the taxi CSV and add the binary label big_tipper = tips > 20 % of fare."""
    frame = pd.read_csv(csv_path)
    frame[LABEL] = (frame["tips"] > TIP_SHARE * frame["fare"]).astype(int)
    return frame


def select_features(frame: pd.DataFrame, k: int = 8, random_state: int = 0) -> pd.DataFrame:
    """Rank the numeric columns by mutual information with the label; keep the best k.

    Returns one row per numeric column: its score, rank, whether it is kept and
    why (in Spanish, for the notebook). Empty columns and the label's source are
    dropped before scoring; the remaining gaps are filled with the median.
    """
    numeric = frame.select_dtypes("number").drop(columns=[LABEL])
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
    selector.fit(candidates, frame[LABEL])
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
