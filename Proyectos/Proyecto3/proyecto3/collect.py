"""Collect the data API's current batch and write it as a new span folder, exactly once.

    python -m proyecto3.collect                 # inside the proyecto3 container (or its Airflow worker)

The data API (LAB_DATA_API_URL; the lab's `data-api` service or the course's)
answers `GET /data?group_number=N` with a share of the group's current batch
as rows without a header, in the order of `GET /columns`. One collection:

- asks `/columns` once and `/data` CALLS_PER_BATCH times (the lab's API serves
  the whole batch in 10 calls, each row once; the course's API a random tenth
  per call, so rows may repeat) and keeps each distinct row once;
- stops early if the batch number changes between calls (the batch's time ran
  out): it keeps the batch it started with; the next collection gets the new
  one (the lab's API serves its share counter round, so no row is lost);
- writes `<data_root>/span-<N>/data.csv` (a header, then the rows) through a
  temporary folder renamed into place, so CsvExampleGen never sees half a span,
  and then records it in the ledger, `<data_root>/spans.json`.

The ledger makes collecting idempotent and span numbers unique:

- the same batch again (scheduler jitter, a retry) writes nothing: its batch
  number equals the last recorded one, from the same API and group;
- a batch number lower than the last one means the API started over (its
  `restart_data_generation`, or `down -v`): a new generation, whose batches
  continue the span numbers — a span number is never reused. So is a change of
  API URL or group. (A restart right after batch 1 cannot be told from batch 1
  collected again: it is treated as a repeat; with the lab's API, it is the same rows.)
- the next span number is one more than the highest in the ledger or on disk.

Connection errors and 5xx answers are retried with exponential backoff; after
the last batch the API answers 400, which is a clean result (FINISHED), not an
error. Runs of the DAG never overlap, and a file lock guards the ledger anyway.
"""

import argparse
import csv
import fcntl
import json
import os
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from lab_helpers.paths import TFX_DIR

# Where the spans go: the shared volume, so the lab, its Airflow worker and the pipeline all see them.
DATA_ROOT = TFX_DIR / "proyecto3" / "spans"
DEFAULT_API_URL = "http://data-api:8000"
GROUP_NUMBER = 1
# The course's API serves a tenth of a batch per call: ten calls cover it.
CALLS_PER_BATCH = 10
LEDGER_NAME = "spans.json"
LEDGER_FORMAT = 1
SPAN_FOLDER = "span-{span}"
# Retries of a call that could not reach the API: 1 + ATTEMPTS - 1 tries, waiting 1, 2, 4, 8 s between them.
ATTEMPTS = 5
FIRST_BACKOFF_SECONDS = 1.0
TIMEOUT_SECONDS = 30.0

NEW, DUPLICATE, FINISHED = "new", "duplicate", "finished"


class DataApiUnavailable(Exception):
    """The API did not answer after every retry (the message, in Spanish, says what to check)."""


class DataApiRefused(Exception):
    """The API answered 400 to something other than "no more batches" (e.g. an invalid group)."""


@dataclass(frozen=True)
class Collected:
    """The result of one collection: NEW (span written), DUPLICATE (nothing written) or FINISHED (no more batches)."""

    status: str
    message: str
    span: int | None = None
    batch_number: int | None = None
    rows: int = 0
    path: Path | None = None


def api_url() -> str:
    """LAB_DATA_API_URL, or the lab's data-api service when it is unset or empty."""
    return (os.environ.get("LAB_DATA_API_URL") or DEFAULT_API_URL).rstrip("/")


class DataApi:
    """GET requests to the data API, retried with exponential backoff when the API cannot be reached."""

    def __init__(self, base_url: str | None = None, attempts: int = ATTEMPTS,
                 first_backoff: float = FIRST_BACKOFF_SECONDS, timeout: float = TIMEOUT_SECONDS,
                 sleep: Callable[[float], None] = time.sleep):
        self.base_url = (base_url or api_url()).rstrip("/")
        self.attempts, self.first_backoff, self.timeout, self.sleep = attempts, first_backoff, timeout, sleep

    def get(self, path: str, **params) -> tuple[int, object]:
        """(status, decoded JSON) of GET `path`; 4xx answers are returned, unreachable or 5xx ones retried."""
        url = f"{self.base_url}{path}" + (f"?{urllib.parse.urlencode(params)}" if params else "")
        problem = ""
        for attempt in range(self.attempts):
            if attempt:
                self.sleep(self.first_backoff * 2 ** (attempt - 1))
            try:
                with urllib.request.urlopen(url, timeout=self.timeout) as response:
                    return response.status, json.load(response)
            except urllib.error.HTTPError as error:
                if error.code < 500:
                    return error.code, _json_or_text(error.read())
                problem = f"respondió {error.code}"
            except (urllib.error.URLError, OSError) as error:
                problem = f"no se pudo conectar ({getattr(error, 'reason', error)})"
        raise DataApiUnavailable(
            f"La API de datos en {self.base_url} no responde: {problem}, tras {self.attempts} intentos. "
            "Comprueba que el servicio está en marcha (docker compose ps data-api) y que LAB_DATA_API_URL es "
            "correcta. No se ha escrito nada: los lotes ya recogidos siguen en su sitio.")


def _json_or_text(body: bytes) -> object:
    try:
        return json.loads(body)
    except ValueError:
        return body.decode(errors="replace")


def _detail(body: object) -> str:
    return str(body.get("detail", body)) if isinstance(body, dict) else str(body)


def _is_end_of_batches(detail: str) -> bool:
    """The 400 after the last batch, as opposed to a request the API refuses (an invalid group)."""
    return "inválido" not in detail.lower() and "invalid" not in detail.lower()


# ---- The ledger ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SpanRecord:
    """One collected batch: its span, where it came from (API, group, generation, batch) and its rows."""

    span: int
    batch_number: int
    generation: int
    group_number: int
    api_url: str
    rows: int
    collected_at: str


class Ledger:
    """The spans written under `data_root`, in `data_root/spans.json` (replaced atomically)."""

    def __init__(self, data_root: Path | str):
        self.data_root = Path(data_root)
        self.path = self.data_root / LEDGER_NAME

    def records(self) -> list[SpanRecord]:
        if not self.path.exists():
            return []
        document = json.loads(self.path.read_text())
        if document.get("format") != LEDGER_FORMAT:
            raise ValueError(f"{self.path}: formato de registro desconocido {document.get('format')!r}")
        return [SpanRecord(**record) for record in document["spans"]]

    def append(self, record: SpanRecord) -> None:
        document = {"format": LEDGER_FORMAT, "spans": [asdict(r) for r in [*self.records(), record]]}
        temporary = self.path.with_name(f".{self.path.name}.tmp")
        temporary.write_text(json.dumps(document, indent=1))
        os.replace(temporary, self.path)

    def next_span(self) -> int:
        """One more than the highest span in the ledger or on disk: a number is never reused."""
        on_disk = [int(p.name.split("-", 1)[1]) for p in self.data_root.glob(SPAN_FOLDER.format(span="*"))
                   if p.name.split("-", 1)[1].isdigit()]
        return max([0, *on_disk, *(r.span for r in self.records())]) + 1

    @contextmanager
    def locked(self):
        """Hold the ledger's lock file: one collection at a time writes under data_root."""
        self.data_root.mkdir(parents=True, exist_ok=True)
        with open(self.data_root / ".spans.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield self
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def generation_of(batch_number: int, group: int, url: str, last: SpanRecord | None) -> int | None:
    """The generation the batch belongs to, or None if it is the last recorded batch again (a duplicate)."""
    if last is None:
        return 1
    if (last.group_number, last.api_url) != (group, url) or batch_number < last.batch_number:
        return last.generation + 1  # the API started over, or it is another API or group
    if batch_number == last.batch_number:
        return None
    return last.generation


# ---- Collecting ---------------------------------------------------------------------------------------------

def write_span(data_root: Path, span: int, columns: list[str], rows: list[list[str]]) -> Path:
    """`data_root/span-<span>/data.csv`, written in a temporary folder and renamed into place."""
    final = data_root / SPAN_FOLDER.format(span=span)
    temporary = data_root / f".tmp-{final.name}"
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir(parents=True)
    with open(temporary / "data.csv", "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(columns)
        writer.writerows(rows)
    os.rename(temporary, final)
    return final


def collect(data_root: Path | str = DATA_ROOT, api: DataApi | None = None, group: int = GROUP_NUMBER,
            calls: int = CALLS_PER_BATCH) -> Collected:
    """Collect the group's current batch into a new span under `data_root`, unless it was collected already."""
    api = api or DataApi()
    ledger = Ledger(data_root)
    with ledger.locked():
        status, body = api.get("/data", group_number=group)
        if status == 400 and _is_end_of_batches(_detail(body)):
            return Collected(FINISHED, f"No hay más lotes: la API respondió «{_detail(body)}». No se escribe nada.")
        _raise_unless_ok(status, body, api, "/data")
        batch = body["batch_number"]
        records = ledger.records()
        last = records[-1] if records else None
        generation = generation_of(batch, group, api.base_url, last)
        if generation is None:
            return Collected(DUPLICATE, f"El lote {batch} ya se recogió en el span {last.span}: no se escribe nada.",
                             span=last.span, batch_number=batch, rows=last.rows,
                             path=ledger.data_root / SPAN_FOLDER.format(span=last.span))
        rows = {tuple(row): None for row in body["data"]}  # a dict keeps the first-seen order
        for _ in range(calls - 1):
            status, more = api.get("/data", group_number=group)
            if status == 400 and _is_end_of_batches(_detail(more)):
                break
            _raise_unless_ok(status, more, api, "/data")
            if more["batch_number"] != batch:
                break  # the batch's time ran out: keep the one we started with
            rows.update({tuple(row): None for row in more["data"]})
        status, columns = api.get("/columns")
        _raise_unless_ok(status, columns, api, "/columns")
        span = ledger.next_span()
        path = write_span(ledger.data_root, span, columns, [list(row) for row in rows])
        ledger.append(SpanRecord(span=span, batch_number=batch, generation=generation, group_number=group,
                                 api_url=api.base_url, rows=len(rows),
                                 collected_at=datetime.now(UTC).isoformat(timespec="seconds")))
        return Collected(NEW, f"Lote {batch} recogido: {len(rows)} filas en {path}.", span=span,
                         batch_number=batch, rows=len(rows), path=path)


def _raise_unless_ok(status: int, body: object, api: DataApi, path: str) -> None:
    if status != 200:
        raise DataApiRefused(f"La API de datos ({api.base_url}{path}) respondió {status}: {_detail(body)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-root", type=Path, default=DATA_ROOT, help=f"default: {DATA_ROOT}")
    parser.add_argument("--group", type=int, default=GROUP_NUMBER, help=f"default: {GROUP_NUMBER}")
    parser.add_argument("--api-url", default=None, help=f"default: $LAB_DATA_API_URL or {DEFAULT_API_URL}")
    parser.add_argument("--json", action="store_true", help="end with the result as one JSON line (the DAG's XCom)")
    args = parser.parse_args(argv)
    try:
        result = collect(args.data_root, DataApi(args.api_url), args.group)
    except (DataApiUnavailable, DataApiRefused) as error:
        raise SystemExit(f"ERROR: {error}") from None
    print(result.message, flush=True)
    if args.json:
        print(json.dumps({"status": result.status, "span": result.span, "batch_number": result.batch_number,
                          "rows": result.rows}), flush=True)


if __name__ == "__main__":
    main()
