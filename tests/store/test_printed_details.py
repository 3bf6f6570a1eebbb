"""What the printed plan says of an action beyond its fields, kept in the store: the commentary it came
with (the last note while no note stands) and an action's own objective statement."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from plantui.io.plan_json import read_plan_file
from plantui.io.sample import sample_path
from plantui.store.as_at import plan_as_at
from plantui.store.changes import add_note, undo_last
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
        undo_last(database, author="Ann", at=datetime(2022, 11, 2, 11))
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
