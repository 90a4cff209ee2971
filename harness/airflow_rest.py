"""Airflow 3's REST API from the tests: log in for a token, trigger a DAG, read its run and task instances."""

import json
import re
import urllib.error
import urllib.parse
import urllib.request

from harness.compose import wait_until

USER = "admin"
# What `airflow-password` (the README's command) prints: the login and the password.
PRINTED_LOGIN = re.compile(rf"usuario: {USER}\s+contraseña: (\S+)")


def base_url(stack) -> str:
    """The API server on the host (its port is AIRFLOW_PORT)."""
    return f"http://127.0.0.1:{stack.env['AIRFLOW_PORT']}"


def printed_password(stack) -> str:
    """The admin password as `airflow-password` prints it (generated when AIRFLOW_PASSWORD is not set)."""
    printed = stack.exec("airflow-apiserver", "airflow-password").stdout
    found = PRINTED_LOGIN.search(printed)
    assert found, f"airflow-password printed {printed!r}"
    return found.group(1)


def call(base_url: str, method: str, path: str, token: str | None = None, body: dict | None = None,
         timeout: float = 30) -> tuple[int, dict | str]:
    """`method path` on the API server; (status, the JSON answer or the text when it is not JSON)."""
    headers = {"Content-Type": "application/json", "Accept": "application/json",
               **({"Authorization": f"Bearer {token}"} if token else {})}
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{base_url}{path}", data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    try:
        return status, json.loads(text)
    except json.JSONDecodeError:
        return status, text


def ok(base_url: str, method: str, path: str, token: str, body: dict | None = None) -> dict:
    """Like `call`, failing with Airflow's answer unless it is a 2xx."""
    status, answer = call(base_url, method, path, token, body)
    assert 200 <= status < 300, f"{method} {path} answered {status}: {answer}"
    return answer


def token(base_url: str, password: str, user: str = USER) -> str:
    """A JWT for `user` from POST /auth/token (the REST API's Bearer token)."""
    status, answer = call(base_url, "POST", "/auth/token", body={"username": user, "password": password})
    assert status in (200, 201), f"POST /auth/token for {user} answered {status}: {answer}"
    return answer["access_token"]


def trigger(base_url: str, token_: str, dag_id: str, conf: dict | None = None) -> str:
    """Start a run of `dag_id` now (with `conf`, the run's parameters); its run id."""
    body = {"logical_date": None, **({"conf": conf} if conf else {})}
    return ok(base_url, "POST", f"/api/v2/dags/{dag_id}/dagRuns", token_, body)["dag_run_id"]


def unpause(base_url: str, token_: str, dag_id: str) -> None:
    """Activate a DAG created paused: its runs, triggered or scheduled, start only then."""
    answer = ok(base_url, "PATCH", f"/api/v2/dags/{dag_id}", token_, {"is_paused": False})
    assert answer["is_paused"] is False, answer


def clear(base_url: str, token_: str, dag_id: str, run_id: str, task_id: str) -> None:
    """The UI's *Clear* on one task of a run, with its downstream tasks: they run again within the same run."""
    ok(base_url, "POST", f"/api/v2/dags/{dag_id}/clearTaskInstances", token_,
       {"dry_run": False, "dag_run_id": run_id, "task_ids": [task_id], "include_downstream": True,
        "only_failed": False})


def run_path(dag_id: str, run_id: str) -> str:
    return f"/api/v2/dags/{dag_id}/dagRuns/{urllib.parse.quote(run_id, safe='')}"


def wait_for_run(base_url: str, token_: str, dag_id: str, run_id: str, timeout: float) -> dict:
    """The run once it has finished (success or failed)."""
    def finished():
        run = ok(base_url, "GET", run_path(dag_id, run_id), token_)
        return run if run["state"] in ("success", "failed") else None
    return wait_until(finished, timeout=timeout, what=f"DAG run {dag_id} {run_id} to finish", interval=5)


def task_instances(base_url: str, token_: str, dag_id: str, run_id: str) -> dict[str, dict]:
    """The run's task instances, by task id."""
    answer = ok(base_url, "GET", f"{run_path(dag_id, run_id)}/taskInstances", token_)
    return {ti["task_id"]: ti for ti in answer["task_instances"]}


def task_log(base_url: str, token_: str, dag_id: str, run_id: str, task_id: str, try_number: int = 1) -> str:
    """A task's log as the UI shows it: its events' text, one per line."""
    answer = ok(base_url, "GET", f"{run_path(dag_id, run_id)}/taskInstances/{task_id}/logs/{try_number}"
                "?full_content=true", token_)
    content = answer["content"]
    return "\n".join(str(line.get("event", line)) if isinstance(line, dict) else str(line) for line in content)
