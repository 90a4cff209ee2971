"""A Proyecto's TFX pipeline as an Airflow DAG: one task per TFX component, with the pipeline's own edges.

Airflow's processes cannot import TFX (they run Airflow's venv, TFX needs
another), so a DAG is built from the pipeline's manifest: its nodes in TFX's
order and each node's upstream nodes, which `python -m lab_helpers.node_runner
manifest proyecton.pipeline` prints from the Proyecto's own `create_pipeline`
(Proyectos/ProyectoN/dags/pipeline.json, kept in sync by the tests).

Each task runs one node in the Proyecto's TFX venv (/opt/venv) with
lab_helpers.node_runner, in the warm TFX process of the Proyecto's Celery worker
(lab_helpers.node_server) (its queue is the
Proyecto's service name), on the code in the student's work volume. The DAG
run's id is the TFX pipeline run's id: every task of a DAG run belongs to one
run in ML Metadata.
"""

import json
from datetime import datetime
from pathlib import Path

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

# The Proyecto's TFX venv and its work folder (the student's volume), in its worker's image.
TFX_PYTHON = "/opt/venv/bin/python"
WORK_DIR = "/home/lab/work"


def read_manifest(manifest_path: Path | str) -> dict:
    return json.loads(Path(manifest_path).read_text())


def tfx_task(task_id: str, module: str, *args: str, **kwargs) -> BashOperator:
    """A task that runs `python -m <module> <args>` in the worker's warm TFX process, in the student's folder."""
    command = " ".join([TFX_PYTHON, "-m", "lab_helpers.node_client", module, *args])
    return BashOperator(task_id=task_id, bash_command=command, cwd=WORK_DIR, **kwargs)


def pipeline_tasks(manifest: dict) -> dict[str, BashOperator]:
    """One task per node of the manifest, wired by the pipeline's edges, in the DAG being defined."""
    module = manifest["module"]
    # The artifacts go to ML Metadata, not to XCom: the last line of the log is only a message.
    tasks = {node["id"]: tfx_task(node["id"], "lab_helpers.node_runner", "run", module, node["id"],
                                  '--run-id "{{ run_id }}"', do_xcom_push=False)
             for node in manifest["nodes"]}
    for node in manifest["nodes"]:
        for upstream in node["upstream"]:
            tasks[upstream] >> tasks[node["id"]]
    return tasks


def dag_arguments(proyecto: str) -> dict:
    """What every Proyecto's DAG shares: its id and queue (the Proyecto's package), one run at a time."""
    return dict(
        dag_id=proyecto,
        start_date=datetime(2026, 1, 1),
        catchup=False,
        # One TFX run at a time: the pipeline's ML Metadata is one SQLite file.
        max_active_runs=1,
        tags=["tfx", proyecto],
        default_args={"queue": proyecto, "retries": 0},
    )


def pipeline_dag(manifest_path: Path | str) -> DAG:
    """The DAG of the manifest's pipeline: id and queue are the Proyecto's package (e.g. proyecto2)."""
    manifest = read_manifest(manifest_path)
    module = manifest["module"]
    proyecto = module.split(".")[0]
    with DAG(
        **dag_arguments(proyecto),
        description=f"El pipeline de TFX de {proyecto}, una tarea por componente ({module}.create_pipeline).",
        schedule=None,
        doc_md=__doc__,
    ) as dag:
        pipeline_tasks(manifest)
    return dag
