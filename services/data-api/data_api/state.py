"""Where each group is in its batches, kept in a small JSON file that survives a restart of the service.

The file lives in the volume data-api-state (`docker compose down -v` deletes it,
and every group starts over). It is replaced atomically: written whole to a
temporary file in the same folder, flushed to disk, then renamed over the old
one, so a crash leaves either the old state or the new one, never half of it.
"""

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

FORMAT = 1


@dataclass
class GroupState:
    """A group's current batch (1..BATCHES; BATCHES + 1 once every batch is done), when it was first served
    (Unix seconds; None until a /data call serves it) and how many calls it has answered."""

    batch_number: int = 1
    first_served_at: float | None = None
    calls: int = 0


class StateFile:
    """The groups' state as one JSON document at `path`."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def load(self) -> dict[int, GroupState]:
        """Every group's saved state; groups never served are absent (an absent file: none)."""
        if not self.path.exists():
            return {}
        document = json.loads(self.path.read_text())
        if document.get("format") != FORMAT:
            raise ValueError(f"{self.path}: unknown state format {document.get('format')!r}")
        return {int(group): GroupState(**fields) for group, fields in document["groups"].items()}

    def save(self, groups: dict[int, GroupState]) -> None:
        """Replace the file with `groups`, atomically."""
        document = {"format": FORMAT, "groups": {str(g): asdict(s) for g, s in sorted(groups.items())}}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        try:
            with os.fdopen(handle, "w") as file:
                json.dump(document, file, indent=1)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
