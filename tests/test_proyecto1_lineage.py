"""After Proyecto1's notebook, its MLMD database holds every stage's artifacts and the TransformGraph's lineage."""

import pytest

pytestmark = pytest.mark.e2e

NOTEBOOK_DB = "/tfx/proyecto1-notebook/metadata.sqlite"


@pytest.fixture(scope="module")
def store(stack, executed_notebooks) -> dict:
    """The notebook pipeline's store, as `python -m lab_helpers.metadata` prints it, read from proyecto2's container."""
    return stack.metadata(NOTEBOOK_DB, reader="proyecto2")


def inputs_of(store: dict, component: str) -> dict[str, str]:
    """What the component's last execution read: input key -> the component that wrote that artifact."""
    execution = max((e for e in store["executions"] if e["component"] == component), key=lambda e: e["id"])
    producer = {a["id"]: a["component"] for a in store["artifacts"]}
    return {e["key"]: producer[e["artifact_id"]] for e in store["events"]
            if e["execution_id"] == execution["id"] and e["type"] == "INPUT"}


def test_every_stage_left_its_artifacts(store):
    """Examples, statistics, at least two schemas, anomalies and the Transform outputs are registered."""
    counts = {}
    for artifact in store["artifacts"]:
        counts[artifact["type"]] = counts.get(artifact["type"], 0) + 1
    expected = {"Examples": 2, "ExampleStatistics": 3, "Schema": 2, "ExampleAnomalies": 2, "TransformGraph": 1}
    short = {name: (minimum, counts.get(name, 0)) for name, minimum in expected.items()
             if counts.get(name, 0) < minimum}
    assert not short, f"artifact types below their minimum (expected, found): {short}; all: {counts}"
    components = {e["component"] for e in store["executions"]}
    for component in ("CsvExampleGen", "StatisticsGen", "SchemaGen", "ImportSchemaGen", "ExampleValidator",
                      "Transform"):
        assert component in components, f"no {component} execution: {sorted(components)}"
    splits = [a["properties"].get("split_names") for a in store["artifacts"] if a["type"] == "Examples"]
    assert '["train", "eval"]' in splits, splits


def test_transform_reads_the_examples_and_the_curated_schema(store):
    """Through its INPUT events, Transform leads back to CsvExampleGen's Examples and ImportSchemaGen's Schema."""
    assert inputs_of(store, "Transform") == {"examples": "CsvExampleGen", "schema": "ImportSchemaGen"}, (
        inputs_of(store, "Transform"))
    assert inputs_of(store, "ExampleValidator")["schema"] == "ImportSchemaGen", inputs_of(store, "ExampleValidator")


def test_notebook_curated_schema_is_the_committed_one(stack, executed_notebooks):
    """The schema the notebook curates and writes to schema/schema.pbtxt is the one committed in git."""
    written = stack.exec("proyecto1", "cat", "schema/schema.pbtxt").stdout
    committed = (stack.root / "Proyectos" / "Proyecto1" / "schema" / "schema.pbtxt").read_text()
    assert written == committed, ("the notebook's curated schema differs from Proyectos/Proyecto1/schema/schema.pbtxt: "
                                  "run the notebook and commit the schema it writes")
