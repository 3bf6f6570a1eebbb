"""The plan's log (`plantui.store.sync_plan_log`): saved views and leads' people written as events and
carried by sync, on a file upstream and on a PostgreSQL server. Two laptops save, replace and delete
views and set a lead's person offline; afterwards every copy exports the same plan, every log row is
in each copy once, and where two changed the same view the one the upstream ordered last stands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select, update

from plantui.domain.errors import StoreError
from plantui.domain.saved_views import SavedView
from plantui.store import tables as T
from plantui.store.changes import TextChange, edit_text
from plantui.store.database import Database
from plantui.store.leads import list_leads, set_lead
from plantui.store.opening import open_database
from plantui.store.plans import load_document
from plantui.store.replicas import replica_summary, sync
from plantui.store.saved_views import delete_view, list_views, save_view
from tests.conftest import mini_plan
from tests.store.replica_helpers import exported, make_replica, store_uid

LogLine = tuple[str, str, str, str, str | None, str | None, str, str]


def plan_log(database: Database) -> list[LogLine]:
    """The plan's log, in its order: uid, kind, key, field, old, new, author, origin."""
    g = T.plan_log
    with database.read() as conn:
        rows = conn.execute(
            select(g.c.uid, g.c.kind, g.c.key, g.c.field, g.c.old, g.c.new, g.c.author, g.c.origin).order_by(
                g.c.id
            )
        ).all()
    return [tuple(row) for row in rows]


def view_named(database: Database, name: str) -> SavedView | None:
    return next((view for view in list_views(database) if view.name.casefold() == name.casefold()), None)


def person_of(database: Database, role: str) -> tuple[str, str]:
    [lead] = [lead for lead in list_leads(database) if lead.role == role]
    return lead.person, lead.email


@pytest.fixture
def upstream(database: Database, db_target: str) -> tuple[Database, str]:
    """The shared plan (a file, or a PostgreSQL database) with a view and a lead's person set before
    anyone checks it out."""
    save_view(database, SavedView("Board [pack]", "-rag:complete", "1", "due"), author="Lead")
    set_lead(database, "HR Lead", person="Jo Bloggs", author="Lead")
    return database, db_target


# --- the log is written by every change, and by nothing else --------------------------------------------


def test_each_save_replace_delete_and_lead_change_writes_one_log_row_and_a_repeat_none(database) -> None:
    assert plan_log(database) == []  # loading the plan is its starting state
    save_view(database, SavedView("Quality [x]", "rag:red", "", "worst"), author="Ann")
    save_view(database, SavedView("quality [X]", "rag:red", "", "worst"), replace=True, author="Ann")
    save_view(database, SavedView("quality [X]", "rag:red", "", "worst"), replace=True, author="Ann")
    delete_view(database, "QUALITY [x]", author="Ben")
    set_lead(database, "Head of Service", person="Sam [Lee]", email="s@x.org", author="Ann")
    set_lead(database, "Head of Service", person="Sam [Lee]", email="s@x.org", author="Ann")  # the same
    set_lead(database, "Head of Service", email="", author="Ben")
    me = store_uid(database)
    first = json.dumps({"name": "Quality [x]", "expression": "rag:red", "node": "", "sort": "worst"})
    second = json.dumps({"name": "quality [X]", "expression": "rag:red", "node": "", "sort": "worst"})
    assert [row[1:] for row in plan_log(database)] == [
        ("view", "quality [x]", "view", None, first, "Ann", me),
        ("view", "quality [x]", "view", first, second, "Ann", me),
        ("view", "quality [x]", "view", second, None, "Ben", me),
        ("lead", "Head of Service", "person", "", "Sam [Lee]", "Ann", me),
        ("lead", "Head of Service", "email", "", "s@x.org", "Ann", me),
        ("lead", "Head of Service", "email", "s@x.org", "", "Ben", me),
    ]
    # A plan loaded over it (an import) starts again from its own state, with no rows.
    load_document(database, mini_plan(), replace=True)
    assert plan_log(database) == []


# --- checkout and sync -----------------------------------------------------------------------------------


def test_a_checkout_copies_the_log_with_its_uids_and_origins(upstream, tmp_path: Path) -> None:
    server, _ = upstream
    ann = make_replica(upstream, tmp_path / "ann.db")
    try:
        assert plan_log(ann) == plan_log(server) and len(plan_log(ann)) == 2
        assert {row[-1] for row in plan_log(ann)} == {store_uid(server)}
        assert replica_summary(ann).waiting == 0
        again = sync(ann, server)
        assert (again.sent, again.received) == (0, 0)
        save_view(ann, SavedView("Mine", "rag:red"), author="Ann")
        assert replica_summary(ann).waiting == 1  # the view waits to go up
    finally:
        ann.close()


def ann_offline(ann: Database) -> None:
    # "exceptions" replaces the "Exceptions" every plan starts with, in its own case
    save_view(ann, SavedView("exceptions", "rag:red", "", "worst"), replace=True, author="Ann")
    save_view(ann, SavedView("Ann's [red] list", "rag:red", "2", "status:desc"), author="Ann")
    delete_view(ann, "due this month", author="Ann")
    set_lead(ann, "Head of Service", person="Sam [Lee]", author="Ann")
    # a role new to the plan, and its person, in one sitting
    edit_text(
        ann, "1.1.1.3", [TextChange("leads", ("Head of Service", "Virtual School [Head]"))], author="Ann"
    )
    set_lead(ann, "Virtual School [Head]", person="Kim", email="kim@x.org", author="Ann")


def ben_offline(ben: Database) -> None:
    save_view(ben, SavedView("Ben [board]", "-rag:complete", "1.1", "due"), author="Ben")
    save_view(ben, SavedView("EXCEPTIONS", "rag:amber", "", "due"), replace=True, author="Ben")
    save_view(ben, SavedView("Temp", "rag:red"), author="Ben")
    delete_view(ben, "temp", author="Ben")
    set_lead(ben, "Head of Service", email="s@x.org", author="Ben")
    set_lead(ben, "HR Lead", person="", author="Ben")


@pytest.mark.parametrize("order", ["ann first", "ben first"])
def test_two_replicas_views_and_leads_sync_to_one_plan_with_every_log_row_once(
    upstream, tmp_path: Path, order: str
) -> None:
    server, _ = upstream
    ann = make_replica(upstream, tmp_path / "ann.db")
    ben = make_replica(upstream, tmp_path / "ben.db")
    try:
        ann_offline(ann)
        ben_offline(ben)
        save_view(server, SavedView("Server [view]", "rag:green"), author="Colleague")  # meanwhile
        made = {row[0] for store in (server, ann, ben) for row in plan_log(store)}
        assert replica_summary(ann).waiting == 1 + 6  # the leads edit, and six rows of the log
        assert replica_summary(ben).waiting == 6

        first, second = (ann, ben) if order == "ann first" else (ben, ann)
        preview = sync(first, server, dry_run=True)
        assert sync(first, server).sent == preview.sent
        sync(second, server)
        sync(first, server)

        plan = exported(server)
        assert exported(ann) == plan and exported(ben) == plan
        log = plan_log(server)
        assert {row[0] for row in log} == made and len(log) == len(made)
        assert plan_log(ann) == log and plan_log(ben) == log  # the same rows, in the same order
        # Each side's rows kept the store that made them.
        assert {row[-1] for row in log if row[6] == "Ann"} == {store_uid(ann)}
        assert {row[-1] for row in log if row[6] == "Ben"} == {store_uid(ben)}

        later = "Ben" if order == "ann first" else "Ann"
        exceptions = SavedView("EXCEPTIONS", "rag:amber", "", "due")
        if later == "Ann":
            exceptions = SavedView("exceptions", "rag:red", "", "worst")
        for store in (server, ann, ben):
            views = list_views(store)
            assert view_named(store, "exceptions") == exceptions  # the later sync's stands
            assert view_named(store, "Due this month") is None and view_named(store, "temp") is None
            assert {view.name for view in views} >= {"Ann's [red] list", "Ben [board]", "Server [view]"}
            assert len({view.name.casefold() for view in views}) == len(views)
            assert person_of(store, "Head of Service") == ("Sam [Lee]", "s@x.org")
            assert person_of(store, "HR Lead") == ("", "")
            assert person_of(store, "Virtual School [Head]") == ("Kim", "kim@x.org")
        # Both changes of the view are in the log.
        authors = [row[6] for row in log if row[2] == "exceptions"]
        assert sorted(authors) == ["Ann", "Ben"]
        # A view replaced keeps its place; new ones follow in the order the upstream took them.
        mine = (
            ["Ann's [red] list", "Ben [board]"]
            if order == "ann first"
            else ["Ben [board]", "Ann's [red] list"]
        )
        assert [view.name for view in list_views(server)] == [
            exceptions.name,
            "Board [pack]",
            "Server [view]",
            *mine,
        ]

        # A second round changes nothing anywhere.
        for replica in (ann, ben):
            again = sync(replica, server)
            assert (again.sent, again.received) == (0, 0)
            assert replica_summary(replica).waiting == 0
        assert plan_log(server) == log and plan_log(ann) == log and plan_log(ben) == log
        assert exported(server) == plan and exported(ann) == plan and exported(ben) == plan
    finally:
        ann.close()
        ben.close()


@pytest.mark.parametrize("later", ["the replica", "the upstream"])
def test_the_same_view_changed_on_the_upstream_meanwhile_the_later_stands(
    upstream, tmp_path: Path, later: str
) -> None:
    server, _ = upstream
    ann = make_replica(upstream, tmp_path / "ann.db")
    try:
        theirs = SavedView("BOARD [Pack]", "rag:red", "", "worst")
        mine = SavedView("board [pack]", "rag:amber", "2", "due")
        if later == "the replica":
            save_view(server, theirs, replace=True, author="Colleague")
            save_view(ann, mine, replace=True, author="Ann")
            set_lead(server, "HR Lead", person="Pat", author="Colleague")
            set_lead(ann, "HR Lead", person="Ann's pick", author="Ann")
            standing, person = mine, "Ann's pick"
        else:
            save_view(ann, mine, replace=True, author="Ann")
            set_lead(ann, "HR Lead", person="Ann's pick", author="Ann")
            sync(ann, server)
            save_view(server, theirs, replace=True, author="Colleague")
            set_lead(server, "HR Lead", person="Pat", author="Colleague")
            standing, person = theirs, "Pat"
        result = sync(ann, server)
        assert result.received == 2
        for store in (server, ann):
            assert list_views(store)[2] == standing  # in its place, as replaced
            assert person_of(store, "HR Lead")[0] == person
            changes = [(row[6], row[3]) for row in plan_log(store)[2:]]
            assert sorted(changes) == [
                ("Ann", "person"),
                ("Ann", "view"),
                ("Colleague", "person"),
                ("Colleague", "view"),
            ]
        assert exported(ann) == exported(server)
        assert plan_log(ann) == plan_log(server)
    finally:
        ann.close()


def test_a_replica_restored_from_an_old_copy_sends_its_views_without_doubling(
    upstream, tmp_path: Path
) -> None:
    server, _ = upstream
    ann = make_replica(upstream, tmp_path / "ann.db")
    try:
        save_view(ann, SavedView("First", "rag:red"), author="Ann")
        ann.close()
        old = (tmp_path / "ann.db").read_bytes()  # the copy taken before the sync
        ann = open_database(tmp_path / "ann.db", daily_backup=False)
        sync(ann, server)
        ann.close()
        (tmp_path / "ann.db").write_bytes(old)
        ann = open_database(tmp_path / "ann.db", daily_backup=False)
        save_view(ann, SavedView("Second", "rag:amber"), author="Ann")
        result = sync(ann, server)
        assert result.sent == 1  # "First" was there already
        assert exported(ann) == exported(server)
        assert plan_log(ann) == plan_log(server)
        uids = [row[0] for row in plan_log(server)]
        assert len(uids) == len(set(uids)) == 4
        again = sync(ann, server)
        assert (again.sent, again.received) == (0, 0)
    finally:
        ann.close()


@pytest.mark.sqlite_only
def test_an_upstream_restored_from_an_older_copy_gets_back_the_views_the_replica_sent(
    upstream, tmp_path: Path
) -> None:
    server, text = upstream
    ann = make_replica(upstream, tmp_path / "ann.db")
    try:
        save_view(ann, SavedView("First", "rag:red"), author="Ann")
        sync(ann, server)
        server.close()
        older = Path(text).read_bytes()  # the upstream's copy after Ann's first sync
        server = open_database(text, daily_backup=False)
        set_lead(ann, "HR Lead", person="Pat", author="Ann")
        sync(ann, server)  # this change reached the upstream, and is lost with the restore
        server.close()
        for side in ("-wal", "-shm"):
            Path(f"{text}{side}").unlink(missing_ok=True)
        Path(text).write_bytes(older)
        server = open_database(text, daily_backup=False)
        delete_view(server, "First", author="Colleague")  # takes the lost row's id
        result = sync(ann, server)
        assert (result.sent, result.received) == (1, 1)
        assert exported(ann) == exported(server)
        assert plan_log(ann) == plan_log(server) and len(plan_log(server)) == 5
        assert view_named(ann, "First") is None and person_of(ann, "HR Lead") == ("Pat", "")
    finally:
        ann.close()
        server.close()


def test_a_log_row_that_holds_no_readable_view_stops_the_sync_in_one_line(upstream, tmp_path: Path) -> None:
    server, _ = upstream
    ann = make_replica(upstream, tmp_path / "ann.db")
    try:
        save_view(ann, SavedView("Mine [x]", "rag:red"), author="Ann")
        with ann.write() as conn:  # written by hand, not by plantui
            conn.execute(update(T.plan_log).where(T.plan_log.c.key == "mine [x]").values(new='{"name": 1}'))
        before = (plan_log(server), exported(server), plan_log(ann))
        with pytest.raises(StoreError) as stopped:
            sync(ann, server)
        assert (
            str(stopped.value)
            == "the plan's log holds a view 'mine [x]' that cannot be read; nothing was synced"
        )
        assert (plan_log(server), exported(server), plan_log(ann)) == before
    finally:
        ann.close()


def test_views_made_on_a_replica_keep_the_order_they_were_made_in_everywhere(
    upstream, tmp_path: Path
) -> None:
    server, _ = upstream
    ann = make_replica(upstream, tmp_path / "ann.db")
    try:
        save_view(ann, SavedView("Alpha", "rag:red"), author="Ann")
        save_view(ann, SavedView("Beta", "rag:amber"), author="Ann")
        save_view(ann, SavedView("Gamma", "rag:green"), author="Ann")
        delete_view(ann, "gamma", author="Ann")
        save_view(ann, SavedView("ALPHA", "rag:red", "", "due"), replace=True, author="Ann")  # in its place
        save_view(ann, SavedView("gamma", "rag:green"), author="Ann")  # made again: last
        made = [view.name for view in list_views(ann)]
        assert made[-3:] == ["ALPHA", "Beta", "gamma"]
        sync(ann, server)
        assert [view.name for view in list_views(server)] == made
        assert [view.name for view in list_views(ann)] == made
        assert exported(ann) == exported(server)
    finally:
        ann.close()
