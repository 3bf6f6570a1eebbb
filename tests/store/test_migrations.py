"""The schema comes from the Alembic migrations, and they agree with the SQLModel tables in
`plantui.store.tables`."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from plantui.store import schema
from plantui.store.opening import open_database
from plantui.store.tables import metadata


def test_head_revision_constant_matches_the_scripts() -> None:
    scripts = ScriptDirectory.from_config(schema.alembic_config())
    assert scripts.get_current_head() == schema.HEAD_REVISION
    assert set(schema.KNOWN_REVISIONS) == {rev.revision for rev in scripts.walk_revisions()}


def migrated(path: Path, revision: str = "head"):
    """A new file built by running the migrations, as every store was before new files were created
    from the models."""
    db = open_database(path, migrate=False)
    schema.upgrade(db, revision)
    return db


def test_migrated_database_matches_the_models(tmp_path: Path) -> None:
    db = migrated(tmp_path / "m.db")
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
    old = migrated(path, "0001")
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


def schema_of(path: Path) -> dict[str, object]:
    """Everything SQLite knows of a file's tables: columns in order (type, NOT NULL, default, key),
    foreign keys with their actions, indexes and their columns, and Alembic's version table as SQL."""
    conn = sqlite3.connect(path)
    try:
        tables = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
        names = [name for (name,) in conn.execute(tables)]
        described: dict[str, object] = {}
        for name in names:
            indexes = []
            for _, index, unique, origin, partial in conn.execute(f"PRAGMA index_list('{name}')"):
                columns = [row[2] for row in conn.execute(f"PRAGMA index_info('{index}')")]
                # SQLite names the indexes of UNIQUE and PRIMARY KEY constraints by their order.
                indexes.append((index if origin == "c" else origin, unique, partial, columns))
            described[name] = {
                "columns": conn.execute(f"PRAGMA table_info('{name}')").fetchall(),
                "foreign keys": sorted(row[2:] for row in conn.execute(f"PRAGMA foreign_key_list('{name}')")),
                "indexes": sorted(indexes),
            }
        described["version table"] = conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'alembic_version'"
        ).fetchall()
        described["version"] = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        return described
    finally:
        conn.close()


def test_a_new_file_gets_the_schema_the_migrations_build(tmp_path: Path) -> None:
    migrated(tmp_path / "migrated.db").close()
    created = open_database(tmp_path / "created.db")
    try:
        assert schema.current_revision(created) == schema.HEAD_REVISION
        with created.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
        assert diff == []
    finally:
        created.close()
    expected = schema_of(tmp_path / "migrated.db")
    assert set(expected) >= schema.PLANTUI_TABLES
    assert schema_of(tmp_path / "created.db") == expected


def test_a_new_file_is_made_without_importing_alembic(tmp_path: Path) -> None:
    """Creating the schema from the models spares a first `plantui import` Alembic and its migrations."""
    code = (
        "import sys; from plantui.store.opening import open_database; "
        f"open_database({str(tmp_path / 'new.db')!r}).close(); print('alembic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
    assert schema_of(tmp_path / "new.db")["version"] == [(schema.HEAD_REVISION,)]


def test_a_created_file_goes_down_and_up_the_migrations_like_a_migrated_one(tmp_path: Path) -> None:
    """Later migrations will run on stores that began as created files: Alembic must find in them
    exactly what it finds in migrated ones."""
    from alembic import command

    from plantui.store.plans import dump_document, load_document
    from tests.conftest import mini_plan

    for name in ("created.db", "migrated.db"):
        db = open_database(tmp_path / name) if name == "created.db" else migrated(tmp_path / name)
        try:
            load_document(db, mini_plan())
            before = dump_document(db)
            with db.engine.begin() as conn:
                config = schema.alembic_config()
                config.attributes["connection"] = conn
                command.downgrade(config, "0001")
            assert schema.current_revision(db) == "0001"
            schema.upgrade(db)
            assert schema.current_revision(db) == schema.HEAD_REVISION
            assert dump_document(db) == before
        finally:
            db.close()
    assert schema_of(tmp_path / "created.db") == schema_of(tmp_path / "migrated.db")


def test_two_plantuis_opening_one_empty_file_create_its_schema_once(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    sqlite3.connect(path).execute("PRAGMA user_version = 0").connection.close()
    first, second = open_database(path), open_database(path)
    try:
        assert schema.current_revision(first) == schema.current_revision(second) == schema.HEAD_REVISION
        schema.create_current(second)  # as if it had waited for the first: finds the schema there
        assert schema_of(path)["version"] == [(schema.HEAD_REVISION,)]
    finally:
        first.close()
        second.close()
