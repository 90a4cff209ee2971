"""The check of Proyecto3's "Para practicar" exercise: the mean Transform's z-score subtracts.

The check reads the answer from the student's own StatisticsGen output with
TFDV and returns a lab_helpers.exercises.Verdict: PENDING (with what to do)
while the exercise is unanswered, then RIGHT or WRONG, with why. A new
Proyecto's exercises go here, one function each, next to this one.
"""

import tensorflow_data_validation as tfdv

from lab_helpers import artifacts
from lab_helpers.exercises import Verdict
from proyecto3.features import transformed_name

FEATURE = "body_mass_g"
# Two decimals, as the statistics table shows the mean.
TOLERANCE = 0.005


def train_mean(statistics) -> float:
    """The mean of FEATURE over the train split, as StatisticsGen (TFDV) computed it."""
    train = artifacts.load_statistics(statistics, "train").datasets[0]
    return tfdv.get_feature_stats(train, tfdv.FeaturePath([FEATURE])).num_stats.mean


def zscore_mean(statistics, answer: float | None) -> Verdict:
    """Is `answer` the train mean of FEATURE, the one Transform subtracts to make FEATURE_xf?"""
    if answer is None:
        return Verdict.pending(f"Busca «{FEATURE}» en la tabla de estadísticas de train (StatisticsGen, arriba), "
                               "escribe su media con dos decimales en `media_train` y ejecuta la celda.")
    mean = train_mean(statistics)
    explanation = (f"La media de «{FEATURE}» en train es {mean:.4f}: Transform se la resta a cada pingüino (y divide "
                   f"por la desviación) para obtener «{transformed_name(FEATURE)}», cuya media queda en 0.")
    if abs(answer - mean) <= TOLERANCE:
        return Verdict.judged(True, explanation)
    return Verdict.judged(False, f"Escribiste {answer}. {explanation} Mira la columna «media» de la fila de "
                                 f"«{FEATURE}» en la tabla de train, no en la de eval.")
