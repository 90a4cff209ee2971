"""The checks of Proyecto3's "Para practicar" exercises: drift, the decision to retrain, and lineage.

Each check works the answer out again with the real library (TFDV's drift
comparator, proyecto3.decision, ML Metadata) and returns a
lab_helpers.exercises.Verdict: PENDING (with what to do) while the exercise is
unanswered, then RIGHT or WRONG, with why.
"""

from pathlib import Path

from tensorflow_metadata.proto.v0 import schema_pb2, statistics_pb2

from lab_helpers.exercises import Verdict
from proyecto3 import decision, drift, lineage
from proyecto3.pipeline import SERVING_DIR

FEATURE = "payment_type"
# Two decimals, as the shares are read off the table.
TOLERANCE = 0.005


def l_infinity(schema: schema_pb2.Schema, current: statistics_pb2.DatasetFeatureStatisticsList,
               baseline: statistics_pb2.DatasetFeatureStatisticsList, feature: str = FEATURE) -> float:
    """The L-infinity distance TFDV's drift comparator measures for `feature` between two statistics."""
    found = [d.value for d in drift.feature_drifts(schema, current, baseline)
             if d.feature == feature and d.measure == "L_INFTY"]
    if not found:
        raise ValueError(f"El esquema no tiene comparador L∞ para «{feature}».")
    return found[0]


def payment_type_distance(schema: schema_pb2.Schema, current: statistics_pb2.DatasetFeatureStatisticsList,
                          baseline: statistics_pb2.DatasetFeatureStatisticsList, answer: float | None) -> Verdict:
    """Is `answer` TFDV's L∞ distance of FEATURE between the two spans, to two decimals?"""
    if answer is None:
        return Verdict.pending(f"Con la tabla de proporciones de «{FEATURE}» de los dos spans (arriba), calcula la "
                               "mayor diferencia, en valor absoluto, entre la proporción de un mismo valor en uno y "
                               "otro span; escríbela con dos decimales en `distancia` y ejecuta la celda.")
    value = l_infinity(schema, current, baseline)
    threshold = decision.DRIFT_L_INFINITY[FEATURE]
    explanation = (f"TFDV mide L∞ = {value:.4f} para «{FEATURE}»: la proporción que más cambia de un span a otro. "
                   f"El umbral del esquema es {threshold:.2f}, así que "
                   + ("hay deriva." if value > threshold else "no hay deriva en esta feature."))
    if abs(answer - value) <= TOLERANCE:
        return Verdict.judged(True, explanation)
    return Verdict.judged(False, f"Escribiste {answer}. {explanation} No se suman las diferencias: es la mayor "
                                 "de ellas, valor a valor (y las proporciones, no los recuentos).")


def retrain_prediction(batch: decision.Batch, answer: bool | None) -> Verdict:
    """Would the DAG's gate train on `batch` (True) or omit it (False)? As decision.skip_or_train decides."""
    if answer is None:
        return Verdict.pending("Mira las derivas del lote frente a sus umbrales, sus anomalías y sus filas desde el "
                               "último entrenamiento, y cambia `se_reentrena = None` por True (se entrena) o False "
                               "(se omite).")
    step = decision.skip_or_train(batch)
    trained = not isinstance(step, decision.Decision)
    explanation = (f"skip_or_train dice: {'se entrena' if trained else 'se omite'} — "
                   f"{step if trained else step.reason}.")
    if answer == trained:
        return Verdict.judged(True, explanation)
    return Verdict.judged(False, f"Escribiste {answer}. {explanation} Recuerda el orden de la política: anomalías, "
                                 f"campeón, deriva y, sin deriva, al menos {decision.MIN_ROWS_TO_RETRAIN} filas.")


def served_span(answer: int | None, paths: list[Path] | None = None,
                serving_dir: Path | str = SERVING_DIR) -> Verdict:
    """Is `answer` the span that trained the model in service, found through ML Metadata's lineage?"""
    if answer is None:
        return Verdict.pending("Busca la versión en servicio entre los PushedModel de las dos bases de ML Metadata "
                               "(la del notebook y la del DAG), sigue su linaje con `lineage.span_lineage` y cambia "
                               "`span_en_servicio = None` por el span de la última fila.")
    served = lineage.served_model(paths, serving_dir)
    if served is None or served["span"] is None:
        return Verdict.pending("Todavía no hay ningún modelo publicado que ML Metadata sepa de dónde viene: "
                               "ejecuta antes el Pusher (sección 4) o el DAG (sección 5).")
    explanation = (f"La versión en servicio es {served['versión']}, publicada por el Pusher de "
                   f"{served['metadatos']} (PushedModel {served['artefacto']}); su linaje Pusher → Trainer → "
                   f"Transform → CsvExampleGen llega al span {served['span']}.")
    if answer == served["span"]:
        return Verdict.judged(True, explanation)
    return Verdict.judged(False, f"Escribiste {answer}. {explanation} Ojo: la bendición lleva al Evaluator, que "
                                 "también leyó el modelo del campeón, entrenado con otro span.")
