"""Where the time of Proyecto2's Airflow DAG goes, against its headless run (services/airflow/README.md, Medidas).

    flock /tmp/lab-docker.lock uv run python bench/airflow_dag.py [--phases] [--runs 2]

Starts its own lab (a unique compose project, torn down at the end), runs
`python -m proyecto2.pipeline` once, then triggers the DAG `--runs` times through
the REST API and prints, per task of the fastest run: how long the scheduler took
to queue it once its upstream tasks had ended, how long Celery and the worker
took to start it, and how long the task itself ran; and the task log's first and
last line of the component (its own output). `--phases` also runs every node once
more in a new Python process of a one-off worker container (bench/node_phases.py),
which prints how long importing the TFX stack, importing the Proyecto, compiling
and running the node take (`--phases-only`: only that, without the stack).
Not a test: a measurement on a shared machine.
"""

import argparse
import json
import secrets
import subprocess
import time
import uuid
from datetime import datetime

from harness import airflow_rest
from harness.compose import Stack
from harness.repo import ROOT

DAG = "proyecto2"
MANIFEST = json.loads((ROOT / "Proyectos" / "Proyecto2" / "dags" / "pipeline.json").read_text())
WORKER = "airflow-worker-proyecto2"


def parse(stamp: str | None) -> float | None:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() if stamp else None


def component_lines(log: list) -> tuple[float | None, float | None]:
    """Timestamps of the first and last line the task's command printed (BashOperator's subprocess output)."""
    stamps = [parse(entry["timestamp"]) for entry in log
              if isinstance(entry, dict) and "subprocess" in str(entry.get("logger", "")) and entry.get("timestamp")
              and not str(entry.get("event", "")).startswith(("Running command", "Command exited", "Output:",
                                                                 "Tmp dir root"))]
    return (stamps[0], stamps[-1]) if stamps else (None, None)


def dag_run(url: str, token: str) -> dict:
    started = time.time()
    run_id = airflow_rest.trigger(url, token, DAG)
    run = airflow_rest.wait_for_run(url, token, DAG, run_id, timeout=1800)
    assert run["state"] == "success", run
    tis = airflow_rest.task_instances(url, token, DAG, run_id)
    rows = {}
    for node in MANIFEST["nodes"]:
        ti = tis[node["id"]]
        ready = max([parse(tis[u]["end_date"]) for u in node["upstream"]] or [parse(run["start_date"])])
        scheduled, queued = parse(ti["scheduled_when"]), parse(ti["queued_when"])
        start, end = parse(ti["start_date"]), parse(ti["end_date"])
        path = f"{airflow_rest.run_path(DAG, run_id)}/taskInstances/{node['id']}/logs/1?full_content=true"
        first, last = component_lines(airflow_rest.ok(url, "GET", path, token)["content"])
        rows[node["id"]] = {"scheduled": scheduled - ready, "schedule": queued - ready, "start": start - queued,
                            "task": end - start,
                            "before_output": (first - start) if first else None,
                            "output": (last - first) if first else None}
    return {"run_id": run_id, "wall": parse(run["end_date"]) - parse(run["start_date"]),
            "trigger_to_end": time.time() - started, "tasks": rows}


def workers_memory(stack) -> str:
    """`docker stats` memory of each Proyecto's Airflow worker (its warm TFX process included)."""
    rows = []
    for worker in ("airflow-worker-proyecto1", WORKER):
        cid = stack.compose("ps", "-q", worker).stdout.strip()
        usage = subprocess.run(["docker", "stats", "--no-stream", "--format", "{{.MemUsage}}", cid],
                               capture_output=True, text=True, check=True).stdout.split("/")[0].strip()
        rows.append(f"{worker} {usage}")
    return ", ".join(rows)


def phases(stack) -> None:
    """Every node in a new Python process of a one-off worker container (bench/node_phases.py), in order."""
    print("\nevery node in a new process of the worker (bench/node_phases.py), s:")
    for node in MANIFEST["nodes"]:
        started = time.monotonic()
        result = stack.compose("run", "--rm", "--no-deps", "-T", "-v", f"{ROOT / 'bench'}:/bench:ro", WORKER,
                               "/opt/venv/bin/python", "/bench/node_phases.py", "proyecto2.pipeline", node["id"],
                               "bench-phases", timeout=900, check=False)
        last = (result.stdout.strip().splitlines() or ["(no output)"])[-1] if result.returncode == 0 else (
            f"failed: {(result.stderr.strip().splitlines() or [''])[-1][:150]}")
        print(f"  {node['id']:<30} {last}  container {time.monotonic() - started:.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--phases", action="store_true")
    parser.add_argument("--phases-only", action="store_true", help="only the phases, in one-off worker containers")
    args = parser.parse_args()
    stack = Stack(project=f"tfxlab-bench-{uuid.uuid4().hex[:8]}", token=secrets.token_hex(24))
    if args.phases_only:
        try:
            phases(stack)
        finally:
            stack.down(volumes=True, remove_images=True)
        return
    try:
        started = time.monotonic()
        stack.up()
        print(f"up --build --wait: {time.monotonic() - started:.0f} s", flush=True)
        print(f"workers' memory after start: {workers_memory(stack)}", flush=True)
        started = time.monotonic()
        stack.exec("proyecto2", "python", "-m", "proyecto2.pipeline", timeout=1800)
        print(f"headless python -m proyecto2.pipeline: {time.monotonic() - started:.1f} s", flush=True)
        print(f"workers' memory after the headless run: {workers_memory(stack)}", flush=True)
        url = airflow_rest.base_url(stack)
        token = airflow_rest.token(url, airflow_rest.printed_password(stack))
        runs = [dag_run(url, token) for _ in range(args.runs)]
        for run in runs:
            print(f"DAG run {run['run_id']}: {run['wall']:.1f} s (trigger to end {run['trigger_to_end']:.1f} s)")
        best = min(runs, key=lambda r: r["wall"])
        print(f"\nfastest run, per task (s): {'task':<18} scheduled  queued  start  task  before-output  output")
        for task, row in best["tasks"].items():
            cells = [f"{row[k]:6.1f}" if row[k] is not None else "     -" for k in
                     ("scheduled", "schedule", "start", "task", "before_output", "output")]
            print(f"{'':27}{task:<18} {'  '.join(cells)}")
        totals = {k: sum(r[k] or 0 for r in best["tasks"].values()) for k in ("schedule", "start", "task")}
        print(f"{'':27}{'total':<18} " + "  ".join(f"{totals[k]:6.1f}" for k in ("schedule", "start", "task")))
        print(f"workers' memory after the DAG runs: {workers_memory(stack)}", flush=True)
        if args.phases:
            phases(stack)
    finally:
        stack.down(volumes=True, remove_images=True)


if __name__ == "__main__":
    main()
