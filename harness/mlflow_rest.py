"""Read and write the lab's MLflow server through its REST API (/api/2.0/mlflow/...), from the host."""

import json
import urllib.error
import urllib.parse
import urllib.request


def call(base_url: str, endpoint: str, body: dict | None = None, timeout: float = 30,
         **params) -> tuple[int, dict]:
    """GET (or POST `body` to) `base_url`/api/2.0/mlflow/`endpoint`?`params`; return (HTTP status, JSON answer)."""
    url = f"{base_url}/api/2.0/mlflow/{endpoint}" + (f"?{urllib.parse.urlencode(params)}" if params else "")
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        text = error.read().decode()
        return error.code, json.loads(text) if text.startswith("{") else {"text": text}


def ok(base_url: str, endpoint: str, body: dict | None = None, **params) -> dict:
    """The JSON answer of a call that must succeed; fails naming the call otherwise."""
    status, answer = call(base_url, endpoint, body, **params)
    assert status == 200, f"MLflow {endpoint} answered {status}: {answer}"
    return answer


def runs(base_url: str, experiment_name: str, filter_string: str = "") -> list[dict]:
    """The runs of an experiment (newest first) matching an MLflow search filter, e.g. "tags.blessed = 'true'"."""
    experiment = ok(base_url, "experiments/get-by-name", experiment_name=experiment_name)["experiment"]
    body = {"experiment_ids": [experiment["experiment_id"]], "filter": filter_string, "max_results": 1000,
            "order_by": ["attributes.start_time DESC"]}
    return ok(base_url, "runs/search", body).get("runs", [])


def as_dicts(run: dict) -> tuple[dict, dict, dict]:
    """(params, metrics, tags) of a run from the REST API, each as {key: value}."""
    data = run["data"]
    return ({p["key"]: p["value"] for p in data.get("params", [])},
            {m["key"]: m["value"] for m in data.get("metrics", [])},
            {t["key"]: t["value"] for t in data.get("tags", [])})
