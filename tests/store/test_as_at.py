"""The plan as at a past day, rebuilt from the history, and the changes since a day or a meeting."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from plantui.domain.errors import InputError, NotFoundError
from plantui.domain.movement import Direction
from plantui.store.as_at import (
    changes_since,
    end_of_day,
    movement_between,
    plan_as_at,
    resolve_since,
    start_of_day,
)
from plantui.store.changes import add_note, set_milestone, set_status, undo_step
from plantui.store.meetings import end_meeting, start_meeting
from plantui.store.queries import list_actions


def _by_ref(rows):
    return {row.ref: row for row in rows}


@pytest.fixture
def worked(database):
    """A month of changes across several days: moves, a milestone slip, notes, and an undo."""
    set_status(
        database,
        "1.1.1.2",
        "some_issues",
        note="Two posts filled",
        author="Ann",
        at=datetime(2022, 10, 3, 10),
    )
    set_milestone(
        database,
        "1.1.1.3",
        "June 2023",
        note="Recruitment paused",
        author="Ann",
        at=datetime(2022, 10, 3, 11),
    )
    add_note(database, "1.2.1.2", "Draft framework [v2] shared", author="Bo", at=datetime(2022, 10, 4, 9))
    set_status(
        database, "1.1.1.3", "off_track", note="Nobody applied", author="Bo", at=datetime(2022, 10, 10, 9)
    )
    set_status(
        database, "1.1.1.2", "on_track", note="Team complete", author="Ann", at=datetime(2022, 10, 12, 9)
    )
    undo_step(database, author="Ann", at=datetime(2022, 10, 12, 9, 5))  # 1.1.1.2 back to some_issues
    set_milestone(database, "1.1.1.3", "September 2023", author="Bo", at=datetime(2022, 10, 20, 16))
    return database


def test_as_at_before_any_change_is_the_plan_as_loaded(worked) -> None:
    rows = _by_ref(plan_as_at(worked, date(2022, 10, 2)))
    assert rows["1.1.1.2"].status == "off_track"
    assert rows["1.1.1.3"].status == "on_track"
    assert rows["1.1.1.3"].milestone == "March 2023"
    assert rows["1.1.1.3"].due == date(2023, 3, 31)
    assert rows["1.1.1.3"].slipped_days is None
    assert rows["1.2.1.2"].last_note == ""
    assert rows["1.1.1.2"].updated_at is None


def test_as_at_each_day_follows_the_history(worked) -> None:
    oct3 = _by_ref(plan_as_at(worked, date(2022, 10, 3)))
    assert oct3["1.1.1.2"].status == "some_issues"
    assert oct3["1.1.1.2"].last_note == "Two posts filled"
    assert oct3["1.1.1.3"].milestone == "June 2023"
    assert oct3["1.1.1.3"].due == date(2023, 6, 30)
    assert oct3["1.1.1.3"].baseline == "March 2023"
    assert oct3["1.1.1.3"].slipped
    assert oct3["1.2.1.2"].last_note == ""

    oct10 = _by_ref(plan_as_at(worked, date(2022, 10, 10)))
    assert oct10["1.1.1.3"].status == "off_track"
    assert oct10["1.2.1.2"].last_note == "Draft framework [v2] shared"
    assert oct10["1.1.1.3"].updated_at == datetime(2022, 10, 10, 9)


def test_as_at_a_day_with_a_change_and_its_undo(worked) -> None:
    oct12 = _by_ref(plan_as_at(worked, date(2022, 10, 12)))
    assert oct12["1.1.1.2"].status == "some_issues"
    assert oct12["1.1.1.2"].last_note == "Two posts filled"  # the undone change's note is not the latest
    between = _by_ref(plan_as_at(worked, datetime(2022, 10, 12, 9, 1)))
    assert between["1.1.1.2"].status == "on_track"
    assert between["1.1.1.2"].last_note == "Team complete"


def test_as_at_today_or_later_is_the_plan_as_it_is(worked) -> None:
    now = list_actions(worked)
    assert plan_as_at(worked, date(2030, 1, 1)) == now
    assert _by_ref(now)["1.1.1.3"].milestone == "September 2023"
    assert plan_as_at(worked, date(2022, 10, 20))[2].milestone == "September 2023"
    assert plan_as_at(worked, date(2022, 10, 19))[2].milestone == "June 2023"


def test_as_at_keeps_plan_order_and_every_action(worked) -> None:
    assert [r.ref for r in plan_as_at(worked, date(2022, 9, 1))] == [r.ref for r in list_actions(worked)]


def test_days_are_local_days(monkeypatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    try:
        assert start_of_day(date(2022, 10, 3)) == datetime(2022, 10, 2, 23)  # BST is UTC+1
        assert end_of_day(date(2022, 12, 3)) == datetime(2022, 12, 4)
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


def test_changes_since_a_day_in_the_order_made(worked) -> None:
    entries = changes_since(worked, date(2022, 10, 10))
    assert [(e.action_ref, e.field) for e in entries] == [
        ("1.1.1.3", "status"),
        ("1.1.1.2", "status"),
        ("1.1.1.2", "status"),
        ("1.1.1.3", "milestone"),
    ]
    assert entries[2].undoes_id == entries[1].id
    assert entries[0].action_title == "Recruit a participation officer"
    assert changes_since(worked, "2022-10-21") == []
    assert len(changes_since(worked, "2022-10-01")) == 7


def test_changes_since_the_last_meeting(worked) -> None:
    with pytest.raises(NotFoundError, match="no board meeting"):
        changes_since(worked, "last-meeting")
    start_meeting(worked, "October Board", "theme:1", author="Ann", at=datetime(2022, 10, 25, 10))
    set_status(
        worked,
        "1.1.1.3",
        "some_issues",
        note="Agency cover",
        author="Ann",
        at=datetime(2022, 10, 25, 10, 5),
    )
    end_meeting(worked, at=datetime(2022, 10, 25, 12))
    add_note(worked, "2.1.1.1", "Vendor chosen", author="Bo", at=datetime(2022, 10, 26, 9))
    since = resolve_since(worked, "last-meeting")
    assert since.moment == datetime(2022, 10, 25, 10)
    assert "October Board" in since.label
    entries = changes_since(worked, "last-meeting")
    assert [(e.action_ref, e.meeting_id) for e in entries] == [("1.1.1.3", 1), ("2.1.1.1", None)]


def test_since_refuses_words_it_cannot_read(worked) -> None:
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        resolve_since(worked, "last week")


def test_movement_between_two_moments_is_the_net_move(worked) -> None:
    movement = movement_between(worked, start_of_day(date(2022, 10, 1)))
    moves = {m.ref: m for m in movement.moves}
    assert set(moves) == {"1.1.1.2", "1.1.1.3"}
    assert (moves["1.1.1.2"].old, moves["1.1.1.2"].new) == ("off_track", "some_issues")
    assert moves["1.1.1.2"].direction is Direction.BETTER
    assert (moves["1.1.1.3"].old, moves["1.1.1.3"].new) == ("on_track", "off_track")
    assert moves["1.1.1.3"].direction is Direction.WORSE
    later = movement_between(worked, start_of_day(date(2022, 10, 11)))
    assert later.moves == []  # 1.1.1.2 went on track and was undone the same day


def test_the_whole_document_as_at_a_day_round_trips(worked, tmp_path) -> None:
    import json

    from plantui.io.plan_json import dumps_plan, parse_plan
    from plantui.store.as_at import document_as_at
    from plantui.store.opening import open_database
    from plantui.store.plans import load_document

    document = document_as_at(worked, date(2022, 10, 12))
    actions = {a.ref: a for a in document.actions()}
    assert actions["1.1.1.2"].rag == "some_issues"
    assert actions["1.1.1.3"].rag == "off_track" and actions["1.1.1.3"].milestone == "June 2023"
    assert [h.field for h in actions["1.1.1.2"].history] == ["status", "status", "status"]
    assert actions["1.1.1.2"].history[2].undoes == 1
    assert all(h.at < datetime(2022, 10, 13) for a in document.actions() for h in a.history)

    again = open_database(tmp_path / "again.db")
    try:
        load_document(again, parse_plan(json.loads(dumps_plan(document))))
        imported = _by_ref(list_actions(again))
        then = _by_ref(plan_as_at(worked, date(2022, 10, 12)))
        assert imported == {ref: row._replace(id=imported[ref].id) for ref, row in then.items()}
    finally:
        again.close()
