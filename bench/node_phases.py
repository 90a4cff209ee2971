"""Run by bench/airflow_dag.py in a Proyecto's Airflow worker: one node, timed phase by phase, in a new process.

    /opt/venv/bin/python node_phases.py proyecto2.pipeline Trainer <run id>

Prints one line: seconds spent importing lab_helpers.node_runner (TensorFlow's and
TFX's orchestration), importing the Proyecto's module, building and compiling the
pipeline, and running the node with TFX's Launcher (run_node's own compile subtracted).
"""

import os
import sys
import time

# As `python -m` would: the Proyecto's package is in the working folder (the work volume).
sys.path.insert(0, os.getcwd())
started = time.monotonic()
from lab_helpers import node_runner  # noqa: E402

imported = time.monotonic()
module, node_id, run_id = sys.argv[1:4]
__import__(module)
proyecto = time.monotonic()
node_runner.compiled(module)
compiled = time.monotonic()
node_runner.run_node(module, node_id, run_id)
ran = time.monotonic()
print(f"import-tfx {imported - started:5.1f}  import-proyecto {proyecto - imported:5.1f}  "
      f"compile {compiled - proyecto:5.1f}  launch {ran - compiled - (compiled - proyecto):5.1f}", flush=True)
