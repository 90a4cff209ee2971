"""Every group's progress survives a restart of the service (a new schedule over the same state file)."""

import json

import pytest

from data_api.schedule import ProtocolError, Schedule
from data_api.state import GroupState, StateFile


def reloaded(schedule, clock) -> Schedule:
    """What the service has after a restart: a new schedule reading the same file."""
    return Schedule(schedule.dataset, StateFile(schedule.state.path), schedule.batch_seconds, clock=clock)


def test_batch_minutes_and_calls_survive_a_reload(schedule, clock):
    """After a reload the group is on the same batch, its minutes still counting and its next share next."""
    schedule.data(1)
    clock.advance(5)
    schedule.data(1)
    second_call = schedule.data(1)["data"]
    after = reloaded(schedule, clock)
    assert after.groups[1] == GroupState(batch_number=2, first_served_at=clock.now, calls=2)
    assert after.data(1)["data"] != second_call, "the reloaded schedule repeated a share"
    clock.advance(5)
    assert after.data(1)["batch_number"] == 3


def test_a_finished_group_stays_finished_after_a_reload(schedule, clock):
    """A group past its last batch still gets the 400 from a reloaded service; a restart is saved too."""
    for _ in range(10):
        schedule.next_batch(4)
    with pytest.raises(ProtocolError):
        reloaded(schedule, clock).data(4)
    schedule.restart(4)
    assert reloaded(schedule, clock).data(4)["batch_number"] == 1


def test_no_file_means_every_group_starts_at_batch_1(state_file, dataset, clock):
    """Without a state file (a new volume, `down -v`) every group starts on batch 1."""
    assert not state_file.path.exists()
    assert Schedule(dataset, state_file, 300, clock=clock).data(7)["batch_number"] == 1


def test_the_file_is_replaced_whole(schedule, state_file):
    """Each save leaves one readable JSON document and no temporary file beside it."""
    for group in (1, 2, 3):
        schedule.data(group)
    assert [p.name for p in state_file.path.parent.iterdir()] == [state_file.path.name]
    document = json.loads(state_file.path.read_text())
    assert document["format"] == 1 and sorted(document["groups"]) == ["1", "2", "3"]


def test_an_unknown_format_is_refused(state_file):
    """A state file of another format is an error naming the file, not a silent start over."""
    state_file.path.parent.mkdir(parents=True)
    state_file.path.write_text(json.dumps({"format": 99, "groups": {}}))
    with pytest.raises(ValueError, match="groups.json"):
        state_file.load()
