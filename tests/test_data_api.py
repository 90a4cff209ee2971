"""The data-api service answers the course's batch protocol to the labs, by name, and keeps its state on restart."""

import json

import pytest

from harness.compose import wait_until
from harness.repo import ROOT, proyectos, service_of

pytestmark = pytest.mark.e2e

GET_FILE = ROOT / "tests" / "in_container" / "data_api_get.py"
# The lab that calls the API, as a student's notebook would.
LAB = service_of(proyectos()[0])
COLUMNS = (ROOT / "shared-data/chicago-taxi/span-1/data.csv").read_text().splitlines()[0].split(",")


@pytest.fixture(scope="module")
def get(stack):
    """GET paths from the data API inside the lab container, through LAB_DATA_API_URL; the answers in order."""
    stack.compose("cp", str(GET_FILE), f"{LAB}:/tmp/data_api_get.py")

    def get(*paths: str) -> list[dict]:
        return json.loads(stack.exec(LAB, "python", "/tmp/data_api_get.py", *paths).stdout)
    return get


def statuses(answers) -> list[int]:
    return [a["status"] for a in answers]


def test_data_has_the_course_shape_and_column_order(get):
    """/data: group, batch 1 and 150 rows of 18 values in /columns' order (span-1's header), from a lab."""
    columns, _, data = get("/columns", "/restart_data_generation?group_number=7", "/data?group_number=7")
    assert columns["body"] == COLUMNS, columns
    assert data["status"] == 200, data
    body = data["body"]
    assert (body["group_number"], body["batch_number"], len(body["data"])) == (7, 1, 150), {**body, "data": "..."}
    assert {len(row) for row in body["data"]} == {len(COLUMNS)}


def test_invalid_groups_get_400_in_spanish(get):
    """Groups 0 and 11 get 400 with the course's Spanish message; a group that is not a number gets 422."""
    zero, eleven, word = get("/data?group_number=0", "/data?group_number=11", "/data?group_number=siete")
    assert statuses([zero, eleven, word]) == [400, 400, 422], [zero, eleven, word]
    assert zero["body"]["detail"].startswith("Número de grupo inválido"), zero


def test_next_batch_to_the_end_then_400_then_restart(get):
    """next_batch nine times serves batch 10; the tenth ends the group: /data 400 in Spanish; restart: batch 1."""
    answers = get("/restart_data_generation?group_number=8", *["/next_batch?group_number=8"] * 9,
                  "/data?group_number=8", "/next_batch?group_number=8", "/data?group_number=8",
                  "/restart_data_generation?group_number=8", "/data?group_number=8")
    last, finished, again = answers[10]["body"], answers[12], answers[14]["body"]
    assert statuses(answers) == [200] * 12 + [400, 200, 200], answers
    assert last["batch_number"] == 10, {**last, "data": "..."}
    assert "Ya se recolectó toda la información mínima necesaria" in finished["body"]["detail"], finished
    assert again["batch_number"] == 1, {**again, "data": "..."}


def test_state_survives_a_restart_of_the_service(stack, get):
    """After `docker compose restart data-api` a group is on the same batch and gets the next share, not the first."""
    before = get("/restart_data_generation?group_number=9", *["/next_batch?group_number=9"] * 3,
                 "/data?group_number=9")[-1]["body"]
    assert before["batch_number"] == 4, {**before, "data": "..."}
    stack.compose("restart", "data-api")
    wait_until(lambda: stack.health().get("data-api") == "healthy", timeout=60, what="data-api healthy again")
    after = get("/data?group_number=9")[0]["body"]
    assert after["batch_number"] == 4, {**after, "data": "..."}
    assert not {tuple(r) for r in after["data"]} & {tuple(r) for r in before["data"]}, "the share was served again"


def test_published_on_localhost_non_root_with_data_read_only(stack):
    """The host port is on 127.0.0.1; the service runs as uid 1000 and cannot write to /data."""
    assert stack.compose("port", "data-api", "8000").stdout.startswith("127.0.0.1:")
    assert stack.exec("data-api", "id", "-u").stdout.strip() == "1000"
    write = stack.exec("data-api", "touch", "/data/data-api-was-here", check=False)
    assert write.returncode != 0 and "Read-only file system" in write.stderr, write.stderr


def test_data_api_unit_tests_pass_in_the_image(stack):
    """The service's own tests (batch cuts, time with a hand-moved clock, 400s, restart, state file) pass."""
    stack.run_unit_tests("data-api", timeout=300)
