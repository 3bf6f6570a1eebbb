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
    from sqlalchemy import text

    path = tmp_path / "old.db"
    old = open_database(path, migrate=False)
    schema.upgrade(old, "0001")
    statements = [  # rows as plantui 0001 wrote them, in SQL so later models cannot leak in
        "INSERT INTO plan (id, title, organisation, phase, foreword, created_at) "
        "VALUES (1, 'P', '', '', '', '2022-09-01 00:00:00')",
        "INSERT INTO theme (id, plan_id, ref, position, title, aim) VALUES (1, 1, '1', 0, 'T', '')",
        "INSERT INTO area (id, theme_id, ref, position, title, outcomes) VALUES (1, 1, '1.1', 0, 'A', '')",
        "INSERT INTO objective (id, area_id, ref, position, text) VALUES (1, 1, '1.1.1', 0, 'O')",
        "INSERT INTO action (id, plan_id, objective_id, ref, position, title, success_measures,"
        " detailed_plan, status, milestone, baseline, last_note)"
        " VALUES (1, 1, 1, '1.1.1.1', 0, 'X', '', '', 'on_track', 'March 2023', 'March 2023', '')",
        "INSERT INTO history (id, action_id, at, author, field, old, new, note, undoes_id) VALUES "
        "(1, 1, '2022-09-01 09:00:00', 'Ann', 'status', 'on_track', 'off_track', 'slipping', NULL)",
        "INSERT INTO history (id, action_id, at, author, field, old, new, note, undoes_id) VALUES "
        "(2, 1, '2022-09-02 09:00:00', 'Ann', 'status', 'off_track', 'on_track', '', 1)",
    ]
    with old.write() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)
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
