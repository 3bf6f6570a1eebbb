"""The one change policy of `store.changes.apply_change`: one save is one undo step, undo takes back
only the caller's own step and asks before overwriting a later change or reaching into an ended
meeting, redo records an undone step again until a new change of one's own, every change lands in
the open meeting, and history is read in commit order whatever the clock said. On SQLite and
PostgreSQL (the `database` fixture runs each test on both)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from plantui.domain.errors import NotFoundError
from plantui.store import queries
from plantui.store.as_at import changes_since, document_as_at, plan_as_at
from plantui.store.changes import (
    Edit,
    UndoNeedsConfirming,
    add_note,
    apply_change,
    change_action,
    redo_step,
    set_status,
    undo_step,
)
from plantui.store.meetings import end_meeting, meeting_summary, start_meeting
from plantui.store.plans import dump_document

AT = datetime(2022, 10, 5, 9)


def minutes(n: int) -> datetime:
    return AT + timedelta(minutes=n)


def test_ann_cannot_undo_over_bens_later_change_without_confirming(database) -> None:
    set_status(database, "1.1.1.1", "off_track", author="Ann", at=minutes(1))
    bens = set_status(database, "1.1.1.1", "on_track", author="Ben", at=minutes(2))
    written = len(queries.plan_history(database))
    with pytest.raises(UndoNeedsConfirming) as refused:
        undo_step(database, author="Ann", at=minutes(3))
    [conflict] = refused.value.conflicts
    assert (conflict.ref, conflict.field, conflict.old, conflict.new) == (
        "1.1.1.1",
        "status",
        "off_track",
        "on_track",
    )
    assert (conflict.by, conflict.at, conflict.history_id) == ("Ben", minutes(2), bens.entry.id)
    told = str(refused.value)
    assert "Ben changed the status of 1.1.1.1 from off_track to on_track at " in told
    assert f"(history #{bens.entry.id})" in told and "Nothing was changed" in told
    assert len(queries.plan_history(database)) == written  # nothing written
    assert queries.get_action(database, "1.1.1.1").status == "on_track"  # Ben's decision stands

    forced = undo_step(database, author="Ann", force=True, step=refused.value.step, at=minutes(4))
    assert forced.action.status == "complete" and forced.kind == "undo"
    history = queries.action_history(database, "1.1.1.1")
    assert [(e.author, e.old, e.new) for e in history] == [
        ("Ann", "on_track", "complete"),
        ("Ben", "off_track", "on_track"),
        ("Ann", "complete", "off_track"),
    ]  # append-only: Ben's change is still there


def test_a_confirmation_is_for_the_step_it_was_asked_about(database) -> None:
    set_status(database, "1.1.1.1", "off_track", author="Ann", at=minutes(1))
    set_status(database, "1.1.1.1", "on_track", author="Ben", at=minutes(2))
    with pytest.raises(UndoNeedsConfirming) as refused:
        undo_step(database, author="Ann")
    set_status(database, "1.1.1.2", "on_track", author="Ann", at=minutes(3))  # a newer step meanwhile
    with pytest.raises(Exception, match="no longer the one you confirmed"):
        undo_step(database, author="Ann", force=True, step=refused.value.step)
    assert queries.get_action(database, "1.1.1.1").status == "on_track"


def test_undoing_your_own_earlier_steps_does_not_ask(database) -> None:
    set_status(database, "1.1.1.1", "off_track", author="Ann", at=minutes(1))
    set_status(database, "1.1.1.1", "on_track", author="Ann", at=minutes(2))
    assert undo_step(database, author="Ann").action.status == "off_track"
    assert undo_step(database, author="Ann").action.status == "complete"


def test_one_editor_save_is_one_undo_step(database) -> None:
    saved = change_action(
        database, "1.1.1.3", code="some_issues", milestone="June 2023", note="Agency cover", author="Ann",
        at=minutes(1),
    )  # fmt: skip
    assert [e.field for e in saved.entries] == ["status", "milestone"]
    undone = undo_step(database, author="Ann", at=minutes(2))
    assert [(e.field, e.new) for e in undone.entries] == [("milestone", "March 2023"), ("status", "on_track")]
    assert {e.undoes_id for e in undone.entries} == {e.id for e in saved.entries}
    action = queries.get_action(database, "1.1.1.3")
    assert (action.status, action.milestone, action.last_note) == ("on_track", "March 2023", "")
    with pytest.raises(NotFoundError, match="Ann has no change left to undo"):
        undo_step(database, author="Ann")


def test_redo_records_the_undone_step_again(database) -> None:
    saved = change_action(
        database, "1.1.1.3", code="off_track", milestone="June 2023", note="Nobody applied", author="Ann",
        at=minutes(1),
    )  # fmt: skip
    undo_step(database, author="Ann", at=minutes(2))
    redone = redo_step(database, author="Ann", at=minutes(3))
    assert redone.kind == "redo"
    assert [(e.field, e.new, e.note) for e in redone.entries] == [
        (e.field, e.new, e.note) for e in saved.entries
    ]
    action = queries.get_action(database, "1.1.1.3")
    assert (action.status, action.milestone, action.last_note) == ("off_track", "June 2023", "Nobody applied")
    assert len(queries.plan_history(database)) == 6  # two saved, two undone, two redone: nothing deleted
    with pytest.raises(NotFoundError, match="Ann has nothing to redo"):
        redo_step(database, author="Ann")
    # A redo is a step of its own: undo takes it back, and redo brings it back again.
    assert undo_step(database, author="Ann").action.status == "on_track"
    assert redo_step(database, author="Ann").action.status == "off_track"


def test_redo_walks_back_up_the_undos_in_order(database) -> None:
    set_status(database, "1.1.1.1", "off_track", author="Ann", at=minutes(1))
    set_status(database, "1.1.1.2", "on_track", author="Ann", at=minutes(2))
    undo_step(database, author="Ann")
    undo_step(database, author="Ann")
    assert redo_step(database, author="Ann").action.ref == "1.1.1.1"
    assert redo_step(database, author="Ann").action.ref == "1.1.1.2"


def test_a_new_change_clears_what_you_can_redo(database) -> None:
    set_status(database, "1.1.1.1", "off_track", author="Ann", at=minutes(1))
    undo_step(database, author="Ann", at=minutes(2))
    set_status(database, "1.2.1.1", "complete", author="Ben", at=minutes(3))  # someone else's: no matter
    add_note(database, "1.1.1.2", "A new change of Ann's", author="Ann", at=minutes(4))
    with pytest.raises(NotFoundError, match="Ann has nothing to redo"):
        redo_step(database, author="Ann")
    assert queries.get_action(database, "1.1.1.1").status == "complete"


def test_redo_is_only_your_own(database) -> None:
    set_status(database, "1.1.1.1", "off_track", author="Ann", at=minutes(1))
    undo_step(database, author="Ann", at=minutes(2))
    with pytest.raises(NotFoundError, match="Ben has nothing to redo"):
        redo_step(database, author="Ben")


def test_undo_into_a_meeting_that_has_ended_asks_first(database) -> None:
    meeting = start_meeting(database, "October Board", "plan", author="Ann", at=minutes(0))
    set_status(database, "1.1.1.2", "some_issues", author="Ann", at=minutes(1))
    end_meeting(database, at=minutes(30))
    with pytest.raises(
        UndoNeedsConfirming, match="made in the board meeting 'October Board', which ended at "
    ):
        undo_step(database, author="Ann", at=minutes(31))
    assert queries.get_action(database, "1.1.1.2").status == "some_issues"
    undone = undo_step(database, author="Ann", force=True, at=minutes(32))
    assert undone.action.status == "off_track" and undone.entry.meeting_id is None
    assert len(meeting_summary(database, meeting.id).changes) == 1


def test_undo_in_the_meeting_still_open_does_not_ask(database) -> None:
    start_meeting(database, "Board", "plan", author="Ann", at=minutes(0))
    set_status(database, "1.1.1.2", "some_issues", author="Ann", at=minutes(1))
    assert undo_step(database, author="Ann").action.status == "off_track"


def test_every_change_while_a_meeting_is_open_is_recorded_in_it(database) -> None:
    meeting = start_meeting(database, "Board", "theme:1", author="Ann", at=minutes(0))
    result = apply_change(database, Edit("2.1.1.1", status="on_track"), author="Ben", at=minutes(1))
    assert result.meeting == meeting and result.entry.meeting_id == meeting.id
    undone = undo_step(database, author="Ben", at=minutes(2))
    assert undone.entry.meeting_id == meeting.id
    end_meeting(database, at=minutes(3))
    after = set_status(database, "2.1.1.1", "complete", author="Ben", at=minutes(4))
    assert after.entry.meeting_id is None


def test_superseded_is_checked_for_status_and_milestone_together(database) -> None:
    set_status(database, "1.1.1.3", "off_track", author="Ben", at=minutes(1))
    change_action(database, "1.1.1.3", milestone="May 2023", author="Ben", at=minutes(2))
    result = change_action(
        database, "1.1.1.3", code="complete", milestone="June 2023", author="Ann",
        expected="on_track", expected_milestone="March 2023", at=minutes(3),
    )  # fmt: skip
    assert [(s.field, s.found, s.by) for s in result.superseded] == [
        ("status", "off_track", "Ben"),
        ("milestone", "May 2023", "Ben"),
    ]
    assert (result.action.status, result.action.milestone) == ("complete", "June 2023")


def test_a_clock_that_ran_fast_and_was_put_right_changes_only_the_times_shown(database) -> None:
    """Clocks: a change stamped three days ahead (the clock ran fast), then one stamped now (put
    right). The plan as at today is the plan as it is; the history keeps the order of commits."""
    today = date.today()
    now = datetime.now(UTC).replace(tzinfo=None)
    set_status(database, "1.1.1.2", "complete", author="Ann", at=now + timedelta(days=3))
    set_status(database, "1.1.1.2", "on_track", author="Ann", at=now)
    assert queries.get_action(database, "1.1.1.2").status == "on_track"
    then = {row.ref: row.status for row in plan_as_at(database, today)}
    assert then == {row.ref: row.status for row in queries.list_actions(database)}
    assert plan_as_at(database, today - timedelta(days=1))[1].status == "off_track"  # before both
    assert [e.new for e in changes_since(database, today)] == ["complete", "on_track"]  # commit order
    document = document_as_at(database, today)
    [action] = [a for a in document.actions() if a.ref == "1.1.1.2"]
    assert action.rag == "on_track" and [h.new for h in action.history] == ["complete", "on_track"]
    assert [
        h.new for h in next(a for a in dump_document(database).actions() if a.ref == "1.1.1.2").history
    ] == [
        "complete",
        "on_track",
    ]
    assert undo_step(database, author="Ann").action.status == "complete"  # the newest commit first


def test_undoing_a_step_over_many_actions_puts_back_each_summary_in_a_few_statements_per_action(
    database,
) -> None:
    """An undo of `plantui set --where` over hundreds of actions must not read and refresh each action
    one statement at a time: the statements grow by at most three an action (its field and its undo
    row), and each action's last change and last note come back as they were before the step."""
    from sqlalchemy import event

    from plantui.store.changes import set_several

    refs = [row.ref for row in queries.list_actions(database)]
    add_note(database, refs[0], "the note before", author="Ann", at=minutes(1))
    before = {row.ref: (row.updated_at, row.last_note, row.status) for row in queries.list_actions(database)}
    set_several(database, refs, code="off_track", note="all late", author="Ann", at=minutes(2))
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        undo_step(database, author="Ann", at=minutes(3))
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    after = {row.ref: (row.updated_at, row.last_note, row.status) for row in queries.list_actions(database)}
    assert {ref: (note, status) for ref, (_, note, status) in after.items()} == {
        ref: (note, status) for ref, (_, note, status) in before.items()
    }
    changed = [ref for ref in refs if before[ref][2] != "off_track"]
    assert len(changed) >= 5
    assert [ref for ref in refs if after[ref][0] == minutes(3).replace(tzinfo=None)] == changed
    assert len(statements) <= 3 * len(refs) + 40, len(statements)
    statements.clear()
    event.listen(database.engine, "before_cursor_execute", count)
    try:
        redo_step(database, author="Ann", at=minutes(4))
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    assert {row.ref: row.status for row in queries.list_actions(database)} == dict.fromkeys(refs, "off_track")
    # The redo reads them together too; a server also hears of each row and gives its time.
    per_row = 6 if database.backend == "postgresql" else 4
    assert len(statements) <= per_row * len(changed) + 12, len(statements)
