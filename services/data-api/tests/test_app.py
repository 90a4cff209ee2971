"""The HTTP contract through FastAPI's TestClient: the course's routes and shapes, the lab's extension, settings."""

import pytest
from fastapi.testclient import TestClient

from data_api.app import batch_minutes, create_app


@pytest.fixture
def client(schedule) -> TestClient:
    return TestClient(create_app(schedule))


def test_data_answers_the_course_shape(client, dataset):
    """GET /data?group_number=1: 200 with group_number, batch_number and rows as lists of strings."""
    response = client.get("/data", params={"group_number": 1})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["group_number"] == 1 and body["batch_number"] == 1
    assert body["data"] and all(isinstance(v, str) for row in body["data"] for v in row)
    assert all(len(row) == len(dataset.columns) for row in body["data"])


@pytest.mark.parametrize("route", ["/data", "/restart_data_generation", "/next_batch"])
def test_invalid_group_gets_400_in_spanish(client, route):
    """Group 11 gets 400 {"detail": "Número de grupo inválido..."}, as the course's API answers."""
    response = client.get(route, params={"group_number": 11})
    assert response.status_code == 400, response.text
    assert response.json()["detail"].startswith("Número de grupo inválido")


def test_a_group_that_is_not_a_number_gets_422(client):
    """group_number=uno is a validation error naming the parameter."""
    response = client.get("/data", params={"group_number": "uno"})
    assert response.status_code == 422 and "group_number" in response.text


def test_last_batch_then_restart_over_http(client):
    """next_batch ten times, /data answers 400 in Spanish; restart_data_generation, /data serves batch 1."""
    for _ in range(10):
        assert client.get("/next_batch", params={"group_number": 5}).status_code == 200
    finished = client.get("/data", params={"group_number": 5})
    assert finished.status_code == 400 and "Ya se recolectó" in finished.json()["detail"]
    assert client.get("/restart_data_generation", params={"group_number": 5}).json()["ok"] is True
    assert client.get("/data", params={"group_number": 5}).json()["batch_number"] == 1


def test_root_and_columns_describe_the_rows(client, dataset):
    """/columns is the order of every row's values; / gives it with the batches, rows per call and minutes."""
    assert client.get("/columns").json() == list(dataset.columns)
    about = client.get("/").json()
    assert about["columns"] == list(dataset.columns) and about["batches"] == 10
    assert about["rows_per_call"] == 2 and about["batch_minutes"] == 5 and about["groups"] == [1, 10]
    assert client.get("/health").json() == {"status": "ok"}


@pytest.mark.parametrize(("value", "minutes"), [("", 5.0), ("0", 0.0), ("0.5", 0.5), ("10", 10.0)])
def test_batch_minutes_reads_the_variable(value, minutes):
    """LAB_BATCH_MINUTES: empty means 5, decimals allowed, 0 allowed."""
    assert batch_minutes({"LAB_BATCH_MINUTES": value}) == minutes


@pytest.mark.parametrize("value", ["cinco", "-1", "nan"])
def test_bad_batch_minutes_is_explained_in_spanish(value):
    """A value that is not a number of minutes >= 0 stops the service with a message naming it."""
    with pytest.raises(ValueError, match=f"LAB_BATCH_MINUTES debe ser .* no '{value}'"):
        batch_minutes({"LAB_BATCH_MINUTES": value})
