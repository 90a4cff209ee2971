"""lab_helpers.offline_views: the tables and figures shown instead of Facets and TFMA's widget, with no network."""

import pandas as pd
import pytest
from IPython.utils.capture import capture_output

from lab_helpers import offline_views


def rendered(outputs) -> str:
    """The HTML a captured display produced."""
    return "".join(o.data.get("text/html", "") for o in outputs)


@pytest.fixture(scope="module", autouse=True)
def shell():
    """An IPython shell with inline figures, as in a notebook: display() then publishes rich outputs."""
    import matplotlib
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.core.pylabtools import select_figure_formats

    matplotlib.use("Agg")
    shell = InteractiveShell.instance()
    select_figure_formats(shell, {"png"})
    return shell


@pytest.fixture(scope="module")
def statistics():
    import tensorflow_data_validation as tfdv

    frame = pd.DataFrame({"fare": [4.5, 10.25, 33.0, 7.0], "payment_type": ["Cash", "Credit Card", "Cash", "Cash"]})
    return tfdv.generate_statistics_from_dataframe(frame)


def test_visualize_statistics_draws_a_table_and_histograms(statistics):
    """`tfdv.visualize_statistics` shows the lab's table and a figure, and loads nothing from the internet."""
    with capture_output() as captured:
        offline_views.visualize_statistics(statistics)
    html = rendered(captured.outputs)
    assert "<table" in html and "fare" in html and "payment_type" in html, html[:500]
    assert "<script" not in html and "https://" not in html, "the view loads something from the internet"
    assert any("image/png" in o.data for o in captured.outputs), "no histogram figure"


def test_visualize_statistics_compares_two_datasets(statistics):
    """With lhs and rhs (tfdv_basic's EVAL vs TRAIN), both datasets' columns are side by side."""
    with capture_output() as captured:
        offline_views.visualize_statistics(lhs_statistics=statistics, rhs_statistics=statistics,
                                                 lhs_name="EVAL_DATASET", rhs_name="TRAIN_DATASET")
    html = rendered(captured.outputs)
    assert "EVAL_DATASET" in html and "TRAIN_DATASET" in html, html[:500]


class FakeEvalResult:
    """The shape of tfma.EvalResult.slicing_metrics: (slice key, {output: {sub key: {metric: value}}})."""

    slicing_metrics = [
        ((), {"": {"": {"accuracy": {"doubleValue": 0.95}, "example_count": {"doubleValue": 100.0}}}}),
        ((("species", "Adelie"),), {"": {"": {"accuracy": {"doubleValue": 0.9}}}}),
        ((("island", "Dream"),), {"": {"": {"accuracy": {"doubleValue": 1.0}}}}),
    ]


def test_render_slicing_metrics_is_a_table():
    """`offline_views.render_slicing_metrics(result, slicing_column=...)` shows that column's slices as a table."""
    table = offline_views.slicing_metrics_table(FakeEvalResult(), slicing_column="species")
    assert list(table.index) == ["species=Adelie"] and table.loc["species=Adelie", "accuracy"] == 0.9, table
    with capture_output() as captured:
        offline_views.render_slicing_metrics(FakeEvalResult())
    assert "Overall" in rendered(captured.outputs) and "island=Dream" in rendered(captured.outputs)
