"""lab_base.beam gives every pipeline the same Beam arguments: in-process unless LAB_BEAM_MODE says otherwise."""

import pytest

from lab_base.beam import MODES, RUNNER, beam_pipeline_args


def test_default_is_in_process(monkeypatch):
    """With LAB_BEAM_MODE unset, pipelines run Beam in this process."""
    monkeypatch.delenv("LAB_BEAM_MODE", raising=False)
    assert beam_pipeline_args() == [RUNNER, "--direct_running_mode=in_memory"]


def test_environment_switches_every_pipeline(monkeypatch):
    """LAB_BEAM_MODE=multi_process starts one worker process per core."""
    monkeypatch.setenv("LAB_BEAM_MODE", "multi_process")
    assert beam_pipeline_args() == [RUNNER, "--direct_running_mode=multi_processing", "--direct_num_workers=0"]


def test_explicit_mode_wins_over_environment(monkeypatch):
    """A mode passed by the caller (the benchmark) overrides LAB_BEAM_MODE."""
    monkeypatch.setenv("LAB_BEAM_MODE", "multi_process")
    assert beam_pipeline_args("multi_thread") == [RUNNER, *MODES["multi_thread"]]


def test_unknown_mode_is_explained(monkeypatch):
    """A misspelt LAB_BEAM_MODE fails with a Spanish message naming the value."""
    monkeypatch.setenv("LAB_BEAM_MODE", "multiprocess")
    with pytest.raises(ValueError, match="'multiprocess'"):
        beam_pipeline_args()


def test_callers_get_a_copy():
    """Changing the returned list does not change the lab's settings."""
    beam_pipeline_args("in_process").append("--extra")
    assert MODES["in_process"] == ["--direct_running_mode=in_memory"]


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_names_the_runner(mode):
    """Beam never picks its runner itself: outside IPython it would try to download Prism from GitHub."""
    assert beam_pipeline_args(mode)[0] == "--runner=FnApiRunner"
