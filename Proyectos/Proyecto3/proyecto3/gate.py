"""The DAG's two decision steps on a batch: before training (omit it, or train) and after the Evaluator.

    python -m proyecto3.gate before --run-id <DAG run id>   # after ExampleValidator
    python -m proyecto3.gate after --run-id <DAG run id>    # after Pusher

Each reads what this run's components left in ML Metadata (proyecto3.run_outputs):
the span and its statistics, ExampleValidator's anomalies, the curated schema,
and, after training, the Evaluator's metrics and blessing and what Pusher pushed.
The drift baseline is the champion's span statistics, from the history
(proyecto3.history). The policy is proyecto3.decision's; this module only
gathers its inputs and keeps its outcome in the history.

The last line printed is a JSON object, the task's XCom: `{"train": true|false, ...}`
before, `{"outcome": ..., "reason": ...}` after. The DAG's branch reads it.
"""

import argparse
import json
import os
import sys
from pathlib import Path

import tensorflow_data_validation as tfdv
from tensorflow_metadata.proto.v0 import statistics_pb2
from tfx.types import artifact_utils

from lab_helpers import artifacts
from lab_helpers.paths import pipeline_paths
from proyecto3 import decision, drift
from proyecto3.candidate import evaluation_of
from proyecto3.collect import DATA_ROOT, Ledger
from proyecto3.history import History, Record
from proyecto3.pipeline import PIPELINE_NAME
from proyecto3.run_outputs import only, run_outputs, span_of

# The split whose statistics are compared: the same one for the new span and the champion's.
DRIFT_SPLIT = "train"


def split_statistics(statistics_uri: str, split: str = DRIFT_SPLIT) -> statistics_pb2.DatasetFeatureStatisticsList:
    return tfdv.load_stats_binary(str(Path(statistics_uri) / f"Split-{split}" / "FeatureStats.pb"))


def found_anomalies(anomalies_artifact) -> dict[str, list[str]]:
    """feature -> TFDV's short descriptions of what is wrong with it, over every split ExampleValidator checked."""
    found: dict[str, list[str]] = {}
    for split in artifact_utils.decode_split_names(anomalies_artifact.split_names):
        for feature, info in artifacts.load_anomalies(anomalies_artifact, split).anomaly_info.items():
            kinds = found.setdefault(feature, [])
            kinds.extend(k for k in [info.short_description] if k and k not in kinds)
    return found


class Gate:
    """The inputs of the decision on the batch of one DAG run."""

    def __init__(self, run_id: str, metadata_path: Path | str | None = None, history: History | None = None,
                 data_root: Path | str = DATA_ROOT):
        self.run_id = run_id
        self.outputs = run_outputs(metadata_path or pipeline_paths(PIPELINE_NAME).metadata_path, run_id)
        self.history = history or History()
        examples = only(self.outputs, "CsvExampleGen", "examples")
        if examples is None:
            raise RuntimeError(f"La ejecución {run_id} no tiene ejemplos de CsvExampleGen: ejecuta antes sus tareas.")
        self.span = span_of(examples)
        collected = {r.span: r for r in Ledger(data_root).records()}.get(self.span)
        self.batch_number = collected.batch_number if collected else None
        self.rows = sum(artifacts.count_examples(examples).values())
        self.statistics = only(self.outputs, "StatisticsGen", "statistics")
        self.schema = artifacts.load_schema(only(self.outputs, "ImportSchemaGen", "schema"))
        self.anomalies = found_anomalies(only(self.outputs, "ExampleValidator", "anomalies"))
        self.champion = self.history.champion()

    def drifts(self) -> list[decision.Drift]:
        if self.champion is None:
            return []
        return drift.feature_drifts(self.schema, split_statistics(self.statistics.uri),
                                    split_statistics(self.champion.statistics_uri))

    def batch(self, drifts: list[decision.Drift]) -> decision.Batch:
        return decision.Batch(span=self.span, rows=self.rows,
                              rows_since_training=self.history.rows_since_training(self.rows),
                              drifts=drifts, anomalies=self.anomalies, has_champion=self.champion is not None)

    def record(self, outcome: decision.Decision, drifts: list[decision.Drift], trained: bool,
               evaluation: decision.Evaluation | None = None, model_version: str | None = None) -> Record:
        champion = self.champion
        record = Record(
            span=self.span, batch_number=self.batch_number, rows=self.rows, run_id=self.run_id,
            outcome=outcome.outcome, reason=outcome.reason, trained=trained, statistics_uri=self.statistics.uri,
            drift={d.feature: round(d.value, 4) for d in drifts}, anomalies=self.anomalies,
            candidate=evaluation.candidate if evaluation else None,
            champion=evaluation.champion if evaluation else (champion.candidate if champion else None),
            champion_span=champion.span if champion else None,
            model_version=model_version or (champion.model_version if champion else None))
        self.history.add(record)
        return record

    def before(self) -> dict:
        """Omit the batch (recorded now), or say why it is worth training on."""
        drifts = self.drifts()
        step = decision.skip_or_train(self.batch(drifts))
        if isinstance(step, decision.Decision):
            record = self.record(step, drifts, trained=False)
            return {"train": False, "span": self.span, "outcome": record.outcome, "reason": record.reason}
        return {"train": True, "span": self.span, "why": step}

    def evaluation(self) -> decision.Evaluation:
        """The candidate's accuracy, the champion's on the same examples (None without one), the blessing."""
        return evaluation_of(only(self.outputs, "Evaluator", "evaluation"), only(self.outputs, "Evaluator", "blessing"))

    def after(self) -> dict:
        """Promote or reject the candidate this run trained (recorded now)."""
        drifts = self.drifts()
        evaluation = self.evaluation()
        why = decision.skip_or_train(self.batch(drifts))
        if isinstance(why, decision.Decision):
            raise RuntimeError(f"La ejecución {self.run_id} entrenó un lote que gate_before omitió ({why.reason}).")
        if self.champion is None and evaluation.champion is not None:
            # The Resolver found a blessed model the DAG never promoted (e.g. from `python -m proyecto3.pipeline`).
            why = "el Resolver tomó como campeón el último modelo bendecido en ML Metadata, de fuera del DAG"
        outcome = decision.judge(evaluation, why)
        pushed = only(self.outputs, "Pusher", "pushed_model")
        version = None
        if outcome.outcome == decision.PROMOTED:
            if pushed is None or pushed.get_int_custom_property("pushed") != 1:
                raise RuntimeError("El Evaluator bendijo el modelo pero el Pusher no lo publicó: "
                                   "revisa la tarea Pusher de esta ejecución.")
            version = pushed.get_string_custom_property("pushed_version")
        record = self.record(outcome, drifts, trained=True, evaluation=evaluation, model_version=version)
        return {"outcome": record.outcome, "reason": record.reason, "span": self.span,
                "model_version": record.model_version}


def describe(record: Record) -> str:
    """The line a student reads in the task's log."""
    return f"Lote {record.batch_number} (span {record.span}): {record.outcome.upper()} — {record.reason}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["before", "after"])
    parser.add_argument("--run-id", required=True, help="the DAG run's id, which is the TFX pipeline run's id")
    args = parser.parse_args(argv)
    gate = Gate(args.run_id)
    result = gate.before() if args.step == "before" else gate.after()
    record = gate.history.of_run(args.run_id)
    if record is not None:
        print(describe(record))
        print(json.dumps({"deriva": record.drift, "anomalías": record.anomalies}, ensure_ascii=False))
    else:
        print(f"Span {gate.span}: se entrena ({result['why']}).")
    # The last line is the task's XCom (the DAG's branch reads it): nothing may print after it.
    print(json.dumps(result, ensure_ascii=False), flush=True)
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
