"""Stage 6: new data to validate — the next span, a serving copy and a deliberately corrupted copy.

Everything is written under the pipeline's folder in the shared volume
(/data is read-only), one sub-folder per CsvExampleGen split.
"""

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import tensorflow_data_validation as tfdv
from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2, statistics_pb2

from proyecto1.features import LABEL_SOURCE, SERVING, TRAINING

# Each corruption: the column, what we do to it (in Spanish, for the notebook)
# and the ExampleValidator anomaly it should raise.
CORRUPTIONS = (
    ("trip_start_hour", "hora 27 en algunas filas (fuera de 0-23)", "INT_TYPE_BIG_INT"),
    ("pickup_latitude", "latitud 0.0 en algunas filas (fuera de Chicago)", "FLOAT_TYPE_SMALL_FLOAT"),
    ("fare", "tarifa negativa (-10) en algunas filas", "FLOAT_TYPE_SMALL_FLOAT"),
    ("payment_type", "forma de pago nueva 'Bitcoin' en algunas filas", "ENUM_TYPE_UNEXPECTED_STRING_VALUES"),
    ("trip_miles", "texto 'diez' en lugar de un número en algunas filas", "UNEXPECTED_DATA_TYPE"),
    ("company", "la columna desaparece del fichero", "SCHEMA_MISSING_COLUMN"),
)
INCOMING_SPLITS = ("span2", "serving", "corrupted")


def corrupt(frame: pd.DataFrame, fraction: float = 0.02, seed: int = 0) -> pd.DataFrame:
    """A copy of `frame` with the CORRUPTIONS applied to a random `fraction` of the rows."""
    rng = np.random.default_rng(seed)
    dirty = frame.copy()

    def some_rows() -> np.ndarray:
        return rng.choice(len(dirty), size=max(1, int(fraction * len(dirty))), replace=False)

    dirty.loc[dirty.index[some_rows()], "trip_start_hour"] = 27
    dirty.loc[dirty.index[some_rows()], "pickup_latitude"] = 0.0
    dirty.loc[dirty.index[some_rows()], "fare"] = -10.0
    dirty["payment_type"] = dirty["payment_type"].astype(object)
    dirty.loc[dirty.index[some_rows()], "payment_type"] = "Bitcoin"
    dirty["trip_miles"] = dirty["trip_miles"].astype(object)
    dirty.loc[dirty.index[some_rows()], "trip_miles"] = "diez"
    return dirty.drop(columns=["company"])


def corruptions_table() -> pd.DataFrame:
    """What corrupt() does, column by column, and the anomaly each change should raise."""
    return pd.DataFrame(CORRUPTIONS, columns=["feature", "cambio", "anomalia_esperada"]).set_index("feature")


def prepare_incoming(new_span_csv: Path | str, incoming_dir: Path | str, seed: int = 0) -> dict[str, Path]:
    """Write the new data as one folder per split: the next span as is, a serving copy, a corrupted copy.

    The serving copy has no `tips` (a trip being served has no tip yet).
    Returns the CSV path of each split.
    """
    if not Path(new_span_csv).is_file():
        raise FileNotFoundError(f"No existe el fichero de datos nuevos {new_span_csv}. Comprueba que shared-data/ "
                                "está montada en /data (docker-compose.yaml) y que la ruta es correcta.")
    incoming_dir = Path(incoming_dir)
    frame = pd.read_csv(new_span_csv)
    outputs = {split: incoming_dir / split / "data.csv" for split in INCOMING_SPLITS}
    for path in outputs.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(new_span_csv, outputs["span2"])
    frame.drop(columns=[LABEL_SOURCE]).to_csv(outputs["serving"], index=False)
    corrupt(frame, seed=seed).to_csv(outputs["corrupted"], index=False)
    return outputs


def anomaly_kinds(anomalies: anomalies_pb2.Anomalies) -> dict[str, list[str]]:
    """The anomaly types found, by feature, e.g. {'company': ['SCHEMA_MISSING_COLUMN']}."""
    kind = anomalies_pb2.AnomalyInfo.Type
    return {name: sorted(kind.Name(reason.type) for reason in info.reason)
            for name, info in sorted(anomalies.anomaly_info.items())}


def validate_environment(statistics: statistics_pb2.DatasetFeatureStatisticsList, schema: schema_pb2.Schema,
                         environment: str = SERVING) -> anomalies_pb2.Anomalies:
    """Validate statistics against the schema as seen in one environment (TRAINING or SERVING)."""
    return tfdv.validate_statistics(statistics, schema, environment=environment)


def drift_and_skew(schema: schema_pb2.Schema, training: statistics_pb2.DatasetFeatureStatisticsList,
                   next_span: statistics_pb2.DatasetFeatureStatisticsList,
                   serving: statistics_pb2.DatasetFeatureStatisticsList) -> dict[str, anomalies_pb2.Anomalies]:
    """Drift (training span -> next span) and train/serving skew, with the schema's comparators."""
    return {
        "deriva": tfdv.validate_statistics(next_span, schema, environment=TRAINING, previous_statistics=training),
        "sesgo": tfdv.validate_statistics(training, schema, environment=TRAINING, serving_statistics=serving),
    }
