"""Waiting for the DAG to be idle: a due scheduled run counts as busy until the scheduler has created and run it."""

from datetime import UTC, datetime, timedelta

import pytest

from proyecto3 import dag_runs

PAST = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
FUTURE = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()


@pytest.mark.parametrize(("dag", "due"), [
    ({"is_paused": False, "next_dagrun_run_after": PAST}, True),
    ({"is_paused": False, "next_dagrun_run_after": FUTURE}, False),
    ({"is_paused": False, "next_dagrun_run_after": None}, False),  # no schedule: only triggered runs
    ({"is_paused": True, "next_dagrun_run_after": PAST}, False),
])
def test_a_run_is_due_only_for_an_active_schedule_in_the_past(dag, due):
    assert dag_runs._due(dag) is due, dag


class FakeAirflow:
    """Answers as Airflow does right after unpausing: the due run is created, runs, and the schedule moves on."""

    def __init__(self):
        self.polls = 0

    def call(self, method: str, path: str, body=None) -> dict:
        if path.endswith("/dagRuns?state=queued&state=running"):
            running = 1 <= self.polls <= 2
            return {"dag_runs": [{"dag_run_id": "scheduled__1"}] if running else []}
        self.polls += 1
        return {"is_paused": False, "next_dagrun_run_after": PAST if self.polls == 1 else FUTURE}


def test_wait_until_idle_waits_for_the_due_run_and_names_it():
    airflow = FakeAirflow()
    assert dag_runs.wait_until_idle(airflow, every=0) == ["scheduled__1"]
    assert airflow.polls == 3, "it returned before the scheduled run had ended"


def test_wait_until_idle_gives_up_in_spanish():
    class Busy(FakeAirflow):
        def call(self, method, path, body=None):
            return {"dag_runs": [{"dag_run_id": "manual__1"}]} if "dagRuns" in path else {"is_paused": False}

    with pytest.raises(TimeoutError, match="sigue ocupado"):
        dag_runs.wait_until_idle(Busy(), timeout=0, every=0)
