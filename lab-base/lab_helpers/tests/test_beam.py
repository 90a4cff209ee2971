"""lab_helpers.beam gives every pipeline the same Beam arguments: in-process unless LAB_BEAM_MODE says otherwise."""

import socket

import pytest

from lab_helpers.beam import (
    DEFAULT_WORKERS,
    DIRECT_MODES,
    MODES,
    RUNNER,
    WORKER_IMAGE,
    beam_pipeline_args,
    portable_args,
    workers_from_env,
)


@pytest.fixture
def listening():
    """The host:port of a TCP socket that accepts connections, like a worker pool."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield f"127.0.0.1:{server.getsockname()[1]}"


def test_default_is_in_process(monkeypatch):
    """With LAB_BEAM_MODE unset, pipelines run Beam in this process."""
    monkeypatch.delenv("LAB_BEAM_MODE", raising=False)
    assert beam_pipeline_args() == [RUNNER, "--direct_running_mode=in_memory", WORKER_IMAGE]


def test_environment_switches_every_pipeline(monkeypatch):
    """LAB_BEAM_MODE=multi_process starts one worker process per core."""
    monkeypatch.setenv("LAB_BEAM_MODE", "multi_process")
    assert beam_pipeline_args() == [RUNNER, "--direct_running_mode=multi_processing", "--direct_num_workers=0",
                                    WORKER_IMAGE]


def test_explicit_mode_wins_over_environment(monkeypatch):
    """A mode passed by the caller (the benchmark) overrides LAB_BEAM_MODE."""
    monkeypatch.setenv("LAB_BEAM_MODE", "multi_process")
    assert beam_pipeline_args("multi_thread") == [RUNNER, *DIRECT_MODES["multi_thread"], WORKER_IMAGE]


def test_unknown_mode_is_explained(monkeypatch):
    """A misspelt LAB_BEAM_MODE fails with a Spanish message naming the value and the valid ones."""
    monkeypatch.setenv("LAB_BEAM_MODE", "multiprocess")
    with pytest.raises(ValueError, match="'multiprocess'") as error:
        beam_pipeline_args()
    assert "portable" in str(error.value)


def test_callers_get_a_copy():
    """Changing the returned list does not change the lab's settings."""
    beam_pipeline_args("in_process").append("--extra")
    assert DIRECT_MODES["in_process"] == ["--direct_running_mode=in_memory"]


@pytest.mark.parametrize("mode", DIRECT_MODES)
def test_every_direct_mode_names_the_runner(mode):
    """Beam never picks its runner itself: outside IPython it would try to download Prism from GitHub."""
    assert beam_pipeline_args(mode)[0] == "--runner=FnApiRunner"


def test_portable_mode_submits_to_the_job_service(listening):
    """Portable: PortableRunner, the job service in this process, the EXTERNAL workers, one SDK worker per pool."""
    args = beam_pipeline_args("portable", [listening, listening])
    assert args == portable_args([listening, listening])
    assert args[:3] == ["--runner=PortableRunner", "--job_endpoint=embed", "--environment_type=EXTERNAL"], args
    assert f"--environment_config={listening},{listening}" in args and "--direct_num_workers=2" in args, args


def test_workers_default_to_the_compose_services(monkeypatch):
    """Without LAB_BEAM_WORKERS, portable mode uses beam-worker-1 and beam-worker-2 (profile escalado)."""
    monkeypatch.delenv("LAB_BEAM_WORKERS", raising=False)
    assert workers_from_env() == DEFAULT_WORKERS == ["beam-worker-1:50000", "beam-worker-2:50000"]
    monkeypatch.setenv("LAB_BEAM_WORKERS", " beam-worker-1:50000 , ")
    assert workers_from_env() == ["beam-worker-1:50000"]


def test_portable_without_workers_says_how_to_start_them(monkeypatch):
    """LAB_BEAM_MODE=portable with no worker answering fails at once, naming it and the compose profile."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{closed.getsockname()[1]}"
    monkeypatch.setenv("LAB_BEAM_MODE", "portable")
    monkeypatch.setenv("LAB_BEAM_WORKERS", address)
    with pytest.raises(RuntimeError, match="--profile escalado") as error:
        beam_pipeline_args()
    assert address in str(error.value)


@pytest.mark.parametrize("mode", MODES)
def test_tfx_does_not_repackage_itself_in_any_mode(mode, listening):
    """With the lab's arguments TFX adds no --extra_package: it builds no sdist of itself (4 s, 45 MB of /tmp)."""
    from tfx.utils import dependency_utils

    args = beam_pipeline_args(mode, [listening])
    assert dependency_utils.make_beam_dependency_flags(args) == args
