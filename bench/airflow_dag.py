"""Where the time of Proyecto2's Airflow DAG goes, against its headless run (services/airflow/README.md, Medidas).

    flock /tmp/lab-docker.lock uv run python bench/airflow_dag.py [--phases] [--runs 2]

Starts its own lab (a unique compose project, torn down at the end), runs
`python -m proyecto2.pipeline` once, then triggers the DAG `--runs` times through
the REST API and prints, per task of the fastest run: how long the scheduler took
to queue it once its upstream tasks had ended, how long Celery and the worker
took to start it, and how long the task itself ran; and the task log's first and
last line of the component (its own output). `--phases` also runs every node once
more in a new Python process of the worker (bench/node_phases.py), which prints
how long importing the TFX stack, importing the Proyecto, compiling and running
the node take. Not a test: a measurement on a shared machine.
"""

import argparse
import json
import re
import secrets
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--phases", action="store_true")
    args = parser.parse_args()
    stack = Stack(project=f"tfxlab-bench-{uuid.uuid4().hex[:8]}", token=secrets.token_hex(24))
    try:
        started = time.monotonic()
        stack.up()
        print(f"up --build --wait: {time.monotonic() - started:.0f} s", flush=True)
        started = time.monotonic()
        stack.exec("proyecto2", "python", "-m", "proyecto2.pipeline", timeout=1800)
        print(f"headless python -m proyecto2.pipeline: {time.monotonic() - started:.1f} s", flush=True)
        url = f"http://127.0.0.1:{stack.env['AIRFLOW_PORT']}"
        printed = stack.exec("airflow-apiserver", "airflow-password").stdout
        token = airflow_rest.token(url, re.search(r"contraseña: (\S+)", printed).group(1))
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
        if args.phases:
            stack.compose("cp", str(ROOT / "bench" / "node_phases.py"), f"{WORKER}:/tmp/node_phases.py")
            print("\nevery node in a new process of the worker (bench/node_phases.py), s:")
            for node in MANIFEST["nodes"]:
                started = time.monotonic()
                out = stack.exec(WORKER, "/opt/venv/bin/python", "/tmp/node_phases.py", "proyecto2.pipeline",
                                 node["id"], "bench-phases", timeout=900).stdout.strip().splitlines()[-1]
                print(f"  {node['id']:<18} {out}  process {time.monotonic() - started:.1f}", flush=True)
    finally:
        stack.down(volumes=True, remove_images=True)


if __name__ == "__main__":
    main()
