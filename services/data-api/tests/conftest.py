"""Fixtures of the data API's unit tests: a small dataset on disk, a clock moved by hand, a schedule over both."""

import csv
import os
import random
from pathlib import Path

import pytest

from data_api import batches
from data_api.schedule import Schedule
from data_api.state import StateFile

COLUMNS = ["fare", "trip_start_timestamp", "company"]
# Where the real dataset is: the variable, the mount in the image, or the repository's copy.
REAL_DATASET = [Path(p) for p in (os.environ.get("DATA_API_DATASET", ""), "/data/chicago-taxi",
                                  Path(__file__).resolve().parents[3] / "shared-data/chicago-taxi") if p]


class Clock:
    """Unix seconds that only move when a test says so."""

    def __init__(self, now: float = 1_700_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += 60 * minutes


def write_span(folder: Path, rows: list[list[str]]) -> None:
    folder.mkdir(parents=True)
    with (folder / "data.csv").open("w", newline="") as handle:
        csv.writer(handle).writerows([COLUMNS, *rows])


@pytest.fixture
def dataset_folder(tmp_path) -> Path:
    """Two spans of 130 and 70 trips, timestamps 0..199 (x 900 s) shuffled across both; '' for some companies."""
    stamps = list(range(200))
    random.Random(7).shuffle(stamps)
    rows = [[f"{s / 10:.2f}", str(s * 900), "" if s % 9 == 0 else f"company {s % 4}"] for s in stamps]
    write_span(tmp_path / "taxi/span-1", rows[:130])
    write_span(tmp_path / "taxi/span-2", rows[130:])
    return tmp_path / "taxi"


@pytest.fixture
def dataset(dataset_folder) -> batches.Dataset:
    return batches.load(dataset_folder)


@pytest.fixture
def real_dataset_folder() -> Path:
    found = [p for p in REAL_DATASET if (p / "span-1/data.csv").exists()]
    assert found, f"the Chicago Taxi dataset is in none of {REAL_DATASET}; set DATA_API_DATASET"
    return found[0]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def state_file(tmp_path) -> StateFile:
    return StateFile(tmp_path / "state/groups.json")


@pytest.fixture
def schedule(dataset, state_file, clock) -> Schedule:
    """Batches of 20 rows (2 per call), 5 minutes each, on the hand-moved clock."""
    return Schedule(dataset, state_file, batch_seconds=300, clock=clock)
