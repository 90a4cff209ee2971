"""Airflow 3's REST API from the notebook: log in as the lab's admin, unpause and trigger proyecto3, follow its run.

The API server is `airflow-apiserver` on the lab's network (AIRFLOW_API_URL).
The password is the lab's (AIRFLOW_PASSWORD in .env) or the one the API server
generated on its first start, which compose lets this container read from the
Airflow volume, read-only (AIRFLOW_PASSWORDS_FILE). Standard library only.
"""

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request

import pandas as pd

API_URL = os.environ.get("AIRFLOW_API_URL", "http://airflow-apiserver:8080")
PASSWORDS_FILE = os.environ.get("AIRFLOW_PASSWORDS_FILE", "/opt/airflow/passwords.json")
USER = "admin"
DAG_ID = "proyecto3"


def password() -> str:
    """AIRFLOW_PASSWORD, else the one Airflow generated (the same `airflow-password` prints)."""
    if os.environ.get("AIRFLOW_PASSWORD"):
        return os.environ["AIRFLOW_PASSWORD"]
    try:
        with open(PASSWORDS_FILE) as passwords:
            return json.load(passwords)[USER]
    except FileNotFoundError:
        raise RuntimeError(f"No encuentro la contraseña de Airflow ({PASSWORDS_FILE}): ¿está en marcha el servicio "
                           "airflow-apiserver? (`docker compose up -d`).") from None


class Airflow:
    """A logged-in client of the API server."""

    def __init__(self, base_url: str = API_URL, user: str = USER, secret: str | None = None):
        self.base_url = base_url.rstrip("/")
        self.token = None
        answer = self.call("POST", "/auth/token", {"username": user, "password": secret or password()})
        self.token = answer["access_token"]

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.base_url}{path}", data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"Airflow respondió {error.code} a {method} {path}: {error.read().decode()}") from None

    def run_path(self, run_id: str, dag_id: str = DAG_ID) -> str:
        return f"/api/v2/dags/{dag_id}/dagRuns/{urllib.parse.quote(run_id, safe='')}"

    def unpause(self, dag_id: str = DAG_ID) -> bool:
        """Activate the DAG (it is created paused); whether it is active now."""
        return not self.call("PATCH", f"/api/v2/dags/{dag_id}", {"is_paused": False})["is_paused"]

    def trigger(self, dag_id: str = DAG_ID) -> str:
        """Start a run now; its run id."""
        return self.call("POST", f"/api/v2/dags/{dag_id}/dagRuns", {"logical_date": None})["dag_run_id"]

    def wait(self, run_id: str, dag_id: str = DAG_ID, timeout: float = 1200, every: float = 5) -> dict:
        """The run once it has finished (success or failed)."""
        deadline = time.monotonic() + timeout
        while True:
            run = self.call("GET", self.run_path(run_id, dag_id))
            if run["state"] in ("success", "failed") or time.monotonic() > deadline:
                return run
            time.sleep(every)

    def tasks(self, run_id: str, dag_id: str = DAG_ID) -> pd.DataFrame:
        """The run's tasks in the order they started: state and seconds."""
        answer = self.call("GET", f"{self.run_path(run_id, dag_id)}/taskInstances")
        rows = [{"tarea": ti["task_id"], "estado": ti["state"], "segundos": ti.get("duration"),
                 "inicio": ti.get("start_date")} for ti in answer["task_instances"]]
        table = pd.DataFrame(rows).sort_values("inicio", na_position="last", kind="stable")
        return table.drop(columns="inicio").reset_index(drop=True)

    def xcom(self, run_id: str, task_id: str, dag_id: str = DAG_ID) -> object:
        """What a task left in XCom (the gate's and collect's last line: their JSON)."""
        answer = self.call("GET", f"{self.run_path(run_id, dag_id)}/taskInstances/{task_id}/xcomEntries/return_value")
        value = answer.get("value")
        try:
            return json.loads(value) if isinstance(value, str) else value
        except json.JSONDecodeError:
            return value
