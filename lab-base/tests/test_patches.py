"""lab_base.patches makes stock TFX code work offline: TFMA's API, Keras 2, module_file=, offline views."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from IPython.utils.capture import capture_output

from lab_base import views

FRESH = Path(__file__).parent / "fresh_process"


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


def test_tfma_api_is_complete_without_tfx():
    """Imported before TFX (as some tutorials do), `tfma.EvalConfig`, `tfma.PerSliceMetricThresholds`... exist."""
    result = subprocess.run([sys.executable, str(FRESH / "tfma_before_tfx.py")], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.splitlines()[-1]) == [], "names of tfma.__all__ still missing"


def test_visualize_statistics_draws_a_table_and_histograms(statistics):
    """`tfdv.visualize_statistics` shows the lab's table and a figure, and loads nothing from the internet."""
    import tensorflow_data_validation as tfdv

    assert tfdv.visualize_statistics.__module__ == "lab_base.patches", tfdv.visualize_statistics
    with capture_output() as captured:
        tfdv.visualize_statistics(statistics)
    html = rendered(captured.outputs)
    assert "<table" in html and "fare" in html and "payment_type" in html, html[:500]
    assert "<script" not in html and "https://" not in html, "the view loads something from the internet"
    assert any("image/png" in o.data for o in captured.outputs), "no histogram figure"


def test_visualize_statistics_compares_two_datasets(statistics):
    """With lhs and rhs (tfdv_basic's EVAL vs TRAIN), both datasets' columns are side by side."""
    import tensorflow_data_validation as tfdv

    with capture_output() as captured:
        tfdv.visualize_statistics(lhs_statistics=statistics, rhs_statistics=statistics,
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
    """`tfma.view.render_slicing_metrics(result, slicing_column=...)` shows that column's slices as a table."""
    import tensorflow_model_analysis as tfma

    assert tfma.view.render_slicing_metrics.__module__ == "lab_base.patches", tfma.view.render_slicing_metrics
    table = views.slicing_metrics_table(FakeEvalResult(), slicing_column="species")
    assert list(table.index) == ["species=Adelie"] and table.loc["species=Adelie", "accuracy"] == 0.9, table
    with capture_output() as captured:
        tfma.view.render_slicing_metrics(FakeEvalResult())
    assert "Overall" in rendered(captured.outputs) and "island=Dream" in rendered(captured.outputs)


def test_context_show_uses_the_lab_views():
    """After InteractiveContext registers TFX's standard views, statistics and evaluations show the lab's."""
    from tfx.orchestration.experimental.interactive import standard_visualizations, visualizations

    standard_visualizations.register_standard_visualizations()
    registry = visualizations.get_registry()
    for type_name in ("ExampleStatistics", "ModelEvaluation"):
        shown_by = type(registry.get_visualization(type_name)).__module__
        assert shown_by == "lab_base.views", f"context.show of {type_name} uses {shown_by}"


def test_beam_loads_no_cdn_scripts():
    """Beam's interactive environment does not inject jQuery/DataTables from public CDNs."""
    from apache_beam.runners.interactive import interactive_environment

    environment = interactive_environment.InteractiveEnvironment.__new__(interactive_environment.InteractiveEnvironment)
    assert environment.load_jquery_with_datatable() is None
    assert interactive_environment.InteractiveEnvironment.load_jquery_with_datatable.__module__ == "lab_base.patches"


def test_tf_keras_is_keras_2_and_saves_a_savedmodel(tmp_path):
    """`tf.keras` is Keras 2: `model.save(dir, save_format='tf')` and `tf.keras.models.load_model(dir)` work."""
    import tensorflow as tf

    assert tf.keras.__name__.startswith("tf_keras"), f"tf.keras is {tf.keras.__name__}, not Keras 2 (tf_keras)"
    inputs = tf.keras.Input(shape=(2,), name="x")
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(inputs))
    model.save(tmp_path / "model", save_format="tf")
    assert tf.keras.models.load_model(tmp_path / "model").predict(tf.zeros((1, 2)), verbose=0).shape == (1, 1)


def test_module_file_is_packaged_and_installed(tmp_path):
    """TFX builds a wheel of a `module_file=` and installs it with `python -m pip install --target` (offline)."""
    from tfx.components.util import udf_utils
    from tfx.utils import import_utils

    module = tmp_path / "my_trainer.py"
    module.write_text("def run_fn(fn_args):\n    return 'trained'\n")
    _, key = udf_utils.package_user_module_file("Trainer", str(module), str(tmp_path / "root"))
    name, wheels = udf_utils.decode_user_module_key(key)
    with udf_utils.TempPipInstallContext(wheels):
        assert import_utils.import_func_from_module(name, "run_fn")(None) == "trained"
