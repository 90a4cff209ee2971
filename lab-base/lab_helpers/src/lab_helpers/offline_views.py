"""The offline stand-ins for the TFDV and TFMA views that need the internet or a widget.

lab_compat.patches puts these in place of `tfdv.visualize_statistics` and
`tfma.view.render_slicing_metrics`, and registers them for `context.show(...)`,
so stock TFX code (the official tutorials included) draws pandas tables and
matplotlib figures in JupyterLab 4 with no network. Call them directly too.
"""

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, display
from tensorflow_metadata.proto.v0 import statistics_pb2

from lab_helpers import artifacts

NOTE = ("<p><em>Vista sin internet del laboratorio: {what} necesita internet o un widget que JupyterLab 4 no "
        "dibuja; aquí se ve lo mismo como tabla{figure}.</em></p>")


def _names(paths) -> set[str]:
    """Feature names from TFDV FeaturePaths or plain strings."""
    return {".".join(p.steps()) if hasattr(p, "steps") else str(p) for p in paths or ()}


def _only(stats: statistics_pb2.DatasetFeatureStatisticsList, allowlist=None, denylist=None):
    """A copy of `stats` keeping the features of `allowlist` (all if None) that are not in `denylist`."""
    if not allowlist and not denylist:
        return stats
    allowlist, denylist = _names(allowlist), _names(denylist)
    kept = statistics_pb2.DatasetFeatureStatisticsList()
    kept.CopyFrom(stats)
    for dataset in kept.datasets:
        features = [f for f in dataset.features
                    if (not allowlist or artifacts.feature_path(f) in allowlist)
                    and artifacts.feature_path(f) not in denylist]
        del dataset.features[:]
        dataset.features.extend(features)
    return kept


def statistics_comparison(lhs: statistics_pb2.DatasetFeatureStatisticsList,
                          rhs: statistics_pb2.DatasetFeatureStatisticsList,
                          lhs_name: str, rhs_name: str) -> pd.DataFrame:
    """The statistics tables of two datasets side by side, one column group per dataset."""
    tables = {lhs_name: artifacts.statistics_table(lhs), rhs_name: artifacts.statistics_table(rhs)}
    return pd.concat(tables, axis=1).swaplevel(axis=1).sort_index(axis=1, level=0, sort_remaining=False)


def visualize_statistics(lhs_statistics, rhs_statistics=None, lhs_name="lhs_statistics",
                         rhs_name="rhs_statistics", allowlist_features=None, denylist_features=None) -> None:
    """`tfdv.visualize_statistics`, offline: the statistics table and the numeric histograms (both datasets')."""
    lhs = _only(lhs_statistics, allowlist_features, denylist_features)
    rhs = None if rhs_statistics is None else _only(rhs_statistics, allowlist_features, denylist_features)
    display(HTML(NOTE.format(what="Facets (tfdv.visualize_statistics)", figure=" e histogramas")))
    if rhs is None:
        display(artifacts.statistics_table(lhs))
        figure = artifacts.plot_numeric_histograms(lhs)
    else:
        display(statistics_comparison(lhs, rhs, lhs_name, rhs_name))
        figure = artifacts.plot_numeric_histograms(lhs, rhs, names=(lhs_name, rhs_name))
    display(figure)
    plt.close(figure)


def slice_name(slice_key) -> str:
    """A TFMA slice key as text: Overall, or column=value pairs."""
    return "Overall" if not slice_key else ", ".join(f"{column}={value}" for column, value in slice_key)


def slicing_metrics_table(eval_result, slicing_column: str | None = None) -> pd.DataFrame:
    """One row per slice of a TFMA EvalResult (Overall first), one column per numeric metric.

    With `slicing_column`, only the slices on that column (as TFMA's own view).
    Metrics of a multi-output model or of sub-keys are named output/sub_key/metric.
    """
    rows = []
    for slice_key, metrics in eval_result.slicing_metrics:
        columns = [column for column, _ in slice_key]
        if slicing_column is not None and columns != [slicing_column]:
            continue
        row = {"slice": slice_name(slice_key)}
        for output, by_sub_key in metrics.items():
            for sub_key, values in by_sub_key.items():
                for name, value in values.items():
                    number = value.get("doubleValue", value.get("boundedValue", {}).get("value"))
                    if number is not None:
                        row["/".join(part for part in (output, sub_key, name) if part)] = float(number)
        rows.append(row)
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    table = table.set_index("slice")
    order = sorted(table.index, key=lambda name: (name != "Overall", name))
    return table.loc[order, sorted(table.columns)]


def render_slicing_metrics(result, slicing_column=None, slicing_spec=None, weighted_example_column=None,
                           event_handlers=None) -> None:
    """`tfma.view.render_slicing_metrics`, offline: the metrics of every slice as a table."""
    if slicing_spec is not None and slicing_column is None and list(slicing_spec.feature_keys):
        slicing_column = slicing_spec.feature_keys[0]
    display(HTML(NOTE.format(what="El widget de TFMA (tfma.view.render_slicing_metrics)", figure="")))
    display(slicing_metrics_table(result, slicing_column))


def register_tfx_visualizations() -> None:
    """Register the offline views for `context.show` of ExampleStatistics and ModelEvaluation artifacts."""
    from tfx.orchestration.experimental.interactive import visualizations
    from tfx.types import artifact_utils, standard_artifacts

    class StatisticsVisualization(visualizations.ArtifactVisualization):
        ARTIFACT_TYPE = standard_artifacts.ExampleStatistics

        def display(self, artifact):
            for split in artifact_utils.decode_split_names(artifact.split_names):
                display(HTML(f"<div><b>{split!r} split:</b></div>"))
                visualize_statistics(artifacts.load_statistics(artifact, split))

    class EvaluationVisualization(visualizations.ArtifactVisualization):
        ARTIFACT_TYPE = standard_artifacts.ModelEvaluation

        def display(self, artifact):
            import tensorflow_model_analysis as tfma

            render_slicing_metrics(tfma.load_eval_result(artifact.uri))

    registry = visualizations.get_registry()
    registry.register(StatisticsVisualization)
    registry.register(EvaluationVisualization)
