"""Airflow, its workers and PostgreSQL are declared as the lab promises (docker-compose.yaml, each Proyecto's dags/)."""

import ast
import json
import sys

import pytest

from harness.repo import ROOT, proyectos, service_of

AIRFLOW_SERVICES = ["airflow-init", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
                    "airflow-triggerer"]


def worker_of(proyecto: str) -> str:
    """The Celery worker service of a Proyecto's queue."""
    return f"airflow-worker-{service_of(proyecto)}"


def mounts(service: dict) -> dict[str, dict]:
    """A service's volumes by their target."""
    return {v["target"]: v for v in service.get("volumes", [])}


def test_postgres_is_the_official_image_unpublished_with_its_own_volume(compose_config):
    """postgres:17, no host port, data in postgres-data, the init script, pg_isready, the password from .env."""
    service = compose_config["services"]["postgres"]
    assert service["image"] == "postgres:17" and "build" not in service, service
    assert not service.get("ports"), f"postgres is published: {service['ports']}"
    volumes = mounts(service)
    assert volumes["/var/lib/postgresql/data"]["source"] == "postgres-data", volumes
    assert volumes["/docker-entrypoint-initdb.d"]["source"] == str(ROOT / "services/postgres/initdb"), volumes
    assert volumes["/docker-entrypoint-initdb.d"].get("read_only"), "the init scripts are mounted writable"
    assert "pg_isready" in service["healthcheck"]["test"], service["healthcheck"]
    assert service["environment"]["POSTGRES_PASSWORD"] == "tfx-lab", "POSTGRES_PASSWORD's default changed"


def test_init_script_creates_airflow_and_mlflow_databases():
    """The init script makes one role and one database for each of airflow and mlflow."""
    script = (ROOT / "services/postgres/initdb/10-lab-databases.sh").read_text()
    assert "for service in airflow mlflow" in script and "CREATE DATABASE" in script, script


def test_mlflow_stores_runs_in_postgres(compose_config):
    """MLflow's backend store is the database mlflow on postgres, and it waits for a healthy postgres."""
    service = compose_config["services"]["mlflow"]
    uri = service["environment"]["MLFLOW_BACKEND_STORE_URI"]
    assert uri == "postgresql+psycopg2://mlflow:tfx-lab@postgres/mlflow", uri
    assert service["depends_on"]["postgres"]["condition"] == "service_healthy", service["depends_on"]


def test_only_the_api_server_is_published_on_lab_host_ip(compose_config):
    """Airflow's API server (it has a login) publishes 8080 on LAB_HOST_IP (127.0.0.1 by default); no other new
    service is published."""
    services = compose_config["services"]
    ports = [(p["host_ip"], p["published"], p["target"]) for p in services["airflow-apiserver"]["ports"]]
    assert ports == [("127.0.0.1", "8080", 8080)], ports
    others = [*AIRFLOW_SERVICES[:1], *AIRFLOW_SERVICES[2:], "redis", *map(worker_of, proyectos())]
    published = {name: services[name]["ports"] for name in others if services[name].get("ports")}
    assert not published, f"published without a login: {published}"


def test_airflow_services_wait_for_init_and_share_its_volume(compose_config):
    """Every Airflow service but init waits for init to succeed; all mount airflow-data at AIRFLOW_HOME."""
    services = compose_config["services"]
    for name in [*AIRFLOW_SERVICES, *map(worker_of, proyectos())]:
        service = services[name]
        assert mounts(service)["/opt/airflow"]["source"] == "airflow-data", f"{name}: {mounts(service)}"
        if name != "airflow-init":
            condition = service["depends_on"]["airflow-init"]["condition"]
            assert condition == "service_completed_successfully", f"{name} waits for init with {condition}"
    assert services["airflow-init"]["restart"] == "no", "the one-shot init restarts"


@pytest.mark.parametrize("proyecto", proyectos())
def test_every_proyecto_has_a_worker_on_its_queue_and_image(compose_config, proyecto):
    """airflow-worker-proyecton: built FROM the Proyecto's image, listening on the queue proyecton, with the
    Proyecto's work volume, /tfx, /data and its DAG folder (read-only)."""
    service = compose_config["services"].get(worker_of(proyecto))
    assert service, f"{proyecto} has no Airflow worker {worker_of(proyecto)!r}"
    build = service["build"]
    assert build["target"] == "worker", build
    assert build["additional_contexts"]["proyecto"] == f"service:{service_of(proyecto)}", build
    command = service["command"]
    assert command[-2:] == ["--queues", service_of(proyecto)], command
    volumes = mounts(service)
    assert volumes["/home/lab/work"]["source"] == f"{service_of(proyecto)}-work", volumes
    assert volumes["/tfx"]["source"] == "tfx", volumes
    dags = volumes[f"/opt/lab/dags/{service_of(proyecto)}"]
    assert dags["source"] == str(ROOT / "Proyectos" / proyecto / "dags") and dags.get("read_only"), dags
    assert service["environment"]["LAB_BEAM_MODE"] == "in_process", "the worker does not follow LAB_BEAM_MODE"


@pytest.mark.parametrize("proyecto", proyectos())
def test_every_airflow_service_reads_every_proyecto_dag_folder(compose_config, proyecto):
    """The API server, scheduler and DAG processor mount Proyectos/ProyectoN/dags read-only."""
    for name in AIRFLOW_SERVICES:
        dags = mounts(compose_config["services"][name]).get(f"/opt/lab/dags/{service_of(proyecto)}")
        assert dags and dags["source"] == str(ROOT / "Proyectos" / proyecto / "dags"), f"{name}: {dags}"
        assert dags.get("read_only"), f"{name} mounts {proyecto}'s DAGs writable"


def test_login_is_required(compose_config):
    """SimpleAuthManager with one admin user and no everyone-is-admin mode."""
    environment = compose_config["services"]["airflow-apiserver"]["environment"]
    assert environment["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS"] == "false", environment
    assert environment["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS"] == "admin:admin", environment


@pytest.mark.parametrize("proyecto", proyectos())
def test_dag_file_builds_its_tasks_from_the_manifest(proyecto):
    """dags/proyecton_dag.py builds the pipeline's tasks from dags/pipeline.json with lab_airflow.dags, importing
    only Airflow and the standard library (Airflow's processes cannot import TFX or the Proyecto's package)."""
    dag_file = ROOT / "Proyectos" / proyecto / "dags" / f"{service_of(proyecto)}_dag.py"
    assert dag_file.is_file(), f"{proyecto} lacks {dag_file.relative_to(ROOT)}"
    tree = ast.parse(dag_file.read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    foreign = {m for m in imported if m.split(".")[0] not in {"airflow", "lab_airflow", *sys.stdlib_module_names}}
    assert not foreign, f"{dag_file.name} imports {sorted(foreign)}"
    assert "lab_airflow.dags" in imported and "pipeline.json" in dag_file.read_text()
    assert "pipeline_dag(" in dag_file.read_text() or "pipeline_tasks(" in dag_file.read_text()


@pytest.mark.parametrize("proyecto", proyectos())
def test_manifest_lists_nodes_in_topological_order(proyecto):
    """dags/pipeline.json: the Proyecto's pipeline module and name, its nodes each after its upstream nodes."""
    manifest = json.loads((ROOT / "Proyectos" / proyecto / "dags" / "pipeline.json").read_text())
    assert manifest["module"] == f"{service_of(proyecto)}.pipeline", manifest["module"]
    assert manifest["pipeline"] == service_of(proyecto), manifest["pipeline"]
    seen = set()
    for node in manifest["nodes"]:
        assert set(node["upstream"]) <= seen, f"{node['id']} comes before its upstream {node['upstream']}"
        seen.add(node["id"])
    assert len(seen) == len(manifest["nodes"]), "a node id appears twice"
