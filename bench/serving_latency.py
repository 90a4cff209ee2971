"""Latency of the serving service's POST /predict, measured from the host through the published port.

    python3 bench/serving_latency.py                      # http://127.0.0.1:$SERVING_PORT (8501), 200 requests
    python3 bench/serving_latency.py --url http://127.0.0.1:18501 --requests 500

Sends the same known Adelie penguin sequentially over one keep-alive HTTP
connection (after a few warm-up requests) and prints p50/p95/p99 in ms.
Standard library only: runs on the host, no TFX needed.
"""

import argparse
import http.client
import json
import os
import statistics
import time
import urllib.parse

ADELIE = {"island": "Torgersen", "bill_length_mm": 39.1, "bill_depth_mm": 18.7,
          "flipper_length_mm": 181, "body_mass_g": 3750}


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    index = max(0, min(len(sorted_values) - 1, round(q / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=f"http://127.0.0.1:{os.environ.get('SERVING_PORT', '8501')}")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()
    target = urllib.parse.urlparse(args.url)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
    body = json.dumps(ADELIE)
    headers = {"Content-Type": "application/json"}

    def call() -> dict:
        connection.request("POST", "/predict", body=body, headers=headers)
        response = connection.getresponse()
        answer = json.loads(response.read())
        if response.status != 200:
            raise SystemExit(f"/predict answered {response.status}: {answer}")
        return answer

    for _ in range(args.warmup):
        answer = call()
    latencies = []
    for _ in range(args.requests):
        started = time.perf_counter()
        call()
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    print(json.dumps({
        "url": args.url, "model_version": answer["model_version"], "species": answer["species"],
        "requests": len(latencies), "p50_ms": round(percentile(latencies, 50), 2),
        "p95_ms": round(percentile(latencies, 95), 2), "p99_ms": round(percentile(latencies, 99), 2),
        "mean_ms": round(statistics.mean(latencies), 2), "max_ms": round(latencies[-1], 2),
    }, indent=2))


if __name__ == "__main__":
    main()
