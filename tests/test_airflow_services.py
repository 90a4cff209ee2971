"""The session lab's Airflow and PostgreSQL are up: healthy, init done, every Proyecto's DAG imported and in sync."""

import json

import pytest

from harness.repo import ROOT, proyectos, service_of

pytestmark = pytest.mark.e2e

LONG_RUNNING = ["postgres", "redis", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
                "airflow-triggerer", *(f"airflow-worker-{service_of(p)}" for p in proyectos())]


def airflow_json(stack, *args: str):
    """`airflow <args> --output json` in the API server's container, parsed (its log lines before the JSON skipped)."""
    lines = stack.exec("airflow-apiserver", "airflow", *args, "--output", "json", timeout=300).stdout.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("[")), None)
    assert start is not None, "no JSON in the output:\n" + "\n".join(lines)
    return json.loads("\n".join(lines[start:]))


def test_new_services_are_healthy(stack):
    """PostgreSQL, Redis, Airflow's services and every Proyecto's worker report healthy."""
    health = stack.health()
    unhealthy = {name: health.get(name) for name in LONG_RUNNING if health.get(name) != "healthy"}
    assert not unhealthy, f"not healthy: {unhealthy}"


def test_airflow_init_succeeded(stack):
    """The one-shot airflow-init exited 0."""
    rows = [json.loads(line) for line in stack.compose("ps", "-a", "--format", "json", "airflow-init")
            .stdout.splitlines() if line.strip()]
    assert [(row["State"], row["ExitCode"]) for row in rows] == [("exited", 0)], rows


def test_postgres_holds_the_airflow_and_mlflow_databases(stack):
    """The init script made the databases airflow and mlflow, each owned by its own role."""
    owners = stack.exec("postgres", "psql", "-U", "postgres", "-At", "-c",
                        "SELECT datname, pg_get_userbyid(datdba) FROM pg_database").stdout.split()
    assert {"airflow|airflow", "mlflow|mlflow"} <= set(owners), owners


def test_dags_import_without_errors(stack):
    """`airflow dags list-import-errors` finds nothing in any Proyecto's DAG folder."""
    errors = airflow_json(stack, "dags", "list-import-errors")
    assert errors == [], f"DAG import errors: {errors}"


def test_every_proyecto_has_a_dag_active_unless_it_waits_for_the_student(stack):
    """One DAG per Proyecto, named like its service: not paused, except a scheduled DAG created paused on purpose
    (Proyecto3's collects batches on its own once active: the student, or the notebook, activates it)."""
    dags = {d["dag_id"]: d for d in airflow_json(stack, "dags", "list")}
    for proyecto in proyectos():
        dag = dags.get(service_of(proyecto))
        assert dag, f"no DAG {service_of(proyecto)!r}; DAGs: {sorted(dags)}"
        dag_file = ROOT / "Proyectos" / proyecto / "dags" / f"{service_of(proyecto)}_dag.py"
        if "is_paused_upon_creation=True" not in dag_file.read_text():
            assert str(dag["is_paused"]).lower() == "false", f"{dag['dag_id']} is paused"
