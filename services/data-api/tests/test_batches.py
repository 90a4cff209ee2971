"""The dataset is cut into batches in time order, and ten calls of a batch serve each of its rows once."""

from data_api import batches
from data_api.batches import BATCHES, CALLS_PER_BATCH, TIME_COLUMN


def stamps(dataset, batch) -> list[int]:
    time = dataset.columns.index(TIME_COLUMN)
    return [int(row[time]) for row in batch]


def test_batches_are_equal_runs_in_time_order(dataset):
    """Every row of both spans lands in one of ten batches of 20, oldest first, no batch overlapping the next."""
    assert [len(b) for b in dataset.batches] == [20] * BATCHES
    flat = [s for batch in dataset.batches for s in stamps(dataset, batch)]
    assert flat == [s * 900 for s in range(200)], "batches are not the rows sorted by time"


def test_uneven_rows_make_batches_differing_by_one():
    """205 rows cut in ten give five batches of 21 and five of 20, in order."""
    rows = [(str(i),) for i in range(205)]
    runs = batches.cut(rows, 10)
    assert [len(r) for r in runs] == [21] * 5 + [20] * 5
    assert [row for run in runs for row in run] == rows


def test_values_are_served_as_the_csv_spells_them(dataset):
    """Values stay strings, a missing value stays '' (the course's API serves csv.reader rows the same way)."""
    values = [value for batch in dataset.batches for row in batch for value in row]
    assert all(isinstance(v, str) for v in values)
    assert "" in values, "the fixture's missing companies are gone"


def test_ten_calls_collect_the_whole_batch_once(dataset):
    """The shares of calls 0..9 are disjoint, each in time order, and together the batch; call 10 repeats call 0."""
    batch = dataset.batches[3]
    shares = [batches.share(batch, group=2, batch_number=4, call=c) for c in range(CALLS_PER_BATCH)]
    served = [tuple(row) for rows in shares for row in rows]
    assert sorted(served) == sorted(batch) and len(served) == len(set(served)), "shares overlap or miss rows"
    for rows in shares:
        assert stamps(dataset, rows) == sorted(stamps(dataset, rows)), "a share is not in time order"
    assert batches.share(batch, 2, 4, call=10) == shares[0]


def test_shares_are_reproducible_and_differ_by_group(dataset):
    """The same call answers the same rows every time; another group gets another share first."""
    batch = dataset.batches[0]
    assert batches.share(batch, 1, 1, 0) == batches.share(batch, 1, 1, 0)
    assert batches.share(batch, 1, 1, 0) != batches.share(batch, 2, 1, 0)


def test_the_shipped_dataset_makes_ten_batches_of_1500(real_dataset_folder):
    """shared-data/chicago-taxi: 15,000 trips in ten batches of 1,500 (150 per call), columns as span-1's header."""
    dataset = batches.load(real_dataset_folder)
    header = (real_dataset_folder / "span-1/data.csv").read_text().splitlines()[0].split(",")
    assert list(dataset.columns) == header
    assert [len(b) for b in dataset.batches] == [1500] * 10
    assert dataset.rows_per_call(1) == 150
    ends = [(min(stamps(dataset, b)), max(stamps(dataset, b))) for b in dataset.batches]
    assert all(ends[i][1] <= ends[i + 1][0] for i in range(9)), f"batches overlap in time: {ends}"
