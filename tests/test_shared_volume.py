"""Each Proyecto's pipelines leave their artifacts and ML Metadata in the shared volume, readable by others."""

import pytest

from harness.repo import proyectos, service_of

pytestmark = pytest.mark.e2e


def reader_of(service: str) -> str:
    """A service other than the writer, to read what the writer left: another lab if there is one, else serving."""
    others = [service_of(p) for p in proyectos() if service_of(p) != service]
    return others[0] if others else "serving"


@pytest.mark.parametrize("proyecto", proyectos())
def test_notebook_metadata_is_read_from_another_container(stack, executed_notebooks, proyecto):
    """A different container opens the notebook pipeline's MLMD store: its executions, artifacts and events."""
    service = service_of(proyecto)
    store = stack.metadata(f"/tfx/{service}-notebook/metadata.sqlite", reader=reader_of(service))
    components = {e["component"] for e in store["executions"] if e["state"] == "COMPLETE"}
    assert {"CsvExampleGen", "StatisticsGen"} <= components, f"{proyecto}: {sorted(components)}"
    assert {"SchemaGen", "ImportSchemaGen"} & components, f"{proyecto} ran no schema component: {sorted(components)}"
    assert all(a["uri"].startswith(f"/tfx/{service}-notebook/artifacts/") for a in store["artifacts"]), proyecto
    assert store["events"], f"{proyecto}: no events joining executions and artifacts"


@pytest.mark.parametrize("proyecto", proyectos())
def test_headless_pipeline_runs_offline_into_its_own_folder(stack, headless_runs, proyecto):
    """`python -m proyecton.pipeline` completes every component into /tfx/proyecton, never trying Beam's Prism.

    The run logs Beam's INFO records, where Beam says it tries Prism (tests/test_beam_runner_pinned.py shows it does
    without the lab's runner pin); that some were logged shows the check looked at them.
    """
    service = service_of(proyecto)
    log = headless_runs[proyecto]
    assert "INFO apache_beam" in log, f"no Beam INFO record logged, so a Prism attempt would not show:\n{log[-3000:]}"
    assert "prism" not in log.lower(), f"the headless run tried Beam's Prism runner (a GitHub download):\n{log[-3000:]}"
    store = stack.metadata(f"/tfx/{service}/metadata.sqlite", reader=reader_of(service))
    states = {e["component"]: e["state"] for e in store["executions"]}
    assert states and set(states.values()) <= {"COMPLETE", "CACHED"}, f"{proyecto}: {states}"
