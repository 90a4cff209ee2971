"""lab_helpers.pipelines: a notebook's InteractiveContext runs Beam as the headless pipelines do."""

from lab_helpers import beam, pipelines
from lab_helpers.paths import pipeline_paths


def test_interactive_context_carries_the_labs_beam_arguments(tmp_path, monkeypatch):
    """Its pipeline folder and ML Metadata are the notebook's, its Beam arguments LAB_BEAM_MODE's."""
    monkeypatch.setenv("LAB_BEAM_MODE", "multi_process")
    paths = pipeline_paths("lesson-notebook", tmp_path)
    context = pipelines.interactive_context(paths)
    assert context.beam_pipeline_args == beam.beam_pipeline_args("multi_process"), context.beam_pipeline_args
    assert "--direct_running_mode=multi_processing" in context.beam_pipeline_args
    assert (context.pipeline_name, context.pipeline_root) == ("lesson-notebook", str(paths.pipeline_root))
    assert context.metadata_connection_config == pipelines.metadata_config(paths.metadata_path)


def test_interactive_context_defaults_to_in_process(tmp_path, monkeypatch):
    """Without LAB_BEAM_MODE every component of the notebook runs Beam in the kernel's process."""
    monkeypatch.delenv("LAB_BEAM_MODE", raising=False)
    context = pipelines.interactive_context(pipeline_paths("lesson-notebook", tmp_path))
    assert context.beam_pipeline_args == [beam.RUNNER, "--direct_running_mode=in_memory", beam.WORKER_IMAGE]
