"""`plantui measure add|edit|link|record|list`: each change one transaction with its history, every
mistake one line naming what is wrong, and the list in symbols and words (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import pytest

from plantui.store.opening import open_database
from plantui.store.plans import dump_document, load_document
from tests.conftest import mini_plan, run_cli


@pytest.fixture
def store(db_target: str) -> str:
    db = open_database(db_target)
    load_document(db, mini_plan())
    db.close()
    return db_target


def measures_of(target: str):
    db = open_database(target)
    try:
        return dump_document(db).measures
    finally:
        db.close()


def test_add_link_record_correct_and_list_a_measure(store: str) -> None:
    def cli(*args):
        return run_cli("--db", store, "--author", "Ann", "measure", *args)

    cli("add", "M1", "Re-referrals [within] 12 months", "--unit", "%", "--direction", "lower",
        "--target", "22", "--tolerance", "2", "--owner", "Head of Front Door")  # fmt: skip
    assert (
        "Linked measure M1 to 1.1.1, 1.1.1.2, finding:2"
        in cli("link", "M1", "1.1.1", "1.1.1.2", "finding:2").stdout
    )
    cli("record", "M1", "Sep-22", "27")
    assert "Oct 2022 (2022-10)" in cli("record", "m1", "2022-10", "24.5", "--note", "from the return").stdout
    cli("record", "M1", "2022-10", "23.5", "--note", "corrected")
    listed = cli("list").stdout
    assert "M1" in listed and "◐ Within tolerance" in listed and "▲ better" in listed
    assert "23.5% (Oct 2022), target 22%" in listed and "Re-referrals [within] 12 months" in listed
    [row] = json.loads(cli("list", "--json").stdout)
    assert (row["period"], row["value"], row["status"], row["trend"]) == (
        "2022-10",
        23.5,
        "within_tolerance",
        "better",
    )
    assert row["findings"] == [2] and row["actions"] == ["1.1.1.2"]

    assert "Changed target of measure M1" in cli("edit", "M1", "--target", "24").stdout
    assert json.loads(cli("list", "--json").stdout)[0]["status"] == "met"
    [m1] = measures_of(store)
    assert [v.value for v in m1.values] == [27.0, 24.5, 23.5]  # the correction is a new entry
    assert [(c.field, c.old, c.new) for c in m1.changes] == [
        ("added", None, "M1"),
        ("objective", None, "1.1.1"),
        ("action", None, "1.1.1.2"),
        ("finding", None, "finding:2"),
        ("target", "22", "24"),
    ]
    assert all(c.author == "Ann" for c in m1.changes)
    cli("link", "M1", "1.1.1.2", "--remove")
    assert measures_of(store)[0].actions == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("record", "M9", "2022-10", "5"), "no measure M9 in the plan"),
        (("record", "M1", "Autumn", "5"), "'Autumn' is not a period"),
        (("record", "M1", "2022-Q3", "5"), "measure M1 is monthly: give a month like 2022-10, not 2022-Q3"),
        (("record", "M1", "2022-10", "lots"), "VALUE: 'lots' is not a number"),
        (("record", "M1", "2022-10", "nan"), "VALUE: 'nan' is not a finite number"),
        (("add", "12", "x"), "'12' is not a measure ref"),
        (("add", "m1", "again"), "measure m1 exists already"),
        (("add", "M2", "x", "--direction", "up"), "direction 'up': use higher or lower"),
        (("edit", "M1", "--tolerance", "-1"), "tolerance: a tolerance cannot be negative"),
        (("edit", "M1"), "give a field to change"),
        (("link", "M1", "9.9.9.9"), "no action 9.9.9.9 in the plan"),
        (("link", "M1", "finding:7"), "finding:7: the plan has findings 1 to 2"),
        (("link", "M1", "Bob"), "'Bob' is not something a measure links to"),
    ],
)
def test_a_mistake_is_one_line_and_changes_nothing(db_path, args, message: str) -> None:
    db = open_database(db_path)
    load_document(db, mini_plan())
    db.close()
    run_cli("--db", str(db_path), "measure", "add", "M1", "Visits", "--target", "80")
    before = measures_of(str(db_path))
    result = run_cli("--db", str(db_path), "measure", *args, ok=False)
    assert result.exit_code != 0
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert measures_of(str(db_path)) == before


def test_list_as_at_a_day_shows_the_values_as_they_stood(db_path) -> None:
    from datetime import datetime

    from plantui.store.measures import record_value

    db = open_database(db_path)
    load_document(db, mini_plan())
    db.close()
    run_cli("--db", str(db_path), "measure", "add", "M1", "Visits", "--target", "80")
    db = open_database(db_path)
    record_value(db, "M1", "2022-10", 70, author="Ann", at=datetime(2022, 11, 2, 12))
    record_value(db, "M1", "2022-10", 85, author="Ben", at=datetime(2022, 11, 20, 12))
    db.close()
    then = json.loads(
        run_cli("--db", str(db_path), "--as-at", "2022-11-10", "measure", "list", "--json").stdout
    )
    now = json.loads(run_cli("--db", str(db_path), "measure", "list", "--json").stdout)
    assert (then[0]["value"], then[0]["status"]) == (70.0, "off_target")
    assert (now[0]["value"], now[0]["status"]) == (85.0, "met")
