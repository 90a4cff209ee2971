"""lab_helpers.metadata on a temporary SQLite store that mimics a tiny TFX run."""

import json

import matplotlib
import pytest
from ml_metadata.proto import metadata_store_pb2 as mlmd_pb2

from lab_helpers import metadata
from lab_helpers.lineage import lineage_graph, plot_lineage

matplotlib.use("Agg")


def put_type(store, put, message_type, name, **properties):
    kind = message_type(name=name)
    for key, value in properties.items():
        kind.properties[key] = value
    return put(kind)


@pytest.fixture
def store(tmp_path):
    """CsvExampleGen -> Examples, ImportSchemaGen -> Schema, Transform(Examples, Schema) -> TransformGraph."""
    store = metadata.open_store(tmp_path / "metadata.sqlite")
    examples_t = put_type(store, store.put_artifact_type, mlmd_pb2.ArtifactType, "Examples",
                          split_names=mlmd_pb2.STRING)
    schema_t = put_type(store, store.put_artifact_type, mlmd_pb2.ArtifactType, "Schema")
    graph_t = put_type(store, store.put_artifact_type, mlmd_pb2.ArtifactType, "TransformGraph")
    node_t = store.put_context_type(mlmd_pb2.ContextType(name="node"))
    examples = mlmd_pb2.Artifact(type_id=examples_t, uri="/tfx/p/CsvExampleGen/examples/1")
    examples.properties["split_names"].string_value = '["train", "eval"]'
    examples.custom_properties["span"].int_value = 0
    ids = store.put_artifacts([examples, mlmd_pb2.Artifact(type_id=schema_t, uri="/tfx/p/ImportSchemaGen/schema/2"),
                               mlmd_pb2.Artifact(type_id=graph_t, uri="/tfx/p/Transform/transform_graph/3")])
    executions = {}
    for component, inputs, outputs in (("CsvExampleGen", [], [ids[0]]), ("ImportSchemaGen", [], [ids[1]]),
                                       ("Transform", ids[:2], [ids[2]])):
        type_id = store.put_execution_type(mlmd_pb2.ExecutionType(name=f"tfx.components.{component}"))
        [execution_id] = store.put_executions([mlmd_pb2.Execution(type_id=type_id)])
        [context_id] = store.put_contexts([mlmd_pb2.Context(type_id=node_t, name=f"p.{component}")])
        store.put_attributions_and_associations([], [mlmd_pb2.Association(context_id=context_id,
                                                                           execution_id=execution_id)])
        store.put_events([mlmd_pb2.Event(artifact_id=a, execution_id=execution_id, type=mlmd_pb2.Event.INPUT)
                          for a in inputs] +
                         [mlmd_pb2.Event(artifact_id=a, execution_id=execution_id, type=mlmd_pb2.Event.OUTPUT)
                          for a in outputs])
        executions[component] = execution_id
    store.ids = dict(zip(["examples", "schema", "graph"], ids, strict=True))
    return store


def test_types_artifacts_and_properties(store):
    """Counts by type, the producer of each artifact and the split_names property are read back."""
    types = metadata.artifact_types_table(store)
    assert types["artefactos"].to_dict() == {"Examples": 1, "Schema": 1, "TransformGraph": 1}, types
    examples = metadata.artifacts_table(store, "Examples")
    assert examples.loc[store.ids["examples"], "componente"] == "CsvExampleGen", examples
    assert examples.loc[store.ids["examples"], "split_names"] == '["train", "eval"]', examples
    properties = metadata.artifact_properties(store, store.ids["examples"])
    assert properties.loc["split_names", "clase"] == "property", properties
    assert properties.loc["span", "valor"] == 0, properties


def test_lineage_of_the_transform_graph_reaches_its_inputs(store):
    """TransformGraph <- Transform <- (Examples <- CsvExampleGen, Schema <- ImportSchemaGen)."""
    table = metadata.lineage(store, store.ids["graph"])
    steps = {(row.entrada_tipo, row.componente, row.salida_tipo) for row in table.itertuples()}
    assert steps == {("Examples", "Transform", "TransformGraph"), ("Schema", "Transform", "TransformGraph"),
                     (None, "CsvExampleGen", "Examples"), (None, "ImportSchemaGen", "Schema")}, table


def test_lineage_graph_draws_every_artifact_and_execution(store):
    """The drawing has one node per artifact and execution, and edges in the data's direction."""
    table = metadata.lineage(store, store.ids["graph"])
    nodes, edges = lineage_graph(table)
    assert len(nodes) == 6, nodes
    assert (f"a{store.ids['examples']}", next(n for n, label in nodes.items() if label.startswith("Transform\n"))) \
        in edges, edges
    figure = plot_lineage(table, "linaje")
    boxes = [t for t in figure.axes[0].texts if t.get_bbox_patch() is not None]
    assert len(boxes) == 6, "one box per node"


def test_dump_lists_artifacts_executions_and_events(store, tmp_path, capsys):
    """`python -m lab_helpers.metadata DB` prints every artifact with its producer, execution and event as JSON."""
    metadata.main([str(tmp_path / "metadata.sqlite")])
    dumped = json.loads(capsys.readouterr().out)
    producers = {a["type"]: a["component"] for a in dumped["artifacts"]}
    assert producers == {"Examples": "CsvExampleGen", "Schema": "ImportSchemaGen", "TransformGraph": "Transform"}
    assert sorted(e["type"] for e in dumped["executions"]) == ["CsvExampleGen", "ImportSchemaGen", "Transform"]
    inputs = {e["artifact_id"] for e in dumped["events"] if e["type"] == "INPUT"}
    assert inputs == {store.ids["examples"], store.ids["schema"]}, dumped["events"]
    examples = next(a for a in dumped["artifacts"] if a["type"] == "Examples")
    assert examples["custom_properties"] == {"span": 0}, examples


def test_executions_table_lists_components_and_states(store):
    """Each execution's component and state; filtered to one component on request."""
    table = metadata.executions_table(store)
    assert sorted(table["componente"]) == ["CsvExampleGen", "ImportSchemaGen", "Transform"], table
    assert list(metadata.executions_table(store, "Transform")["componente"]) == ["Transform"]


def test_producer_is_the_writer_not_a_later_resolver(store):
    """An artifact a Resolver outputs again later keeps the component that wrote it as its producer."""
    resolver_type = store.put_execution_type(mlmd_pb2.ExecutionType(name="tfx.dsl.Resolver"))
    [resolver] = store.put_executions([mlmd_pb2.Execution(type_id=resolver_type)])
    store.put_events([mlmd_pb2.Event(artifact_id=store.ids["examples"], execution_id=resolver,
                                     type=mlmd_pb2.Event.OUTPUT)])
    assert metadata.producers(store, [store.ids["examples"]]) == {store.ids["examples"]: "CsvExampleGen"}
