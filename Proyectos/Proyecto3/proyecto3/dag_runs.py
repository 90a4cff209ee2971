"""Wait until the proyecto3 DAG has nothing to run, so the run the notebook triggers gets the batch it asked for.

The DAG is created paused. With catchup off, its schedule has one run due the
moment it is unpaused (the interval that ended just now): the scheduler starts
it within seconds, and it collects whatever batch the data API serves. A run
triggered meanwhile would wait behind it (one run at a time) and could find that
batch already collected. So the notebook unpauses, waits here until that due
run has been created and every run has ended, and only then asks the API for
the next batch and triggers its own run.
"""

import time
from datetime import UTC, datetime

from proyecto3.airflow_client import DAG_ID, Airflow

ACTIVE = ("queued", "running")


def _due(dag: dict) -> bool:
    """Whether the schedule has a run the scheduler has not created yet (never for a paused or manual DAG)."""
    after = dag.get("next_dagrun_run_after")
    if dag.get("is_paused") or not after:
        return False
    return datetime.fromisoformat(after) <= datetime.now(UTC)


def active_runs(airflow: Airflow, dag_id: str = DAG_ID) -> list[dict]:
    answer = airflow.call("GET", f"/api/v2/dags/{dag_id}/dagRuns?state=queued&state=running")
    return answer["dag_runs"]


def wait_until_idle(airflow: Airflow, dag_id: str = DAG_ID, timeout: float = 1800, every: float = 3) -> list[str]:
    """Wait until no run is due, queued or running; the ids of the runs that ended meanwhile."""
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while True:
        due = _due(airflow.call("GET", f"/api/v2/dags/{dag_id}"))
        active = active_runs(airflow, dag_id)
        seen += [run["dag_run_id"] for run in active if run["dag_run_id"] not in seen]
        if not due and not active:
            return seen
        if time.monotonic() > deadline:
            raise TimeoutError(f"El DAG {dag_id} sigue ocupado tras {timeout:.0f} s: mira sus ejecuciones en "
                               "la interfaz de Airflow.")
        time.sleep(every)
