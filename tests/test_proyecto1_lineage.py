"""After Proyecto1's notebook, its MLMD database holds every stage's artifacts and the TransformGraph's lineage."""

import json

import pytest

from harness.compose import MLMD_READONLY

pytestmark = pytest.mark.e2e

NOTEBOOK_DB = "/tfx/proyecto1-notebook/metadata.sqlite"

# Counts artifacts by type and walks the events back from the
# TransformGraph: artifact <-OUTPUT- execution <-INPUT- artifacts, recursively. Prints JSON.
READ_LINEAGE = MLMD_READONLY + """
artifact_types = {t.id: t.name for t in store.get_artifact_types()}
execution_types = {t.id: t.name.rsplit(".", 1)[-1] for t in store.get_execution_types()}
counts = {name: len(store.get_artifacts_by_type(name)) for name in artifact_types.values()}
examples = store.get_artifacts_by_type("Examples")
graph = store.get_artifacts_by_type("TransformGraph")[-1]
upstream, pending = [], [graph.id]
while pending:
    artifact_id = pending.pop()
    for event in store.get_events_by_artifact_ids([artifact_id]):
        if event.type != pb.Event.OUTPUT:
            continue
        execution = store.get_executions_by_id([event.execution_id])[0]
        for read in store.get_events_by_execution_ids([execution.id]):
            if read.type == pb.Event.INPUT:
                source = store.get_artifacts_by_id([read.artifact_id])[0]
                upstream.append([artifact_types[source.type_id], execution_types[execution.type_id],
                                 source.uri])
                pending.append(source.id)
print(json.dumps({"counts": counts, "executions": sorted({execution_types[e.type_id] for e in store.get_executions()}),
                  "split_names": [a.properties["split_names"].string_value for a in examples],
                  "upstream": upstream}))
"""


@pytest.fixture(scope="module")
def notebook_store(stack, executed_notebooks) -> dict:
    """What READ_LINEAGE finds in the notebook pipeline's database, read from the proyecto1 container."""
    result = stack.exec("proyecto1", "python", "-c", READ_LINEAGE, NOTEBOOK_DB)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_stage_left_its_artifacts(notebook_store):
    """Examples, statistics, at least two schemas, anomalies and the Transform outputs are registered."""
    counts = notebook_store["counts"]
    expected = {"Examples": 2, "ExampleStatistics": 3, "Schema": 2, "ExampleAnomalies": 2, "TransformGraph": 1}
    short = {name: (minimum, counts.get(name, 0)) for name, minimum in expected.items()
             if counts.get(name, 0) < minimum}
    assert not short, f"artifact types below their minimum (expected, found): {short}; all: {counts}"
    for component in ("CsvExampleGen", "StatisticsGen", "SchemaGen", "ImportSchemaGen", "ExampleValidator",
                      "Transform"):
        assert component in notebook_store["executions"], f"no {component} execution: {notebook_store['executions']}"
    assert '["train", "eval"]' in notebook_store["split_names"], notebook_store["split_names"]


def test_transform_graph_lineage_reaches_examples_and_curated_schema(notebook_store):
    """Through events, the TransformGraph leads back to CsvExampleGen's Examples and ImportSchemaGen's Schema."""
    transform_inputs = {(kind, uri.split("/artifacts/")[-1].split("/")[0])
                        for kind, execution, uri in notebook_store["upstream"] if execution == "Transform"}
    assert ("Examples", "CsvExampleGen") in transform_inputs, notebook_store["upstream"]
    assert ("Schema", "ImportSchemaGen") in transform_inputs, notebook_store["upstream"]


def test_notebook_curated_schema_is_the_committed_one(stack, executed_notebooks):
    """The schema the notebook curates equals schema/schema.pbtxt, which the headless pipeline imports."""
    compare = ("import sys, tensorflow_data_validation as tfdv; "
               "print(tfdv.load_schema_text(sys.argv[1]) == tfdv.load_schema_text(sys.argv[2]))")
    result = stack.exec("proyecto1", "python", "-c", compare,
                        "/tfx/proyecto1-notebook/curated-schema/schema.pbtxt", "schema/schema.pbtxt")
    assert result.stdout.strip().splitlines()[-1] == "True", (
        "the notebook's curated schema differs from Proyectos/Proyecto1/schema/schema.pbtxt: "
        "copy /tfx/proyecto1-notebook/curated-schema/schema.pbtxt over it")
