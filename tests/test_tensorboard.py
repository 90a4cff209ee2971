"""The TensorBoard service answers on its published port and shows the Trainer logs of the shared volume."""

import json

import pytest

from harness.compose import http_get, wait_until
from harness.repo import ROOT

pytestmark = pytest.mark.e2e

TENSORBOARD_PORT = 6006
TENSORFLOW_LOADED = ROOT / "tests" / "in_container" / "tensorflow_loaded.py"


def test_tensorboard_lists_the_notebook_training_runs(stack, executed_notebooks):
    """After Proyecto2's notebook ran, TensorBoard lists its Trainer's train and validation logs."""
    url = f"http://{stack.compose('port', 'tensorboard', str(TENSORBOARD_PORT)).stdout.strip()}/data/runs"

    def trainer_runs():
        status, _, body = http_get(url)
        return status == 200 and [r for r in json.loads(body) if "proyecto2-notebook" in r and "Trainer" in r]

    runs = wait_until(trainer_runs, timeout=90, what="Proyecto2's Trainer runs in TensorBoard")
    assert any(r.endswith("/train") for r in runs) and any(r.endswith("/validation") for r in runs), runs


def test_tensorboard_runs_as_non_root_with_the_volume_read_only(stack):
    """TensorBoard runs as uid 1000 and cannot write to the shared volume."""
    assert stack.exec("tensorboard", "id", "-u").stdout.strip() == "1000"
    write = stack.exec("tensorboard", "touch", "/tfx/tensorboard-was-here", check=False)
    assert write.returncode != 0, "the tensorboard container could write to /tfx"


def test_tensorboard_runs_without_tensorflow(stack):
    """TensorBoard, on the lab's base where TensorFlow is installed, runs without loading it (its launcher)."""
    stack.compose("cp", str(TENSORFLOW_LOADED), "tensorboard:/tmp/tensorflow_loaded.py")
    loaded = json.loads(stack.exec("tensorboard", "python", "/tmp/tensorflow_loaded.py").stdout.strip())
    servers = {command: tf for command, tf in loaded.items() if "tensorboard-server" in command}
    assert servers and not any(servers.values()), f"TensorBoard's processes, TensorFlow loaded: {loaded}"
