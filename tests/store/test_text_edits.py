"""Editing an action's text through `store.changes.apply_change`: its title, success measures,
detailed plan and leads, each a history row in the change's own transaction, undone and redone by
the one policy, shown as at a past moment, checked against what the caller saw, and carried by the
plan file and a copy. On SQLite and PostgreSQL (the `database` fixture runs each test on both)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from plantui.domain.action_text import decode_leads
from plantui.domain.errors import InputError
from plantui.io.plan_json import dumps_plan, parse_plan
from plantui.store import queries
from plantui.store.as_at import changes_since, document_as_at, plan_as_at
from plantui.store.changes import (
    Edit,
    TextChange,
    UndoNeedsConfirming,
    apply_change,
    edit_text,
    redo_step,
    set_status,
    undo_step,
)
from plantui.store.leads import lead_names
from plantui.store.meetings import start_meeting
from plantui.store.plans import dump_document, load_document
from tests.conftest import mini_plan

AT = datetime(2022, 10, 5, 9)
HOSTILE_LEAD = 'Head of Service (Safeguarding) & QA / PSW, Jane [bold]x[/] "Q"'


def minutes(n: int) -> datetime:
    return AT + timedelta(minutes=n)


def test_each_text_is_one_history_row_of_one_step(database) -> None:
    texts = [
        TextChange("title", "  Write   a workforce\nstrategy [bold]now[/] "),
        TextChange("success_measures", "Line one\r\nLine two  \n"),
        TextChange("detailed_plan", "Step [/] one\n\nStep two"),
        TextChange("leads", ("HR Lead", HOSTILE_LEAD)),
    ]
    result = edit_text(database, "1.1.1.1", texts, note="agreed at the board", author="Ann", at=minutes(1))
    action = queries.get_action(database, "1.1.1.1")
    assert action.title == "Write a workforce strategy [bold]now[/]"
    assert action.success_measures == "Line one\nLine two"
    assert action.detailed_plan == "Step [/] one\n\nStep two"
    assert action.leads == ("HR Lead", HOSTILE_LEAD)
    assert result.action == action  # worked out in the transaction, the same as read back
    assert [entry.field for entry in result.entries] == [
        "title",
        "success_measures",
        "detailed_plan",
        "leads",
    ]
    assert all(entry.note == "agreed at the board" and entry.author == "Ann" for entry in result.entries)
    leads = result.entries[3]
    assert decode_leads(leads.old) == ("Assistant Director Safeguarding", "HR Lead")
    assert decode_leads(leads.new) == ("HR Lead", HOSTILE_LEAD)
    assert HOSTILE_LEAD in lead_names(database)  # a lead new to the plan is an officer of it now

    undone = undo_step(database, author="Ann", at=minutes(2))  # one save, one undo
    assert len(undone.entries) == 4
    back = queries.get_action(database, "1.1.1.1")
    original = mini_plan().themes[0].areas[0].objectives[0].actions[0]
    assert (back.title, back.success_measures, back.detailed_plan, list(back.leads)) == (
        original.title,
        original.success_measures,
        original.detailed_plan,
        original.leads,
    )
    redone = redo_step(database, author="Ann", at=minutes(3))
    assert len(redone.entries) == 4
    assert queries.get_action(database, "1.1.1.1") == action._replace(updated_at=minutes(3))


def test_a_text_left_as_it_is_writes_nothing(database) -> None:
    before = queries.get_action(database, "1.1.1.2")
    result = edit_text(
        database,
        "1.1.1.2",
        [TextChange("title", before.title), TextChange("leads", before.leads)],
        author="Ann",
    )
    assert result.entries == ()
    assert queries.action_history(database, "1.1.1.2") == []


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (TextChange("title", "   \n "), "title: an action's title cannot be empty"),
        (TextChange("title", "Bad \x1b[31mred"), "title: holds a control character (U+001B)"),
        (TextChange("detailed_plan", "ok\x07"), "detailed plan: holds a control character (U+0007)"),
        (TextChange("title", "x" * 1001), "title: 1001 characters is too long (at most 1000)"),
        (TextChange("leads", ("Ann", " Ann ")), "leads: 'Ann' is listed twice"),
        (TextChange("leads", ("Ann", "")), "leads: a lead's name cannot be empty"),
        (TextChange("colour", "red"), "colour: not a text field"),
    ],
)
def test_bad_text_is_refused_in_one_line_naming_the_field(database, change, words) -> None:
    with pytest.raises(InputError) as refused:
        edit_text(database, "1.1.1.2", [TextChange("success_measures", "Fine"), change], author="Ann")
    assert str(refused.value).startswith(words)
    assert "\n" not in str(refused.value)
    assert queries.action_history(database, "1.1.1.2") == []  # the whole change refused
    assert queries.get_action(database, "1.1.1.2").title == "Recruit senior leaders"


def test_undo_asks_before_overwriting_a_colleagues_later_text(database) -> None:
    edit_text(database, "1.1.1.2", [TextChange("title", "Ann's title")], author="Ann", at=minutes(1))
    bens = edit_text(database, "1.1.1.2", [TextChange("title", "Ben's title")], author="Ben", at=minutes(2))
    with pytest.raises(UndoNeedsConfirming) as refused:
        undo_step(database, author="Ann", at=minutes(3))
    told = str(refused.value)
    assert 'Ben changed the title of 1.1.1.2 from "Ann\'s title" to "Ben\'s title"' in told
    assert f"(history #{bens.entry.id})" in told
    assert queries.get_action(database, "1.1.1.2").title == "Ben's title"
    undo_step(database, author="Ann", force=True, step=refused.value.step, at=minutes(4))
    assert queries.get_action(database, "1.1.1.2").title == "Recruit senior leaders"


def test_undo_asks_before_overwriting_later_leads(database) -> None:
    edit_text(database, "1.1.1.3", [TextChange("leads", ("Ann Lead",))], author="Ann", at=minutes(1))
    edit_text(
        database, "1.1.1.3", [TextChange("leads", ("Ben Lead", "A, B & C"))], author="Ben", at=minutes(2)
    )
    with pytest.raises(UndoNeedsConfirming) as refused:
        undo_step(database, author="Ann", at=minutes(3))
    assert "Ben changed the leads of 1.1.1.3 from Ann Lead to Ben Lead; A, B & C" in str(refused.value)


def test_a_text_changed_since_the_caller_saw_it_is_reported(database) -> None:
    edit_text(database, "1.1.1.2", [TextChange("detailed_plan", "Ben's plan")], author="Ben", at=minutes(1))
    seen = ""  # Ann's window still shows the empty plan
    result = edit_text(
        database,
        "1.1.1.2",
        [
            TextChange("detailed_plan", "Ann's plan", expected=seen),
            TextChange("leads", ("X",), expected=("Assistant Director Safeguarding",)),
        ],
        author="Ann",
        at=minutes(2),
    )
    [superseded] = result.superseded
    assert (superseded.field, superseded.found, superseded.expected, superseded.by) == (
        "detailed_plan",
        "Ben's plan",
        "",
        "Ben",
    )
    assert superseded.describe().startswith('The detailed plan was "Ben\'s plan", not – as you saw it: Ben')
    assert queries.get_action(database, "1.1.1.2").detailed_plan == "Ann's plan"  # the change still applies


def test_redo_says_when_someone_changed_the_text_since_the_undo(database) -> None:
    edit_text(database, "1.1.1.2", [TextChange("title", "Ann's title")], author="Ann", at=minutes(1))
    undo_step(database, author="Ann", at=minutes(2))
    edit_text(database, "1.1.1.2", [TextChange("title", "Ben's title")], author="Ben", at=minutes(3))
    redone = redo_step(database, author="Ann", at=minutes(4))
    [superseded] = redone.superseded
    assert (superseded.field, superseded.found, superseded.by) == ("title", "Ben's title", "Ben")
    assert queries.get_action(database, "1.1.1.2").title == "Ann's title"


def test_as_at_shows_the_text_as_it_stood(database) -> None:
    edit_text(
        database,
        "1.1.1.1",
        [TextChange("title", "New title"), TextChange("leads", (HOSTILE_LEAD,))],
        author="Ann",
        at=datetime(2022, 10, 5, 9),
    )
    edit_text(
        database, "1.1.1.1", [TextChange("title", "Newer title")], author="Ann", at=datetime(2022, 10, 7, 9)
    )
    then = {row.ref: row for row in plan_as_at(database, datetime(2022, 10, 4, 23))}["1.1.1.1"]
    assert then.title.startswith("Develop a workforce strategy")
    assert then.leads[0] == "Assistant Director Safeguarding"
    middle = {row.ref: row for row in plan_as_at(database, datetime(2022, 10, 6, 12))}["1.1.1.1"]
    assert (middle.title, middle.leads) == ("New title", (HOSTILE_LEAD,))
    document = document_as_at(database, datetime(2022, 10, 6, 12))
    action = next(a for a in document.actions() if a.ref == "1.1.1.1")
    assert (action.title, action.leads) == ("New title", [HOSTILE_LEAD])
    assert [e.field for e in changes_since(database, datetime(2022, 10, 6))] == ["title"]


def test_a_text_edit_in_an_open_meeting_is_recorded_in_it(database) -> None:
    meeting = start_meeting(database, title="October Board", author="Ann")
    result = apply_change(
        database, Edit("1.1.1.2", texts=(TextChange("title", "Board title"),)), author="Ann"
    )
    assert result.meeting is not None and result.meeting.id == meeting.id
    assert result.entry.meeting_id == meeting.id


def test_status_and_text_together_are_one_step(database) -> None:
    result = apply_change(
        database,
        Edit("1.1.1.2", status="on_track", texts=(TextChange("title", "Recruit leaders"),)),
        author="Ann",
    )
    assert [entry.field for entry in result.entries] == ["status", "title"]
    undo_step(database, author="Ann")
    action = queries.get_action(database, "1.1.1.2")
    assert (action.status, action.title) == ("off_track", "Recruit senior leaders")


def test_the_plan_file_and_a_copy_carry_text_history(database, tmp_path) -> None:
    from plantui.store.opening import open_database
    from plantui.store.plans import copy_plan

    edit_text(
        database,
        "1.1.1.1",
        [TextChange("title", "Title [bold]x[/]"), TextChange("leads", (HOSTILE_LEAD, "HR Lead"))],
        author="Ann",
        at=minutes(1),
    )
    set_status(database, "1.1.1.1", "on_track", author="Ann", at=minutes(2))
    undo_step(database, author="Ann", at=minutes(3))
    text = dumps_plan(dump_document(database))
    document = parse_plan(json.loads(text), "plan.json")
    action = next(a for a in document.actions() if a.ref == "1.1.1.1")
    assert [h.field for h in action.history] == ["title", "leads", "status", "status"]
    assert decode_leads(action.history[1].new) == (HOSTILE_LEAD, "HR Lead")

    other = open_database(tmp_path / "other.db")
    try:
        load_document(other, document)
        assert queries.get_action(other, "1.1.1.1").leads == (HOSTILE_LEAD, "HR Lead")
        undo_step(other, author="Ann")  # the undo of the undo is Ann's newest: the status goes back
        undo_step(other, author="Ann")  # and then her text edit, read back from the file
        assert queries.get_action(other, "1.1.1.1").title.startswith("Develop a workforce strategy")
        copied = tmp_path / "copied.db"
        target = open_database(copied)
        try:
            copy_plan(database, target)
            assert [e.field for e in queries.action_history(target, "1.1.1.1")][::-1][:2] == [
                "title",
                "leads",
            ]
        finally:
            target.close()
    finally:
        other.close()


def test_a_plan_file_with_leads_that_are_not_a_list_is_refused(database) -> None:
    data = json.loads(dumps_plan(dump_document(database)))
    action = data["themes"][0]["areas"][0]["objectives"][0]["actions"][0]
    action["history"] = [
        {"at": "2022-10-05T09:00:00Z", "author": "Ann", "field": "leads", "from": "Ann, Ben", "to": "[]"}
    ]
    with pytest.raises(InputError, match=r"history\[0\]: from.*JSON list of names"):
        parse_plan(data, "plan.json")
    action["history"][0]["from"] = '["Ann, Ben"]'
    assert parse_plan(data, "plan.json").actions()
