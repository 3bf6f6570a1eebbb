"""Measure definitions travel by sync (`plantui.store.sync_measures`): two laptops add, edit and link
measures offline and record values on new ones; after syncing, the server and both laptops hold the
same measures, links and history, on a file upstream and on a PostgreSQL server."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from sqlalchemy import bindparam, func, select, update

from plantui.store import tables as T
from plantui.store.database import Database
from plantui.store.measures import add_measure, edit_measure, link_measure, record_value
from plantui.store.opening import open_database
from plantui.store.plans import dump_document
from plantui.store.replicas import replica_summary, sync
from tests.store.replica_helpers import exported, make_replica, store_uid

LINKS = ("objective", "action", "finding")


def change_uids(database: Database) -> list[str]:
    """Every measure definition change's uid (duplicates kept)."""
    with database.read() as conn:
        return conn.execute(select(T.measure_change.c.uid)).scalars().all()


def history_by_uid(database: Database) -> dict[str, tuple]:
    """What each definition change says, with where it was made, by uid."""
    c, m = T.measure_change, T.measure
    with database.read() as conn:
        rows = conn.execute(
            select(c.c.uid, m.c.ref, c.c.field, c.c.old, c.c.new, c.c.author, c.c.origin).join(
                m, m.c.id == c.c.measure_id
            )
        ).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def column_value(field: str, said: str | None) -> object:
    """A field's value as a change row's text says it."""
    if field in ("target", "tolerance"):
        return None if said is None else float(said)
    return said or ""


def unsettled(database: Database) -> list[str]:
    """Where a measure's field or link is not what the last change naming it says."""
    wrong = []
    plan = {m.ref: m for m in dump_document(database).measures}
    c, m = T.measure_change, T.measure
    with database.read() as conn:
        rows = conn.execute(
            select(m.c.ref, c.c.field, c.c.old, c.c.new).join(m, m.c.id == c.c.measure_id).order_by(c.c.id)
        ).all()
    last_field: dict[tuple[str, str], str | None] = {}
    last_link: dict[tuple[str, str, str], bool] = {}
    for ref, field, old, new in rows:
        if field in LINKS:
            last_link[(ref, field, new if new is not None else old)] = new is not None
        elif field != "added":
            last_field[(ref, field)] = new
    for (ref, field), said in last_field.items():
        stands = getattr(plan[ref], field)
        if stands != column_value(field, said):
            wrong.append(f"{ref} {field}: {stands!r}, history {said!r}")
    for (ref, kind, words), linked in last_link.items():
        links = getattr(plan[ref], f"{kind}s")
        if kind == "finding":
            links = [f"finding:{position + 1}" for position in links]
        if (words in links) != linked:
            wrong.append(f"{ref} {kind} {words}: {'missing' if linked else 'still there'}")
    return wrong


@pytest.fixture
def upstream(database: Database, db_target: str) -> tuple[Database, str]:
    """The shared plan with a measure already linked and edited before anyone checks it out."""
    add_measure(database, "M1", "Children seen on time", author="Lead", target=90.0, unit="%")
    link_measure(database, "M1", ["1.1.1", "2.1.1.1", "finding:1"], author="Lead")
    edit_measure(database, "M1", author="Lead", owner="Head of Service")
    return database, db_target


def ann_offline(ann: Database) -> None:
    edit_measure(ann, "M1", author="Ann", target=85.0, owner="Ann Smith")
    link_measure(ann, "M1", ["finding:1"], author="Ann", unlink=True)
    link_measure(ann, "M1", ["1.1.1.2", "finding:1"], author="Ann")  # finding 1 now after 1.1.1.2
    add_measure(ann, "M2", "Visits on time", author="Ann", unit="%", target=75.5, owner="Ann Smith")
    link_measure(ann, "M2", ["1.1.1.1", "finding:2"], author="Ann")
    record_value(ann, "M2", "2022-10", 70.0, author="Ann")
    add_measure(ann, "M3", "Ann's idea", author="Ann", direction="lower", frequency="quarterly")
    edit_measure(ann, "M3", author="Ann", tolerance=1.5)


def ben_offline(ben: Database) -> None:
    edit_measure(ben, "M1", author="Ben", target=95.0, name="Children seen within 5 days")
    link_measure(ben, "M1", ["2.1.1.1"], author="Ben", unlink=True)
    link_measure(ben, "M1", ["1.2.1.1"], author="Ben")
    add_measure(ben, "M4", "Plans reviewed", author="Ben", frequency="quarterly", owner="Review Lead")
    link_measure(ben, "M4", ["1.2.1"], author="Ben")
    record_value(ben, "M4", "2022-Q3", 12.0, author="Ben")
    add_measure(ben, "M3", "Ben's idea", author="Ben", unit="days")
    edit_measure(ben, "M3", author="Ben", tolerance=3.0, unit="working days")


@pytest.mark.parametrize("order", ["ann first", "ben first"])
def test_measures_changed_on_two_laptops_sync_to_one_plan_with_every_change_once(
    upstream, tmp_path: Path, order: str
) -> None:
    server, _ = upstream
    ann = make_replica(upstream, tmp_path / "ann.db")
    ben = make_replica(upstream, tmp_path / "ben.db")
    try:
        ann_offline(ann)
        ben_offline(ben)
        edit_measure(server, "M1", author="Colleague", tolerance=2.0)  # on the server meanwhile
        made = history_by_uid(ann) | history_by_uid(ben) | history_by_uid(server)
        # Ann: target, owner, an unlink, two links, M2 added and two links, M3 added and a tolerance;
        # and the value on M2.
        assert replica_summary(ann).waiting == 10 + 1

        first, second = (ann, ben) if order == "ann first" else (ben, ann)
        sync(first, server)
        sync(second, server)
        sync(first, server)

        plan = exported(server)
        assert exported(ann) == plan and exported(ben) == plan
        history = history_by_uid(server)
        for store in (server, ann, ben):
            found = change_uids(store)
            assert len(found) == len(set(found))
            assert history_by_uid(store) == history  # every change, once, saying where it was made
            assert unsettled(store) == []
        # Besides every change made, the definition the later of the two M3s was added with, a row
        # per field where it differs, by its author, made where it was added.
        later = "Ben" if order == "ann first" else "Ann"
        assert made.items() <= history.items()
        extra = [history[uid] for uid in history.keys() - made.keys()]
        assert sorted((row[0], row[1], row[4]) for row in extra) == [
            ("M3", field, later) for field in sorted(("name", "unit", "direction", "tolerance", "frequency"))
        ]
        assert {row[5] for row in extra} == {store_uid(ben if later == "Ben" else ann)}
        measures = {m.ref: m for m in dump_document(server).measures}
        # Each laptop's new measures come after those the server held, in the order they reached it.
        assert list(measures) == (
            ["M1", "M2", "M3", "M4"] if order == "ann first" else ["M1", "M4", "M3", "M2"]
        )
        m1 = measures["M1"]
        # Both target changes stay in the history; the later sync's stands.
        targets = [c for c in m1.changes if c.field == "target"]
        assert [c.author for c in targets] == [("Ann" if later == "Ben" else "Ben"), later]
        assert m1.target == (95.0 if later == "Ben" else 85.0)
        assert (m1.name, m1.owner, m1.tolerance) == ("Children seen within 5 days", "Ann Smith", 2.0)
        assert m1.objectives == ["1.1.1"]
        assert m1.findings == [0]
        assert m1.actions == (["1.1.1.2", "1.2.1.1"] if later == "Ben" else ["1.2.1.1", "1.1.1.2"])
        m2 = measures["M2"]
        assert (m2.name, m2.unit, m2.target, m2.owner) == ("Visits on time", "%", 75.5, "Ann Smith")
        assert (m2.actions, m2.findings) == (["1.1.1.1"], [1])
        assert [v.value for v in m2.values] == [70.0]
        assert [v.value for v in measures["M4"].values] == [12.0]
        assert (measures["M4"].owner, measures["M4"].objectives) == ("Review Lead", ["1.2.1"])
        # M3 was added on both laptops: one measure, both "added" rows in its history, and the
        # definition the later sync brought stands (each field as that laptop last had it).
        m3 = measures["M3"]
        assert [c.author for c in m3.changes if c.field == "added"] == (
            ["Ann", "Ben"] if order == "ann first" else ["Ben", "Ann"]
        )
        if order == "ann first":
            assert (m3.name, m3.direction, m3.frequency) == ("Ben's idea", "higher", "monthly")
            assert (m3.unit, m3.tolerance) == ("working days", 3.0)
        else:
            assert (m3.name, m3.direction, m3.frequency) == ("Ann's idea", "lower", "quarterly")
            assert (m3.unit, m3.tolerance) == ("", 1.5)

        for replica in (ann, ben):  # a second round changes nothing anywhere
            again = sync(replica, server)
            assert (again.sent, again.received, again.conflicts) == (0, 0, 0)
            assert replica_summary(replica).waiting == 0
        assert exported(server) == plan and exported(ann) == plan and exported(ben) == plan
    finally:
        ann.close()
        ben.close()


def change_order(database: Database) -> list[str]:
    with database.read() as conn:
        return conn.execute(select(T.measure_change.c.uid).order_by(T.measure_change.c.id)).scalars().all()


def test_a_checkout_keeps_every_definition_change_uid_and_where_it_was_made(upstream, tmp_path: Path) -> None:
    server, _ = upstream
    add_measure(server, "M2", "Second", author="Lead")
    edit_measure(server, "M1", author="Lead", target=91.0)  # M1's rows and M2's interleave
    ann = make_replica(upstream, tmp_path / "ann.db")
    try:
        assert history_by_uid(ann) == history_by_uid(server)
        assert change_order(ann) == change_order(server)  # in the upstream's order, not the file's
        with ann.read() as conn:
            marks = conn.execute(
                select(T.replica_state.c.upstream_changes, T.replica_state.c.local_changes)
            ).one()
            ids = conn.execute(select(T.measure_change.c.id).order_by(T.measure_change.c.id)).scalars().all()
        with server.read() as conn:
            newest = conn.execute(select(func.max(T.measure_change.c.id))).scalar()
        assert tuple(marks) == (newest, ids[-1])
        assert replica_summary(ann).waiting == 0
        result = sync(ann, server)
        assert (result.sent, result.received) == (0, 0)
        with ann.read() as conn:  # the marks held: nothing was written again
            assert (
                conn.execute(select(T.measure_change.c.id).order_by(T.measure_change.c.id)).scalars().all()
                == ids
            )
    finally:
        ann.close()


def test_values_on_a_measure_added_offline_arrive_with_it_and_a_dry_run_changes_nothing(
    upstream, tmp_path: Path
) -> None:
    server, _ = upstream
    ann = make_replica(upstream, tmp_path / "ann.db")
    try:
        add_measure(ann, "M9", "Return interviews", author="Ann", target=80.0)
        record_value(ann, "M9", "2022-09", 60.0, author="Ann")
        record_value(ann, "M9", "2022-10", 65.0, author="Ann")
        before = (exported(ann), exported(server))
        dry = sync(ann, server, dry_run=True)
        assert (dry.sent, dry.received, dry.dry_run) == (3, 0, True)
        assert (exported(ann), exported(server)) == before
        assert sync(ann, server).sent == 3
        [m9] = [m for m in dump_document(server).measures if m.ref == "M9"]
        assert (m9.target, [v.value for v in m9.values]) == (80.0, [60.0, 65.0])
        assert exported(ann) == exported(server)
    finally:
        ann.close()


def as_upgraded_from_0009(database: Database) -> None:
    """Give the definition changes the uids the upgrade to 0010 gives them, from what they say (each
    copy on its own), as in a replica and an upstream both upgraded from 0009."""
    migration = importlib.import_module("plantui.store.migrations.versions.0010_carried_everywhere")
    c, m = T.measure_change, T.measure
    with database.write() as conn:
        rows = conn.execute(
            select(c.c.id, m.c.ref, c.c.at, c.c.author, c.c.field, c.c.old, c.c.new)
            .join(m, m.c.id == c.c.measure_id)
            .order_by(c.c.id)
        ).all()
        uids = migration._content_uids([tuple(row[1:]) for row in rows])
        conn.execute(
            update(c).where(c.c.id == bindparam("row_id")).values(uid=bindparam("content_uid")),
            [{"row_id": row[0], "content_uid": uid} for row, uid in zip(rows, uids, strict=True)],
        )


def test_a_replica_upgraded_from_0009_compares_the_whole_history_and_doubles_nothing(
    upstream, tmp_path: Path
) -> None:
    """Its marks for definition changes are 0, and the rows it shares with the upstream carry the same
    uids, made from what they say."""
    server, _ = upstream
    ann = make_replica(upstream, tmp_path / "ann.db")
    try:
        with ann.write() as conn:
            conn.execute(update(T.replica_state).values(upstream_changes=0, local_changes=0))
        for store in (server, ann):
            as_upgraded_from_0009(store)
        assert set(change_uids(ann)) == set(change_uids(server))
        assert replica_summary(ann).waiting == len(change_uids(ann))  # all of it, until compared
        edit_measure(ann, "M1", author="Ann", unit="per cent")
        edit_measure(server, "M1", author="Colleague", name="Seen on time")
        made = history_by_uid(ann) | history_by_uid(server)
        result = sync(ann, server)
        assert (result.sent, result.received) == (1, 1)
        for store in (server, ann):
            found = change_uids(store)
            assert len(found) == len(set(found)) and history_by_uid(store) == made
            assert unsettled(store) == []
        assert exported(ann) == exported(server)
        assert replica_summary(ann).waiting == 0
        again = sync(ann, server)
        assert (again.sent, again.received) == (0, 0)
    finally:
        ann.close()


def test_a_replica_restored_from_an_old_copy_gets_back_the_measures_it_had_sent(
    upstream, tmp_path: Path
) -> None:
    server, _ = upstream
    ann = make_replica(upstream, tmp_path / "ann.db")
    try:
        sync(ann, server)
        ann.close()
        old = (tmp_path / "ann.db").read_bytes()  # the laptop's backup, taken before the measure
        ann = open_database(tmp_path / "ann.db", daily_backup=False)
        add_measure(ann, "M5", "Audits done", author="Ann", target=12.0)
        link_measure(ann, "M5", ["1.2.1"], author="Ann")
        record_value(ann, "M5", "2022-10", 10.0, author="Ann")
        sync(ann, server)
        ann.close()
        (tmp_path / "ann.db").write_bytes(old)
        ann = open_database(tmp_path / "ann.db", daily_backup=False)
        edit_measure(ann, "M1", author="Ann", unit="children")
        result = sync(ann, server)
        assert (result.sent, result.received) == (1, 3)  # the edit up; M5's two rows and value down
        assert exported(ann) == exported(server)
        [m5] = [m for m in dump_document(ann).measures if m.ref == "M5"]
        assert (m5.target, m5.objectives, [v.value for v in m5.values]) == (12.0, ["1.2.1"], [10.0])
        for store in (server, ann):
            found = change_uids(store)
            assert len(found) == len(set(found))
    finally:
        ann.close()
