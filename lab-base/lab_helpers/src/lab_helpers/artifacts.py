"""Offline views of TFX artifacts for JupyterLab 4: pandas tables and matplotlib figures.

TFDV's Facets view (tfdv.visualize_statistics) loads its scripts from the
internet and is blank offline; tfdv.display_schema and display_anomalies do
render, as plain tables. These functions read TFX's artifacts and return
tables and figures a notebook can show, compare and compute with, with no
network. lab_helpers.offline_views uses them in place of the Facets view.
"""

import math
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import tensorflow as tf
import tensorflow_data_validation as tfdv
from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2, statistics_pb2
from tfx.types import Artifact, artifact_utils

_FEATURE_TYPE = statistics_pb2.FeatureNameStatistics.Type


def load_statistics(artifact: Artifact, split: str = "train") -> statistics_pb2.DatasetFeatureStatisticsList:
    """Read the statistics StatisticsGen wrote for one split."""
    uri = artifact_utils.get_split_uri([artifact], split)
    return tfdv.load_stats_binary(str(Path(uri) / "FeatureStats.pb"))


def load_schema(artifact: Artifact) -> schema_pb2.Schema:
    """Read the schema SchemaGen (or ImportSchemaGen) wrote."""
    return tfdv.load_schema_text(str(Path(artifact.uri) / "schema.pbtxt"))


def load_anomalies(artifact: Artifact, split: str = "eval") -> anomalies_pb2.Anomalies:
    """Read the anomalies ExampleValidator found in one split."""
    uri = artifact_utils.get_split_uri([artifact], split)
    return anomalies_pb2.Anomalies.FromString((Path(uri) / "SchemaDiff.pb").read_bytes())


def feature_path(feature) -> str:
    """A feature's name in a statistics proto (its path, dotted)."""
    return ".".join(feature.path.step) or feature.name


def statistics_table(stats: statistics_pb2.DatasetFeatureStatisticsList) -> pd.DataFrame:
    """One row per feature: type, missing values, and numeric or categorical summary."""
    dataset = stats.datasets[0]
    rows = []
    for feature in dataset.features:
        row = {"feature": feature_path(feature), "tipo": _FEATURE_TYPE.Name(feature.type)}
        if feature.HasField("num_stats"):
            num = feature.num_stats
            common = num.common_stats
            row.update(media=num.mean, desv=num.std_dev, min=num.min, mediana=num.median, max=num.max,
                       ceros=num.num_zeros)
        else:
            text = feature.string_stats
            common = text.common_stats
            top = text.top_values[0] if text.top_values else None
            row.update(unicos=text.unique, valor_mas_frecuente=top.value if top else None,
                       frecuencia=top.frequency if top else None)
        # A CSV's empty cell becomes a present feature with no value: count
        # those as missing too (for single-valued features).
        total = common.num_non_missing + common.num_missing
        empty = max(0, common.num_non_missing - common.tot_num_values) if common.max_num_values <= 1 else 0
        missing = common.num_missing + empty
        row.update(presentes=total - missing,
                   faltantes_pct=round(100 * missing / total, 2) if total else 0.0)
        rows.append(row)
    columns = ["feature", "tipo", "presentes", "faltantes_pct", "media", "desv", "min", "mediana", "max",
               "ceros", "unicos", "valor_mas_frecuente", "frecuencia"]
    return pd.DataFrame(rows).reindex(columns=columns).set_index("feature").sort_index()


def plot_numeric_histograms(stats: statistics_pb2.DatasetFeatureStatisticsList,
                            other: statistics_pb2.DatasetFeatureStatisticsList | None = None,
                            names: tuple[str, str] = ("", ""), columns: int = 4):
    """A grid of the standard histograms StatisticsGen computed for numeric features; `other`'s overlaid."""
    features = [f for f in stats.datasets[0].features if f.HasField("num_stats")]
    others = {} if other is None else {feature_path(f): f for f in other.datasets[0].features
                                        if f.HasField("num_stats")}
    rows = max(1, math.ceil(len(features) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(4 * columns, 2.6 * rows), squeeze=False)
    for ax in axes.flat[len(features):]:
        ax.axis("off")
    for ax, feature in zip(axes.flat, features, strict=False):
        pairs = [(feature, names[0], "#1f77b4")]
        if feature_path(feature) in others:
            pairs.append((others[feature_path(feature)], names[1], "#ff7f0e"))
        for drawn, label, color in pairs:
            histogram = next((h for h in drawn.num_stats.histograms
                              if h.type == statistics_pb2.Histogram.STANDARD), None)
            if histogram is not None:
                lows = [b.low_value for b in histogram.buckets]
                widths = [b.high_value - b.low_value for b in histogram.buckets]
                counts = [b.sample_count for b in histogram.buckets]
                ax.bar(lows, counts, width=widths, align="edge", color=color, edgecolor="white",
                       alpha=0.6 if len(pairs) > 1 else 1.0, label=label or None)
        if len(pairs) > 1 and ax is axes.flat[0]:
            ax.legend(fontsize=7)
        ax.set_title(feature_path(feature), fontsize=9)
        ax.tick_params(labelsize=7)
    fig.tight_layout()
    return fig


def _domain(schema: schema_pb2.Schema, feature: schema_pb2.Feature) -> str:
    kind = feature.WhichOneof("domain_info")
    if kind == "domain":
        values = next((d.value for d in schema.string_domain if d.name == feature.domain), [])
        return f"{feature.domain}: {', '.join(values)}"
    if kind == "string_domain":
        return ", ".join(feature.string_domain.value)
    if kind in ("int_domain", "float_domain"):
        # An unset bound is open: show it as -inf / inf rather than the proto's default 0.
        bounds = getattr(feature, kind)
        low = f"{bounds.min:g}" if bounds.HasField("min") else "-inf"
        high = f"{bounds.max:g}" if bounds.HasField("max") else "inf"
        return f"[{low}, {high}]"
    return ""


def schema_table(schema: schema_pb2.Schema) -> pd.DataFrame:
    """One row per feature: type, presence, shape, domain and excluded environments."""
    rows = []
    for feature in schema.feature:
        shape = [d.size for d in feature.shape.dim] if feature.HasField("shape") else None
        rows.append({
            "feature": feature.name,
            "tipo": schema_pb2.FeatureType.Name(feature.type),
            "presencia_min": feature.presence.min_fraction if feature.HasField("presence") else None,
            "forma": shape,
            "dominio": _domain(schema, feature),
            "no_en_entornos": ", ".join(feature.not_in_environment),
        })
    return pd.DataFrame(rows).set_index("feature").sort_index()


def anomalies_table(anomalies: anomalies_pb2.Anomalies) -> pd.DataFrame:
    """One row per anomalous feature: severity and what is wrong, empty when the data is clean."""
    severity = anomalies_pb2.AnomalyInfo.Severity
    rows = [{
        "feature": name,
        "severidad": severity.Name(info.severity),
        "anomalia": info.short_description,
        "detalle": info.description,
    } for name, info in anomalies.anomaly_info.items()]
    if anomalies.HasField("dataset_anomaly_info"):
        info = anomalies.dataset_anomaly_info
        rows.append({"feature": "(dataset)", "severidad": severity.Name(info.severity),
                     "anomalia": info.short_description, "detalle": info.description})
    return pd.DataFrame(rows, columns=["feature", "severidad", "anomalia", "detalle"]).set_index("feature")


def drift_skew_table(comparisons: dict[str, anomalies_pb2.Anomalies]) -> pd.DataFrame:
    """One row per feature and comparison (e.g. drift, skew): distance measured, threshold, exceeded."""
    measurement = anomalies_pb2.DriftSkewInfo.Measurement.Type
    rows = []
    for comparison, anomalies in comparisons.items():
        for info in anomalies.drift_skew_info:
            for kind, measurements in (("deriva", info.drift_measurements), ("sesgo", info.skew_measurements)):
                rows += [{"comparacion": comparison, "feature": ".".join(info.path.step), "medida": kind,
                          "distancia": measurement.Name(m.type), "valor": round(m.value, 4),
                          "umbral": m.threshold, "supera_umbral": m.value > m.threshold} for m in measurements]
    columns = ["comparacion", "feature", "medida", "distancia", "valor", "umbral", "supera_umbral"]
    return pd.DataFrame(rows, columns=columns)


def examples_table(artifact: Artifact, split: str = "train", limit: int = 5) -> pd.DataFrame:
    """The first `limit` tf.Examples of one split of an Examples artifact, one column per feature."""
    files = sorted(str(p) for p in Path(artifact_utils.get_split_uri([artifact], split)).glob("*.gz"))
    rows = []
    for record in tf.data.TFRecordDataset(files, compression_type="GZIP").take(limit):
        example = tf.train.Example.FromString(record.numpy())
        row = {}
        for name, feature in example.features.feature.items():
            values = list(getattr(feature, feature.WhichOneof("kind")).value) if feature.WhichOneof("kind") else []
            values = [v.decode() if isinstance(v, bytes) else v for v in values]
            row[name] = values[0] if len(values) == 1 else (values or None)
        rows.append(row)
    return pd.DataFrame(rows).reindex(columns=sorted({k for r in rows for k in r}))


def load_statistics_file(artifact: Artifact) -> statistics_pb2.DatasetFeatureStatisticsList:
    """Read statistics written without splits (e.g. Transform's pre/post_transform_stats)."""
    return tfdv.load_stats_binary(str(Path(artifact.uri) / "FeatureStats.pb"))


def schema_changes(before: schema_pb2.Schema, after: schema_pb2.Schema) -> pd.DataFrame:
    """The features whose row of schema_table differs between two schemas, before and after side by side."""
    old, new = schema_table(before), schema_table(after)
    old, new = old.reindex(old.index.union(new.index)), new.reindex(old.index.union(new.index))
    changed = [name for name in new.index if old.loc[name].astype(str).tolist() != new.loc[name].astype(str).tolist()]
    return pd.concat({"antes": old.loc[changed], "después": new.loc[changed]}, axis=1).swaplevel(axis=1).sort_index(
        axis=1, level=0, sort_remaining=False)


def top_values(stats: statistics_pb2.DatasetFeatureStatisticsList, feature: str) -> pd.Series:
    """Share of each value of a categorical feature (its rank histogram), largest first."""
    for candidate in stats.datasets[0].features:
        if feature_path(candidate) == feature and candidate.HasField("string_stats"):
            buckets = candidate.string_stats.rank_histogram.buckets
            counts = pd.Series({b.label: b.sample_count for b in buckets}, dtype=float)
            return (counts / counts.sum()).sort_values(ascending=False)
    raise KeyError(f"{feature} no es una feature categórica de estas estadísticas")


def plot_categorical_comparison(stats_by_name: dict[str, statistics_pb2.DatasetFeatureStatisticsList],
                                feature: str, top: int = 8):
    """Side-by-side bars of a categorical feature's value shares in several datasets (drift at a glance)."""
    shares = pd.DataFrame({name: top_values(stats, feature) for name, stats in stats_by_name.items()}).fillna(0)
    shares = shares.loc[shares.max(axis=1).sort_values(ascending=False).index[:top]]
    ax = shares.plot.barh(figsize=(8, 0.45 * len(shares) + 1.2))
    ax.invert_yaxis()
    ax.set_xlabel("proporción de ejemplos")
    ax.set_title(feature)
    ax.figure.tight_layout()
    return ax.figure


def count_examples(artifact: Artifact) -> dict[str, int]:
    """The number of tf.Examples in each split of an Examples artifact."""
    counts = {}
    for split in artifact_utils.decode_split_names(artifact.split_names):
        files = [str(p) for p in Path(artifact_utils.get_split_uri([artifact], split)).glob("*.gz")]
        counts[split] = sum(1 for _ in tf.data.TFRecordDataset(files, compression_type="GZIP"))
    return counts


# The anomaly types of TFDV's drift and skew comparators: a distance between two datasets above its threshold.
DRIFT_SKEW_TYPES = frozenset({
    "COMPARATOR_L_INFTY_HIGH",
    "COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH",
    "COMPARATOR_NORMALIZED_ABSOLUTE_DIFFERENCE_HIGH",
})


def anomaly_types(anomalies: anomalies_pb2.Anomalies, feature: str) -> list[str]:
    """The anomaly types TFDV found in `feature` (e.g. INT_TYPE_BIG_INT), sorted; empty when it is clean."""
    info = anomalies.anomaly_info.get(feature)
    return sorted({anomalies_pb2.AnomalyInfo.Type.Name(reason.type) for reason in info.reason}) if info else []


def drift_distances(anomalies: anomalies_pb2.Anomalies, feature: str) -> list[tuple[str, float, float]]:
    """Each drift or skew measurement TFDV took of `feature`: (distance name, value, threshold)."""
    measurement = anomalies_pb2.DriftSkewInfo.Measurement.Type
    return [(measurement.Name(m.type), m.value, m.threshold) for info in anomalies.drift_skew_info
            if ".".join(info.path.step) == feature for m in [*info.drift_measurements, *info.skew_measurements]]


def transformed_features(transform_graph: Artifact | str) -> list[str]:
    """The features Transform outputs (its transformed schema), sorted, from its TransformGraph."""
    # Imported here, like TFMA below: the tables and figures above need neither.
    import tensorflow_transform as tft

    uri = transform_graph if isinstance(transform_graph, str) else transform_graph.uri
    return sorted(tft.TFTransformOutput(uri).transformed_feature_spec())


def load_sliced_metrics(evaluation: Artifact | str) -> list[tuple]:
    """The metrics Evaluator computed, as TFMA validates them: (slice key, {MetricKey: value}) per slice.

    Candidate, baseline and difference (is_diff) metrics alike, read from the
    evaluation's metrics file with TFMA's own reader.
    """
    # TFMA takes seconds to import: only the notebooks that evaluate models pay for it.
    from tensorflow_model_analysis.metrics import metric_types
    from tensorflow_model_analysis.slicer import slicer_lib
    from tensorflow_model_analysis.writers import metrics_plots_and_validations_writer

    uri = evaluation if isinstance(evaluation, str) else evaluation.uri
    sliced = []
    for metrics in metrics_plots_and_validations_writer.load_and_deserialize_metrics(uri):
        values = {metric_types.MetricKey.from_proto(entry.key): entry.value.double_value.value
                  for entry in metrics.metric_keys_and_values if entry.value.HasField("double_value")}
        sliced.append((slicer_lib.deserialize_slice_key(metrics.slice_key), values))
    return sliced
