"""`plantui copy`: a whole plan store, history and undo links included, from a SQLite file to the
store under test (a PostgreSQL database or another file) and back, with nothing lost."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from plantui.store import changes, queries
from plantui.store.opening import open_database
from plantui.store.plans import dump_document, load_document
from tests.conftest import mini_plan, run_cli


@pytest.fixture
def laptop(tmp_path: Path) -> str:
    """A SQLite store with a history worth keeping: changes, a note, an undone note, an undo."""
    path = tmp_path / "laptop.db"
    db = open_database(path)
    load_document(db, mini_plan(markup=True))
    changes.set_status(db, "1.1.1.2", "some_issues", note="Two [posts] filled", author="Ann",
                       at=datetime(2022, 10, 5, 14, 3, 7, 250000))  # fmt: skip
    changes.set_milestone(db, "1.1.1.3", "June 2023", note="Later", author="Ben", at=datetime(2022, 10, 6, 9))
    changes.add_note(db, "2.1.1.1", "Supplier chosen", author="Ann", at=datetime(2022, 10, 7, 10))
    changes.undo_step(db, author="Ann", at=datetime(2022, 10, 7, 11))  # undoes the note
    changes.set_status(db, "1.1.1.2", "on_track", author="Cy", at=datetime(2022, 10, 8, 16, 30))
    db.close()
    return str(path)


def export(target: str) -> str:
    return run_cli("--db", target, "export").stdout


def test_copy_there_and_back_is_lossless(laptop: str, db_target: str, tmp_path: Path) -> None:
    original = export(laptop)
    result = run_cli("copy", "--from", laptop, "--to", db_target)
    assert "7 actions" in result.stdout and "5 history entries" in result.stdout
    assert export(db_target) == original  # byte-identical JSON, history included
    back = str(tmp_path / "offline.db")
    run_cli("--db", db_target, "copy", "--to", back)  # --from defaults to --db
    assert export(back) == original
    for store in (db_target, back):
        db = open_database(store)
        try:
            note_action = queries.get_action(db, "2.1.1.1")
            assert note_action.last_note == ""  # the undone note no longer stands
            assert queries.get_action(db, "1.1.1.2").updated_at == datetime(2022, 10, 8, 16, 30)
            history = queries.plan_history(db)
            assert len(history) == 5
            undo = next(h for h in history if h.undoes_id is not None)
            assert next(h for h in history if h.id == undo.undoes_id).note == "Supplier chosen"
            # The copy's undo carries on where the original left off: Cy's change is the newest.
            assert changes.undo_step(db, author="Cy").action.status == "some_issues"
        finally:
            db.close()


def test_copy_carries_text_edits_and_their_undo(laptop: str, db_target: str) -> None:
    name = "Head of Service (Safeguarding) & QA / PSW, Jane"
    db = open_database(laptop)
    try:
        texts = [changes.TextChange("title", "New [bold]title[/]"), changes.TextChange("leads", (name,))]
        changes.edit_text(db, "1.1.1.3", texts, author="Di", at=datetime(2022, 10, 9, 9))
    finally:
        db.close()
    original = export(laptop)
    run_cli("copy", "--from", laptop, "--to", db_target)
    assert export(db_target) == original
    db = open_database(db_target)
    try:
        assert queries.get_action(db, "1.1.1.3").leads == (name,)
        # The plan file and a copy keep no steps (history.group_id): each row is undone on its own.
        assert [entry.field for entry in changes.undo_step(db, author="Di").entries] == ["leads"]
        assert [entry.field for entry in changes.undo_step(db, author="Di").entries] == ["title"]
        action = queries.get_action(db, "1.1.1.3")
        assert (action.title, action.leads) == ("Recruit a participation officer", ("Head of Service",))
    finally:
        db.close()


def test_copy_refuses_a_store_with_a_plan_unless_forced(laptop: str, db_target: str, tmp_path: Path) -> None:
    from plantui.io.plan_json import dumps_plan

    other = mini_plan()
    other.title = "Another plan"
    (tmp_path / "other.json").write_text(dumps_plan(other), encoding="utf-8")
    run_cli("--db", db_target, "import", str(tmp_path / "other.json"))
    before = export(db_target)
    refused = run_cli("copy", "--from", laptop, "--to", db_target, ok=False)
    assert refused.exit_code != 0
    assert "already holds a plan: use --force to replace it" in refused.stderr
    assert export(db_target) == before
    run_cli("copy", "--from", laptop, "--to", db_target, "--force")
    assert export(db_target) == export(laptop)


def test_copy_from_a_missing_or_empty_store_or_onto_itself(tmp_path: Path, db_target: str) -> None:
    missing = run_cli("copy", "--from", str(tmp_path / "none.db"), "--to", db_target, ok=False)
    assert "none.db does not exist" in missing.stderr
    empty = tmp_path / "empty.db"
    open_database(empty).close()
    nothing = run_cli("copy", "--from", str(empty), "--to", db_target, ok=False)
    assert "has no plan yet" in nothing.stderr
    itself = run_cli("copy", "--from", db_target, "--to", db_target, ok=False)
    assert "copy needs two stores" in itself.stderr


def test_copy_checks_what_it_wrote(laptop: str, db_target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from plantui.domain.errors import StoreError
    from plantui.store import plans

    real = plans.read_document

    def garbled(conn, database=None):
        document = real(conn, database)
        document.title += " (garbled)"
        return document

    monkeypatch.setattr(plans, "read_document", garbled)
    source, target = open_database(laptop), open_database(db_target)
    try:
        with pytest.raises(StoreError, match="did not read back the same"):
            plans.copy_plan(source, target)
        monkeypatch.undo()
        with target.read() as conn:
            assert plans.plan_count(conn) == 0  # rolled back whole
        assert dump_document(source).title.startswith("Test Improvement Plan")
    finally:
        source.close()
        target.close()
