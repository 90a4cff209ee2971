"""Which span a model or a set of statistics came from, following ML Metadata's lineage back to CsvExampleGen.

A published model's path back to its data, one producing execution at a time:

    PushedModel <-Pusher(model)- Model <-Trainer(examples)- transformed Examples
                <-Transform(examples)- Examples <-CsvExampleGen: the span

Only these inputs are followed: the Pusher's blessing leads to the Evaluator,
which also read the champion (the baseline model), trained on another span.
TFX 1.21 records the span ExampleGen read as a custom property of its Examples
(proyecto3.run_outputs.span_of).

The model in service is the newest version Pusher published under SERVING_DIR.
Two pipelines publish there: the notebook's (proyecto3-notebook) and the DAG's
(proyecto3, also `python -m proyecto3.pipeline`), each with its own store.
"""

from pathlib import Path

import pandas as pd
from ml_metadata.proto import metadata_store_pb2
from tfx.types import Artifact

from lab_helpers.metadata import component_of, open_store
from lab_helpers.paths import pipeline_paths
from proyecto3.pipeline import PIPELINE_NAME, SERVING_DIR
from proyecto3.run_outputs import OUTPUT_EVENTS, span_of, tfx_artifact

_EVENT = metadata_store_pb2.Event
_INPUT = (_EVENT.INPUT, _EVENT.DECLARED_INPUT)
# The one input followed back from what each component wrote: towards the data it was made from.
FOLLOWED_INPUT = {"Pusher": "model", "Trainer": "examples", "Transform": "examples", "StatisticsGen": "examples",
                  "ExampleValidator": "statistics", "Evaluator": "model"}
NOTEBOOK_PIPELINE = f"{PIPELINE_NAME}-notebook"


def metadata_paths() -> list[Path]:
    """The stores of the pipelines that publish to SERVING_DIR: the notebook's and the DAG's."""
    return [pipeline_paths(name).metadata_path for name in (NOTEBOOK_PIPELINE, PIPELINE_NAME)]


def producer(store, artifact_id: int):
    """The execution that wrote the artifact: its first OUTPUT event (a Resolver records a later one)."""
    events = [e for e in store.get_events_by_artifact_ids([artifact_id]) if e.type in OUTPUT_EVENTS]
    if not events:
        return None
    [execution] = store.get_executions_by_id([min(events, key=lambda e: e.execution_id).execution_id])
    return execution


def input_of(store, execution, key: str) -> int | None:
    """The id of the artifact `execution` read as its input `key`."""
    return next((e.artifact_id for e in store.get_events_by_execution_ids([execution.id])
                 if e.type in _INPUT and e.path.steps and e.path.steps[0].key == key), None)


def span_lineage(store, artifact_id: int) -> pd.DataFrame:
    """From `artifact_id` back to CsvExampleGen's Examples: one row per artifact, the last one with its span."""
    rows, current = [], artifact_id
    while current is not None:
        artifact = tfx_artifact(store, current)
        execution = producer(store, current)
        component = component_of(store, execution) if execution is not None else None
        span = span_of(artifact) if component == "CsvExampleGen" else None
        rows.append({"artefacto": current, "tipo": artifact.type_name, "escrito por": component,
                     "ejecución": execution.id if execution is not None else None,
                     "span": span, "uri": artifact.uri})
        key = FOLLOWED_INPUT.get(component)
        current = input_of(store, execution, key) if key else None
    return pd.DataFrame(rows).astype({"ejecución": "Int64", "span": "Int64"})


def span_from_lineage(store, artifact_id: int) -> int | None:
    """The span of the CsvExampleGen Examples `artifact_id` was made from (None if the chain stops before)."""
    spans = span_lineage(store, artifact_id)["span"].dropna()
    return int(spans.iloc[-1]) if len(spans) else None


def _artifacts(store, type_name: str) -> list:
    try:
        return store.get_artifacts_by_type(type_name)
    except Exception:  # noqa: BLE001 - MLMD raises NotFoundError for a type no component wrote yet
        return []


def statistics_by_span(paths: list[Path] | None = None) -> dict[int, Artifact]:
    """span -> the newest StatisticsGen output computed on it, in any of the stores of `paths`."""
    found: dict[int, tuple[float, Artifact]] = {}
    for path in paths or metadata_paths():
        if not Path(path).exists():
            continue
        store = open_store(path, read_only=True)
        for artifact in _artifacts(store, "ExampleStatistics"):
            execution = producer(store, artifact.id)
            if execution is None or component_of(store, execution) != "StatisticsGen":
                continue
            span = span_from_lineage(store, artifact.id)
            if span is not None and artifact.create_time_since_epoch >= found.get(span, (-1, None))[0]:
                found[span] = (artifact.create_time_since_epoch, tfx_artifact(store, artifact.id))
    return {span: artifact for span, (_, artifact) in sorted(found.items())}


def served_version(serving_dir: Path | str = SERVING_DIR) -> str | None:
    """The model version in service: the newest folder Pusher published (the serving services load that one)."""
    versions = [p.name for p in Path(serving_dir).glob("*") if p.is_dir() and p.name.isdigit()]
    return max(versions, key=int) if versions else None


def pushed_models(path: Path | str) -> pd.DataFrame:
    """The Pusher outputs of one store: id, whether it published, the version, and its span."""
    rows = []
    if Path(path).exists():
        store = open_store(path, read_only=True)
        for artifact in _artifacts(store, "PushedModel"):
            pushed = tfx_artifact(store, artifact.id)
            published = pushed.has_custom_property("pushed") and pushed.get_int_custom_property("pushed") == 1
            version = pushed.get_string_custom_property("pushed_version") if published else None
            rows.append({"artefacto": artifact.id, "publicado": published, "versión": version or None,
                         "span": span_from_lineage(store, artifact.id)})
    return pd.DataFrame(rows, columns=["artefacto", "publicado", "versión", "span"]).astype({"span": "Int64"})


def served_model(paths: list[Path] | None = None, serving_dir: Path | str = SERVING_DIR) -> dict | None:
    """The model in service: its version, the store whose Pusher published it, that PushedModel and its span."""
    version = served_version(serving_dir)
    if version is None:
        return None
    for path in paths or metadata_paths():
        table = pushed_models(path)
        match = table[table["publicado"] & (table["versión"] == version)]
        if len(match):
            row = match.iloc[-1]
            return {"versión": version, "metadatos": str(path), "artefacto": int(row["artefacto"]),
                    "span": None if pd.isna(row["span"]) else int(row["span"])}
    return {"versión": version, "metadatos": None, "artefacto": None, "span": None}
