"""lab_scaleout.beam_worker serves Beam's EXTERNAL environment: the runner's workers run in it,
and it logs their bundles."""

import logging
import socket
import sys

import pytest

from lab_helpers.beam import beam_pipeline_args
from lab_scaleout import beam_worker


def test_cpu_seconds_grow_with_work():
    """The container's CPU time (its cgroup) is read, and it grows while this process computes."""
    before = beam_worker.cpu_seconds()
    sum(i * i for i in range(2_000_000))
    assert beam_worker.cpu_seconds() > before > 0


def test_each_mounted_proyecto_goes_on_the_path(tmp_path):
    """Every folder under the mount point is a Proyecto's code; files are not."""
    (tmp_path / "proyecto1").mkdir()
    (tmp_path / "proyecto2").mkdir()
    (tmp_path / "notes.txt").write_text("")
    assert beam_worker.user_code_paths(tmp_path) == [str(tmp_path / "proyecto1"), str(tmp_path / "proyecto2")]
    assert beam_worker.user_code_paths(tmp_path / "missing") == []


def test_proyecto_modules_are_imported_again(tmp_path, monkeypatch):
    """Modules loaded from a Proyecto's folder are forgotten, so the next pipeline imports the saved code."""
    package = tmp_path / "demo_proyecto"
    package.mkdir()
    (package / "__init__.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import demo_proyecto

    assert demo_proyecto.VALUE == 1
    (package / "__init__.py").write_text("VALUE = 'two'\n")  # edited (another size: no stale bytecode)
    assert beam_worker.forget_user_modules([str(tmp_path)]) == ["demo_proyecto"]
    assert "json" in sys.modules, "modules from elsewhere stay"
    import demo_proyecto

    assert demo_proyecto.VALUE == "two"


def test_healthcheck_tells_an_open_port_from_a_closed_one():
    """`--check` exits 0 while the pool listens and 1 when nothing does."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        with pytest.raises(SystemExit) as listening:
            beam_worker.main(["--check", "--port", str(port)])
    with pytest.raises(SystemExit) as closed:
        beam_worker.main(["--check", "--port", str(port)])
    assert (listening.value.code, closed.value.code) == (0, 1)


def test_two_pools_share_a_portable_pipeline(caplog):
    """A pipeline submitted in portable mode to two pools runs right, one worker in each, every bundle logged."""
    import apache_beam as beam
    from apache_beam.testing.util import assert_that, equal_to

    caplog.set_level(logging.INFO, logger="lab_scaleout.beam_worker")
    pools = [beam_worker.start_pool(0, paths=[]) for _ in range(2)]
    try:
        addresses = [address for address, _ in pools]
        with beam.Pipeline(argv=beam_pipeline_args("portable", addresses)) as pipeline:
            total = (pipeline | beam.Create(range(1000)) | beam.Reshuffle() | beam.Map(lambda x: 2 * x)
                     | beam.CombineGlobally(sum))
            assert_that(total, equal_to([999_000]))
    finally:
        for _, server in pools:
            server.stop(0)
    messages = [r.getMessage() for r in caplog.records]
    started = {address: [m.split()[1] for m in messages if f"arrancado en el pool {address} " in m]
               for address in addresses}
    assert all(len(ids) == 1 for ids in started.values()), f"one worker per pool expected: {started}"
    for address, (worker_id,) in started.items():
        bundles = [m for m in messages if m.startswith(f"{worker_id}: bundle ")]
        assert bundles, f"the worker in {address} logged no bundle: {messages}"
        assert all(" de entrada, " in m for m in bundles), bundles
