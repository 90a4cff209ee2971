"""A bounded load test of the serving service from this container, and what Prometheus measured meanwhile.

The load goes over the lab network only (serving-lb, nginx in front of the
serving replicas), bounded in seconds and in users; Prometheus scrapes every
replica every 5 s and answers range queries over its HTTP API.
"""

import csv
import json
import os
import random
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from proyecto2.serving_client import predict

BALANCER_URL = os.environ.get("SERVING_LB_URL", "http://serving-lb:8501")
PROMETHEUS_URL = os.environ.get("PROMETHEUS_URL", "http://prometheus:9090")
PENGUINS_CSV = Path("/data/penguins/penguins.csv")
MEASUREMENTS = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
# Longest load test this helper runs: the lab shares the machine with everything else.
MAX_SECONDS = 120
MAX_USERS = 32

# What Prometheus computes for each plot, over windows of `{window}` (PromQL).
PREDICT_RATE = 'rate(serving_requests_total{{route="/predict"}}[{window}])'
LATENCY_BUCKETS = 'sum by (le) (rate(serving_request_duration_seconds_bucket{{route="/predict"}}[{window}]))'
QUERIES = {
    "rps": f"sum({PREDICT_RATE})",
    **{f"p{q}": f"histogram_quantile(0.{q}, {LATENCY_BUCKETS})" for q in (50, 95, 99)},
    "error_rate": f"sum(rate(serving_errors_total[{{window}}])) / sum({PREDICT_RATE})",
}
PER_REPLICA = f"sum by (instance) ({PREDICT_RATE})"


def penguin_bodies(path: Path = PENGUINS_CSV, invalid_share: float = 0.05, seed: int = 0) -> list[dict]:
    """Request bodies from the course's penguins, shuffled; about `invalid_share` of them invalid on purpose."""
    rows = list(csv.DictReader(path.open(newline="")))
    complete = [r for r in rows if "NA" not in (r["island"], *(r[m] for m in MEASUREMENTS))]
    bodies = [{"island": r["island"], **{m: float(r[m]) for m in MEASUREMENTS}} for r in complete]
    rng = random.Random(seed)
    mistakes = [lambda b: {**b, "island": "Mallorca"}, lambda b: {**b, "body_mass_g": -1},
                lambda b: {k: v for k, v in b.items() if k != "bill_length_mm"}]
    return [rng.choice(mistakes)(b) if rng.random() < invalid_share else b for b in rng.sample(bodies, len(bodies))]


@dataclass
class LoadResult:
    """What the load generator itself saw: when it ran and each answer's status and latency."""

    started: float
    ended: float
    answers: list[tuple[float, int, float]] = field(default_factory=list)  # (time, status, seconds)

    def summary(self) -> pd.Series:
        table = pd.DataFrame(self.answers, columns=["t", "status", "seconds"])
        return pd.Series({
            "peticiones": len(table), "segundos": round(self.ended - self.started, 1),
            "peticiones/s": round(len(table) / (self.ended - self.started), 1),
            "respuestas 200": int((table.status == 200).sum()), "respuestas 422": int((table.status == 422).sum()),
            "otras": int((~table.status.isin([200, 422])).sum()),
            "p95 (ms) visto por el cliente": round(table.seconds.quantile(0.95) * 1000, 1),
        })


def run_load(seconds: float = 30, users: int = 8, url: str = BALANCER_URL, invalid_share: float = 0.05) -> LoadResult:
    """`users` threads POST penguins to `url`/predict one after another for `seconds` (bounded)."""
    if not 0 < seconds <= MAX_SECONDS or not 0 < users <= MAX_USERS:
        raise ValueError(f"Una prueba del laboratorio dura como mucho {MAX_SECONDS} s con {MAX_USERS} usuarios.")
    bodies = penguin_bodies(invalid_share=invalid_share)
    result = LoadResult(started=time.time(), ended=0)
    deadline = time.monotonic() + seconds
    lock = threading.Lock()

    def user(offset: int) -> None:
        sent = offset
        while time.monotonic() < deadline:
            began = time.perf_counter()
            try:
                status, _ = predict(bodies[sent % len(bodies)], url=url)
            except OSError:  # refused, reset or timed out: counted as status 0
                status = 0
            with lock:
                result.answers.append((time.time(), status, time.perf_counter() - began))
            sent += users

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.ended = time.time()
    return result


def query_range(query: str, start: float, end: float, step: float = 5, url: str = PROMETHEUS_URL) -> pd.DataFrame:
    """A PromQL range query over Prometheus's HTTP API: one column per series, indexed by time."""
    params = urllib.parse.urlencode({"query": query, "start": start, "end": end, "step": step})
    with urllib.request.urlopen(f"{url}/api/v1/query_range?{params}", timeout=30) as response:
        answer = json.load(response)
    columns = {}
    for series in answer["data"]["result"]:
        name = series["metric"].get("instance", "valor")
        columns[name] = pd.Series({pd.Timestamp(t, unit="s"): float(v) for t, v in series["values"]})
    return pd.DataFrame(columns)


def measured(load: LoadResult, window: str = "15s", url: str = PROMETHEUS_URL) -> tuple[pd.DataFrame, pd.DataFrame]:
    """RPS, p50/p95/p99 (s), error rate over the test; and RPS per replica.

    Waits until Prometheus has scraped the replicas after the test's last request (it scrapes every 5 s).
    """
    time.sleep(max(0.0, load.ended + 10 - time.time()))
    start, end = load.started - 10, load.ended + 10
    overall = pd.DataFrame({name: query_range(q.format(window=window), start, end, url=url).get("valor")
                            for name, q in QUERIES.items()})
    return overall, query_range(PER_REPLICA.format(window=window), start, end, url=url)
