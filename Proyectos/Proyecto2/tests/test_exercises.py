"""Each exercise's check: pending while unanswered, right for a correct answer, not yet for a wrong one."""

import pandas as pd
import pytest
import tensorflow as tf
import tensorflow_data_validation as tfdv
from tensorflow_model_analysis.metrics import metric_specs
from tensorflow_model_analysis.proto import metrics_for_slice_pb2
from tensorflow_model_analysis.slicer import slicer_lib
from tensorflow_model_analysis.utils import config_util

from lab_helpers.exercises import PENDING, RIGHT, WRONG
from proyecto2 import evaluation, exercises
from proyecto2.features import ISLANDS

OVERALL, ADELIE, DREAM = (), (("species", "Adelie"),), (("island", "Dream"),)


def test_a_pending_verdict_is_not_a_pass():
    """Every check starts pending (its variable None), says what to do, and is not taken for a right answer."""
    pending = exercises.transformed_feature("/nowhere", None)
    assert pending.state == PENDING and not pending and "nueva_feature" in pending.message, pending
    blessing = exercises.blessing_prediction("/nowhere", 0.9, None)
    assert blessing.state == PENDING and "se_bendice" in blessing.message, blessing


@pytest.fixture(scope="module")
def islands():
    """Statistics of penguins on the three islands and a schema whose island domain lists them."""
    statistics = tfdv.generate_statistics_from_dataframe(pd.DataFrame({"island": list(ISLANDS) * 10}))
    schema = tfdv.infer_schema(statistics)
    return schema, statistics


def test_anomaly_prediction_three_states(islands):
    """Pending until an island leaves the domain and a prediction is written; then TFDV's anomaly is the answer."""
    schema, statistics = islands
    unchanged = exercises.anomaly_prediction(schema, statistics, "ninguna")
    assert unchanged.state == PENDING and "Torgersen" in unchanged.message, unchanged
    tfdv.get_domain(schema, "island").value.remove("Torgersen")
    assert exercises.anomaly_prediction(schema, statistics, None).state == PENDING
    right = exercises.anomaly_prediction(schema, statistics, "ENUM_TYPE_UNEXPECTED_STRING_VALUES")
    assert right.state == RIGHT, right
    wrong = exercises.anomaly_prediction(schema, statistics, "ninguna")
    assert wrong.state == WRONG and "ENUM_TYPE_UNEXPECTED_STRING_VALUES" in wrong.message, wrong


def test_shipped_outputs_are_what_preprocessing_fn_outputs(transformed):
    """SHIPPED_OUTPUTS, next to the check, is exactly the columns the shipped preprocessing_fn outputs
    (a student who added a feature for the exercise sees it here as an extra one)."""
    _, _, rows = transformed
    assert set(rows[0]) == exercises.SHIPPED_OUTPUTS, sorted(rows[0])


@pytest.mark.parametrize(("name", "state", "said"), [
    (None, PENDING, "nueva_feature"), ("island_xf", WRONG, "ya trae el proyecto"), ("bill_ratio_xf", WRONG, "no está")])
def test_transformed_feature_pending_or_wrong(transformed, name, state, said):
    """Unanswered it is pending; a feature the project already outputs, or one Transform lacks, is wrong."""
    verdict = exercises.transformed_feature(str(transformed[0]), name)
    assert verdict.state == state and said in verdict.message, verdict


def test_transformed_feature_right_for_a_new_output(transformed, monkeypatch):
    """A feature Transform outputs beyond the shipped ones is right (here island_xf, as if the student added it)."""
    monkeypatch.setattr(exercises, "SHIPPED_OUTPUTS", exercises.SHIPPED_OUTPUTS - {"island_xf"})
    verdict = exercises.transformed_feature(str(transformed[0]), "island_xf")
    assert verdict.state == RIGHT and "features.py" in verdict.message, verdict


def accuracy_keys(has_baseline: bool) -> dict:
    """The accuracy metric's keys as the Evaluator's config names them: the candidate's, and with a baseline
    the baseline's and their difference."""
    config = config_util.update_eval_config_with_defaults(evaluation.eval_config(), has_baseline=has_baseline,
                                                          rubber_stamp=True)
    candidate = next(key for key in metric_specs.metric_thresholds_from_metrics_specs(
        config.metrics_specs, eval_config=config) if not key.is_diff)
    keys = {"candidate": candidate}
    if has_baseline:
        keys |= {"baseline": candidate.make_baseline_key(next(
            spec for spec in config.model_specs if spec.is_baseline).name), "diff": candidate.make_diff_key()}
    return keys


def write_metrics(folder, slices: dict[tuple, dict]) -> str:
    """An evaluation folder with one MetricsForSlice record per slice, as Evaluator writes them."""
    with tf.io.TFRecordWriter(str(folder / "metrics-00000-of-00001.tfrecord")) as writer:
        for slice_key, metrics in slices.items():
            record = metrics_for_slice_pb2.MetricsForSlice(slice_key=slicer_lib.serialize_slice_key(slice_key))
            for key, value in metrics.items():
                entry = record.metric_keys_and_values.add()
                entry.key.CopyFrom(key.to_proto())
                entry.value.double_value.value = value
            writer.write(record.SerializeToString())
    return str(folder)


def test_blessing_prediction_without_baseline(tmp_path):
    """First run: only the absolute bound counts. At 0.9 island=Dream (0.88) fails; at 0.85 every slice passes."""
    key = accuracy_keys(has_baseline=False)["candidate"]
    result = write_metrics(tmp_path, {OVERALL: {key: 0.95}, ADELIE: {key: 0.97}, DREAM: {key: 0.88}})
    assert exercises.blessing_prediction(result, 0.9, None).state == PENDING
    right = exercises.blessing_prediction(result, 0.9, prediction=False)
    assert right.state == RIGHT and "island=Dream" in right.message and "0.880" in right.message, right
    assert exercises.blessing_prediction(result, 0.9, prediction=True).state == WRONG
    assert exercises.blessing_prediction(result, 0.85, prediction=True).state == RIGHT
    assert exercises.blessing_prediction(result, 0.85, prediction=False).state == WRONG


def test_blessing_prediction_applies_the_change_threshold_with_a_baseline(tmp_path):
    """With a baseline, losing 0.04 accuracy fails the change threshold (at most ACCURACY_MAX_DROP) above the bound."""
    keys = accuracy_keys(has_baseline=True)
    assert evaluation.ACCURACY_MAX_DROP < 0.04
    metrics = {keys["candidate"]: 0.95, keys["baseline"]: 0.99, keys["diff"]: -0.04}
    result = write_metrics(tmp_path, {OVERALL: metrics, ADELIE: metrics, DREAM: metrics})
    verdict = exercises.blessing_prediction(result, 0.9, prediction=False)
    assert verdict.state == RIGHT and "cambio frente al modelo base" in verdict.message, verdict
    assert exercises.blessing_prediction(result, 0.9, prediction=True).state == WRONG
