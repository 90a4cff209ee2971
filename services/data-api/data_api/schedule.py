"""The course's batch protocol: which batch each group is on, when it moves on, what each call answers.

A group starts on batch 1. Its batch is "first served" by the first /data call
that answers from it; the first /data call at least `batch_seconds` later moves
the group to the next batch (one batch per call, never skipping one, however
long nobody asked). After the last batch has had its time, /data answers a
Spanish 400 until the group restarts. `next_batch` moves a group on at once
(tests, impatient students); `restart` puts it back on batch 1.

The clock is injected (`clock`, Unix seconds), so tests move time by hand.
"""

import threading
import time
from collections.abc import Callable

from data_api.batches import Dataset, share
from data_api.state import GroupState, StateFile

GROUPS = range(1, 11)


class ProtocolError(Exception):
    """A request the protocol refuses (HTTP 400), with the Spanish message the student reads."""


def invalid_group(group: int) -> ProtocolError:
    return ProtocolError(f"Número de grupo inválido: {group}. Los grupos válidos van del {GROUPS[0]} al "
                         f"{GROUPS[-1]}.")


def all_collected(group: int, batches: int) -> ProtocolError:
    return ProtocolError(f"Ya se recolectó toda la información mínima necesaria: el grupo {group} recibió sus "
                         f"{batches} lotes. Para empezar de nuevo: GET /restart_data_generation?group_number={group}")


class Schedule:
    """Every group's progress through the batches of `dataset`, saved to `state` after each change."""

    def __init__(self, dataset: Dataset, state: StateFile, batch_seconds: float,
                 clock: Callable[[], float] = time.time):
        if batch_seconds < 0:
            raise ValueError(f"batch_seconds must be >= 0, got {batch_seconds}")
        self.dataset, self.state, self.batch_seconds, self.clock = dataset, state, batch_seconds, clock
        self.groups = state.load()
        # FastAPI runs plain `def` endpoints in a thread pool: one change at a time.
        self.lock = threading.Lock()

    @property
    def last_batch(self) -> int:
        return len(self.dataset.batches)

    def group(self, group: int) -> GroupState:
        if group not in GROUPS:
            raise invalid_group(group)
        return self.groups.setdefault(group, GroupState())

    def data(self, group: int) -> dict:
        """The answer to GET /data: a share of the group's current batch, moving it on if its time is over."""
        with self.lock:
            state = self.group(group)
            if state.batch_number > self.last_batch:
                raise all_collected(group, self.last_batch)
            now = self.clock()
            if state.first_served_at is None:
                state.first_served_at = now
            elif now - state.first_served_at >= self.batch_seconds:
                state.batch_number += 1
                state.first_served_at, state.calls = now, 0
                if state.batch_number > self.last_batch:
                    state.first_served_at = None
                    self.state.save(self.groups)
                    raise all_collected(group, self.last_batch)
            batch = self.dataset.batches[state.batch_number - 1]
            rows = share(batch, group, state.batch_number, state.calls)
            state.calls += 1
            self.state.save(self.groups)
            return {"group_number": group, "batch_number": state.batch_number, "data": rows}

    def next_batch(self, group: int) -> dict:
        """Move the group to its next batch now (first served by the next /data call); past the last, done."""
        with self.lock:
            state = self.group(group)
            if state.batch_number > self.last_batch:
                raise all_collected(group, self.last_batch)
            state.batch_number += 1
            state.first_served_at, state.calls = None, 0
            self.state.save(self.groups)
            if state.batch_number > self.last_batch:
                return {"group_number": group, "batch_number": None,
                        "message": f"El grupo {group} terminó sus {self.last_batch} lotes: /data responde 400."}
            return {"group_number": group, "batch_number": state.batch_number,
                    "message": f"El grupo {group} pasa al lote {state.batch_number} de {self.last_batch}."}

    def restart(self, group: int) -> dict:
        """Put the group back on batch 1, never served."""
        with self.lock:
            self.group(group)
            self.groups[group] = GroupState()
            self.state.save(self.groups)
            return {"ok": True, "group_number": group,
                    "message": f"El grupo {group} empieza de nuevo en el lote 1 de {self.last_batch}."}
