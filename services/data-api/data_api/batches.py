"""The dataset cut into batches in time order, and the share of a batch one call serves.

Every `span-*/data.csv` under the dataset folder is read (same header), all rows
sorted by the time column (ties by file, then line: the same order on every
machine) and cut into BATCHES equal runs. Batch 1 holds the oldest trips, the
last batch the newest, so consecutive batches carry the data's own drift.

A call serves one of CALLS_PER_BATCH disjoint shares of its batch: the batch's
rows are shuffled with a seed made of the group and the batch number, dealt
into CALLS_PER_BATCH shares, and the n-th call of that batch gets share
n mod CALLS_PER_BATCH. So CALLS_PER_BATCH calls collect the whole batch, each
row once; every group sees the same batches in its own order; and the same
call always answers the same rows (reproducible tests).
"""

import csv
import random
from dataclasses import dataclass
from pathlib import Path

BATCHES = 10
CALLS_PER_BATCH = 10
TIME_COLUMN = "trip_start_timestamp"

Row = tuple[str, ...]


@dataclass(frozen=True)
class Dataset:
    """The header and the batches (batch 1 first), each a tuple of rows as the CSV spells them."""

    columns: tuple[str, ...]
    batches: tuple[tuple[Row, ...], ...]

    def rows_per_call(self, batch_number: int) -> int:
        """How many rows a call serves from `batch_number` (the largest share)."""
        return -(-len(self.batches[batch_number - 1]) // CALLS_PER_BATCH)


def read_csv(path: Path) -> tuple[Row, list[Row]]:
    """The header and the rows of one CSV file, values as strings ('' for a missing value)."""
    with path.open(newline="") as handle:
        reader = csv.reader(handle)
        header = tuple(next(reader))
        return header, [tuple(row) for row in reader]


def load(folder: Path, batches: int = BATCHES) -> Dataset:
    """Read every span-*/data.csv under `folder` and cut their rows, in time order, into `batches` batches."""
    files = sorted(folder.glob("span-*/data.csv"))
    if not files:
        raise FileNotFoundError(f"no span-*/data.csv under {folder}")
    columns, keyed = None, []
    for file_index, path in enumerate(files):
        header, rows = read_csv(path)
        if columns is not None and header != columns:
            raise ValueError(f"{path} has columns {header}, {files[0]} has {columns}")
        columns = header
        time = header.index(TIME_COLUMN)
        keyed += [((int(row[time]), file_index, line), row) for line, row in enumerate(rows)]
    keyed.sort(key=lambda pair: pair[0])
    rows = [row for _, row in keyed]
    return Dataset(columns=columns, batches=tuple(map(tuple, cut(rows, batches))))


def cut(rows: list[Row], parts: int) -> list[list[Row]]:
    """`rows` in `parts` consecutive runs whose sizes differ by at most one (the first ones larger)."""
    if len(rows) < parts * CALLS_PER_BATCH:
        raise ValueError(f"{len(rows)} rows are too few for {parts} batches of {CALLS_PER_BATCH} calls")
    size, extra = divmod(len(rows), parts)
    runs, start = [], 0
    for index in range(parts):
        end = start + size + (index < extra)
        runs.append(rows[start:end])
        start = end
    return runs


def share(batch: tuple[Row, ...], group: int, batch_number: int, call: int) -> list[list[str]]:
    """The rows the `call`-th call (from 0) of `group` gets from `batch`, in the batch's time order."""
    order = list(range(len(batch)))
    random.Random(f"group {group} batch {batch_number}").shuffle(order)
    picked = sorted(order[call % CALLS_PER_BATCH::CALLS_PER_BATCH])
    return [list(batch[index]) for index in picked]
