"""Stock TFX code, written as the official tutorials write it, runs in a lab offline and shows its views.

tests/tutorials/ holds notebooks in the style of the official tutorials
(penguin_tfma, tfdv_basic, components_keras): module_file=, tf.keras saved
with save_format='tf', TFMA's top-level names with TFMA imported first,
tfdv.visualize_statistics, context.show, tfma.view.render_slicing_metrics and
%tensorboard. Each runs in a lab container, in a folder of its own, as a
student who pasted the tutorial would run it. (The official notebooks are not
copied into this repository; README "Usar los tutoriales oficiales de TFX" says
how to run them.)
"""

import json
import time

import pytest

from conftest import TIMINGS
from harness.compose import http_get, wait_until
from harness.repo import ROOT, proyectos, service_of

pytestmark = pytest.mark.e2e

TUTORIALS = sorted((ROOT / "tests" / "tutorials").glob("*.ipynb"))
WORKDIR = "/tmp/tutorials"
# What the lab's offline views must show for each tutorial's calls (Facets and TFMA's widget would show nothing).
SHOWN = {
    "penguin_tfma_style": ["species="],  # tfma.view.render_slicing_metrics(..., slicing_column="species")
    "tfdv_basic_style": ["EVAL_DATASET", "TRAIN_DATASET"],  # tfdv.visualize_statistics(lhs, rhs)
    "components_keras_style": ["'train' split", "trip_start_hour="],  # context.show(statistics / evaluation)
}
# Tutorials that call %tensorboard: its frame must point at the lab's /proxy/<port>/.
TENSORBOARD_MAGIC = {"components_keras_style"}


@pytest.fixture(scope="module")
def lab(stack) -> str:
    """The lab service the tutorials run in, with their notebooks copied to a folder of their own."""
    service = service_of(proyectos()[0])
    stack.exec(service, "mkdir", "-p", WORKDIR)
    for notebook in TUTORIALS:
        stack.compose("cp", str(notebook), f"{service}:{WORKDIR}/{notebook.name}")
    return service


def outputs(notebook: dict) -> list[dict]:
    return [o for c in notebook["cells"] if c["cell_type"] == "code" for o in c["outputs"]]


def html(output: dict) -> str:
    return "".join(output.get("data", {}).get("text/html", ""))


@pytest.mark.parametrize("tutorial", TUTORIALS, ids=lambda p: p.stem)
def test_tutorial_runs_without_errors_and_renders_offline(stack, lab, tutorial):
    """Every cell runs; tables and figures render, and no output loads a script from the internet."""
    started = time.monotonic()
    stack.exec(lab, "sh", "-c", f"cd {WORKDIR} && jupyter nbconvert --to notebook --execute {tutorial.name} "
               f"--output-dir out --allow-errors --ExecutePreprocessor.timeout=1200", timeout=1800)
    TIMINGS[f"tutorial {tutorial.stem} executed"] = time.monotonic() - started
    notebook = json.loads(stack.exec(lab, "cat", f"{WORKDIR}/out/{tutorial.name}").stdout)
    errors = [f"{o['ename']}: {o['evalue'][:300]}" for o in outputs(notebook) if o["output_type"] == "error"]
    assert not errors, f"{tutorial.stem}: {errors}"
    shown = [html(o) for o in outputs(notebook)]
    assert any("<table" in h for h in shown), f"{tutorial.stem} shows no table"
    online = [h[:200] for h in shown if "<script src=\"http" in h or "cdnjs" in h or "facets-jupyter" in h]
    assert not online, f"{tutorial.stem} loads from the internet: {online}"
    missing = [text for text in SHOWN[tutorial.stem] if not any(text in h for h in shown)]
    assert not missing, f"{tutorial.stem}: the offline views show none of {missing}"
    if tutorial.stem in TENSORBOARD_MAGIC:
        frames = [html(o) or "".join(o.get("data", {}).get("application/javascript", "")) for o in outputs(notebook)]
        assert any("/proxy/" in frame for frame in frames), f"{tutorial.stem}: %tensorboard does not use the proxy"


def test_tensorboard_magic_shows_through_the_lab_port(stack, lab):
    """`%tensorboard`'s frame points at /proxy/<port>/ (checked where the tutorial runs), which JupyterLab serves to
    its token holders only."""
    stack.exec(lab, "sh", "-c", "nohup tensorboard --logdir /tmp --port 6007 --host 127.0.0.1 >/tmp/tb.log 2>&1 &")
    url = stack.url(lab, f"/proxy/6007/?token={stack.token}")
    status, _, body = wait_until(lambda: (r := http_get(url)) and r[0] == 200 and r, timeout=60,
                                 what="TensorBoard through the lab's proxy")
    assert "tensorboard" in body.lower(), body[:300]
    status, final_url, _ = http_get(stack.url(lab, "/proxy/6007/"))
    assert "/login" in final_url, f"the proxy served TensorBoard without a token ({status} {final_url})"
