"""The decision on every batch, as the DAG took it: `<TFX_DIR>/proyecto3/decisions.json`.

One record per collected span, written once by proyecto3.gate (before
training for `omitido`, after the Evaluator for `rechazado`/`promovido`) and
read by the next decisions: the champion's span is the drift baseline, and the
rows of every batch omitted since the last training add up towards retraining.
MLflow keeps the same records as runs (proyecto3.tracking); this file is what
the DAG itself needs, written on the shared volume next to the spans.
"""

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from lab_helpers.paths import TFX_DIR
from proyecto3.decision import PROMOTED

HISTORY_PATH = TFX_DIR / "proyecto3" / "decisions.json"


@dataclass(frozen=True)
class Record:
    """One batch: what arrived, what TFDV and the Evaluator said, what was decided and why, what serves after."""

    span: int
    batch_number: int | None
    rows: int
    run_id: str
    outcome: str
    reason: str
    trained: bool
    statistics_uri: str
    drift: dict[str, float] = field(default_factory=dict)
    anomalies: dict[str, list[str]] = field(default_factory=dict)
    candidate: float | None = None
    champion: float | None = None
    champion_span: int | None = None
    model_version: str | None = None
    mlflow_run_id: str | None = None


class History:
    """The records of `path`, oldest first; appended by replacing the file whole."""

    def __init__(self, path: Path | str = HISTORY_PATH):
        self.path = Path(path)

    def records(self) -> list[Record]:
        if not self.path.exists():
            return []
        return [Record(**r) for r in json.loads(self.path.read_text())]

    def save(self, records: list[Record]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.tmp")
        temporary.write_text(json.dumps([asdict(r) for r in records], indent=1, ensure_ascii=False))
        os.replace(temporary, self.path)

    def add(self, record: Record) -> None:
        """Keep `record`, replacing an earlier one of the same DAG run (a task cleared and run again)."""
        self.save([*(r for r in self.records() if r.run_id != record.run_id), record])

    def of_run(self, run_id: str) -> Record | None:
        return next((r for r in self.records() if r.run_id == run_id), None)

    def champion(self) -> Record | None:
        """The last promoted batch: its model serves, its span's statistics are the drift baseline."""
        return next((r for r in reversed(self.records()) if r.outcome == PROMOTED), None)

    def rows_since_training(self, rows: int) -> int:
        """`rows` plus those of every valid batch not trained on since the last training.

        A batch omitted for its anomalies does not count: it is never trained on.
        """
        total = rows
        for record in reversed(self.records()):
            if record.trained:
                break
            if not record.anomalies:
                total += record.rows
        return total
