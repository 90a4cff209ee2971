"""The history of decisions: the champion is the last promoted batch, and rows add up until a training."""

from proyecto3.decision import OMITTED, PROMOTED, REJECTED
from proyecto3.history import History, Record


def record(span: int, outcome: str, trained: bool, rows: int = 1500, anomalies=None, version=None) -> Record:
    return Record(span=span, batch_number=span, rows=rows, run_id=f"run-{span}", outcome=outcome, reason="…",
                  trained=trained, statistics_uri=f"/stats/{span}", anomalies=anomalies or {}, model_version=version)


def test_empty_history_has_no_champion(tmp_path):
    history = History(tmp_path / "decisions.json")
    assert history.records() == []
    assert history.champion() is None
    assert history.rows_since_training(1500) == 1500


def test_champion_is_the_last_promoted_batch_not_a_later_rejected_one(tmp_path):
    history = History(tmp_path / "decisions.json")
    for r in [record(1, PROMOTED, True, version="1"), record(2, OMITTED, False), record(3, PROMOTED, True, version="3"),
              record(4, REJECTED, True)]:
        history.add(r)
    assert history.champion().span == 3, history.records()


def test_rows_add_up_over_omitted_batches_until_a_training(tmp_path):
    history = History(tmp_path / "decisions.json")
    for r in [record(1, PROMOTED, True), record(2, OMITTED, False), record(3, OMITTED, False, rows=700)]:
        history.add(r)
    assert history.rows_since_training(1500) == 1500 + 1500 + 700
    history.add(record(4, REJECTED, True))
    assert history.rows_since_training(1500) == 1500, "a rejected candidate was trained: the count starts again"


def test_a_batch_omitted_for_anomalies_never_counts_towards_retraining(tmp_path):
    history = History(tmp_path / "decisions.json")
    history.add(record(1, PROMOTED, True))
    history.add(record(2, OMITTED, False, anomalies={"fare": ["Unexpected data type"]}))
    assert history.rows_since_training(1500) == 1500


def test_a_task_run_again_replaces_its_record(tmp_path):
    history = History(tmp_path / "decisions.json")
    history.add(record(1, PROMOTED, True))
    history.add(record(1, REJECTED, True))
    assert [r.outcome for r in history.records()] == [REJECTED]
    assert History(tmp_path / "decisions.json").of_run("run-1").outcome == REJECTED, "not kept on disk"
