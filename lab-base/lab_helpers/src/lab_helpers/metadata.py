"""Read a pipeline's ML Metadata store: types, artifacts, properties and lineage, as tables.

MLMD records artifacts (data: Examples, Schema...), executions (component
runs) and events joining them: an INPUT event says an execution read an
artifact, an OUTPUT event that it wrote one. Following events backwards from an
artifact gives its lineage.

From a terminal, the whole store as JSON, opened read-only (safe while a
pipeline writes to it):

    python -m lab_helpers.metadata /tfx/proyecto1/metadata.sqlite
"""

import argparse
import json
from pathlib import Path

import ml_metadata as mlmd
import pandas as pd
from ml_metadata.proto import metadata_store_pb2

_EVENT = metadata_store_pb2.Event


def open_store(metadata_path: Path | str, read_only: bool = False) -> mlmd.MetadataStore:
    """Open a pipeline's SQLite MLMD database."""
    config = metadata_store_pb2.ConnectionConfig()
    config.sqlite.filename_uri = str(metadata_path)
    config.sqlite.connection_mode = (metadata_store_pb2.SqliteMetadataSourceConfig.READONLY if read_only
                                     else metadata_store_pb2.SqliteMetadataSourceConfig.READWRITE_OPENCREATE)
    return mlmd.MetadataStore(config)


def _value(value: metadata_store_pb2.Value):
    kind = value.WhichOneof("value")
    return getattr(value, kind) if kind else None


def component_of(store: mlmd.MetadataStore, execution: metadata_store_pb2.Execution) -> str:
    """The component id an execution ran (e.g. 'CuratedStatisticsGen'), else its type's short name.

    InteractiveContext records it as the execution's `component_id` property;
    LocalDagRunner as the name of the execution's `node` context.
    """
    if "component_id" in execution.properties:
        return execution.properties["component_id"].string_value
    node_type = next((t.id for t in store.get_context_types() if t.name == "node"), None)
    try:
        contexts = store.get_contexts_by_execution(execution.id)
    except mlmd.errors.NotFoundError:  # an execution recorded outside any pipeline
        contexts = []
    for context in contexts:
        if context.type_id == node_type:
            return context.name.rsplit(".", 1)[-1]
    return store.get_execution_types_by_id([execution.type_id])[0].name.rsplit(".", 1)[-1]


def executions_table(store: mlmd.MetadataStore, component: str | None = None) -> pd.DataFrame:
    """One row per execution (of `component` only, if given): its id, component and state (COMPLETE, CACHED...)."""
    rows = [{"id": e.id, "componente": component_of(store, e),
             "estado": metadata_store_pb2.Execution.State.Name(e.last_known_state)} for e in store.get_executions()]
    table = pd.DataFrame(rows, columns=["id", "componente", "estado"]).set_index("id")
    return table if component is None else table[table["componente"] == component]


def artifact_types_table(store: mlmd.MetadataStore) -> pd.DataFrame:
    """One row per artifact type: how many artifacts of it the store holds."""
    rows = [{"tipo": t.name, "artefactos": len(store.get_artifacts_by_type(t.name))}
            for t in store.get_artifact_types()]
    return pd.DataFrame(rows, columns=["tipo", "artefactos"]).set_index("tipo").sort_index()


def producers(store: mlmd.MetadataStore, artifact_ids: list[int]) -> dict[int, str]:
    """The component that wrote each artifact, by artifact id.

    That is its first OUTPUT event: a Resolver run later in InteractiveContext
    also records an OUTPUT event for the model it picks, which it did not write.
    """
    events = sorted((e for e in store.get_events_by_artifact_ids(artifact_ids) if e.type == _EVENT.OUTPUT),
                    key=lambda e: e.execution_id, reverse=True)
    executions = {e.id: e for e in store.get_executions_by_id({e.execution_id for e in events})}
    return {e.artifact_id: component_of(store, executions[e.execution_id]) for e in events}


def artifacts_table(store: mlmd.MetadataStore, type_name: str) -> pd.DataFrame:
    """The artifacts of one type: id, producing component, URI and split names."""
    artifacts = store.get_artifacts_by_type(type_name)
    made_by = producers(store, [a.id for a in artifacts])
    rows = [{"id": a.id, "componente": made_by.get(a.id), "uri": a.uri,
             "split_names": _value(a.properties["split_names"]) if "split_names" in a.properties else None}
            for a in artifacts]
    return pd.DataFrame(rows, columns=["id", "componente", "uri", "split_names"]).set_index("id")


def artifact_properties(store: mlmd.MetadataStore, artifact_id: int) -> pd.DataFrame:
    """All properties of one artifact: the typed ones and the custom ones TFX adds."""
    artifact = store.get_artifacts_by_id([artifact_id])[0]
    rows = [{"propiedad": k, "clase": "property", "valor": _value(v)} for k, v in sorted(artifact.properties.items())]
    rows += [{"propiedad": k, "clase": "custom_property", "valor": _value(v)}
             for k, v in sorted(artifact.custom_properties.items())]
    return pd.DataFrame(rows, columns=["propiedad", "clase", "valor"]).set_index("propiedad")


def lineage(store: mlmd.MetadataStore, artifact_id: int) -> pd.DataFrame:
    """The upstream lineage of an artifact: one row per (input artifact -> execution -> output artifact).

    Starts at `artifact_id`, finds the execution that wrote it (OUTPUT event),
    the artifacts that execution read (INPUT events), and repeats for those.
    """
    types = {t.id: t.name for t in store.get_artifact_types()}
    rows, pending, seen = [], [artifact_id], set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        output = store.get_artifacts_by_id([current])[0]
        for event in store.get_events_by_artifact_ids([current]):
            if event.type != _EVENT.OUTPUT:
                continue
            execution = store.get_executions_by_id([event.execution_id])[0]
            component = component_of(store, execution)
            inputs = [e.artifact_id for e in store.get_events_by_execution_ids([execution.id])
                      if e.type == _EVENT.INPUT]
            for source in store.get_artifacts_by_id(inputs):
                rows.append({"entrada_id": source.id, "entrada_tipo": types[source.type_id],
                             "ejecucion_id": execution.id, "componente": component,
                             "salida_id": output.id, "salida_tipo": types[output.type_id]})
                pending.append(source.id)
            if not inputs:
                rows.append({"entrada_id": None, "entrada_tipo": None, "ejecucion_id": execution.id,
                             "componente": component, "salida_id": output.id,
                             "salida_tipo": types[output.type_id]})
    columns = ["entrada_id", "entrada_tipo", "ejecucion_id", "componente", "salida_id", "salida_tipo"]
    table = pd.DataFrame(rows, columns=columns).astype({"entrada_id": "Int64"})
    return table.sort_values(["ejecucion_id", "entrada_id"], ignore_index=True)


def dump(store: mlmd.MetadataStore) -> dict:
    """Every artifact (with the component that wrote it and its properties), execution and event, as plain data."""
    artifact_types = {t.id: t.name for t in store.get_artifact_types()}
    execution_types = {t.id: t.name.rsplit(".", 1)[-1] for t in store.get_execution_types()}
    executions = store.get_executions()
    artifacts = store.get_artifacts()
    made_by = producers(store, [a.id for a in artifacts]) if artifacts else {}
    return {
        "executions": [{"id": e.id, "type": execution_types[e.type_id], "component": component_of(store, e),
                        "state": metadata_store_pb2.Execution.State.Name(e.last_known_state),
                        "properties": {k: _value(v) for k, v in [*e.properties.items(), *e.custom_properties.items()]}}
                       for e in executions],
        "artifacts": [{"id": a.id, "type": artifact_types[a.type_id], "uri": a.uri, "component": made_by.get(a.id),
                       "properties": {k: _value(v) for k, v in a.properties.items()},
                       "custom_properties": {k: _value(v) for k, v in a.custom_properties.items()}}
                      for a in artifacts],
        "events": [{"artifact_id": e.artifact_id, "execution_id": e.execution_id,
                    "type": _EVENT.Type.Name(e.type), "key": e.path.steps[0].key if e.path.steps else None}
                   for e in store.get_events_by_execution_ids([e.id for e in executions])],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Print a pipeline's ML Metadata store as JSON (read-only).")
    parser.add_argument("metadata_path", type=Path, help="the pipeline's metadata.sqlite")
    args = parser.parse_args(argv)
    if not args.metadata_path.is_file():
        raise SystemExit(f"No existe la base de datos de ML Metadata {args.metadata_path}")
    print(json.dumps(dump(open_store(args.metadata_path, read_only=True)), indent=1, default=str))


if __name__ == "__main__":
    main()
