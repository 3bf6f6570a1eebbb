"""Upgrades: a database built at every schema revision in the migrations folder, filled with data,
is opened by this plantui and nothing is lost; and a backup copy is taken before any migration.

The revisions are read from the Alembic script directory, so a new migration is tested as soon as
it exists. Rows are written with plain SQL for the tables that revision has; a revision that adds
tables adds a filler to FILLERS (the test says so if one is missing).
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from importlib.resources import as_file, files
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData, select, text

from plantui.store import queries, schema
from plantui.store.backup import backups_of
from plantui.store.opening import open_database
from plantui.store.plans import dump_document

_SCRIPTS = ScriptDirectory.from_config(schema.alembic_config())
REVISIONS = [script.revision for script in reversed(list(_SCRIPTS.walk_revisions()))]  # oldest first
HOSTILE = "[bold]x[/] [link=y] [ \x1b[31m \u202eRTL 🧑‍🤝‍🧑 é"


@pytest.fixture
def database(db_path: Path):
    """The small plan in a SQLite file (this module is about files, so it runs on SQLite only)."""
    from tests.conftest import stored_plan

    db = open_database(stored_plan(db_path), daily_backup=False)  # as a new file would: no copy yet
    yield db
    db.close()


def fill_0001(conn: Connection) -> None:
    """A plan with every table of the first schema in use, history with an undo among it. Columns
    are named, so the filler still works at a later revision that adds columns with defaults."""
    rows = {
        "plan": [dict(id=1, title=f"Plan {HOSTILE}", organisation="Council", phase="Phase 1",
                      foreword="Foreword", status_date="2022-11-01",
                      created_at="2022-10-01 09:00:00.000000")],
        "officer": [dict(id=1, name="Assistant Director"), dict(id=2, name=f"Head of {HOSTILE}")],
        "theme": [dict(id=1, plan_id=1, ref="1", position=0, title=f"Theme {HOSTILE}", aim="Aim")],
        "area": [dict(id=1, theme_id=1, ref="1.1", position=0, title="Area", outcomes="Outcomes")],
        "objective": [dict(id=1, area_id=1, ref="1.1.1", position=0, text="Objective")],
        "action": [
            dict(id=1, plan_id=1, objective_id=1, ref="1.1.1.1", position=0, title=f"Action {HOSTILE}",
                 success_measures="Measures", detailed_plan="Detail", status="off_track",
                 milestone="June 2023", due="2023-06-30", baseline="March 2023", baseline_due="2023-03-31",
                 updated_at="2022-10-05 14:03:00.000000", last_note=""),
            dict(id=2, plan_id=1, objective_id=1, ref="1.1.1.2", position=1, title="Second",
                 success_measures="", detailed_plan="", status="bau", milestone="Ongoing", due=None,
                 baseline="Ongoing", baseline_due=None, updated_at=None, last_note=""),
        ],
        "action_lead": [dict(action_id=1, officer_id=1, position=0),
                        dict(action_id=1, officer_id=2, position=1),
                        dict(action_id=2, officer_id=2, position=0)],
        "history": [
            dict(id=1, action_id=1, at="2022-10-05 14:00:00.000000", author="Ann", field="status",
                 old="on_track", new="off_track", note=HOSTILE, undoes_id=None),
            dict(id=2, action_id=1, at="2022-10-05 14:02:00.000000", author="Ann", field="milestone",
                 old="March 2023", new="June 2023", note="Delayed", undoes_id=None),
            dict(id=3, action_id=1, at="2022-10-05 14:03:00.000000", author="Ben", field="note",
                 old=None, new=None, note="", undoes_id=1),
        ],
        "finding": [dict(id=1, plan_id=1, position=0, source="Appendix A", text=f"Finding {HOSTILE}")],
        "finding_ref": [dict(finding_id=1, position=0, ref="1.1"), dict(finding_id=1, position=1, ref="9.9")],
    }  # fmt: skip
    for table, values in rows.items():
        names = list(values[0])
        conn.execute(
            text(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)})"),
            values,
        )


def fill_0002(conn: Connection) -> None:
    """Board meetings: one meeting, and two of the changes made in it."""
    conn.execute(
        text(
            "INSERT INTO meeting (id, plan_id, title, scope, started_at, ended_at, recorded_by) "
            "VALUES (1, 1, :title, 'theme:1', '2022-10-05 13:30:00.000000', "
            "'2022-10-05 15:00:00.000000', 'Ann')"
        ),
        {"title": f"Board {HOSTILE}"},
    )
    conn.execute(text("UPDATE history SET meeting_id = 1 WHERE id IN (1, 2)"))


def fill_0003(conn: Connection) -> None:
    """Carried values: the second action's leads and plan carried down from the first, one doubtful."""
    conn.execute(
        text(
            "INSERT INTO carried_value (action_id, field, from_ref, doubtful) "
            "VALUES (2, 'leads', '1.1.1.1', :no), (2, 'detailed_plan', '1.1.1.1', :yes)"
        ),
        {"no": False, "yes": True},
    )


def fill_0004(conn: Connection) -> None:
    """Undo steps: Ann's status and milestone changes were one save, so one step."""
    conn.execute(text("UPDATE history SET group_id = 1 WHERE id = 2"))


def fill_0005(conn: Connection) -> None:
    """Saved views: one a user saved, its name and filter full of brackets, narrowed to area 1.1."""
    conn.execute(
        text(
            "INSERT INTO saved_view (plan_id, name, name_key, expression, node, sort) "
            "VALUES (1, :name, :key, :expression, '1.1', 'status:desc')"
        ),
        {"name": f"Mine {HOSTILE}", "key": f"mine {HOSTILE}".casefold(), "expression": "rag:red [x]"},
    )


def fill_0006(conn: Connection) -> None:
    """Measures: one owned by a lead, linked to an objective, an action and a finding, with a value
    and its correction for the same month."""
    statements = [
        "INSERT INTO measure (id, plan_id, ref, position, name, unit, direction, target, tolerance, "
        "frequency, owner_id) VALUES (1, 1, 'M1', 0, :name, '%', 'higher', 80.0, 5.0, 'monthly', 1)",
        "INSERT INTO measure_objective (measure_id, objective_id, position) VALUES (1, 1, 0)",
        "INSERT INTO measure_action (measure_id, action_id, position) VALUES (1, 1, 0)",
        "INSERT INTO measure_finding (measure_id, finding_id, position) VALUES (1, 1, 0)",
        "INSERT INTO measure_value (id, measure_id, period, value, note, at, author) VALUES "
        "(1, 1, '2022-10', 71.5, :name, '2022-11-02 09:00:00.000000', 'Ann'), "
        "(2, 1, '2022-10', 72.5, 'corrected', '2022-11-03 09:00:00.000000', 'Ben')",
        "INSERT INTO measure_change (id, measure_id, at, author, field, old, new) VALUES "
        "(1, 1, '2022-11-01 09:00:00.000000', 'Ann', 'target', '75', :name)",
    ]
    for statement in statements:
        conn.execute(text(statement), {"name": f"Measure {HOSTILE}"})


def fill_0007(conn: Connection) -> None:
    """The update round: the leads' people, one round issued to one lead, a return and a review."""
    conn.execute(text("UPDATE officer SET person = :person, email = 'ann@example.org' WHERE id = 1"),
                 {"person": f"Ann {HOSTILE}"})  # fmt: skip
    conn.execute(
        text(
            "INSERT INTO update_round (id, plan_id, token, scope, include_complete, issued_on, due, "
            "started_at, started_by, ended_at) VALUES (1, 1, 'r1-token', 'theme:1', :no, '2022-10-01', "
            "'2022-10-20', '2022-10-01 09:00:00.000000', 'Ann', NULL)"
        ),
        {"no": False},
    )
    conn.execute(
        text(
            "INSERT INTO round_item (round_id, officer_id, action_id, status, milestone) "
            "VALUES (1, 1, 1, 'on_track', 'March 2023')"
        )
    )
    conn.execute(
        text(
            "INSERT INTO round_return (id, round_id, officer_id, file_name, digest, collected_at, "
            "collected_by, step_id) VALUES (1, 1, 1, :name, 'abc', '2022-10-05 14:00:00.000000', 'Ann', 1)"
        ),
        {"name": f"{HOSTILE}.xlsx"},
    )
    conn.execute(
        text(
            "INSERT INTO round_review (id, return_id, action_id, field, issued, found, proposed, note) "
            "VALUES (1, 1, 1, 'status', 'on_track', 'off_track', 'complete', :note)"
        ),
        {"note": HOSTILE},
    )


def fill_0008(conn: Connection) -> None:
    """Impact evidenced: evidence recorded against the second action, and its impact marked."""
    evidence = '{"text": "Audit ' + HOSTILE.replace("\x1b", "\\u001b") + '", "date": "2022-10-14"}'
    conn.execute(
        text(
            "INSERT INTO history (id, action_id, at, author, field, old, new, note) VALUES "
            "(4, 2, '2022-10-14 09:00:00.000000', 'Ann', 'evidence', NULL, :evidence, ''), "
            "(5, 2, '2022-10-14 09:01:00.000000', 'Ann', 'impact', 'no', 'yes', '')"
        ),
        {"evidence": evidence},
    )
    conn.execute(text("UPDATE action SET impact = :yes WHERE id = 2"), {"yes": True})


def fill_0009(conn: Connection) -> None:
    """Replicas and sync: a replica's state and a conflict found by a sync."""
    conn.execute(
        text(
            "INSERT INTO replica_state (id, upstream, plan_uid, upstream_history, local_history, "
            "upstream_values, local_values, checked_out_at, synced_at) VALUES (1, :upstream, :plan, 3, 3, "
            "0, 0, '2022-10-01 09:00:00.000000', NULL)"
        ),
        {"upstream": f"/shared/{HOSTILE}.db", "plan": "0" * 32},
    )
    conn.execute(
        text(
            "INSERT INTO sync_conflict (id, uid, action_id, field, replaced_uid, standing_uid, found_at, "
            "reviewed_at, reviewed_by, outcome) VALUES (1, :uid, 1, 'status', :one, :two, "
            "'2022-10-02 09:00:00.000000', NULL, '', '')"
        ),
        {"uid": "1" * 32, "one": "2" * 32, "two": "3" * 32},
    )


def fill_0010(conn: Connection) -> None:
    """The plan's log: a saved view saved, and a lead's person changed. (`store_identity` has the row
    the migration gave it.)"""
    conn.execute(
        text(
            "INSERT INTO plan_log (id, plan_id, at, author, kind, key, field, old, new, uid, origin) VALUES "
            "(1, 1, '2022-11-04 09:00:00.000000', 'Ann', 'view', :key, 'view', NULL, :view, :uid, :origin), "
            "(2, 1, '2022-11-04 09:01:00.000000', 'Ann', 'lead', 'Assistant Director', 'person', '', :name, "
            ":uid2, :origin)"
        ),
        {
            "key": f"mine {HOSTILE}".casefold(),
            "view": '{"name": "Mine", "expression": "rag:red", "node": "", "sort": ""}',
            "name": f"Ann {HOSTILE}",
            "uid": "4" * 32,
            "uid2": "5" * 32,
            "origin": "6" * 32,
        },
    )


# Each revision's filler adds rows for the tables that revision introduced; earlier fillers run first.
FILLERS: dict[str, Callable[[Connection], None]] = {
    "0001": fill_0001,
    "0002": fill_0002,
    "0003": fill_0003,
    "0004": fill_0004,
    "0005": fill_0005,
    "0006": fill_0006,
    "0007": fill_0007,
    "0008": fill_0008,
    "0009": fill_0009,
    "0010": fill_0010,
}


def build_at(path: Path, revision: str):
    """A file at `revision`, each revision's rows written at that revision and migrated on from there,
    as a plan used through the years would be (a later revision may need the rows it finds filled in,
    as 0009 gives every history row its uid)."""
    database = open_database(path, migrate=False)
    for earlier in REVISIONS[: REVISIONS.index(revision) + 1]:
        schema.upgrade(database, earlier)
        filler = FILLERS.get(earlier)
        if filler is not None:
            with database.write() as conn:
                filler(conn)
    return database


def snapshot(conn: Connection, columns: dict[str, list[str]] | None = None) -> dict[str, set[tuple]]:
    """Every row of every table; with `columns`, only those tables and columns (as they were)."""
    meta = MetaData()
    meta.reflect(conn)
    wanted = columns or {n: [c.name for c in t.columns] for n, t in meta.tables.items()}
    return {
        name: set(conn.execute(select(*(meta.tables[name].c[c] for c in cols))).all())
        for name, cols in wanted.items()
        if name != "alembic_version"
    }


def table_columns(conn: Connection) -> dict[str, list[str]]:
    meta = MetaData()
    meta.reflect(conn)
    return {name: [c.name for c in table.columns] for name, table in meta.tables.items()}


@pytest.mark.parametrize("revision", REVISIONS)
def test_a_database_from_every_revision_opens_with_nothing_lost(tmp_path: Path, revision: str) -> None:
    path = tmp_path / "plan.db"
    old = build_at(path, revision)
    with old.read() as conn:
        columns = table_columns(conn)
        before = snapshot(conn)
    old.close()
    empty = [name for name, rows in before.items() if not rows]
    assert empty == [], f"revision {revision}: add rows for {empty} to FILLERS so their upgrade is tested"

    database = open_database(path)
    try:
        assert schema.current_revision(database) == schema.HEAD_REVISION
        with database.read() as conn:
            after = snapshot(conn, columns)  # a migration may add tables and columns, never lose rows
        assert after == before
        rows = queries.list_actions(database)
        assert [r.ref for r in rows] == ["1.1.1.1", "1.1.1.2"]
        assert rows[0].title == f"Action {HOSTILE}" and rows[0].leads == (
            "Assistant Director",
            f"Head of {HOSTILE}",
        )
        history = queries.action_history(database, "1.1.1.1")
        assert [h.note for h in reversed(history)] == [HOSTILE, "Delayed", ""]
        assert dump_document(database).findings[0].refs == ["1.1", "9.9"]
        evidenced = REVISIONS.index(revision) >= REVISIONS.index("0008")
        assert [(r.impact, r.evidence) for r in rows] == [(False, 0), (evidenced, int(evidenced))]
        copies = backups_of(path)
        if revision == schema.HEAD_REVISION:
            assert [c.reason for c in copies] == ["daily"]
        else:
            assert f"before-schema-{schema.HEAD_REVISION}" in [c.reason for c in copies]
    finally:
        database.close()


def test_the_upgrade_to_replicas_gives_every_entry_a_uid_in_the_order_of_its_id(tmp_path: Path) -> None:
    """Entries, meetings and values written before 0009 get uids that are all different and sort as
    their ids do, so a replica made from the upgraded plan carries them in order."""
    path = tmp_path / "plan.db"
    build_at(path, "0008").close()
    database = open_database(path)
    try:
        with database.read() as conn:
            for table in ("history", "meeting", "measure_value"):
                uids = conn.execute(text(f"SELECT uid FROM {table} ORDER BY id")).scalars().all()
                assert uids and all(len(uid) == 32 for uid in uids), table
                assert uids == sorted(uids) and len(set(uids)) == len(uids), table
            [plan_uid] = conn.execute(text('SELECT uid FROM "plan"')).scalars().all()
            assert len(plan_uid) == 32
    finally:
        database.close()


def test_the_upgrade_to_origins_stamps_this_stores_entries_and_not_a_replicas_received_ones(
    tmp_path: Path,
) -> None:
    """0010 gives the store an identity; the entries it holds are stamped as made here, except, in a
    replica, those up to its marks, which came from its upstream (where they were made is not known)."""
    plain, replica = tmp_path / "plain.db", tmp_path / "replica.db"
    build_at(plain, "0009").close()
    build_at(replica, "0009").close()
    with sqlite3.connect(plain) as conn:  # fill_0009 made every file a replica; this one is not
        conn.execute("DELETE FROM replica_state")
    conn.close()
    with sqlite3.connect(replica) as conn:  # fill_0009's replica_state: entries up to 3 came from upstream
        conn.execute("INSERT INTO history (id, action_id, at, author, field, old, new, note, uid) VALUES "
                     "(9, 1, '2022-12-01 09:00:00.000000', 'Cy', 'note', NULL, NULL, 'offline', :uid)",
                     {"uid": "7" * 32})  # fmt: skip
    conn.close()
    origins = {}
    for path in (plain, replica):
        database = open_database(path)
        try:
            with database.read() as conn:
                [store] = conn.execute(text("SELECT uid FROM store_identity")).scalars().all()
                rows = conn.execute(text("SELECT id, origin FROM history ORDER BY id")).all()
                changes = conn.execute(text("SELECT origin FROM measure_change")).scalars().all()
            origins[path.name] = (store, rows, changes)
        finally:
            database.close()
    plain_store, plain_rows, plain_changes = origins["plain.db"]
    replica_store, replica_rows, replica_changes = origins["replica.db"]
    assert len(plain_store) == 32 and plain_store != replica_store
    assert plain_rows and {origin for _, origin in plain_rows} == {plain_store}
    assert plain_changes == [plain_store]
    assert [(row_id, origin) for row_id, origin in replica_rows] == [
        (row_id, replica_store if row_id > 3 else "") for row_id, _ in replica_rows
    ]
    assert replica_changes == [""]


def test_the_upgrade_gives_the_same_definition_changes_the_same_uids_in_every_copy(tmp_path: Path) -> None:
    """A replica and its upstream upgraded apart give the definition changes they share one uid each,
    so their first sync takes none of them twice; two identical changes still get two uids."""
    paths = [tmp_path / "upstream.db", tmp_path / "replica.db"]
    for path in paths:
        build_at(path, "0009").close()
        with sqlite3.connect(path) as conn:  # the same change twice, as a double import might leave it
            conn.execute(
                "INSERT INTO measure_change (id, measure_id, at, author, field, old, new) "
                "SELECT 2, measure_id, at, author, field, old, new FROM measure_change WHERE id = 1"
            )
        conn.close()
    uids = []
    for path in paths:
        database = open_database(path)
        try:
            with database.read() as conn:
                uids.append(conn.execute(text("SELECT uid FROM measure_change ORDER BY id")).scalars().all())
        finally:
            database.close()
    assert uids[0] == uids[1]
    assert len(set(uids[0])) == 2 and all(len(uid) == 32 for uid in uids[0])


# --- the copy before a migration, with a migration made for the test ------------------------------


@pytest.fixture
def next_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The shipped migrations plus one more that adds a column, as the next plantui would ship."""
    scripts = tmp_path / "migrations"
    with as_file(files("plantui.store") / "migrations") as shipped:
        shutil.copytree(shipped, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    head = schema.HEAD_REVISION
    (scripts / "versions" / "9001_test.py").write_text(
        f'"""A test migration."""\nimport sqlalchemy as sa\nfrom alembic import op\n\n'
        f'revision = "9001"\ndown_revision = "{head}"\nbranch_labels = None\ndepends_on = None\n\n\n'
        "def upgrade():\n"
        '    with op.batch_alter_table("action") as batch:\n'
        '        batch.add_column(sa.Column("test_flag", sa.Text(), nullable=True))\n'
    )

    def config():
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(scripts))
        return cfg

    monkeypatch.setattr(schema, "alembic_config", config)
    monkeypatch.setattr(schema, "HEAD_REVISION", "9001")
    monkeypatch.setattr(schema, "KNOWN_REVISIONS", (*schema.KNOWN_REVISIONS, "9001"))
    return head


def test_a_copy_is_taken_before_every_migration(database, db_path: Path, next_revision: str) -> None:
    database.close()
    upgraded = open_database(db_path)
    try:
        [copy] = backups_of(db_path)
        assert copy.reason == "before-schema-9001"
        assert upgraded.notices == [
            f"upgraded the schema from {next_revision} to 9001; backup at {copy.path}"
        ]
        assert schema.current_revision(upgraded) == "9001"
        assert len(queries.list_actions(upgraded)) == 7
    finally:
        upgraded.close()
    with sqlite3.connect(copy.path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == next_revision
        assert conn.execute("SELECT count(*) FROM action").fetchone()[0] == 7
    assert oct(copy.path.stat().st_mode & 0o777) == "0o600"


def test_no_copy_before_creating_a_new_database(tmp_path: Path, next_revision: str) -> None:
    open_database(tmp_path / "new.db").close()
    assert not (tmp_path / "backups").exists()


@pytest.mark.parametrize("revision", REVISIONS)
def test_a_copy_from_every_revision_can_be_restored(tmp_path: Path, revision: str) -> None:
    """The copy taken before a schema upgrade is at the old revision: it must be restorable, over the
    upgraded store and into a new place, and come back upgraded with nothing lost."""
    from plantui.store.restore import restore_file

    copy = tmp_path / "old.db"
    old = build_at(copy, revision)
    with old.read() as conn:
        columns = table_columns(conn)
        before = snapshot(conn, columns)
    old.close()
    store = tmp_path / "store.db"
    shutil.copyfile(copy, store)
    open_database(store, daily_backup=False).close()  # the store, upgraded to the head revision
    for target in (store, tmp_path / "new" / "store.db"):
        restore_file(target, copy)
        restored = open_database(target, daily_backup=False)
        try:
            with restored.read() as conn:
                assert snapshot(conn, columns) == before
                assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == REVISIONS[-1]
        finally:
            restored.close()


def test_rows_from_before_0003_are_steps_of_their_own_after_the_upgrade(tmp_path: Path) -> None:
    from plantui.store.changes import UndoNeedsConfirming, undo_step

    path = tmp_path / "plan.db"
    build_at(path, "0002").close()  # Ann's status (undone since) and milestone, in a meeting that ended
    database = open_database(path)
    try:
        with pytest.raises(UndoNeedsConfirming, match="made in the board meeting"):
            undo_step(database, author="Ann")
        undone = undo_step(database, author="Ann", force=True)
        assert [(e.field, e.undoes_id) for e in undone.entries] == [("milestone", 2)]  # not row 1 with it
        assert queries.get_action(database, "1.1.1.1").milestone == "March 2023"
        with pytest.raises(Exception, match="Ann has no change left to undo"):
            undo_step(database, author="Ann")
    finally:
        database.close()


def test_a_plan_stored_before_saved_views_gets_the_two_every_plan_starts_with(tmp_path: Path) -> None:
    from plantui.domain.saved_views import DEFAULT_VIEWS
    from plantui.store.saved_views import list_views

    path = tmp_path / "plan.db"
    build_at(path, "0004").close()
    database = open_database(path)
    try:
        assert list_views(database) == list(DEFAULT_VIEWS)
        assert [v.name for v in list_views(database)] == ["Exceptions", "Due this month"]
    finally:
        database.close()
