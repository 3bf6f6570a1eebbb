"""What the printed plan says of an action beyond its fields, kept in the store: the commentary it came
with (the last note while no note stands) and an action's own objective statement."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from plantui.io.plan_json import read_plan_file
from plantui.io.sample import sample_path
from plantui.store.as_at import plan_as_at
from plantui.store.changes import add_note, undo_step
from plantui.store.opening import open_database
from plantui.store.plans import dump_document, load_document
from plantui.store.queries import action_history, get_action


def sample_store(path: Path):
    database = open_database(path)
    load_document(database, read_plan_file(sample_path()))
    return database


def test_printed_commentary_is_the_last_note_until_a_note_stands_and_again_after_its_undo(db_path) -> None:
    database = sample_store(db_path)
    try:
        row = get_action(database, "4.1.1.7")
        assert (row.commentary, row.last_note, row.updated_at) == (
            "annual monitoring",
            "annual monitoring",
            None,
        )
        assert action_history(database, "4.1.1.7") == []  # no change is made up for it
        add_note(database, "4.1.1.7", "Reviewed [at board]", author="Ann", at=datetime(2022, 11, 2, 10))
        assert get_action(database, "4.1.1.7").last_note == "Reviewed [at board]"
        undo_step(database, author="Ann", at=datetime(2022, 11, 2, 11))
        assert get_action(database, "4.1.1.7").last_note == "annual monitoring"
        assert get_action(database, "4.1.1.8").last_note == "quarterly monitoring"
        assert get_action(database, "4.1.1.6").last_note == ""
        as_at = {row.ref: row for row in plan_as_at(database, date(2022, 11, 2))}
        assert as_at["4.1.1.7"].last_note == "annual monitoring"
        document = dump_document(database)
        assert next(a for a in document.actions() if a.ref == "4.1.1.7").commentary == "annual monitoring"
    finally:
        database.close()


def test_each_of_4_3_2s_statements_stays_with_its_action(db_path) -> None:
    database = sample_store(db_path)
    try:
        statements = {
            ref: get_action(database, ref).objective_statement for ref in ("4.3.2.1", "4.3.2.2", "4.3.2.3")
        }
        assert statements["4.3.2.2"].startswith("The recruitment of staff will be efficient;")
        assert statements["4.3.2.3"].startswith("Legal Services will actively support")
        assert get_action(database, "4.3.1.1").objective_statement == ""
    finally:
        database.close()


def test_labels_are_tidied_on_import_and_the_history_keeps_them_as_written(tmp_path: Path) -> None:
    """The sample's two labels with extraction spacing are stored with one space; a plan file whose
    history moved a milestone from "September  2022" keeps that label in the history as written."""
    database = sample_store(tmp_path / "sample.db")
    try:
        assert get_action(database, "1.3.7.3").milestone == "September 2022"
        assert get_action(database, "2.3.1.1").milestone == "September 2023"
        assert get_action(database, "2.3.1.1").baseline == "September 2023"
    finally:
        database.close()
    plan = json.loads(sample_path().read_text(encoding="utf-8"))
    action = plan["themes"][0]["areas"][0]["objectives"][0]["actions"][0]
    action.update(
        milestone=" March\t 2023 ",
        due=None,
        baseline="September  2022",
        history=[
            {"at": "2022-10-05T14:03:00Z", "author": "Ann", "field": "milestone",
             "from": "September  2022", "to": " March\t 2023 ", "note": "", "undoes": None}
        ],
    )  # fmt: skip
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    database = open_database(tmp_path / "typed.db")
    try:
        load_document(database, read_plan_file(path))
        row = get_action(database, "1.1.1.1")
        assert (row.milestone, row.due, row.baseline) == ("March 2023", date(2023, 3, 31), "September 2022")
        [entry] = action_history(database, "1.1.1.1")
        assert (entry.old, entry.new) == ("September  2022", " March\t 2023 ")
    finally:
        database.close()
