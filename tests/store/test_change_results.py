"""What a change returns is the action exactly as the store now holds it: the services build it from
the row before and the new entry (no second read), so every path is checked against a fresh read."""

from __future__ import annotations

from datetime import date, datetime

from plantui.domain.document import HistoryEntryDoc
from plantui.store import changes, queries
from plantui.store.opening import open_database
from plantui.store.plans import load_document
from tests.conftest import mini_plan


def test_every_change_returns_the_action_as_stored(database) -> None:
    steps = [
        lambda: changes.set_status(database, "1.1.1.2", "on_track", note="Better", author="Ann",
                                   at=datetime(2022, 10, 1, 9)),
        lambda: changes.set_status(database, "1.1.1.2", "on_track", note="Still fine", author="Ann",
                                   at=datetime(2022, 10, 2, 9)),  # same status: a note only
        lambda: changes.set_status(database, "1.1.1.2", "off_track", author="Ben",
                                   at=datetime(2022, 9, 1, 9)),  # recorded late: not the latest time
        lambda: changes.set_milestone(database, "1.1.1.2", "June 2023", note="Slipped", author="Ann",
                                      at=datetime(2022, 10, 3, 9)),
        lambda: changes.add_note(database, "2.1.1.2", "No lead yet [TBC]", author="Cy",
                                 at=datetime(2022, 10, 4, 9)),  # an action with no leads, no history
        lambda: changes.undo_step(database, author="Cy", at=datetime(2022, 10, 5, 9)),  # his own note
        lambda: changes.set_status(database, "2.1.1.2", "on_track", author="Ann",
                                   at=datetime(2022, 10, 6, 9)),  # after an undo, no note
    ]  # fmt: skip
    for number, step in enumerate(steps):
        result = step()
        assert result.entry is not None
        assert result.action == queries.get_action(database, result.action.ref), number
    final = queries.get_action(database, "1.1.1.2")
    assert (final.status, final.milestone, final.last_note) == ("off_track", "June 2023", "Slipped")
    assert final.updated_at == datetime(2022, 10, 3, 9)
    assert queries.get_action(database, "2.1.1.2").last_note == ""  # its note was undone


def test_changing_status_and_milestone_together_returns_the_action_as_stored(database) -> None:
    steps = [  # (status, milestone, note, entries it should write)
        ("some_issues", "March 2024", "Both [moved]", ["status", "milestone"]),
        (None, "April 2024", "", ["milestone"]),
        ("some_issues", "April 2024", "Nothing else changed", ["note"]),
        ("complete", None, "", ["status"]),
        ("complete", "April 2024", "", []),  # nothing to change and no note: nothing written
    ]
    recorded = len(queries.action_history(database, "1.1.1.3"))
    for day, (code, milestone, note, fields) in enumerate(steps, start=1):
        result = changes.change_action(
            database, "1.1.1.3", code=code, milestone=milestone, note=note, author="Ann",
            at=datetime(2022, 11, day, 9),
        )  # fmt: skip
        assert [entry.field for entry in result.entries] == fields, day
        assert all(entry.note == note for entry in result.entries)
        assert result.action == queries.get_action(database, "1.1.1.3"), day
    assert len(queries.action_history(database, "1.1.1.3")) == recorded + 5


def test_moving_to_the_milestone_it_has_records_only_the_note(database) -> None:
    before = queries.get_action(database, "1.1.1.3")
    result = changes.set_milestone(
        database, "1.1.1.3", f" {before.milestone} ", note="Confirmed at the board", author="Ann"
    )
    assert result.entry is not None and result.entry.field == "note"
    assert result.action.milestone == before.milestone and result.action.last_note == "Confirmed at the board"
    assert result.action == queries.get_action(database, "1.1.1.3")
    assert changes.set_milestone(database, "1.1.1.3", before.milestone, author="Ann").entry is None


def test_the_first_milestone_of_an_action_without_one_becomes_its_baseline(tmp_path) -> None:
    doc = mini_plan()
    doc.actions()[-1].milestone = ""  # 2.1.1.2: no milestone, so no baseline either
    db = open_database(tmp_path / "nomilestone.db")
    try:
        load_document(db, doc)
        assert queries.get_action(db, "2.1.1.2").baseline == ""
        result = changes.set_milestone(db, "2.1.1.2", "March 2024", author="Ann")
        assert (result.action.baseline, result.action.baseline_due) == ("March 2024", date(2024, 3, 31))
        assert result.action == queries.get_action(db, "2.1.1.2")
    finally:
        db.close()


def test_an_imported_history_gives_the_last_note_the_services_would(tmp_path) -> None:
    doc = mini_plan()
    doc.actions()[0].history = [
        HistoryEntryDoc(datetime(2022, 1, 1, 9), "Ann", "note", None, None, "Kept"),
        HistoryEntryDoc(datetime(2022, 2, 1, 9), "Ann", "note", None, None, "Withdrawn"),
        HistoryEntryDoc(datetime(2022, 3, 1, 9), "Ben", "note", None, None, "", undoes=1),
    ]
    db = open_database(tmp_path / "notes.db")
    try:
        load_document(db, doc)
        assert queries.get_action(db, "1.1.1.1").last_note == "Kept"  # the undone note does not stand
        changes.set_status(db, "1.1.1.1", "on_track", author="Ann", at=datetime(2022, 4, 1, 9))
        assert queries.get_action(db, "1.1.1.1").last_note == "Kept"
        changes.undo_step(db, author="Ann", at=datetime(2022, 5, 1, 9))  # the full refresh agrees
        assert queries.get_action(db, "1.1.1.1").last_note == "Kept"
    finally:
        db.close()
