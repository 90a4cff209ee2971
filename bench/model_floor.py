"""Run by bench/serving_load.py in a serving container: the in-process model call on one row, the floor.

Prints one JSON line: latency percentiles (ms) of the SavedModel's `predict`
signature called on one penguin with ready tensors, and of ModelStore.predict
(what /predict runs: building the tensors, the call, reading the answer), with
the model folder listed at most once a second (the service's default) and on
every call (as the service did before).
"""

import json
import sys
import time

import tensorflow as tf

from penguin_serving.model_store import ModelStore

ADELIE = {"island": "Torgersen", "bill_length_mm": 39.1, "bill_depth_mm": 18.7,
          "flipper_length_mm": 181.0, "body_mass_g": 3750.0}
CALLS = int(sys.argv[1]) if len(sys.argv) > 1 else 2000


def timed(call) -> dict:
    for _ in range(50):  # warm-up: tracing, first allocations
        call()
    latencies = []
    for _ in range(CALLS):
        started = time.perf_counter()
        call()
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    pick = {q: latencies[min(len(latencies) - 1, int(q / 100 * len(latencies)))] for q in (50, 95, 99)}
    return {"p50_ms": pick[50], "p95_ms": pick[95], "p99_ms": pick[99],
            "calls_per_s": len(latencies) / (sum(latencies) / 1000)}


store = ModelStore("/tfx/serving/penguins")
version = store.refresh()
signature = store._signature
tensors = {name: tf.constant([ADELIE[name]], dtype=spec.dtype)
           for name, spec in signature.structured_input_signature[1].items()}
every_call = ModelStore("/tfx/serving/penguins", check_seconds=0)
every_call.refresh()
print(json.dumps({"model_version": version, "signature": timed(lambda: signature(**tensors)),
                  "model_store": timed(lambda: store.predict(ADELIE)),
                  "model_store_every_call": timed(lambda: every_call.predict(ADELIE))}))
