"""Each notebook, which builds its components cell by cell, builds the DAG create_pipeline builds headless.

Compared through what each left in its ML Metadata store: the components that
ran, their types, which component produced each of their inputs, and their
execution properties (the parameters that matter, e.g. preprocessing_fn,
custom_config, eval_config, push_destination). The notebook may run more
(a second training run with ids of its own); it may not run less or differently.
"""

import re

import pytest

from harness.repo import proyectos, service_of

pytestmark = pytest.mark.e2e

# Properties that describe one run, not the pipeline: its data files' fingerprint and span, and what
# InteractiveContext alone records (the run's id, state, pipeline and component names, a Resolver's class).
RUN_SPECIFIC = {"input_fingerprint", "span", "run_id", "state", "pipeline_name", "pipeline_root", "component_id",
                "resolver_class", "source_uri"}


def unresolved(value: str) -> str:
    """`value` with a span folder's number written back as `{SPAN}`: ExampleGen records its input_config with the
    pattern's {SPAN} replaced by the span it read (Proyecto3's span-3/*.csv), which differs between two runs."""
    return re.sub(r"(?<=span-)\d+(?=/)", "{SPAN}", value)


def dag(store: dict, service: str) -> dict[str, dict]:
    """component id -> its type, producer of each input, and set properties, from its first execution in `store`."""
    producer = {a["id"]: a["component"] for a in store["artifacts"]}
    nodes = {}
    for execution in sorted(store["executions"], key=lambda e: e["id"]):
        if execution["component"] in nodes:
            continue
        inputs = {e["key"]: producer[e["artifact_id"]] for e in store["events"]
                  if e["execution_id"] == execution["id"] and e["type"] == "INPUT"}
        # InteractiveContext also lists the parameters left unset, as None.
        properties = {name: unresolved(str(value))
                      .replace(f"/tfx/{service}-notebook/", "/tfx/<pipeline>/")
                      .replace(f"/tfx/{service}/", "/tfx/<pipeline>/")
                      for name, value in execution["properties"].items()
                      if name not in RUN_SPECIFIC and value not in (None, "None")}
        nodes[execution["component"]] = {"type": execution["type"], "inputs": inputs, "properties": properties}
    return nodes


@pytest.mark.parametrize("proyecto", proyectos())
def test_notebook_builds_the_headless_dag(stack, executed_notebooks, headless_runs, proyecto):
    """Every component of `python -m proyecton.pipeline` ran in the notebook, typed, wired and set up the same."""
    service = service_of(proyecto)
    headless = dag(stack.metadata(f"/tfx/{service}/metadata.sqlite", reader=service), service)
    notebook = dag(stack.metadata(f"/tfx/{service}-notebook/metadata.sqlite", reader=service), service)
    missing = sorted(set(headless) - set(notebook))
    assert not missing, f"{proyecto}.ipynb never runs {missing}, which create_pipeline has"
    for component, node in headless.items():
        assert notebook[component] == node, (
            f"{proyecto}: {component} differs between the notebook and create_pipeline:\n"
            f"  notebook: {notebook[component]}\n  headless: {node}")
