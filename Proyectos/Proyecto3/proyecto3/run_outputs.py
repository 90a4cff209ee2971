"""What one pipeline run left in ML Metadata: each component's output artifacts, as TFX Artifact objects.

Every task of one DAG run is one TFX pipeline run (lab_helpers.node_runner):
its executions share the `pipeline_run` context named after the DAG run's id.
The decision steps (proyecto3.gate) read the run's statistics, anomalies,
evaluation and blessing through this module, never by globbing folders.
"""

from pathlib import Path

from ml_metadata.proto import metadata_store_pb2
from tfx.types import Artifact, artifact_utils

from lab_helpers.metadata import component_of, open_store

# The events by which an execution records what it wrote.
OUTPUT_EVENTS = (metadata_store_pb2.Event.OUTPUT, metadata_store_pb2.Event.DECLARED_OUTPUT)


def tfx_artifact(store, artifact_id: int) -> Artifact:
    """The MLMD artifact `artifact_id` as TFX's Artifact object of its type (Examples, Model...)."""
    [artifact] = store.get_artifacts_by_id([artifact_id])
    [artifact_type] = store.get_artifact_types_by_id([artifact.type_id])
    return artifact_utils.deserialize_artifact(artifact_type, artifact)


def run_outputs(metadata_path: Path | str, run_id: str) -> dict[tuple[str, str], list[Artifact]]:
    """(component id, output key) -> the artifacts that component wrote in run `run_id` ({} if unknown)."""
    store = open_store(metadata_path, read_only=True)
    run = store.get_context_by_type_and_name("pipeline_run", run_id)
    if run is None:
        return {}
    outputs: dict[tuple[str, str], list[Artifact]] = {}
    for execution in store.get_executions_by_context(run.id):
        component = component_of(store, execution)
        events = [e for e in store.get_events_by_execution_ids([execution.id]) if e.type in OUTPUT_EVENTS]
        for event in events:
            key = event.path.steps[0].key if event.path.steps else ""
            outputs.setdefault((component, key), []).append(tfx_artifact(store, event.artifact_id))
    return outputs


def only(outputs: dict[tuple[str, str], list[Artifact]], component: str, key: str) -> Artifact | None:
    """The one artifact `component` wrote under `key` in the run, or None if it did not run."""
    found = outputs.get((component, key), [])
    return found[-1] if found else None


def span_of(examples: Artifact) -> int:
    """The span ExampleGen read. TFX 1.21's launcher records it as a custom property (the `span` property stays 0)."""
    if examples.has_custom_property("span"):
        return examples.get_int_custom_property("span")
    return int(examples.span)
