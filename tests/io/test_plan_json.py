"""The JSON plan format: lossless round trips, and errors that name the field at fault."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from plantui.domain.errors import InputError, NotFoundError
from plantui.io.plan_json import dumps_plan, parse_plan, read_plan_file
from plantui.store import changes
from plantui.store.opening import open_database
from plantui.store.plans import dump_document, load_document
from tests.conftest import mini_plan


def roundtrip(doc, tmp_path: Path, name: str) -> str:
    db = open_database(tmp_path / f"{name}.db")
    try:
        load_document(db, doc)
        return dumps_plan(dump_document(db))
    finally:
        db.close()


def test_export_import_export_gives_identical_bytes(database, tmp_path: Path) -> None:
    changes.set_status(
        database,
        "1.1.1.2",
        "on_track",
        note="Better [now]",
        author="Ann",
        at=datetime(2022, 10, 1, 9),
    )
    changes.set_milestone(database, "1.1.1.3", "June 2023", author="Ben", at=datetime(2022, 10, 2, 9))
    changes.add_note(
        database,
        "2.1.1.1",
        "Supplier chosen",
        author="Ann",
        at=datetime(2022, 10, 3, 9, 0, 0, 123456),
    )
    changes.undo_step(database, author="Ann", at=datetime(2022, 10, 4, 9))
    first = dumps_plan(dump_document(database))
    second = roundtrip(read_plan_file_from_text(first, tmp_path), tmp_path, "second")
    assert second == first
    data = json.loads(first)
    history = data["themes"][0]["areas"][0]["objectives"][0]["actions"][1]["history"]
    assert history == [
        {"at": "2022-10-01T09:00:00Z", "author": "Ann", "field": "status", "from": "off_track",
         "to": "on_track", "note": "Better [now]", "undoes": None}
    ]  # fmt: skip
    baseline = data["themes"][0]["areas"][0]["objectives"][0]["actions"][2]
    assert (baseline["milestone"], baseline["baseline"], baseline["due"]) == (
        "June 2023",
        "March 2023",
        "2023-06-30",
    )
    undone = data["themes"][1]["areas"][0]["objectives"][0]["actions"][0]["history"]
    assert [h["undoes"] for h in undone] == [None, 0]


def read_plan_file_from_text(text: str, tmp_path: Path):
    path = tmp_path / "exported.json"
    path.write_text(text, encoding="utf-8")
    return read_plan_file(path)


def test_markup_in_every_field_is_kept_exactly(tmp_path: Path) -> None:
    doc = mini_plan(markup=True)
    text = roundtrip(doc, tmp_path, "markup")
    again = roundtrip(read_plan_file_from_text(text, tmp_path), tmp_path, "markup2")
    assert again == text
    assert "[bold]x[/] [link=y] [" in json.loads(text)["plan"]["title"]


def test_key_names_other_tools_rely_on(tmp_path: Path) -> None:
    data = json.loads(roundtrip(mini_plan(), tmp_path, "keys"))
    assert list(data) == ["format", "plan", "themes", "findings"]
    assert data["format"] == "plantui-plan/1"
    assert list(data["plan"]) == ["title", "organisation", "phase", "foreword", "status_date"]
    theme = data["themes"][0]
    assert list(theme) == ["ref", "title", "aim", "areas"]
    assert list(theme["areas"][0]) == ["ref", "title", "outcomes", "objectives"]
    assert list(theme["areas"][0]["objectives"][0]) == ["ref", "text", "actions"]
    action = theme["areas"][0]["objectives"][0]["actions"][0]
    for key in (
        "ref",
        "title",
        "success_measures",
        "leads",
        "rag",
        "milestone",
        "due",
        "detailed_plan",
        "history",
    ):
        assert key in action
    assert list(data["findings"][0]) == ["source", "text", "refs"]


def valid() -> dict:
    return json.loads(dumps_plan(mini_plan()))


def action0(data: dict) -> dict:
    return data["themes"][0]["areas"][0]["objectives"][0]["actions"][0]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(format="other/2"), "format: expected 'plantui-plan/1'"),
        (lambda d: d.pop("themes"), "'themes' is missing"),
        (lambda d: action0(d).update(rag="purple"), "action 1.1.1.1: rag: unknown status 'purple'"),
        (
            lambda d: action0(d).update(due="30/09/2022"),
            "action 1.1.1.1: due: '30/09/2022' is not an ISO date",
        ),
        (lambda d: action0(d).update(ref="1.1.2.1"), "does not lie under 1.1.1"),
        (lambda d: action0(d).update(leads="Ann"), "action 1.1.1.1: leads: expected a list"),
        (lambda d: action0(d).update(title=5), "action 1.1.1.1: title: expected text"),
        (
            lambda d: action0(d).update(history=[{"at": "x", "author": "a", "field": "status"}]),
            "history\\[0\\]",
        ),
        (lambda d: d["plan"].pop("title"), "plan: 'title' is missing"),
        (lambda d: d["findings"][0].update(refs=[1]), "findings\\[0\\]: refs: expected text"),
    ],
)
def test_bad_plans_name_the_field(mutate, message: str) -> None:
    data = valid()
    mutate(data)
    with pytest.raises(InputError, match=message):
        parse_plan(data, "plan.json")


def test_bad_files_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="nope.json: no such file"):
        read_plan_file(tmp_path / "nope.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "plantui-plan/1",\n  "plan": }')
    with pytest.raises(InputError, match=r"broken.json: line 2, column 11: not valid JSON"):
        read_plan_file(broken)
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"a": "caf\xe9"}')
    with pytest.raises(InputError, match="latin.json: not UTF-8"):
        read_plan_file(latin)
    with pytest.raises(InputError, match="top level: expected an object"):
        parse_plan([], "x.json")
