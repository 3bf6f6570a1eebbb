"""One status and/or milestone on several actions (`EditSeveral`): one transaction, all or nothing,
one undo step that redo restores whole, actions already as asked skipped without a history row, the
superseded check made for each, and the step recorded in an open meeting. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from plantui.domain.errors import InputError, NotFoundError
from plantui.store import queries
from plantui.store.changes import EditSeveral, apply_change, redo_step, set_several, set_status, undo_step
from plantui.store.meetings import start_meeting

AT = datetime(2022, 10, 5, 9)
REFS = ("1.1.1.1", "1.1.1.2", "1.1.1.3")


def minutes(n: int) -> datetime:
    return AT + timedelta(minutes=n)


def statuses(database, refs=REFS) -> list[str]:
    return [queries.get_action(database, ref).status for ref in refs]


def test_several_actions_change_as_one_step_and_those_already_there_are_skipped(database) -> None:
    result = set_several(database, REFS, code="off_track", note="Board review", author="Ann", at=minutes(1))
    assert statuses(database) == ["off_track"] * 3
    assert result.skipped == ("1.1.1.2",)  # it was off track already: no history row for it
    assert [(before.ref, before.status, after.status) for before, after in result.actions] == [
        ("1.1.1.1", "complete", "off_track"),
        ("1.1.1.3", "on_track", "off_track"),
    ]
    assert [(e.action_ref, e.field, e.note) for e in result.entries] == [
        ("1.1.1.1", "status", "Board review"),
        ("1.1.1.3", "status", "Board review"),
    ]
    assert queries.action_history(database, "1.1.1.2") == []
    history = queries.plan_history(database)
    assert len(history) == 2
    group = {row.group_id for row in _history_rows(database)}
    assert group == {None, history[-1].id}  # the second row joins the step the first one started


def test_one_undo_takes_back_every_action_and_one_redo_restores_them(database) -> None:
    set_several(database, REFS, code="some_issues", author="Ann", at=minutes(1))
    undone = undo_step(database, author="Ann", at=minutes(2))
    assert statuses(database) == ["complete", "off_track", "on_track"]
    assert {before.ref for before, _after in undone.actions} == set(REFS)
    assert len(undone.entries) == 3
    redone = redo_step(database, author="Ann", at=minutes(3))
    assert statuses(database) == ["some_issues"] * 3
    assert {after.ref for _before, after in redone.actions} == set(REFS)
    with pytest.raises(NotFoundError):
        redo_step(database, author="Ann")  # one step: nothing left to redo


def test_an_unknown_ref_changes_nothing_and_is_named(database) -> None:
    with pytest.raises(NotFoundError, match=r"9\.9\.9\.9"):
        set_several(database, ("1.1.1.1", "9.9.9.9", "1.1.1.3"), code="off_track", author="Ann")
    assert statuses(database) == ["complete", "off_track", "on_track"]
    assert queries.plan_history(database) == []


def test_a_bad_milestone_changes_nothing(database) -> None:
    with pytest.raises(InputError, match="Smarch"):
        set_several(database, REFS, code="off_track", milestone="Smarch 2023", author="Ann")
    assert statuses(database) == ["complete", "off_track", "on_track"]
    assert queries.plan_history(database) == []


def test_a_milestone_and_a_status_move_together_and_the_baseline_stays(database) -> None:
    result = set_several(
        database, ("1.1.1.2", "1.1.1.3"), code="on_track", milestone="June 2023", author="Ann"
    )
    moved = {after.ref: after for _before, after in result.actions}
    assert moved["1.1.1.2"].milestone == "June 2023" and moved["1.1.1.2"].baseline.split() == [
        "September",
        "2022",
    ]
    assert [(e.action_ref, e.field) for e in result.entries] == [
        ("1.1.1.2", "status"),
        ("1.1.1.2", "milestone"),
        ("1.1.1.3", "milestone"),  # already on track: only its milestone moves
    ]
    assert result.skipped == ()


def test_every_action_already_as_asked_writes_nothing(database) -> None:
    result = set_several(database, ("1.1.1.2", "2.1.1.2"), code="off_track", author="Ann")
    assert result.entries == () and result.touched == ()
    assert result.skipped == ("1.1.1.2", "2.1.1.2")
    assert queries.plan_history(database) == []


def test_each_action_is_checked_against_what_the_caller_saw(database) -> None:
    set_status(database, "1.1.1.3", "complete", author="Ben", at=minutes(1))
    request = EditSeveral(
        ("1.1.1.1", "1.1.1.3"), status="off_track", expected_statuses=("complete", "on_track")
    )
    result = apply_change(database, request, author="Ann", at=minutes(2))
    [superseded] = result.superseded
    assert (superseded.field, superseded.expected, superseded.found, superseded.by) == (
        "status",
        "on_track",
        "complete",
        "Ben",
    )
    assert statuses(database, ("1.1.1.1", "1.1.1.3")) == ["off_track", "off_track"]  # still applies


def test_the_step_is_recorded_in_the_open_meeting(database) -> None:
    meeting = start_meeting(database, title="Board", author="Ann")
    result = set_several(database, REFS, code="on_track", author="Ann")
    assert result.meeting is not None and result.meeting.id == meeting.id
    assert {entry.meeting_id for entry in result.entries} == {meeting.id}


def test_a_request_that_says_nothing_to_set_is_refused(database) -> None:
    with pytest.raises(InputError, match="status and/or the milestone"):
        set_several(database, REFS, note="only a note", author="Ann")
    with pytest.raises(InputError, match="at least one"):
        set_several(database, (), code="on_track", author="Ann")


def _history_rows(database):
    from sqlalchemy import select

    from plantui.store import tables as T

    with database.read() as conn:
        return conn.execute(select(T.history.c.id, T.history.c.group_id).order_by(T.history.c.id)).all()
