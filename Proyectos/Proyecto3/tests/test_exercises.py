"""The exercises' checks: pending while unanswered, then right or wrong as TFDV, the decision module and MLMD say."""

import pandas as pd
import pytest
import tensorflow_data_validation as tfdv
from ml_metadata.proto import metadata_store_pb2
from tensorflow_metadata.proto.v0 import schema_pb2
from tfx.types import standard_artifacts

from lab_helpers.exercises import PENDING, RIGHT, WRONG
from lab_helpers.metadata import open_store
from proyecto3 import decision, exercises, lineage

EVENT = metadata_store_pb2.Event


def payment_statistics(cash: int, card: int):
    return tfdv.generate_statistics_from_dataframe(
        pd.DataFrame({exercises.FEATURE: ["Cash"] * cash + ["Credit Card"] * card}))


@pytest.fixture
def schema():
    """payment_type alone, with the curated schema's L-infinity comparator."""
    schema = schema_pb2.Schema()
    feature = schema.feature.add(name=exercises.FEATURE, type=schema_pb2.BYTES)
    feature.drift_comparator.infinity_norm.threshold = decision.DRIFT_L_INFINITY[exercises.FEATURE]
    return schema


def test_payment_type_distance_three_states(schema):
    """Cash 50 % -> 30 %: L∞ 0.20 is right; the sum of both changes (0.40) is not."""
    before, after = payment_statistics(50, 50), payment_statistics(30, 70)
    assert exercises.l_infinity(schema, after, before) == pytest.approx(0.2)
    pending = exercises.payment_type_distance(schema, after, before, None)
    assert pending.state == PENDING and "`distancia`" in pending.message, pending
    right = exercises.payment_type_distance(schema, after, before, 0.20)
    assert right.state == RIGHT and "0.2000" in right.message and "hay deriva" in right.message, right
    wrong = exercises.payment_type_distance(schema, after, before, 0.4)
    assert wrong.state == WRONG and "0.2000" in wrong.message, wrong


def test_retrain_prediction_three_states():
    """No drift and 1500 rows: omitted (False is right); with 3000 rows it is trained (True is right)."""
    quiet = decision.Batch(span=2, rows=1500, rows_since_training=1500,
                           drifts=[decision.Drift("payment_type", "L_INFTY", 0.01, 0.05)])
    pending = exercises.retrain_prediction(quiet, None)
    assert pending.state == PENDING and "`se_reentrena = None`" in pending.message, pending
    right = exercises.retrain_prediction(quiet, False)
    assert right.state == RIGHT and "se omite" in right.message, right
    wrong = exercises.retrain_prediction(quiet, True)
    assert wrong.state == WRONG and "se omite" in wrong.message, wrong
    enough = decision.Batch(span=2, rows=1500, rows_since_training=3000)
    assert exercises.retrain_prediction(enough, True).state == RIGHT


class Store:
    """A small ML Metadata store written as TFX writes one: executions with their component id, typed events."""

    def __init__(self, path):
        self.store = open_store(path)
        self.execution_type = self.store.put_execution_type(metadata_store_pb2.ExecutionType(
            name="component", properties={"component_id": metadata_store_pb2.STRING}))

    def artifact(self, artifact) -> int:
        artifact.mlmd_artifact.type_id = self.store.put_artifact_type(artifact.artifact_type)
        [artifact_id] = self.store.put_artifacts([artifact.mlmd_artifact])
        return artifact_id

    def execution(self, component: str, inputs: dict[str, int], outputs: dict[str, int]) -> None:
        execution = metadata_store_pb2.Execution(type_id=self.execution_type)
        execution.properties["component_id"].string_value = component
        [execution_id] = self.store.put_executions([execution])
        self.store.put_events([
            EVENT(artifact_id=artifact_id, execution_id=execution_id, type=kind,
                  path=EVENT.Path(steps=[EVENT.Path.Step(key=key)]))
            for kind, artifacts in ((EVENT.INPUT, inputs), (EVENT.OUTPUT, outputs))
            for key, artifact_id in artifacts.items()])

    def trained_model(self, span: int) -> int:
        """CsvExampleGen (span) -> Transform -> Trainer: the Model's id."""
        examples = standard_artifacts.Examples()
        examples.set_int_custom_property("span", span)
        examples_id = self.artifact(examples)
        self.execution("CsvExampleGen", {}, {"examples": examples_id})
        transformed = self.artifact(standard_artifacts.Examples())
        self.execution("Transform", {"examples": examples_id}, {"transformed_examples": transformed})
        model = self.artifact(standard_artifacts.Model())
        self.execution("Trainer", {"examples": transformed}, {"model": model})
        return model

    def pushed(self, model: int, baseline: int | None, version: str) -> int:
        """Evaluator (against `baseline`) -> Pusher, which publishes `version`: the PushedModel's id."""
        blessing = self.artifact(standard_artifacts.ModelBlessing())
        self.execution("Evaluator", {"model": model, **({"baseline_model": baseline} if baseline else {})},
                       {"blessing": blessing})
        pushed = standard_artifacts.PushedModel()
        pushed.set_int_custom_property("pushed", 1)
        pushed.set_string_custom_property("pushed_version", version)
        pushed_id = self.artifact(pushed)
        self.execution("Pusher", {"model": model, "model_blessing": blessing}, {"pushed_model": pushed_id})
        return pushed_id


def test_served_span_three_states(tmp_path):
    """The newest version was trained on span 3; its Evaluator also read the champion of span 1, which is wrong."""
    store = Store(tmp_path / "metadata.sqlite")
    champion = store.trained_model(span=1)
    store.pushed(champion, None, "100")
    newest = store.pushed(store.trained_model(span=3), champion, "200")
    serving = tmp_path / "serving"
    for version in ("100", "200"):
        (serving / version).mkdir(parents=True)
    paths = [tmp_path / "missing.sqlite", tmp_path / "metadata.sqlite"]

    assert lineage.span_lineage(store.store, newest)["escrito por"].tolist() == [
        "Pusher", "Trainer", "Transform", "CsvExampleGen"]
    assert lineage.served_model(paths, serving)["span"] == 3
    pending = exercises.served_span(None, paths, serving)
    assert pending.state == PENDING and "`span_en_servicio = None`" in pending.message, pending
    right = exercises.served_span(3, paths, serving)
    assert right.state == RIGHT and "span 3" in right.message and "200" in right.message, right
    wrong = exercises.served_span(1, paths, serving)
    assert wrong.state == WRONG and "span 3" in wrong.message, wrong


def test_served_span_is_pending_while_nothing_is_published(tmp_path):
    empty = tmp_path / "serving"
    empty.mkdir()
    verdict = exercises.served_span(3, [tmp_path / "metadata.sqlite"], empty)
    assert verdict.state == PENDING and "Pusher" in verdict.message, verdict
