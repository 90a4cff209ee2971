"""TFX artifacts and ML Metadata land in the shared volume, where another container can read them."""

import json

import pytest

from harness.compose import MLMD_READONLY
from harness.repo import proyectos, service_of

pytestmark = pytest.mark.e2e

# Opens a pipeline's MLMD store read-only from any lab container and prints its executions as JSON.
LIST_EXECUTIONS = MLMD_READONLY + """
types = {t.id: t.name.rsplit(".", 1)[-1] for t in store.get_execution_types()}
artifacts = {t.name: len(store.get_artifacts_by_type(t.name)) for t in store.get_artifact_types()}
print(json.dumps({"executions": [types[e.type_id] for e in store.get_executions()], "artifacts": artifacts}))
"""


def reader_service(writer: str) -> list[str]:
    """`compose run` arguments for a container other than the writer's: another lab if there is one."""
    others = [service_of(p) for p in proyectos() if service_of(p) != writer]
    return ["run", "--rm", "--no-deps", "-T", others[0] if others else writer]


def test_notebook_pipeline_is_in_the_shared_volume(stack, executed_notebooks):
    """Proyecto1's notebook wrote its artifacts and its own MLMD database under /tfx."""
    listing = stack.exec("proyecto1", "ls", "/tfx/proyecto1-notebook", "/tfx/proyecto1-notebook/artifacts").stdout
    for expected in ("metadata.sqlite", "CsvExampleGen", "StatisticsGen", "SchemaGen", "ExampleValidator"):
        assert expected in listing, f"{expected} missing from /tfx/proyecto1-notebook:\n{listing}"


def test_another_container_reads_the_metadata(stack, executed_notebooks):
    """A different container opens the notebook pipeline's MLMD store and lists its executions."""
    result = stack.compose(*reader_service("proyecto1"), "python", "-c", LIST_EXECUTIONS,
                           "/tfx/proyecto1-notebook/metadata.sqlite")
    store = json.loads(result.stdout.strip().splitlines()[-1])
    for component in ("CsvExampleGen", "StatisticsGen", "SchemaGen", "ExampleValidator"):
        assert component in store["executions"], f"{component} not among the executions: {store['executions']}"
    assert store["artifacts"].get("Schema", 0) >= 1, store["artifacts"]


def test_headless_pipeline_has_its_own_database(stack):
    """`python -m proyecto1.pipeline` runs the whole chain into /tfx/proyecto1 with its own MLMD database, offline."""
    run = stack.exec("proyecto1", "python", "-m", "proyecto1.pipeline", timeout=1200)
    log = run.stdout + run.stderr
    assert "prism" not in log.lower(), f"the headless run tried Beam's Prism runner (a GitHub download):\n{log[-3000:]}"
    result = stack.compose(*reader_service("proyecto1"), "python", "-c", LIST_EXECUTIONS,
                           "/tfx/proyecto1/metadata.sqlite")
    store = json.loads(result.stdout.strip().splitlines()[-1])
    expected = {"CsvExampleGen", "StatisticsGen", "SchemaGen", "ImportSchemaGen", "ExampleValidator", "Transform"}
    assert set(store["executions"]) >= expected, f"missing: {expected - set(store['executions'])}"
    assert store["executions"].count("StatisticsGen") == 3, f"raw, curated and incoming statistics expected: {store}"
