"""A group's batch moves on with time (an injected clock), on demand, or back to the start; the 400s are Spanish."""

import pytest

from data_api.schedule import ProtocolError


def batch_of(schedule, group=1) -> int:
    return schedule.data(group)["batch_number"]


def test_first_call_serves_batch_1_with_the_protocol_shape(schedule, dataset):
    """/data answers group, batch 1 and a tenth of batch 1, as lists of values in column order."""
    answer = schedule.data(3)
    assert set(answer) == {"group_number", "batch_number", "data"}
    assert answer["group_number"] == 3 and answer["batch_number"] == 1
    assert len(answer["data"]) == 2 and all(len(row) == len(dataset.columns) for row in answer["data"])
    assert all(tuple(row) in dataset.batches[0] for row in answer["data"])


def test_batch_lasts_its_minutes_from_when_it_was_first_served(schedule, clock):
    """Within 5 minutes of its first call the batch stays; the first call after them gets the next batch."""
    assert batch_of(schedule) == 1
    clock.advance(4.9)
    assert batch_of(schedule) == 1
    clock.advance(0.1)
    assert batch_of(schedule) == 2
    clock.advance(4.9)
    assert batch_of(schedule) == 2, "batch 2's time counts from its own first call"


def test_a_long_silence_moves_on_one_batch_only(schedule, clock):
    """An hour without calls moves the group one batch, never skipping one."""
    batch_of(schedule)
    clock.advance(60)
    assert batch_of(schedule) == 2


def test_calls_within_a_batch_collect_it(schedule, dataset):
    """Ten calls within one batch return the whole batch, each row once."""
    rows = [tuple(r) for _ in range(10) for r in schedule.data(1)["data"]]
    assert sorted(rows) == sorted(dataset.batches[0])


def test_groups_move_independently(schedule, clock):
    """Group 2's clock starts at its own first call."""
    batch_of(schedule, 1)
    clock.advance(3)
    batch_of(schedule, 2)
    clock.advance(3)
    assert (batch_of(schedule, 1), batch_of(schedule, 2)) == (2, 1)


@pytest.mark.parametrize("group", [0, 11, -1])
def test_invalid_group_is_refused_in_spanish(schedule, group):
    """Groups outside 1..10 get the course's message, naming the valid range; nothing is saved for them."""
    for call in (schedule.data, schedule.next_batch, schedule.restart):
        with pytest.raises(ProtocolError, match=r"Número de grupo inválido: .* del 1 al 10"):
            call(group)
    assert group not in schedule.groups


def test_after_the_last_batch_data_answers_400(schedule, clock):
    """Once batch 10 has had its minutes, /data refuses with the course's message until a restart."""
    for expected in range(1, 11):
        assert batch_of(schedule) == expected
        clock.advance(5)
    for _ in range(2):
        with pytest.raises(ProtocolError, match="Ya se recolectó toda la información mínima necesaria"):
            schedule.data(1)


def test_zero_minutes_moves_on_at_every_call(dataset, state_file, clock):
    """LAB_BATCH_MINUTES=0: each call serves the next batch, and the eleventh gets the 400."""
    from data_api.schedule import Schedule

    schedule = Schedule(dataset, state_file, batch_seconds=0, clock=clock)
    assert [batch_of(schedule) for _ in range(10)] == list(range(1, 11))
    with pytest.raises(ProtocolError):
        schedule.data(1)


def test_next_batch_moves_on_at_once_and_restarts_the_minutes(schedule, clock):
    """next_batch moves the group now; the new batch's minutes start at its first /data call."""
    batch_of(schedule)
    assert schedule.next_batch(1)["batch_number"] == 2
    clock.advance(60)
    assert batch_of(schedule) == 2, "a batch nobody has served yet has not started its minutes"
    clock.advance(4)
    assert batch_of(schedule) == 2


def test_next_batch_past_the_last_finishes_the_group(schedule):
    """Nine next_batch reach batch 10, the tenth finishes the group: /data and next_batch then answer 400."""
    answers = [schedule.next_batch(1) for _ in range(10)]
    assert [a["batch_number"] for a in answers] == [*range(2, 11), None]
    with pytest.raises(ProtocolError, match="Ya se recolectó"):
        schedule.data(1)
    with pytest.raises(ProtocolError, match="restart_data_generation"):
        schedule.next_batch(1)


def test_restart_starts_over_from_batch_1(schedule, clock, dataset):
    """After a restart the group is on batch 1 again, served from its first share, even once it had finished."""
    first = schedule.data(1)["data"]
    for _ in range(10):
        schedule.next_batch(1)
    assert schedule.restart(1)["ok"] is True
    again = schedule.data(1)
    assert again["batch_number"] == 1 and again["data"] == first
