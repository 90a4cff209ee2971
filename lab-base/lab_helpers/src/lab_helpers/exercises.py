"""What a notebook's "Para practicar" checks answer: right or not, and why, in Spanish.

Each Proyecto's `exercises.py` has one check function per exercise; it works
out the right answer from the student's own artifacts and returns a Verdict,
which JupyterLab shows as a green or red box.
"""

import html
from dataclasses import dataclass

import tensorflow_data_validation as tfdv
import tensorflow_transform as tft
from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: `ok`, and the explanation a student reads."""

    ok: bool
    message: str

    def __bool__(self) -> bool:
        return self.ok

    def _repr_html_(self) -> str:
        color, mark, title = ("#1e7b34", "✔", "Correcto") if self.ok else ("#b3261e", "✘", "Todavía no")
        return (f'<div style="border-left: 4px solid {color}; padding: 4px 10px; margin: 4px 0">'
                f'<b style="color: {color}">{mark} {title}.</b> {html.escape(self.message)}</div>')

    def __str__(self) -> str:
        return f"{'Correcto' if self.ok else 'Todavía no'}. {self.message}"

    __repr__ = __str__


NO_ANOMALY = "ninguna"


def anomaly_prediction(schema, statistics, feature: str, prediction: str, environment: str | None = None) -> Verdict:
    """Is `prediction` (an anomaly type such as INT_TYPE_BIG_INT, or "ninguna") what `schema` finds in `feature`?"""
    anomalies = tfdv.validate_statistics(statistics, schema, environment=environment)
    info = anomalies.anomaly_info.get(feature)
    found = sorted(anomalies_pb2.AnomalyInfo.Type.Name(r.type) for r in info.reason) if info else []
    if not found:
        return Verdict(prediction == NO_ANOMALY,
                       f"Con este esquema, «{feature}» no tiene ninguna anomalía en estos datos: la respuesta es "
                       f"«{NO_ANOMALY}». Prueba a estrechar su dominio para que algún valor quede fuera.")
    explanation = f"TFDV encuentra en «{feature}»: {', '.join(found)} ({info.short_description})."
    if prediction in found:
        return Verdict(True, explanation)
    return Verdict(False, f"Predijiste «{prediction}». {explanation} Mira el dominio que le has puesto y los "
                          "valores de la columna en las estadísticas.")


def drift_prediction(schema, previous, current, feature: str, threshold: float, prediction: bool) -> Verdict:
    """With the L-infinity drift threshold `threshold` on `feature`, does `current` drift from `previous`?"""
    changed = schema_pb2.Schema()
    changed.CopyFrom(schema)
    tfdv.get_feature(changed, feature).drift_comparator.infinity_norm.threshold = threshold
    anomalies = tfdv.validate_statistics(current, changed, previous_statistics=previous)
    distance = next((m.value for info in anomalies.drift_skew_info if ".".join(info.path.step) == feature
                     for m in info.drift_measurements), None)
    drifted = feature in anomalies.anomaly_info
    measured = f"La distancia L-infinito medida es {distance:.4f}" if distance is not None else "No hay medida"
    explanation = (f"{measured} y el umbral {threshold:g}: {'hay' if drifted else 'no hay'} deriva en «{feature}».")
    if prediction == drifted:
        return Verdict(True, explanation)
    return Verdict(False, f"Predijiste que {'sí' if prediction else 'no'} habría deriva. {explanation}")


def transformed_feature(transform_graph_uri: str, name: str) -> Verdict:
    """Is `name` among the features Transform's output has (its transformed schema)?"""
    features = sorted(tft.TFTransformOutput(transform_graph_uri).transformed_feature_spec())
    if name in features:
        return Verdict(True, f"«{name}» está en el esquema transformado, con las demás: {', '.join(features)}.")
    return Verdict(False, f"«{name}» no está en el esquema transformado ({', '.join(features)}). Añádela en "
                          "preprocessing_fn, guarda el módulo y vuelve a ejecutar Transform con enable_cache=False.")
