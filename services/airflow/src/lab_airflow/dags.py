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


def node_command(module: str, node_id: str) -> str:
    """The bash command that runs one node of `module`'s pipeline within the DAG run's TFX run.

    `python -m lab_helpers.node_runner run ...`, handed by lab_helpers.node_client to
    the worker's warm TFX process (lab_helpers.node_server), which has TensorFlow and
    TFX imported already and imports the Proyecto's code fresh for each task.
    """
    return (f'{TFX_PYTHON} -m lab_helpers.node_client lab_helpers.node_runner run {module} {node_id} '
            f'--run-id "{{{{ run_id }}}}"')


def pipeline_dag(manifest_path: Path | str) -> DAG:
    """The DAG of the manifest's pipeline: id and queue are the Proyecto's package (e.g. proyecto2)."""
    manifest = json.loads(Path(manifest_path).read_text())
    module = manifest["module"]
    proyecto = module.split(".")[0]
    with DAG(
        dag_id=proyecto,
        description=f"El pipeline de TFX de {proyecto}, una tarea por componente ({module}.create_pipeline).",
        schedule=None,
        start_date=datetime(2026, 1, 1),
        catchup=False,
        # One TFX run at a time: the pipeline's ML Metadata is one SQLite file.
        max_active_runs=1,
        tags=["tfx", proyecto],
        default_args={"queue": proyecto, "retries": 0},
        doc_md=__doc__,
    ) as dag:
        # The artifacts go to ML Metadata, not to XCom: the last line of the log is only a message.
        tasks = {node["id"]: BashOperator(task_id=node["id"], bash_command=node_command(module, node["id"]),
                                          cwd=WORK_DIR, do_xcom_push=False)
                 for node in manifest["nodes"]}
        for node in manifest["nodes"]:
            for upstream in node["upstream"]:
                tasks[upstream] >> tasks[node["id"]]
    return dag
