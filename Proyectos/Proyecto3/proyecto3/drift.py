"""The drift of a new span against its baseline, with TFDV's comparators: what decides whether to retrain.

The baseline is **the span the champion was trained on** (its StatisticsGen
output), not the previous span. The question a retraining decision asks is
"is the world still the one the model in service learned?": a slow drift, a
little each batch, stays under any span-to-span threshold for ever, but it adds
up against the champion's data until it crosses it. With no champion yet there
is no baseline and no drift (the first candidate is trained anyway: decision.py).

The thresholds live in the curated schema (schema/schema.pbtxt, written by
proyecto3.schema from decision.DRIFT_*): an L-infinity comparator on the
categorical features and a Jensen-Shannon divergence comparator on the numeric
ones that decision.py names (it says why those).
`tfdv.validate_statistics(current, schema, previous_statistics=baseline)`
measures every feature that has a comparator and reports each measurement,
over its threshold or not, in the anomalies' drift_skew_info.
"""

import tensorflow_data_validation as tfdv
from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2, statistics_pb2

from proyecto3.decision import Drift


def measure(anomalies: anomalies_pb2.Anomalies) -> list[Drift]:
    """Every drift measurement TFDV reported, one Drift per feature and measure, sorted by feature."""
    kind = anomalies_pb2.DriftSkewInfo.Measurement.Type
    return sorted((Drift(".".join(info.path.step), kind.Name(m.type), m.value, m.threshold)
                   for info in anomalies.drift_skew_info for m in info.drift_measurements),
                  key=lambda d: (d.feature, d.measure))


def feature_drifts(schema: schema_pb2.Schema, current: statistics_pb2.DatasetFeatureStatisticsList,
                   baseline: statistics_pb2.DatasetFeatureStatisticsList | None) -> list[Drift]:
    """Each feature's distance between `current` and `baseline` (none without a baseline)."""
    if baseline is None:
        return []
    return measure(tfdv.validate_statistics(current, schema, previous_statistics=baseline))
