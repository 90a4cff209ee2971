"""Proyecto3's DAG over the shipped batches: each ends promovido, omitido or rechazado, for the documented reason.

Five batches of the data API, one DAG run each (triggered, the DAG's schedule off in test labs), produce the
four outcomes the README explains from the shipped data: batch 1 promoted (no champion yet, value threshold
only), 2 omitted (no drift, 1,500 new rows < 3,000), 3 retrained for drift in payment_type and promoted, 4
omitted, 5 retrained for its 3,000 rows and rejected (worse than the champion on the same examples); serving
keeps the champion after the rejection. Then a corrupted batch (a column of the wrong type, served by a fake
API in the test) is omitted for its anomalies, and with data-api stopped the collect task retries, then fails
in Spanish, losing nothing collected. Training is deterministic (seeded, same CPU), so are the outcomes.

Runs on Proyecto2's second lab (conftest's proyecto2_lab, one xdist group), with Proyecto3 and Airflow started
in it: one lab less to build and start in CI.
"""

import json
import time
from types import SimpleNamespace

import pytest

from conftest import REPORTS, TIMINGS
from harness import airflow_rest, mlflow_rest
from harness.compose import docker, http_get, wait_until
from harness.repo import ROOT

pytestmark = pytest.mark.e2e

DAG = "proyecto3"
SERVICES = ("data-api", "proyecto3", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
            "airflow-worker-proyecto3")
HISTORY = "/tfx/proyecto3/decisions.json"
SPANS = "/tfx/proyecto3/spans"
EXPECTED = {1: "promovido", 2: "omitido", 3: "promovido", 4: "omitido", 5: "rechazado"}
TRAINING_TASKS = ("Transform", "Trainer", "latest_blessed_model_resolver", "Evaluator", "Pusher", "gate_after")
CORRUPTED_API = ROOT / "tests" / "in_container" / "corrupted_data_api.py"
CORRUPTED_PORT = 8123
RUN_TIMEOUT = 600


def data_api(lab, path: str) -> dict:
    status, _, body = http_get(f"http://127.0.0.1:{lab.env['DATA_API_PORT']}{path}")
    assert status == 200, f"data-api {path} answered {status}: {body}"
    return json.loads(body)


def served_taxi(lab) -> dict:
    """serving's answer on the taxi model (GET /models/taxi), once it has one."""
    def described():
        status, _, body = http_get(lab.url("serving", "/models/taxi"))
        return json.loads(body) if status == 200 else None
    return wait_until(described, timeout=60, what="serving to serve the taxi model")


def history(lab) -> list[dict]:
    return json.loads(lab.exec("proyecto3", "cat", HISTORY).stdout)


def run_dag(ctx, conf: dict | None = None) -> dict:
    """Trigger one run, wait for it; its id, state, seconds and task states."""
    started = time.monotonic()
    run_id = airflow_rest.trigger(ctx.base, ctx.token, DAG, conf)
    final = airflow_rest.wait_for_run(ctx.base, ctx.token, DAG, run_id, timeout=RUN_TIMEOUT)
    tasks = airflow_rest.task_instances(ctx.base, ctx.token, DAG, run_id)
    return {"run_id": run_id, "state": final["state"], "seconds": time.monotonic() - started,
            "tasks": {task: ti["state"] for task, ti in tasks.items()},
            "tries": {task: ti["try_number"] for task, ti in tasks.items()}}


def number(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def history_table(records: list[dict], runs: list[dict]) -> str:
    """The history as the closing note prints it: one line per batch."""
    seconds = {run["run_id"]: run["seconds"] for run in runs}
    features = sorted({f for r in records for f in r["drift"]})
    header = ["lote", "span", "filas", *features, "candidato", "campeón", "decisión", "versión", "s", "motivo"]
    lines = [" | ".join(header)]
    for r in records:
        lines.append(" | ".join(str(x) for x in [
            r["batch_number"], r["span"], r["rows"], *(number(r["drift"].get(f)) for f in features),
            number(r["candidate"]), number(r["champion"]), r["outcome"], r["model_version"],
            f"{seconds.get(r['run_id'], 0):.0f}", r["reason"]]))
    return "\n".join(lines)


@pytest.fixture(scope="module")
def ctx(proyecto2_lab):
    """Proyecto3 and Airflow in the lab, the DAG active, and the first five batches each through one DAG run."""
    lab = proyecto2_lab
    started = time.monotonic()
    lab.up(*SERVICES)
    TIMINGS["proyecto3 + Airflow up in the proyecto2 lab"] = time.monotonic() - started
    base = airflow_rest.base_url(lab)
    token = airflow_rest.token(base, airflow_rest.printed_password(lab))
    airflow_rest.unpause(base, token, DAG)
    context = SimpleNamespace(lab=lab, base=base, token=token, runs=[], served=[])
    for batch in EXPECTED:
        context.runs.append(run_dag(context))
        context.served.append(served_taxi(lab).get("model_version"))
        TIMINGS[f"proyecto3 DAG run, batch {batch}"] = context.runs[-1]["seconds"]
        data_api(lab, "/next_batch?group_number=1")
    context.history = history(lab)
    REPORTS["Proyecto3: history of decisions (e2e, five batches)"] = history_table(context.history, context.runs)
    yield context
    # The lab is the session's (other tests' lanes run beside it): idle Airflow services only slow them down.
    lab.compose("stop", *SERVICES)


def test_every_run_succeeds(ctx):
    failed = [(r["run_id"], {t: s for t, s in r["tasks"].items() if s == "failed"}) for r in ctx.runs
              if r["state"] != "success"]
    assert not failed, f"failed runs: {failed}"


def test_each_batch_ends_as_the_readme_explains(ctx):
    outcomes = {r["batch_number"]: r["outcome"] for r in ctx.history}
    assert outcomes == EXPECTED, f"outcomes {outcomes}\n{history_table(ctx.history, ctx.runs)}"
    assert [r["span"] for r in ctx.history] == [1, 2, 3, 4, 5], ctx.history


def test_first_batch_is_promoted_on_the_value_threshold_alone(ctx):
    first = ctx.history[0]
    assert "primer modelo" in first["reason"] and first["champion"] is None, first


def test_a_quiet_batch_is_omitted_without_training(ctx):
    quiet = ctx.history[1]
    assert quiet["reason"] == "sin deriva y solo 1500 filas nuevas (< 3000)", quiet
    tasks = ctx.runs[1]["tasks"]
    assert {t: tasks[t] for t in TRAINING_TASKS} == dict.fromkeys(TRAINING_TASKS, "skipped"), tasks
    assert tasks["omit"] == "success" and tasks["record"] == "success", tasks


def test_drift_retrains_and_the_better_candidate_is_promoted(ctx):
    drifted = ctx.history[2]
    assert "deriva en payment_type: L∞" in drifted["reason"], drifted
    assert drifted["candidate"] >= drifted["champion"], drifted
    assert str(ctx.served[2]) == drifted["model_version"] != str(ctx.served[0]), ctx.served


def test_a_worse_candidate_is_rejected_and_serving_keeps_the_champion(ctx):
    rejected = ctx.history[4]
    assert "< campeón" in rejected["reason"] and rejected["candidate"] < rejected["champion"], rejected
    assert rejected["model_version"] == ctx.history[2]["model_version"], "the rejection changed the served version"
    served = str(ctx.served[4])
    assert served == ctx.history[2]["model_version"], f"serving answers with {served} after a rejection"
    pushed = ctx.lab.exec("proyecto3", "ls", "/tfx/serving/taxi").stdout.split()
    assert len(pushed) == 2, f"only the two promoted models reach serving: {pushed}"


def test_every_decision_is_an_mlflow_run_and_the_champion_alias_moved(ctx):
    url = ctx.lab.url("mlflow", "")
    runs = [mlflow_rest.as_dicts(r)[2] for r in mlflow_rest.runs(url, "proyecto3")]
    assert sorted((int(t["span"]), t["decision"]) for t in runs) == [
        (r["span"], r["outcome"]) for r in ctx.history], runs
    alias = mlflow_rest.ok(url, "registered-models/alias", name="taxi", alias="champion")["model_version"]
    tags = {t["key"]: t["value"] for t in alias.get("tags", [])}
    assert tags["pushed_version"] == ctx.history[2]["model_version"], alias


def test_a_corrupted_batch_is_omitted_with_its_anomalies(ctx):
    lab = ctx.lab
    lab.compose("cp", str(CORRUPTED_API), "proyecto3:/tmp/corrupted_data_api.py")
    lab.compose("exec", "-d", "proyecto3", "python", "/tmp/corrupted_data_api.py", str(CORRUPTED_PORT),
                "/data/chicago-taxi/span-2/data.csv", "fare")
    run = run_dag(ctx, {"data_api_url": f"http://proyecto3:{CORRUPTED_PORT}"})
    assert run["state"] == "success", run
    record = history(lab)[-1]
    assert record["run_id"] == run["run_id"] and record["outcome"] == "omitido", record
    assert record["reason"].startswith("anomalías en el lote: fare"), record["reason"]
    assert run["tasks"]["Transform"] == "skipped", run["tasks"]


def test_with_the_data_api_down_collect_retries_then_fails_in_spanish_losing_nothing(ctx):
    lab = ctx.lab
    spans_before = lab.exec("proyecto3", "ls", SPANS).stdout.split()
    ledger_before = lab.exec("proyecto3", "cat", f"{SPANS}/spans.json").stdout
    container = lab.compose("ps", "-q", "data-api").stdout.strip()
    docker("stop", container)
    try:
        run = run_dag(ctx)
    finally:
        docker("start", container)
    assert run["state"] == "failed" and run["tasks"]["collect"] == "failed", run
    assert run["tries"]["collect"] == 3, f"collect ran {run['tries']['collect']} times, not 1 + 2 retries"
    log = airflow_rest.task_log(ctx.base, ctx.token, DAG, run["run_id"], "collect", run["tries"]["collect"])
    assert "La API de datos en http://data-api:8000 no responde" in log, log[-3000:]
    assert lab.exec("proyecto3", "ls", SPANS).stdout.split() == spans_before, "a span appeared or vanished"
    assert lab.exec("proyecto3", "cat", f"{SPANS}/spans.json").stdout == ledger_before, "the ledger changed"
