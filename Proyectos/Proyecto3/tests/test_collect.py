"""collect.py against a fake data API: a batch becomes one span once, span numbers never repeat, the 400 ends."""

import csv
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from proyecto3 import collect

COLUMNS = ["fare", "payment_type", "tips"]
CALLS = 10


class FakeApi:
    """The course's protocol for one group: `batches` of rows, each served a tenth per /data call, then a 400."""

    def __init__(self, batches: list[list[list[str]]]):
        self.batches, self.batch, self.calls, self.requests = batches, 1, 0, 0

    def data(self, group: int) -> tuple[int, dict]:
        self.requests += 1
        if group not in range(1, 11):
            return 400, {"detail": f"Número de grupo inválido: {group}."}
        if self.batch > len(self.batches):
            return 400, {"detail": "Ya se recolectó toda la información mínima necesaria: el grupo 1 recibió sus "
                                   f"{len(self.batches)} lotes."}
        rows = self.batches[self.batch - 1]
        share = rows[self.calls % CALLS::CALLS]
        self.calls += 1
        return 200, {"group_number": group, "batch_number": self.batch, "data": share}

    def next_batch(self) -> None:
        self.batch, self.calls = self.batch + 1, 0

    def restart(self) -> None:
        self.batch, self.calls = 1, 0


@pytest.fixture
def api():
    """A FakeApi of three batches of 30 distinct rows, served over HTTP on a free local port."""
    fake = FakeApi([[[f"{b}.{i}", "Cash", "0.0"] for i in range(30)] for b in (1, 2, 3)])

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            url = urlparse(self.path)
            if url.path == "/columns":
                status, body = 200, COLUMNS
            elif url.path == "/data":
                status, body = fake.data(int(parse_qs(url.query)["group_number"][0]))
            else:
                status, body = 404, {"detail": "Not Found"}
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield fake
    server.shutdown()
    server.server_close()


def client(url: str, **options) -> collect.DataApi:
    return collect.DataApi(url, sleep=lambda seconds: None, **options)


def rows_of(path) -> list[list[str]]:
    with open(path / "data.csv", newline="") as file:
        return list(csv.reader(file))


def spans(data_root) -> list[str]:
    return sorted(p.name for p in data_root.iterdir() if p.name.startswith("span-"))


def test_a_batch_becomes_one_span_with_a_header_and_each_row_once(api, tmp_path):
    result = collect.collect(tmp_path, client(api.url))
    assert (result.status, result.span, result.batch_number, result.rows) == (collect.NEW, 1, 1, 30), result
    written = rows_of(tmp_path / "span-1")
    assert written[0] == COLUMNS, written[0]
    assert sorted(r[0] for r in written[1:]) == sorted(f"1.{i}" for i in range(30)), "every row of batch 1, once"
    assert [r.span for r in collect.Ledger(tmp_path).records()] == [1]


def test_repeated_rows_across_calls_are_kept_once(api, tmp_path):
    """The course's API may serve a row in two calls: the span holds it once."""
    api.batches[0] = [["7.0", "Cash", "0.0"]] * 30
    result = collect.collect(tmp_path, client(api.url))
    assert result.rows == 1 and len(rows_of(tmp_path / "span-1")) == 2, result


def test_collecting_the_same_batch_twice_writes_nothing_new(api, tmp_path):
    first = collect.collect(tmp_path, client(api.url))
    before = (tmp_path / "span-1" / "data.csv").read_bytes()
    again = collect.collect(tmp_path, client(api.url))
    assert (again.status, again.span, again.batch_number) == (collect.DUPLICATE, first.span, 1), again
    assert spans(tmp_path) == ["span-1"] and len(collect.Ledger(tmp_path).records()) == 1
    assert (tmp_path / "span-1" / "data.csv").read_bytes() == before, "the span is untouched"
    assert "ya se recogió en el span 1" in again.message, again.message


def test_new_batches_get_the_next_span_numbers(api, tmp_path):
    collect.collect(tmp_path, client(api.url))
    api.next_batch()
    second = collect.collect(tmp_path, client(api.url))
    assert (second.status, second.span, second.batch_number) == (collect.NEW, 2, 2), second
    assert rows_of(tmp_path / "span-2")[1][0].startswith("2."), "span 2 holds batch 2"


def test_a_restarted_api_continues_the_span_numbers(api, tmp_path):
    """Batches 1 and 2, the API starts over, batch 1 again: it is span 3 of a new generation, not span 1."""
    collect.collect(tmp_path, client(api.url))
    api.next_batch()
    collect.collect(tmp_path, client(api.url))
    api.restart()
    again = collect.collect(tmp_path, client(api.url))
    assert (again.status, again.span, again.batch_number) == (collect.NEW, 3, 1), again
    assert [(r.span, r.batch_number, r.generation) for r in collect.Ledger(tmp_path).records()] == [
        (1, 1, 1), (2, 2, 1), (3, 1, 2)]
    assert spans(tmp_path) == ["span-1", "span-2", "span-3"]


def test_a_span_folder_without_a_ledger_entry_is_never_reused(api, tmp_path):
    """A crash between writing span-4 and recording it: the next span is 5, whatever the ledger says."""
    (tmp_path / "span-4").mkdir()
    assert collect.collect(tmp_path, client(api.url)).span == 5


def test_the_400_after_the_last_batch_is_a_clean_end(api, tmp_path):
    for _ in range(3):
        collect.collect(tmp_path, client(api.url))
        api.next_batch()
    result = collect.collect(tmp_path, client(api.url))
    assert result.status == collect.FINISHED and result.span is None, result
    assert "No hay más lotes" in result.message and "Ya se recolectó" in result.message, result.message
    assert spans(tmp_path) == ["span-1", "span-2", "span-3"]


def test_an_invalid_group_is_an_error_not_the_end(api, tmp_path):
    with pytest.raises(collect.DataApiRefused, match="respondió 400: Número de grupo inválido"):
        collect.collect(tmp_path, client(api.url), group=11)
    assert not spans(tmp_path)


def test_a_batch_that_changes_mid_collection_keeps_the_first(api, tmp_path):
    """The batch's time runs out after 3 calls: the span holds batch 1's rows only; batch 2 comes next time."""
    served = api.data

    def moving(group):
        if api.calls == 3:
            api.next_batch()
        return served(group)

    api.data = moving
    result = collect.collect(tmp_path, client(api.url))
    assert (result.batch_number, result.rows) == (1, 9), result
    assert all(r[0].startswith("1.") for r in rows_of(tmp_path / "span-1")[1:])


def test_an_unreachable_api_is_retried_with_backoff_then_fails_in_spanish(tmp_path):
    """Nothing listens on the port: ATTEMPTS tries, waits doubling, a Spanish error, nothing written."""
    waits = []
    unreachable = collect.DataApi("http://127.0.0.1:9", attempts=4, first_backoff=0.5, sleep=waits.append)
    with pytest.raises(collect.DataApiUnavailable, match="no responde.*tras 4 intentos"):
        collect.collect(tmp_path, unreachable)
    assert waits == [0.5, 1.0, 2.0], waits
    assert not spans(tmp_path)


def test_the_api_url_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("LAB_DATA_API_URL", "http://profesor.example:8080/")
    assert collect.DataApi().base_url == "http://profesor.example:8080"
    monkeypatch.setenv("LAB_DATA_API_URL", "")
    assert collect.DataApi().base_url == collect.DEFAULT_API_URL
