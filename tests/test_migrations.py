"""The schema comes from the Alembic migrations, and they agree with the models."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from plantui.store import schema
from plantui.store.database import open_database
from plantui.store.models import metadata


def test_head_revision_constant_matches_the_scripts() -> None:
    scripts = ScriptDirectory.from_config(schema.alembic_config())
    assert scripts.get_current_head() == schema.HEAD_REVISION
    assert set(schema.KNOWN_REVISIONS) == {rev.revision for rev in scripts.walk_revisions()}


def test_migrated_database_matches_the_models(tmp_path: Path) -> None:
    db = open_database(tmp_path / "m.db")
    try:
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
        assert diff == []
        assert schema.current_revision(db) == schema.HEAD_REVISION
    finally:
        db.close()


def test_migrations_ship_inside_the_package() -> None:
    from importlib.resources import files

    versions = files("plantui.store") / "migrations" / "versions"
    assert any(p.name.endswith(".py") for p in versions.iterdir())


def test_a_0001_database_with_undo_rows_upgrades_to_head_keeping_its_history(tmp_path: Path) -> None:
    """History rows point at each other (undo); adding `meeting_id` must keep them all, unchanged."""
    from datetime import datetime

    from sqlalchemy import text

    from conftest import mini_plan
    from plantui.domain.document import HistoryEntryDoc
    from plantui.store.plans import load_document

    path = tmp_path / "old.db"
    old = open_database(path, migrate=False)
    schema.upgrade(old, "0001")
    document = mini_plan()
    action = document.actions()[1]
    action.history = [
        HistoryEntryDoc(datetime(2022, 9, 1, 9), "Ann", "status", "on_track", "off_track", "slipping"),
        HistoryEntryDoc(datetime(2022, 9, 2, 9), "Ann", "status", "off_track", "on_track", "", undoes=0),
    ]
    load_document(old, document)
    with old.read() as conn:
        before = conn.execute(text("SELECT id, action_id, field, old, new, undoes_id FROM history")).all()
    old.close()

    upgraded = open_database(path)
    try:
        assert schema.current_revision(upgraded) == schema.HEAD_REVISION
        assert any("upgraded the schema from 0001" in notice for notice in upgraded.notices)
        with upgraded.read() as conn:
            after = conn.execute(
                text("SELECT id, action_id, field, old, new, undoes_id, meeting_id FROM history")
            ).all()
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
        assert diff == []
        assert [tuple(row[:6]) for row in after] == [tuple(row) for row in before]
        assert len(after) == 2 and after[1].undoes_id == after[0].id
        assert all(row.meeting_id is None for row in after)
    finally:
        upgraded.close()


def test_downgrade_to_0001_and_back(tmp_path: Path) -> None:
    from alembic import command

    db = open_database(tmp_path / "d.db")
    try:
        with db.engine.begin() as conn:
            config = schema.alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, "0001")
        assert schema.current_revision(db) == "0001"
        schema.upgrade(db)
        assert schema.current_revision(db) == schema.HEAD_REVISION
    finally:
        db.close()
