"""A plan file (or server database) holding objects plantui did not make is refused, by name, before it
is opened, shown or restored; and a database with another application's alembic_version is said to be
one, not taken for a newer plantui's or stamped over."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from plantui.cli.main import cli
from plantui.domain.errors import StoreError
from plantui.store import schema, schema_check
from plantui.store.location import resolve
from plantui.store.opening import open_database
from plantui.store.plans import load_document
from plantui.store.restore import restore_file
from plantui.store.revisions import KNOWN_REVISIONS
from plantui.store.snapshot import read_snapshot
from plantui.store.sqlite_file import check_backup_file
from tests.conftest import mini_plan, stored_plan

# One that deletes history on every insert: every later change would destroy the plan's history.
WIPE_TRIGGER = "CREATE TRIGGER wipe AFTER INSERT ON history BEGIN DELETE FROM history WHERE id <> NEW.id; END"
FOREIGN = {
    "trigger": (WIPE_TRIGGER, "has a trigger 'wipe' that plantui did not make"),
    "view": (
        "CREATE VIEW everything AS SELECT * FROM history",
        "has a view 'everything' that plantui did not make",
    ),
    "index": (
        "CREATE UNIQUE INDEX one_note ON history (action_id)",
        "has an index 'one_note' that plantui did not make",
    ),
    "table": ("CREATE TABLE notes_to_self (x)", "has a table 'notes_to_self' that plantui did not make"),
    "altered table": (
        "ALTER TABLE action ADD COLUMN secret TEXT",
        "has a table 'action' whose definition plantui did not make",
    ),
    "hostile name": (
        'CREATE TRIGGER "x\x1b[2J" AFTER INSERT ON history BEGIN SELECT 1; END',
        "has a trigger 'x\\x1b[2J' that plantui did not make",
    ),
}


NOT_OPENED = "it was not opened; nothing was changed"


def plan_file(path: Path) -> Path:
    return stored_plan(path)


def with_foreign(path: Path, statement: str) -> Path:
    """A plan file with one object added, in the rollback-journal mode a backup copy has (so a reader
    leaves no -wal beside it)."""
    plan_file(path)
    with sqlite3.connect(path) as conn:
        conn.execute(statement)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    return path


def state(folder: Path) -> dict[str, str]:
    """Every file in a folder (recursively) with a digest of its bytes: to show nothing was changed."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- the reference is what plantui's own code makes ---------------------------------------------------


def built_schema(path: Path) -> dict[tuple[str, str], str | None]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(schema_check.SQLITE_MASTER_QUERY).fetchall()
    conn.close()
    return {(kind, name): schema_check.canonical(kind, sql) for kind, name, _table, sql in rows}


def created_at_0003(path: Path) -> Path:
    """An empty SQLite file as `create_current` made it while 0003 was the head: today's models, but
    the history table as they declared it then (0004 added `group_id` and `redoes_id`), the action
    table without `impact` (0008 added it), the plan and meetings without the uids 0009 gave them, and
    neither `saved_view` (0005 added it) nor the `measure` tables (0006 added them)."""
    from sqlalchemy import (
        Column,
        DateTime,
        ForeignKey,
        Index,
        Integer,
        MetaData,
        Table,
        Text,
        UniqueConstraint,
    )

    from plantui.store.tables import metadata

    older = MetaData()
    for table in metadata.sorted_tables:
        if table.name in schema_check.plantui_tables("0003") and table.name not in (
            "history",
            "officer",
            "action",
        ):
            table.to_metadata(older)
    Table(  # as 0007 found it, before `impact`
        "action",
        older,
        *(
            Column(
                c.name,
                c.type,
                *[ForeignKey(fk.target_fullname, ondelete=fk.ondelete) for fk in c.foreign_keys],
                primary_key=c.primary_key,
                nullable=c.nullable,
                index=c.index,
                server_default=c.server_default,
            )
            for c in metadata.tables["action"].columns
            if c.name != "impact"
        ),
        UniqueConstraint("plan_id", "ref"),
    )
    Table(  # as 0005 found it, before `person` and `email`
        "officer",
        older,
        Column("id", Integer, primary_key=True),
        Column("name", Text, nullable=False, unique=True),
    )
    Table(
        "history",
        older,
        Column("id", Integer, primary_key=True),
        Column("action_id", Integer, ForeignKey("action.id", ondelete="CASCADE"), nullable=False),
        Column("at", DateTime, nullable=False),
        Column("author", Text, nullable=False),
        Column("field", Text, nullable=False),
        Column("old", Text, nullable=True),
        Column("new", Text, nullable=True),
        Column("note", Text, nullable=False),
        Column("undoes_id", Integer, ForeignKey("history.id"), nullable=True),
        Column("meeting_id", Integer, ForeignKey("meeting.id"), nullable=True, index=True),
        Index("ix_history_action_id_id", "action_id", "id"),
        Index("ix_history_at", "at"),
    )
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        older.create_all(conn)
        version = schema.version_table()
        version.create(conn)
        conn.execute(version.insert().values(version_num="0003"))
        conn.exec_driver_sql("DROP INDEX ix_meeting_uid")
        for table_name in ("plan", "meeting"):  # as they were before 0009 gave them uids
            conn.exec_driver_sql(f'ALTER TABLE "{table_name}" DROP COLUMN uid')
    engine.dispose()
    return path


def created_at_0009(path: Path) -> Path:
    """An empty SQLite file as `create_current` made it while 0009 was the head: today's file with
    what 0010 added taken away again (SQLite drops a column by rewriting its definition without it)."""
    database = open_database(path)
    database.close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP INDEX ix_measure_change_uid")
        conn.execute("ALTER TABLE measure_change DROP COLUMN uid")
        for table in ("history", "measure_value", "measure_change"):
            conn.execute(f"ALTER TABLE {table} DROP COLUMN origin")
        for mark in ("upstream_changes", "local_changes", "upstream_log", "local_log"):
            conn.execute(f"ALTER TABLE replica_state DROP COLUMN {mark}")
        conn.execute("DROP TABLE plan_log")
        conn.execute("DROP TABLE store_identity")
        conn.execute("UPDATE alembic_version SET version_num = '0009'")
    conn.close()
    return path


def created_at_0008(path: Path) -> Path:
    """An empty SQLite file as `create_current` made it while 0008 was the head: the 0009 file with
    what 0009 added taken away again."""
    created_at_0009(path)
    with sqlite3.connect(path) as conn:
        for table in ("history", "meeting", "measure_value"):
            conn.execute(f"DROP INDEX ix_{table}_uid")
        for table in ("plan", "history", "meeting", "measure_value"):
            conn.execute(f'ALTER TABLE "{table}" DROP COLUMN uid')
        conn.execute("DROP TABLE sync_conflict")
        conn.execute("DROP TABLE replica_state")
        conn.execute("UPDATE alembic_version SET version_num = '0008'")
    conn.close()
    return path


def test_the_reference_holds_every_schema_plantuis_code_builds_and_nothing_else(tmp_path: Path) -> None:
    """Migrations from empty to each revision, and the head made from the models: every definition they
    build is accepted at its revision, and every accepted one is built by one of them."""
    built: dict[str, list[dict]] = {}
    for revision in KNOWN_REVISIONS:
        database = open_database(tmp_path / f"migrated-{revision}.db", migrate=False)
        schema.upgrade(database, revision)
        database.close()
        built.setdefault(revision, []).append(built_schema(tmp_path / f"migrated-{revision}.db"))
    plan_file(tmp_path / "created.db")  # create_current, then a load that runs ANALYZE
    created = built_schema(tmp_path / "created.db")
    built[schema.HEAD_REVISION].append(created)
    # A file the plantui whose head was 0003 created from its models, as it was and once migrated.
    created_0003 = created_at_0003(tmp_path / "created-0003.db")
    as_created_0003 = built_schema(created_0003)
    built["0003"].append(as_created_0003)
    database = open_database(created_0003, migrate=False)
    schema.upgrade(database, "0004")
    built["0004"].append(built_schema(created_0003))
    for later in KNOWN_REVISIONS[KNOWN_REVISIONS.index("0004") + 1 :]:  # and on up to the head
        schema.upgrade(database, later)
        built[later].append(built_schema(created_0003))
    database.close()
    # And one the plantui whose head was 0008 created, as it was and once migrated.
    created_0008 = created_at_0008(tmp_path / "created-0008.db")
    as_created_0008 = built_schema(created_0008)
    built["0008"].append(as_created_0008)
    database = open_database(created_0008, migrate=False)
    schema.upgrade(database, "0009")
    built["0009"].append(built_schema(created_0008))
    schema.upgrade(database, "0010")
    database.close()
    built["0010"].append(built_schema(created_0008))
    # And one the plantui whose head was 0009 created, as it was and once migrated.
    created_0009 = created_at_0009(tmp_path / "created-0009.db")
    as_created_0009 = built_schema(created_0009)
    built["0009"].append(as_created_0009)
    database = open_database(created_0009, migrate=False)
    schema.upgrade(database, "0010")
    database.close()
    built["0010"].append(built_schema(created_0009))

    assert set(schema_check.REFERENCE) == {None, *KNOWN_REVISIONS}
    for revision, variants in built.items():
        reference = schema_check.REFERENCE[revision]
        for variant in variants:
            own = {
                key: sql for key, sql in variant.items() if key[1] not in schema_check.SQLITE_INTERNAL_TABLES
            }
            assert set(own) == set(reference), revision
            for key, sql in own.items():
                assert sql in reference[key], (revision, key, sql)
        # An earlier plantui made files at its head revision with create_current, as this one does at
        # its own: a table no later revision changed is built today, or was at 0003, 0008 or 0009, as
        # it was then.
        made_by_some_plantui = [*variants, created, as_created_0003, as_created_0008, as_created_0009]
        for key, accepted in reference.items():
            for sql in accepted:
                assert any(variant.get(key) == sql for variant in made_by_some_plantui), (revision, key, sql)
        assert not any(kind in ("trigger", "view") for kind, _ in reference)


def test_what_this_sqlalchemy_renders_for_the_head_schema_is_in_the_reference() -> None:
    """The fallback for a newer SQLAlchemy's layout accepts nothing more here than the reference does."""
    rendered = schema._rendered_by_this_sqlalchemy()
    reference = schema_check.REFERENCE[schema.HEAD_REVISION]
    assert rendered and all(key in reference and sqls <= reference[key] for key, sqls in rendered.items())


def test_a_definition_laid_out_another_way_is_still_plantuis(tmp_path: Path) -> None:
    """Clause order and white space are layout: a definition with plantui's clauses is plantui's."""
    path = plan_file(tmp_path / "plan.db")
    relaid = (
        "CREATE TABLE officer (id INTEGER NOT NULL,\n    name TEXT NOT NULL,\n\n"
        "  person TEXT DEFAULT '' NOT NULL,  email TEXT DEFAULT '' NOT NULL,"
        "  UNIQUE (name),   PRIMARY KEY (id))"
    )
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'officer'", (relaid,))
    conn.commit()
    conn.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    open_database(path).close()


def test_a_file_from_the_first_revision_opens_and_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    database = open_database(path, migrate=False)
    schema.upgrade(database, "0001")
    database.close()
    open_database(path).close()
    assert schema_check.sqlite_schema_problem(sqlite3.connect(path), schema.HEAD_REVISION) == ""


# --- refused on open, on the first frame, and on restore ----------------------------------------------


@pytest.mark.parametrize("kind", list(FOREIGN))
def test_a_file_with_an_object_plantui_did_not_make_is_not_opened(tmp_path: Path, kind: str) -> None:
    statement, words = FOREIGN[kind]
    path = with_foreign(tmp_path / "plan.db", statement)
    before = state(tmp_path)
    with pytest.raises(StoreError) as caught:
        open_database(path)
    assert str(caught.value) == f"{path} {words}: it was not opened; nothing was changed"
    assert state(tmp_path) == before
    assert read_snapshot(resolve(str(path))) is None  # the workbench's first frame does not show it


def test_the_wipe_trigger_never_runs_through_plantui(tmp_path: Path) -> None:
    path = with_foreign(tmp_path / "plan.db", WIPE_TRIGGER)
    with sqlite3.connect(path) as conn:
        history = conn.execute("SELECT count(*) FROM history").fetchone()[0]
    conn.close()
    result = CliRunner().invoke(cli, ["--db", str(path), "set", "1.1.1.1", "--rag", "complete"])
    assert result.exit_code != 0
    assert result.stderr.splitlines() == [
        f"plantui: {path} has a trigger 'wipe' that plantui did not make: {NOT_OPENED}"
    ]
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM history").fetchone()[0] == history
    conn.close()


def test_the_cli_refuses_it_in_one_line(tmp_path: Path) -> None:
    path = with_foreign(tmp_path / "plan.db", FOREIGN["view"][0])
    result = subprocess.run(
        [sys.executable, "-m", "plantui", "--db", str(path), "list"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert result.stderr.splitlines() == [
        f"plantui: {path} has a view 'everything' that plantui did not make: {NOT_OPENED}"
    ]
    assert result.stdout == ""


WORKBENCH_SCRIPT = """
import sys
from plantui.cli import main as cli_main
from plantui.tui.app import PlanApp

real_run = PlanApp.run

def run(self, **_):
    return real_run(self, headless=True, size=(120, 36))

PlanApp.run = run
sys.argv = ["plantui", "--db", sys.argv[1], "--today", "2022-11-01"]
cli_main.main()
"""


def test_the_workbench_refuses_it_in_one_line(tmp_path: Path) -> None:
    path = with_foreign(tmp_path / "plan.db", WIPE_TRIGGER)
    before = state(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", WORKBENCH_SCRIPT, str(path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"plantui: {path} has a trigger 'wipe' that plantui did not make: {NOT_OPENED}"
    ]
    assert "Traceback" not in result.stdout + result.stderr
    assert state(tmp_path) == before


@pytest.mark.parametrize("kind", ["trigger", "view", "index", "table", "altered table"])
def test_restoring_a_file_with_an_object_plantui_did_not_make_changes_nothing(
    tmp_path: Path, kind: str
) -> None:
    statement, words = FOREIGN[kind]
    live = plan_file(tmp_path / "live" / "plan.db")
    source = with_foreign(tmp_path / "incoming.db", statement)
    before = state(tmp_path)
    with pytest.raises(StoreError) as caught:
        restore_file(live, source)
    assert str(caught.value) == f"{source} {words}: it cannot be restored; nothing was changed"
    assert state(tmp_path) == before
    result = CliRunner().invoke(cli, ["--db", str(live), "restore", str(source)])
    assert result.exit_code != 0
    assert result.stderr.splitlines() == [
        f"plantui: {source} {words}: it cannot be restored; nothing was changed"
    ]
    assert state(tmp_path) == before


# --- another application's alembic_version ---------------------------------------------------------


def other_application(conn, revision: str | None) -> None:
    conn.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER)"))
    conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"))
    if revision is not None:
        conn.execute(text("INSERT INTO alembic_version VALUES (:r)"), {"r": revision})


def test_a_sqlite_file_of_another_alembic_application_is_named_as_one(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        other_application(conn, "ae1027a6acf3")
    engine.dispose()
    before = state(tmp_path)
    words = (
        f"{path} holds another application's tables (alembic_version 'ae1027a6acf3' is not plantui's): "
        "use a database of its own for plantui; nothing was changed"
    )
    with pytest.raises(StoreError, match="another application") as caught:
        open_database(path)
    assert str(caught.value) == words
    with pytest.raises(StoreError, match="another application"):
        open_database(path, readonly=True)
    with pytest.raises(StoreError) as caught:
        check_backup_file(path)
    assert "holds another application's tables (alembic_version 'ae1027a6acf3' is not plantui's)" in str(
        caught.value
    )
    assert state(tmp_path) == before


@pytest.mark.postgres
@pytest.mark.parametrize("revision", ["ae1027a6acf3", None])
def test_a_server_database_of_another_alembic_application_is_refused_and_not_stamped(
    pg_cluster, revision: str | None
) -> None:
    name = pg_cluster.new_database(template="template1")
    url = pg_cluster.url(name)
    try:
        engine = create_engine(url)
        with engine.begin() as conn:
            other_application(conn, revision)
        result = CliRunner().invoke(cli, ["--db", url, "list"])
        assert result.exit_code != 0
        version = f"alembic_version '{revision}' is not plantui's" if revision else "an alembic_version"
        assert result.stderr.splitlines() == [
            f"plantui: {resolve(url).display} holds another application's tables ({version}): "
            "use a database of its own for plantui; nothing was changed"
        ]
        with engine.connect() as conn:
            tables = set(
                conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars()
            )
            stamped = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        engine.dispose()
        assert tables == {"invoices", "alembic_version"}
        assert stamped == ([revision] if revision else [])
    finally:
        pg_cluster.drop_database(name)


@pytest.mark.postgres
def test_a_server_database_with_a_trigger_on_plantuis_tables_is_refused(pg_url: str) -> None:
    database = open_database(pg_url)
    load_document(database, mini_plan())
    database.close()
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE FUNCTION wipe_history() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN DELETE FROM history WHERE id <> NEW.id; RETURN NULL; END $$"
            )
        )
        conn.execute(
            text("CREATE TRIGGER wipe AFTER INSERT ON history FOR EACH ROW EXECUTE FUNCTION wipe_history()")
        )
        history = conn.execute(text("SELECT count(*) FROM history")).scalar()
    result = CliRunner().invoke(cli, ["--db", pg_url, "set", "1.1.1.1", "--rag", "complete"])
    assert result.exit_code != 0
    assert result.stderr.splitlines() == [
        f"plantui: {resolve(pg_url).display} has a trigger 'wipe' on plantui's table 'history' that plantui "
        "did not make: it was not opened; nothing was changed"
    ]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM history")).scalar() == history
    engine.dispose()


def test_an_older_file_with_an_object_plantui_did_not_make_is_refused_before_its_upgrade(
    tmp_path: Path,
) -> None:
    """A file still at an earlier revision is checked against that revision's reference; an object
    plantui did not make is named in one line and the file is neither upgraded nor changed."""
    path = created_at_0003(tmp_path / "old.db")
    with sqlite3.connect(path) as conn:
        conn.execute(FOREIGN["view"][0])
    conn.close()
    before = state(tmp_path)
    with pytest.raises(StoreError) as caught:
        open_database(path)
    assert str(caught.value) == f"{path} {FOREIGN['view'][1]}: {NOT_OPENED}"
    assert state(tmp_path) == before
