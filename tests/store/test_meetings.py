"""Board meetings: one open at a time, changes recorded in them, and the summary at the end."""

from __future__ import annotations

from datetime import datetime

import pytest

from plantui.domain.errors import InputError, NotFoundError
from plantui.domain.movement import Direction
from plantui.store.changes import add_note, set_milestone, set_status, undo_step
from plantui.store.meetings import (
    end_meeting,
    last_meeting,
    list_meetings,
    meeting_summary,
    open_meeting,
    start_meeting,
)
from plantui.store.queries import action_history


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2022, 10, day, hour, minute)


def test_a_meeting_records_its_changes_and_sums_them_up(database) -> None:
    meeting = start_meeting(database, "October  Board", "theme:1", author="Ann", at=at(5, 10))
    assert meeting.is_open and meeting.title == "October Board" and meeting.scope == "theme:1"
    assert open_meeting(database) == meeting
    mid = meeting.id
    set_status(
        database,
        "1.1.1.2",
        "some_issues",
        note="Two posts [filled]",
        author="Ann",
        at=at(5, 10, 5),
    )
    set_status(database, "1.1.1.3", "off_track", note="Nobody applied", author="Bo", at=at(5, 10, 10))
    add_note(database, "1.2.1.2", "Framework agreed in the room", author="Ann", at=at(5, 10, 15))
    set_milestone(database, "1.2.1.2", "December 2022", author="Ann", at=at(5, 10, 16))
    set_status(database, "1.2.1.2", "complete", author="Ann", at=at(5, 10, 20))
    undo_step(database, author="Ann", at=at(5, 10, 21))

    summary = end_meeting(database, at=at(5, 12))
    set_status(database, "2.1.1.1", "on_track", note="outside the meeting", author="Cy", at=at(5, 12, 2))
    assert summary.meeting.ended_at == at(5, 12) and not summary.meeting.is_open
    assert open_meeting(database) is None
    assert [(e.action_ref, e.field) for e in summary.changes] == [
        ("1.1.1.2", "status"),
        ("1.1.1.3", "status"),
        ("1.2.1.2", "note"),
        ("1.2.1.2", "milestone"),
        ("1.2.1.2", "status"),
        ("1.2.1.2", "status"),
    ]
    undo_row = summary.changes[-1]
    assert undo_row.undoes_id == summary.changes[-2].id and undo_row.meeting_id == mid
    assert summary.undone == {summary.changes[-2].id}
    assert [(m.ref, m.old, m.new, m.direction) for m in summary.moves] == [
        ("1.1.1.2", "off_track", "some_issues", Direction.BETTER),
        ("1.1.1.3", "on_track", "off_track", Direction.WORSE),
    ]
    assert summary.changes[0].note == "Two posts [filled]" and summary.changes[1].author == "Bo"
    assert summary.changes[0].action_title == "Recruit senior leaders"
    assert summary.status_changes == 3 and summary.notes == 3
    assert meeting_summary(database, mid) == summary
    outside = action_history(database, "2.1.1.1")[0]
    assert outside.meeting_id is None


def test_only_one_meeting_is_open_at_a_time(database) -> None:
    start_meeting(database, "First", author="Ann", at=at(5, 10))
    with pytest.raises(InputError, match="'First' .* is still open: end it first"):
        start_meeting(database, "Second", author="Ann", at=at(5, 11))
    end_meeting(database, at=at(5, 12))
    with pytest.raises(NotFoundError, match="no meeting is open"):
        end_meeting(database)
    second = start_meeting(database, "", "plan", author="Ann", at=at(6, 10))
    assert second.name == "Meeting of 2022-10-06"
    assert last_meeting(database) == second
    assert [m.id for m in list_meetings(database)] == [second.id, 1]


def test_meeting_scope_must_name_something(database) -> None:
    with pytest.raises(NotFoundError, match="no theme 9"):
        start_meeting(database, "x", "theme:9", author="Ann")
    with pytest.raises(InputError, match="1.2 is an area, not theme"):
        start_meeting(database, "x", "theme:1.2", author="Ann")
    with pytest.raises(InputError, match="is not a status"):
        start_meeting(database, "x", "filter:rag:purpleish", author="Ann")
    with pytest.raises(InputError, match="author"):
        start_meeting(database, "x", author="  ")
    meeting = start_meeting(database, "Reds", "filter:rag:red", author="Ann")
    assert meeting.scope == "filter:rag:red"
    assert list_meetings(database) == [meeting]


def test_an_empty_meeting_has_an_empty_summary(database) -> None:
    start_meeting(database, "Quiet", author="Ann", at=at(5, 10))
    summary = end_meeting(database, at=at(5, 11))
    assert summary.changes == () and summary.moves == () and summary.undone == frozenset()


def test_replacing_the_plan_removes_its_meetings(database, plan_doc) -> None:
    from plantui.store.plans import load_document

    start_meeting(database, "Board", author="Ann")
    set_status(database, "1.1.1.2", "on_track", author="Ann")
    load_document(database, plan_doc, replace=True)
    assert list_meetings(database) == []


def test_the_actions_a_meeting_steps_through_and_the_findings_for_the_views(database) -> None:
    from datetime import date

    from plantui.store.board import actions_in_scope, rolled_up_findings

    today = date(2022, 11, 1)
    assert [a.ref for a in actions_in_scope(database, "theme:2", today)] == ["2.1.1.1", "2.1.1.2"]
    assert [a.ref for a in actions_in_scope(database, "filter:rag:red", today)] == ["1.1.1.2", "2.1.1.2"]
    assert len(actions_in_scope(database, "plan", today)) == 7
    set_status(database, "1.1.1.2", "on_track", author="Ann", at=at(20, 9))
    assert [a.ref for a in actions_in_scope(database, "filter:rag:red", today)] == ["2.1.1.2"]
    before = actions_in_scope(database, "filter:rag:red", today, when=date(2022, 10, 19))
    assert [a.ref for a in before] == ["1.1.1.2", "2.1.1.2"]
    rolled = rolled_up_findings(database, today)
    assert [r.dangling for r in rolled] == [(), ("1.2.2",)]
    assert [a.ref for a in rolled[0].off_track] == ["2.1.1.2"]
    assert [a.ref for a in rolled_up_findings(database, today, when=date(2022, 10, 19))[0].off_track] == [
        "1.1.1.2",
        "2.1.1.2",
    ]


def test_meetings_travel_with_the_plan_file(database, tmp_path) -> None:
    import json

    from plantui.io.plan_json import dumps_plan, parse_plan
    from plantui.store.opening import open_database
    from plantui.store.plans import dump_document, load_document

    start_meeting(database, "September [Board]", "area:1.1", author="Ann", at=at(1, 10))
    set_status(database, "1.1.1.2", "some_issues", note="n", author="Ann", at=at(1, 10, 5))
    end_meeting(database, at=at(1, 11))
    add_note(database, "1.1.1.3", "between boards", author="Bo", at=at(3, 9))
    start_meeting(database, "", "filter:rag:red", author="Bo", at=at(5, 10))
    undo_step(database, author="Bo", at=at(5, 10, 1))
    text = dumps_plan(dump_document(database))
    data = json.loads(text)
    assert data["meetings"] == [
        {"title": "September [Board]", "scope": "area:1.1", "started_at": "2022-10-01T10:00:00Z",
         "ended_at": "2022-10-01T11:00:00Z", "recorded_by": "Ann"},
        {"title": "", "scope": "filter:rag:red", "started_at": "2022-10-05T10:00:00Z", "ended_at": None,
         "recorded_by": "Bo"},
    ]  # fmt: skip
    action = data["themes"][0]["areas"][0]["objectives"][0]["actions"][2]
    assert [(h["field"], h.get("meeting")) for h in action["history"]] == [("note", None), ("note", 1)]
    moved = data["themes"][0]["areas"][0]["objectives"][0]["actions"][1]
    assert [h.get("meeting") for h in moved["history"]] == [0]
    again = open_database(tmp_path / "again.db")
    try:
        load_document(again, parse_plan(json.loads(text)))
        assert dumps_plan(dump_document(again)) == text
        assert open_meeting(again) is not None and open_meeting(again).scope == "filter:rag:red"
        summary = meeting_summary(again, list_meetings(again)[1].id)
        assert [(e.action_ref, e.note) for e in summary.changes] == [("1.1.1.2", "n")]
    finally:
        again.close()


def test_a_plan_file_without_meetings_is_written_as_before(database) -> None:
    from plantui.io.plan_json import dumps_plan
    from plantui.store.plans import dump_document

    set_status(database, "1.1.1.2", "some_issues", author="Ann", at=at(1, 10))
    text = dumps_plan(dump_document(database))
    assert '"meetings"' not in text and '"meeting"' not in text


@pytest.mark.parametrize(
    ("meetings", "history_meeting", "message"),
    [
        ([{"scope": "theme:x", "started_at": "2022-10-01T10:00:00Z", "recorded_by": "A"}], None,
         "meetings\\[0\\]: scope: .*not a ref"),
        ([{"scope": "plan", "started_at": "2022-10-01T10:00:00Z"}], None,
         "meetings\\[0\\]: 'recorded_by' is missing"),
        ([{"started_at": "2022-10-01T10:00:00Z", "recorded_by": "A"}] * 2, None,
         "more than one meeting is open"),
        ([], 0, "history\\[0\\]: meeting: expected the index"),
    ],
)  # fmt: skip
def test_bad_meetings_in_a_plan_file_are_named(meetings, history_meeting, message) -> None:
    import json

    from plantui.domain.errors import InputError
    from plantui.io.plan_json import dumps_plan, parse_plan
    from tests.conftest import mini_plan

    data = json.loads(dumps_plan(mini_plan()))
    data["meetings"] = meetings
    data["themes"][0]["areas"][0]["objectives"][0]["actions"][0]["history"] = [
        {"at": "2022-10-01T10:00:00Z", "author": "A", "field": "note", "from": None, "to": None, "note": "x",
         "undoes": None, "meeting": history_meeting}
    ]  # fmt: skip
    with pytest.raises(InputError, match=message):
        parse_plan(data, "plan.json")
