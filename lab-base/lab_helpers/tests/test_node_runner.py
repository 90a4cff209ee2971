"""lab_helpers.node_runner: an orchestrator's task runs one node of the headless pipeline, inside the task's run.

The pipeline here is a two-node module written to a temporary folder (CsvExampleGen over a four-row CSV, then
StatisticsGen): what is checked is what every Proyecto's DAG relies on, not a Proyecto.
"""

import sys
import textwrap

import pytest

from lab_helpers import beam, node_runner
from lab_helpers.metadata import component_of, open_store
from lab_helpers.paths import PipelinePaths

MODULE = "tiny_lab_pipeline"
PIPELINE = textwrap.dedent("""
    from tfx import v1 as tfx

    from lab_helpers import pipelines
    from lab_helpers.paths import pipeline_paths


    def main(argv):
        paths = pipeline_paths("tiny", {root!r})
        example_gen = tfx.components.CsvExampleGen(input_base={data!r})
        statistics = tfx.components.StatisticsGen(examples=example_gen.outputs["examples"])
        pipelines.run(pipelines.lab_pipeline(paths.name, paths.pipeline_root, [example_gen, statistics],
                                             paths.metadata_path))
""")


@pytest.fixture
def module(tmp_path, monkeypatch):
    """The tiny pipeline's module, importable, its outputs under this test's tmp_path/tfx (imported anew: a module
    left in sys.modules by another test would write under that test's folder)."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "rows.csv").write_text("x,y\n1,a\n2,b\n3,a\n4,b\n")
    (tmp_path / f"{MODULE}.py").write_text(PIPELINE.format(root=str(tmp_path / "tfx"), data=str(data)))
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop(MODULE, None)
    yield MODULE
    sys.modules.pop(MODULE, None)


def test_manifest_lists_the_nodes_in_order_with_their_upstream(module):
    """The DAG is built from this: TFX's node ids, in topological order, with their edges."""
    manifest = node_runner.manifest(module)
    assert manifest["pipeline"] == "tiny", manifest
    assert manifest["nodes"] == [{"id": "CsvExampleGen", "upstream": []},
                                 {"id": "StatisticsGen", "upstream": ["CsvExampleGen"]}], manifest


@pytest.mark.parametrize("mode", ["in_process", "multi_process"])
def test_a_tasks_beam_follows_lab_beam_mode(module, monkeypatch, mode):
    """The IR a task launches carries the Beam arguments of LAB_BEAM_MODE, like the headless run and the notebook."""
    monkeypatch.setenv("LAB_BEAM_MODE", mode)
    ir = str(node_runner.compiled(module))
    expected = beam.beam_pipeline_args(mode)
    missing = [argument for argument in expected if argument not in ir]
    assert not missing, f"LAB_BEAM_MODE={mode}: the compiled pipeline lacks {missing}"


def test_a_node_runs_inside_the_run_it_is_given(module, tmp_path, monkeypatch):
    """CsvExampleGen, run as a task of run `manual__1`, is an execution of that TFX pipeline run in ML Metadata."""
    monkeypatch.delenv("LAB_BEAM_MODE", raising=False)
    node_runner.run_node(module, "CsvExampleGen", "manual__1")
    store = open_store(PipelinePaths(name="tiny", root=tmp_path / "tfx" / "tiny").metadata_path, read_only=True)
    run = store.get_context_by_type_and_name("pipeline_run", "manual__1")
    assert run is not None, [context.name for context in store.get_contexts()]
    components = [component_of(store, execution) for execution in store.get_executions_by_context(run.id)]
    assert components == ["CsvExampleGen"], components


def test_an_unknown_node_is_named_in_spanish(module):
    """A DAG out of step with create_pipeline fails its task saying which components the pipeline has."""
    with pytest.raises(KeyError, match="no tiene el componente 'Trainer'; tiene: CsvExampleGen, StatisticsGen"):
        node_runner.run_node(module, "Trainer", "manual__1")
