"""The plan JSON format carries evidence of impact (history entries) and the impact mark (an action's
`impact`): written as version 2, read back to the same bytes and into a store that undoes them; a
version 1 file that holds them, or a malformed entry, is refused naming the place."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from plantui.domain.document import HistoryEntryDoc
from plantui.domain.errors import InputError
from plantui.domain.evidence import encode_evidence
from plantui.io.plan_json import dumps_plan, parse_plan, read_plan_file
from plantui.store.changes import undo_step
from plantui.store.evidence import action_evidence
from plantui.store.opening import open_database
from plantui.store.plans import dump_document, load_document
from plantui.store.queries import get_action
from tests.conftest import mini_plan

TEXT = 'Audit [bold]"found"[/] fewer re-referrals {x}'


def evidenced():
    plan = mini_plan(markup=True)
    action = plan.actions()[0]
    stored = encode_evidence(TEXT, "https://example.org/[a]", date(2022, 10, 14))
    second = len(action.history) + 1
    action.history += [
        HistoryEntryDoc(datetime(2022, 10, 14, 9), "Ann", "evidence", None, stored),
        HistoryEntryDoc(
            datetime(2022, 10, 15, 9), "Ann", "evidence", None, encode_evidence("Two", "", date(2022, 10, 1))
        ),
        HistoryEntryDoc(
            datetime(2022, 10, 16, 9), "Ben", "evidence", stored.replace(TEXT, "Two"), None, undoes=second
        ),
        HistoryEntryDoc(datetime(2022, 10, 20, 9), "Ann", "impact", "no", "yes"),
    ]
    action.impact = True
    return plan


def test_evidence_and_the_mark_are_version_2_and_read_back_to_the_same_bytes(tmp_path: Path) -> None:
    text = dumps_plan(evidenced())
    data = json.loads(text)
    assert data["format"] == "plantui-plan/2"
    first = data["themes"][0]["areas"][0]["objectives"][0]["actions"][0]
    assert first["impact"] is True and [h["field"] for h in first["history"]][-4:] == [
        "evidence", "evidence", "evidence", "impact",
    ]  # fmt: skip
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    again = read_plan_file(path)
    assert again.actions()[0].impact and dumps_plan(again) == text
    assert json.loads(dumps_plan(mini_plan()))["format"] == "plantui-plan/1"  # none: still version 1


def test_a_plan_file_brings_evidence_and_the_mark_into_the_store_as_changes(tmp_path: Path) -> None:
    database = open_database(tmp_path / "plan.db")
    try:
        load_document(database, parse_plan(json.loads(dumps_plan(evidenced()))))
        row = get_action(database, "1.1.1.1")
        assert row.impact and row.evidence == 1
        assert [(e.text, e.link) for e in action_evidence(database, "1.1.1.1")] == [
            (TEXT, "https://example.org/[a]")
        ]
        stored = dump_document(database).actions()[0]
        assert stored.history == evidenced().actions()[0].history and stored.impact
        undo_step(database, author="Ann")
        assert not get_action(database, "1.1.1.1").impact
    finally:
        database.close()


def _first(data):
    return data["themes"][0]["areas"][0]["objectives"][0]["actions"][0]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d.update(format="plantui-plan/1"),
            "action 1.1.1.1: impact: needs format 'plantui-plan/2'",
        ),
        (
            lambda d: _first(d).update(impact="yes"),
            "action 1.1.1.1: impact: expected true or false, found text",
        ),
        (
            lambda d: _first(d)["history"][-1].update({"to": "maybe"}),
            r"history\[3\]: to: expected 'yes' or 'no'",
        ),
        (
            lambda d: _first(d)["history"][0].update({"to": "{}"}),
            r"history\[0\]: to: expected text holding a JSON object",
        ),
        (
            lambda d: _first(d)["history"][0].update({"to": None}),
            r"history\[0\]: to: expected the evidence in 'to'",
        ),
    ],
)
def test_a_bad_evidence_entry_names_its_place(mutate, message: str) -> None:
    data = json.loads(dumps_plan(evidenced()))
    for action in data["themes"][0]["areas"][0]["objectives"][0]["actions"][:1]:
        action["history"] = action["history"][-4:]
        action["history"][2]["undoes"] = 1
    mutate(data)
    with pytest.raises(InputError, match=message):
        parse_plan(data, "plan.json")
