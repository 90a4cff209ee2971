"""Print one TFX pipeline run of an ML Metadata store as JSON: its executions and what its Pusher pushed.

    python pipeline_run.py /tfx/proyecto2/metadata.sqlite <pipeline run id>

Read-only (lab_helpers.metadata.open_store). Runs inside a lab container, where ml_metadata is installed.
"""

import json
import sys

from ml_metadata.proto import metadata_store_pb2

from lab_helpers.metadata import _value, component_of, open_store


def main(metadata_path: str, run_id: str) -> None:
    store = open_store(metadata_path, read_only=True)
    run = store.get_context_by_type_and_name("pipeline_run", run_id)
    if run is None:
        print(json.dumps({"executions": [], "pushed": None}))
        return
    executions = store.get_executions_by_context(run.id)
    pushed = None
    for artifact in store.get_artifacts_by_context(run.id):
        if store.get_artifact_types_by_id([artifact.type_id])[0].name == "PushedModel":
            pushed = {k: _value(v) for k, v in artifact.custom_properties.items()}
    print(json.dumps({
        "executions": [{"id": e.id, "component": component_of(store, e),
                        "state": metadata_store_pb2.Execution.State.Name(e.last_known_state)} for e in executions],
        "pushed": pushed}))


if __name__ == "__main__":
    main(*sys.argv[1:])
