"""Proyecto3's continuous training as an Airflow DAG: one run per batch of the data API, a decision on each.

    collect ─► new_batch? ─► CsvExampleGen ─► StatisticsGen ─► ExampleValidator ─► gate_before ─► train_or_omit
                                                ImportSchemaGen ─┘                                   │
         ┌───────────────────────────────────────────────────────────────────────────────────────────┤
         ▼                                                                                            ▼
    Transform ─► Trainer ─► Evaluator (◄ latest_blessed_model_resolver) ─► Pusher ─► gate_after ─► record
                                                                                        omit ───────┘

- `collect` (proyecto3.collect) writes the data API's current batch as a new
  span, once; `new_batch?` ends the run cleanly (every other task skipped) when
  it was collected already or the API has no more batches.
- The TFX components are the nodes of proyecto3.pipeline.create_pipeline
  (dags/pipeline.json), each a task of this DAG run's TFX run, as in every
  Proyecto's DAG (lab_airflow.dags).
- `gate_before` (proyecto3.gate) decides whether the batch is worth training on
  (anomalies, drift against the champion's span, rows since the last training);
  `train_or_omit` is the branch. TFX does not stop on anomalies by itself: this does.
- `gate_after` promotes or rejects the candidate from the Evaluator's verdict;
  `record` (proyecto3.tracking) logs the batch's decision to MLflow either way.

Scheduled every PROYECTO3_SCHEDULE_MINUTES (LAB_BATCH_MINUTES unless set apart), like the data API's batches, without
catch-up; runs never overlap. Paused when created: unpause it (Airflow's UI, or
the notebook) to start collecting, or trigger one run by hand.
"""

import json
import os
from datetime import timedelta
from pathlib import Path

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, task
from lab_airflow.dags import dag_arguments, pipeline_tasks, read_manifest, tfx_task

MANIFEST = read_manifest(Path(__file__).with_name("pipeline.json"))
# The nodes that run before the decision to train: every batch goes through them.
BEFORE_GATE = ("CsvExampleGen", "StatisticsGen", "ImportSchemaGen", "ExampleValidator")
# Where training starts: the nodes after the gate with nothing upstream of them after it (the branch's targets).
TRAINING_ROOTS = [n["id"] for n in MANIFEST["nodes"]
                  if n["id"] not in BEFORE_GATE and not set(n["upstream"]) - set(BEFORE_GATE)]
# PROYECTO3_SCHEDULE_MINUTES (compose: LAB_BATCH_MINUTES unless set apart); 0: only triggered runs.
BATCH_MINUTES = float(os.environ.get("PROYECTO3_SCHEDULE_MINUTES") or 5)
RUN_ID = '--run-id "{{ run_id }}"'
API_URL = "--api-url \"{{ (dag_run.conf or {}).get('data_api_url') or '' }}\""


def last_line(xcom: str | None) -> dict:
    """The JSON object a proyecto3 module printed last (the task's XCom)."""
    return json.loads(xcom or "{}")


with DAG(
    **dag_arguments("proyecto3"),
    description="Entrenamiento continuo: cada lote de la API de datos es un span; se omite, se rechaza o se promueve.",
    schedule=timedelta(minutes=BATCH_MINUTES) if BATCH_MINUTES > 0 else None,
    is_paused_upon_creation=True,
    doc_md=__doc__,
) as dag:
    # Retried with backoff: the API may be restarting; the collect module retries each call itself too.
    # A run may collect from another API ({"data_api_url": "..."} in its conf, e.g. the course's): its batches
    # continue the span numbers as a new generation (proyecto3.collect). Empty: LAB_DATA_API_URL.
    collect = tfx_task("collect", "proyecto3.collect", "--json", API_URL, retries=2,
                       retry_delay=timedelta(seconds=10), retry_exponential_backoff=True)

    @task.short_circuit(task_id="new_batch")
    def new_batch(collected: str | None = None) -> bool:
        """Go on only with a batch written now: a repeat or the end of the batches ends the run cleanly."""
        return last_line(collected).get("status") == "new"

    nodes = pipeline_tasks(MANIFEST)
    gate_before = tfx_task("gate_before", "proyecto3.gate", "before", RUN_ID)

    @task.branch(task_id="train_or_omit")
    def train_or_omit(gated: str | None = None) -> list[str]:
        """The branch: train (TRAINING_ROOTS) or omit the batch."""
        return TRAINING_ROOTS if last_line(gated).get("train") else ["omit"]

    branch = train_or_omit(gate_before.output)
    omit = EmptyOperator(task_id="omit")
    gate_after = tfx_task("gate_after", "proyecto3.gate", "after", RUN_ID)
    record = tfx_task("record", "proyecto3.tracking", RUN_ID, trigger_rule="none_failed_min_one_success",
                      retries=2, retry_delay=timedelta(seconds=15))

    new_batch(collect.output) >> [nodes[n] for n in BEFORE_GATE if not nodes[n].upstream_task_ids]
    [nodes[n] for n in BEFORE_GATE] >> gate_before
    branch >> [nodes[n] for n in TRAINING_ROOTS]
    branch >> omit >> record
    nodes["Pusher"] >> gate_after >> record
