"""The checks of Proyecto1's three "Para practicar" exercises, one function each.

Each check works out the right answer from the student's own artifacts with
TFDV or tf.Transform, and returns a lab_helpers.exercises.Verdict: PENDING
(with what to do) while the exercise is unanswered, then RIGHT or WRONG, with why.
"""

import tensorflow_data_validation as tfdv
from tensorflow_metadata.proto.v0 import schema_pb2

from lab_helpers import artifacts
from lab_helpers.exercises import Verdict
from proyecto1.schema import INT_RANGES

NO_ANOMALY = "ninguna"

# Exercise 1: a narrower domain for the hour of the trip.
HOUR = "trip_start_hour"

# Exercise 2: the drift threshold of the payment type.
DRIFT_FEATURE = "payment_type"

# Exercise 3: a new feature. What the shipped preprocessing_fn outputs (tests/test_exercises.py checks that it
# still does): a feature among these is not new.
SHIPPED_OUTPUTS = frozenset({
    "fare_xf", "trip_seconds_xf", "trip_miles_xf", "trip_start_timestamp_xf", "payment_type_xf", "company_xf",
    "pickup_latitude_xf", "pickup_longitude_xf", "dropoff_longitude_xf", "dropoff_census_tract_xf", "big_tipper",
})


def anomaly_prediction(schema: schema_pb2.Schema, statistics, prediction: str | None) -> Verdict:
    """Exercise 1: is `prediction` (e.g. INT_TYPE_BIG_INT, or "ninguna") what TFDV finds in trip_start_hour?"""
    maximum = tfdv.get_feature(schema, HOUR).int_domain.max
    if maximum == INT_RANGES[HOUR][1]:
        return Verdict.pending(f"Baja primero el máximo de «{HOUR}» (ahora {maximum}), por ejemplo a 12.")
    if prediction is None:
        return Verdict.pending(f"Con el máximo en {maximum}, escribe en `prediccion` la anomalía que esperas en "
                               f"span2 (por ejemplo \"INT_TYPE_BIG_INT\" o \"{NO_ANOMALY}\") y ejecuta la celda.")
    found = artifacts.anomaly_types(tfdv.validate_statistics(statistics, schema), HOUR)
    if not found:
        return Verdict.judged(prediction == NO_ANOMALY,
                              f"Con el máximo en {maximum}, «{HOUR}» no tiene ninguna anomalía en span2: la "
                              f"respuesta es «{NO_ANOMALY}». Prueba con un máximo menor.")
    explanation = f"Con el máximo en {maximum}, TFDV encuentra en «{HOUR}»: {', '.join(found)}."
    if prediction in found:
        return Verdict.judged(True, explanation)
    return Verdict.judged(False, f"Predijiste «{prediction}». {explanation} Compara el dominio que le has "
                                 "puesto con el máximo de la columna en las estadísticas de span2.")


def drift_prediction(schema: schema_pb2.Schema, previous, current, threshold: float,
                     prediction: bool | None) -> Verdict:
    """Exercise 2: with the L-infinity threshold `threshold` on payment_type, does `current` drift from `previous`?"""
    if prediction is None:
        return Verdict.pending(f"Escribe en `hay_deriva` True o False: ¿superará la distancia L-infinito de "
                               f"«{DRIFT_FEATURE}» entre train y span2 el umbral {threshold:g}? Mira la tabla de "
                               "deriva de arriba antes de ejecutar.")
    changed = schema_pb2.Schema()
    changed.CopyFrom(schema)
    tfdv.get_feature(changed, DRIFT_FEATURE).drift_comparator.infinity_norm.threshold = threshold
    anomalies = tfdv.validate_statistics(current, changed, previous_statistics=previous)
    # Only the comparator's verdict counts: a value outside the domain is an anomaly, not drift.
    drifted = bool(artifacts.DRIFT_SKEW_TYPES & set(artifacts.anomaly_types(anomalies, DRIFT_FEATURE)))
    distances = [value for name, value, _ in artifacts.drift_distances(anomalies, DRIFT_FEATURE)
                 if name == "L_INFTY"]
    measured = f"La distancia L-infinito medida es {distances[0]:.4f}" if distances else "No hay medida"
    explanation = f"{measured} y el umbral {threshold:g}: {'hay' if drifted else 'no hay'} deriva en «{DRIFT_FEATURE}»."
    if prediction == drifted:
        return Verdict.judged(True, explanation)
    return Verdict.judged(False, f"Predijiste que {'sí' if prediction else 'no'} habría deriva. {explanation}")


def transformed_feature(transform_graph, name: str | None) -> Verdict:
    """Exercise 3: is `name` a feature Transform outputs now and the shipped preprocessing_fn did not?"""
    if name is None:
        return Verdict.pending("Añade una feature a preprocessing_fn (proyecto1/preprocessing.py), guarda, ejecuta "
                               "Transform con context.run(transform, enable_cache=False) y escribe su nombre en "
                               "`nueva_feature`.")
    features = artifacts.transformed_features(transform_graph)
    if name in SHIPPED_OUTPUTS:
        return Verdict.judged(False, f"«{name}» ya la produce el preprocessing_fn del proyecto: añade una nueva.")
    if name not in features:
        return Verdict.judged(False, f"«{name}» no está en el esquema transformado ({', '.join(features)}). Añádela "
                                     "en preprocessing_fn, guarda el módulo y vuelve a ejecutar Transform con "
                                     "enable_cache=False.")
    return Verdict.judged(True, f"«{name}» es nueva y está en el esquema transformado, con las demás: "
                                f"{', '.join(features)}.")
