"""Measure `serving` under load, side by side in one run, and write its section of docs/benchmarks.md.

    uv run python bench/serving_load.py            # about 15 min on 2 cores

In its own compose project (a running lab is never touched): trains and pushes
Proyecto2's model once, then measures
- the floor: the SavedModel's `predict` signature on one row, in-process (bench/model_floor.py);
- serving, 1 process at the default limits, called directly, step by step from how it was before
  (STEPS), and through nginx (serving-lb);
- serving, 2 replicas behind nginx;
each with Locust (no think time, valid rows only) at 1, 2, 4, ... users until p95
passes 50 ms: the best RPS at p95 <= 50 ms, its p50/p95/p99 and the ratio to the floor.
Then how requests spread over 2 replicas (Prometheus's per-replica counts) with
and without nginx, and the smallest memory limit at which serving loads the
model and answers under load. On a 2-core machine Locust and serving would
fight for the cores: serving is pinned to core 0, Locust and nginx to core 1
(cpuset, through a compose override file). Not a test.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import report

from harness.compose import isolated_environment, remove_project_images, resolved_config, wait_until
from harness.repo import COMPOSE_FILE, ROOT

P95_TARGET_MS = 50
USERS = [1, 2, 4, 8, 16, 32, 64]
STEP_SECONDS = 15
MEMORY_LIMITS = ["256m", "320m", "384m", "448m", "512m", "768m"]
PINNING = """services:
  serving: {cpuset: "0"}
  serving-lb: {cpuset: "1"}
  locust: {cpuset: "1"}
"""
# The service as it was before, step by step: /predict listed the model folder on every request, and
# uvicorn ran on its pure-Python HTTP parser (h11) and asyncio's loop (no httptools, no uvloop).
CHECK_EVERY_REQUEST = """services:
  serving:
    environment: {MODEL_CHECK_SECONDS: "0"}
"""
H11_ASYNCIO = """services:
  serving:
    command: [uvicorn, "penguin_serving.app:app", --host, 0.0.0.0, --port, "8501", --loop, asyncio, --http, h11]
"""
STEPS = {
    "1 process, called directly, as before: h11 and asyncio, model folder listed on every request":
        [H11_ASYNCIO, CHECK_EVERY_REQUEST],
    "1 process, called directly, + model folder listed at most once a second": [H11_ASYNCIO],
    "1 process, called directly, + httptools and uvloop (the service now)": [],
}


class Lab:
    """The bench's own compose project, with the pinning override; always `down -v` at the end."""

    def __init__(self, *overrides: Path):
        self.project = f"tfxlab-bench-serving-{uuid.uuid4().hex[:8]}"
        self.env = isolated_environment(self.project, uuid.uuid4().hex)
        self.overrides = list(overrides)

    def compose(self, *args: str, env: dict | None = None, timeout: float = 1800, check: bool = True):
        files = [arg for path in [COMPOSE_FILE, *self.overrides] for arg in ("-f", str(path))]
        command = ["docker", "compose", "-p", self.project, *files, "--project-directory", str(ROOT), *args]
        result = subprocess.run(command, capture_output=True, text=True, env={**self.env, **(env or {})},
                                timeout=timeout)
        if check and result.returncode:
            raise RuntimeError(f"{' '.join(args)} exited {result.returncode}:\n{result.stdout[-3000:]}\n"
                               f"{result.stderr[-3000:]}")
        return result

    def serving(self, replicas: int = 1, memory: str | None = None, check: bool = True, wait: int = 180):
        """(Re)start serving with `replicas` and `memory`, and the balancer; wait until healthy."""
        env = {"SERVING_REPLICAS": str(replicas), **({"SERVING_MEMORY": memory} if memory else {})}
        return self.compose("up", "-d", "--wait", "--wait-timeout", str(wait), "serving", "serving-lb",
                            env=env, check=check)

    def locust(self, host: str, users: int, seconds: int) -> dict:
        """A headless Locust run of valid rows without think time; its stats per request name."""
        # --no-deps: `run` would otherwise bring serving back to the environment's replicas and limits.
        out = self.compose("run", "--rm", "-T", "--quiet-build", "--no-deps", "-e", "WAIT_SECONDS=0,0",
                           "-e", "INVALID_SHARE=0",
                           "locust", "--headless", "-H", host, "-u", str(users), "-r", str(users),
                           "-t", f"{seconds}s", "--only-summary", "--json", check=False, timeout=seconds + 300)
        stats = json.loads(out.stdout[out.stdout.index("["):])
        return summary(stats)

    def prometheus(self, query: str) -> dict[str, float]:
        url = f"http://127.0.0.1:{self.env['PROMETHEUS_PORT']}/api/v1/query?" + urllib.parse.urlencode(
            {"query": query})
        with urllib.request.urlopen(url, timeout=10) as response:
            result = json.load(response)["data"]["result"]
        return {r["metric"].get("instance", ""): float(r["value"][1]) for r in result}


def percentile(histogram: dict[str, int], q: float) -> float:
    """The q-th percentile (ms) of Locust's response-time histogram {rounded ms: count}."""
    total = sum(histogram.values())
    seen = 0
    for ms, count in sorted((float(k), v) for k, v in histogram.items()):
        seen += count
        if seen >= q / 100 * total:
            return ms
    return float("nan")


def summary(stats: list[dict]) -> dict:
    """Requests, failures, RPS and p50/p95/p99 over every request name of a Locust run."""
    histogram: dict[str, int] = {}
    for entry in stats:
        for ms, count in entry["response_times"].items():
            histogram[ms] = histogram.get(ms, 0) + count
    requests = sum(e["num_requests"] for e in stats)
    started = min(e["start_time"] for e in stats)
    ended = max(e["last_request_timestamp"] or started for e in stats)
    return {"requests": requests, "failures": sum(e["num_failures"] for e in stats),
            "rps": requests / max(ended - started, 1e-9),
            **{f"p{q}_ms": percentile(histogram, q) for q in (50, 95, 99)}}


def best_under_target(lab: Lab, host: str) -> dict:
    """Users 1, 2, 4, ... until p95 passes the target; the step with the most RPS at p95 <= target."""
    lab.locust(host, 4, 5)  # warm-up
    steps = []
    for users in USERS:
        step = {"users": users, **lab.locust(host, users, STEP_SECONDS)}
        print(json.dumps(step), file=sys.stderr)
        steps.append(step)
        if step["p95_ms"] > P95_TARGET_MS or step["failures"]:
            break
    good = [s for s in steps if s["p95_ms"] <= P95_TARGET_MS and not s["failures"]]
    return {"best": max(good, key=lambda s: s["rps"]) if good else None, "steps": steps}


def spread(lab: Lab, host: str, users: int) -> list[float]:
    """/predict requests each replica answered during one Locust run, as Prometheus counted them."""
    query = 'sum by (instance) (serving_requests_total{route="/predict"})'
    time.sleep(6)  # one scrape after the last requests
    before = lab.prometheus(query)
    lab.locust(host, users, 10)
    time.sleep(6)
    after = lab.prometheus(query)
    return sorted((after[i] - before.get(i, 0) for i in after), reverse=True)


def memory_floor(lab: Lab) -> list[dict]:
    """For each limit, smallest first: does serving start, load the model and answer 8 users without failing?"""
    results = []
    for limit in MEMORY_LIMITS:
        started = lab.serving(memory=limit, check=False, wait=90).returncode == 0
        result = {"limit": limit, "healthy": started}
        if started:
            load = lab.locust("http://serving:8501", 8, 10)
            cid = lab.compose("ps", "-q", "serving").stdout.split()[0]
            state = json.loads(subprocess.run(["docker", "inspect", cid], capture_output=True, text=True).stdout)[0]
            # The container's peak memory: cgroup v2 names it memory.peak, v1 memory.max_usage_in_bytes.
            peak = lab.compose("exec", "-T", "serving", "sh", "-c", "cat /sys/fs/cgroup/memory.peak 2>/dev/null || "
                               "cat /sys/fs/cgroup/memory/memory.max_usage_in_bytes").stdout.strip()
            result |= {"failures": load["failures"], "requests": load["requests"],
                       "oom_killed": state["State"]["OOMKilled"], "restarts": state["RestartCount"],
                       "peak_mib": int(peak) / 2**20}
        result["ok"] = started and not result["failures"] and not result["oom_killed"] and not result["restarts"]
        print(json.dumps(result), file=sys.stderr)
        results.append(result)
    return results


def run(lab: Lab, folder: Path) -> dict:
    lab.compose("up", "--build", "-d", "--wait", "proyecto2", "mlflow", "serving", "serving-lb", "prometheus")
    lab.compose("exec", "-T", "proyecto2", "python", "-m", "proyecto2.pipeline", timeout=3600)
    lab.compose("build", "locust")
    wait_until(lambda: lab.compose("exec", "-T", "serving", "ls", "/tfx/serving/penguins").stdout.strip(),
               timeout=60, what="a pushed model")
    floor = json.loads(lab.compose("run", "--rm", "-T", "--no-deps", "-v", f"{ROOT / 'bench'}:/bench:ro",
                                   "serving", "python", "/bench/model_floor.py").stdout.strip().splitlines()[-1])
    print(json.dumps(floor), file=sys.stderr)
    results = {"floor": floor, "setups": {}}
    base = list(lab.overrides)
    for name, overrides in STEPS.items():
        lab.overrides = base + [folder / f"step-{i}.yaml" for i, _ in enumerate(overrides)]
        for path, text in zip(lab.overrides[len(base):], overrides, strict=True):
            path.write_text(text)
        lab.serving(replicas=1)
        results["setups"][name] = best_under_target(lab, "http://serving:8501")
    lab.overrides = base
    lab.serving(replicas=1)
    results["setups"]["1 process, through nginx"] = best_under_target(lab, "http://serving-lb:8501")
    lab.serving(replicas=2)
    results["setups"]["2 replicas (one core between them), through nginx"] = best_under_target(
        lab, "http://serving-lb:8501")
    results["spread"] = {f"{how}, {users} user{'s' if users > 1 else ''}": spread(lab, host, users)
                         for how, host in (("Docker DNS", "http://serving:8501"), ("nginx", "http://serving-lb:8501"))
                         for users in (1, 20)}
    results["memory"] = memory_floor(lab)
    return results


def limits() -> dict[str, str]:
    """serving's default limits as docker-compose.yaml resolves them."""
    deploy = resolved_config()["services"]["serving"]["deploy"]["resources"]["limits"]
    return {"cpus": deploy["cpus"], "memory": f"{int(deploy['memory']) / 2**20:.0f} MiB"}


def section(results: dict) -> str:
    floor = results["floor"]["signature"]
    rows = [f"| in-process `predict` signature, one row (the floor) | {floor['calls_per_s']:.0f} | "
            f"{floor['p50_ms']:.2f} / {floor['p95_ms']:.2f} / {floor['p99_ms']:.2f} | 1.00 | 1 call at a time |"]
    for key, what in (("model_store_every_call", "folder listed on every call (before)"),
                      ("model_store", "folder listed at most once a second")):
        store = results["floor"][key]
        rows.append(f"| in-process `ModelStore.predict` (what /predict runs), {what} | {store['calls_per_s']:.0f} | "
                    f"{store['p50_ms']:.2f} / {store['p95_ms']:.2f} / {store['p99_ms']:.2f} "
                    f"| {store['calls_per_s'] / floor['calls_per_s']:.2f} | 1 call at a time |")
    for name, result in results["setups"].items():
        best = result["best"]
        if best is None:
            rows.append(f"| {name} | — | p95 > {P95_TARGET_MS} ms already at 1 user | — | |")
            continue
        rows.append(f"| {name} | {best['rps']:.0f} | {best['p50_ms']:.0f} / {best['p95_ms']:.0f} / "
                    f"{best['p99_ms']:.0f} | {best['rps'] / floor['calls_per_s']:.2f} | {best['users']} users |")
    steps = "\n".join(f"- {name}: " + ", ".join(f"{s['users']} u → {s['rps']:.0f} RPS, p95 {s['p95_ms']:.0f} ms"
                                               + (f", {s['failures']} failures" if s["failures"] else "")
                                               for s in r["steps"]) for name, r in results["setups"].items())
    spreads = "\n".join(f"- {name}: {' / '.join(f'{n:.0f}' for n in counts)}"
                        for name, counts in results["spread"].items())
    memory = "\n".join(
        f"- {m['limit']}: " + (f"healthy, {m['requests']} requests, {m['failures']} failures, peak "
                               f"{m['peak_mib']:.0f} MiB, OOM-killed: {m['oom_killed']}, restarts: {m['restarts']}"
                               if m["healthy"] else "never healthy (killed while loading TensorFlow and the model)")
        for m in results["memory"])
    found = next((m["limit"] for m in results["memory"] if m["ok"]), "none of those tried")
    lim = limits()
    return f"""## Serving under load

Generated by `uv run python bench/serving_load.py` on {datetime.date.today().isoformat()}, {os.cpu_count()} cores.
serving is pinned to core 0 and Locust and nginx to core 1 (cpuset), so they do not share a core; default limits
{lim['cpus']} CPU and {lim['memory']}. Locust (FastHttpUser, no think time, valid rows) at 1, 2, 4, ... users for
{STEP_SECONDS} s each until p95 passes {P95_TARGET_MS} ms; the step kept is the one with most requests per second at
p95 ≤ {P95_TARGET_MS} ms. Ratio = RPS over the floor's calls per second.

| setup | RPS at p95 ≤ {P95_TARGET_MS} ms | p50 / p95 / p99 (ms) | ratio to floor | at |
|---|---|---|---|---|
{chr(10).join(rows)}

Every step:
{steps}

/predict requests per replica during 10 s of Locust over 2 replicas (Prometheus, `serving_requests_total`):
{spreads}

Smallest memory limit at which serving loads the model and answers 8 users for 10 s: **{found}**.
{memory}

{Path(__file__).with_name("SERVING_NOTES.md").read_text().strip()}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also keep the raw results here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        pinning = Path(folder) / "pinning.yaml"
        pinning.write_text(PINNING)
        lab = Lab(pinning)
        try:
            results = run(lab, Path(folder))
        finally:
            lab.compose("--profile", "*", "down", "-v", "--remove-orphans", check=False, timeout=600)
            remove_project_images(lab.project)
    report.publish_section("serving-load", results, section(results), args.json)


if __name__ == "__main__":
    main()
