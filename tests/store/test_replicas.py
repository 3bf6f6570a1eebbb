"""Replicas and sync (`plantui.store.replicas`): two laptops change a shared plan offline and sync back,
on a file upstream and on a PostgreSQL server; nothing is lost or doubled, and the fields both changed
are listed as conflicts."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from plantui.domain.errors import InputError, NotFoundError, StoreError
from plantui.store import tables as T
from plantui.store.changes import TextChange, add_note, change_action, edit_text, set_status, undo_step
from plantui.store.database import Database
from plantui.store.measures import add_measure, record_value
from plantui.store.meetings import end_meeting, start_meeting
from plantui.store.opening import open_database
from plantui.store.plans import dump_document
from plantui.store.replicas import list_conflicts, replica_summary, review_conflict, sync
from tests.store.replica_helpers import exported, make_replica, store_uid


def uids(database: Database) -> list[str]:
    """Every uid of the plan's history, meetings and measure values (duplicates kept)."""
    with database.read() as conn:
        found: list[str] = []
        for table in (T.history, T.meeting, T.measure_value):
            found += conn.execute(select(table.c.uid)).scalars().all()
    return found


def settled(database: Database) -> list[str]:
    """Where an action's status, milestone or title is not what its last history entry says."""
    h, a = T.history, T.action
    wrong = []
    with database.read() as conn:
        for action in conn.execute(select(a)).all():
            for field in ("status", "milestone", "title"):
                last = conn.execute(
                    select(h.c.new)
                    .where(h.c.action_id == action.id, h.c.field == field)
                    .order_by(h.c.id.desc())
                    .limit(1)
                ).scalar()
                if last is not None and getattr(action, field) != last:
                    wrong.append(f"{action.ref} {field}: {getattr(action, field)!r}, history {last!r}")
    return wrong


def conflict_pairs(database: Database) -> set[tuple[str, str]]:
    return {(c.ref, c.field) for c in list_conflicts(database, all_of_them=True)}


@pytest.fixture
def upstream(database: Database, db_target: str) -> tuple[Database, str]:
    """The shared plan (a file, or a PostgreSQL database) with a measure to record values for."""
    add_measure(database, "M1", "Children seen on time", author="Lead", target=90.0)
    set_status(database, "1.2.1.2", "on_track", author="Lead", note="before the checkout")
    return database, db_target


def work_offline(replica: Database, who: str, *, status: str, milestone: str, title: str) -> None:
    """A board meeting on a laptop: an overlapping status and milestone, a title and a note on an action
    of its own, an undo, a measure value."""
    start_meeting(replica, f"{who}'s board", author=who)
    set_status(replica, "1.1.1.1", status, author=who, note=f"{who} says")
    change_action(replica, "2.1.1.1", milestone=milestone, author=who)
    add_note(replica, "1.1.1.2", f"a note from {who}", author=who)
    set_status(replica, "1.1.1.3", "off_track", author=who)
    undo_step(replica, author=who)  # takes back the 1.1.1.3 change
    edit_text(replica, title, [TextChange("title", f"Retitled by {who}")], author=who)
    end_meeting(replica)
    record_value(replica, "M1", "2022-10", 80.0 if who == "Ann" else 85.0, author=who)


@pytest.mark.parametrize("order", ["ann first", "ben first"])
def test_two_replicas_changed_offline_sync_back_to_one_plan_with_every_entry_once(
    upstream, tmp_path: Path, order: str
) -> None:
    server, _ = upstream
    ann = make_replica(upstream, tmp_path / "ann.db")
    ben = make_replica(upstream, tmp_path / "ben.db")
    try:
        work_offline(ann, "Ann", status="off_track", milestone="June 2023", title="1.2.1.1")
        work_offline(ben, "Ben", status="on_track", milestone="July 2023", title="2.1.1.2")
        set_status(server, "1.2.1.2", "some_issues", author="Colleague")  # on the server meanwhile
        made = set(uids(ann)) | set(uids(ben)) | set(uids(server))
        assert replica_summary(ann).waiting == 7  # six history entries and a value

        first, second = (ann, ben) if order == "ann first" else (ben, ann)
        assert sync(first, server).conflicts == 0
        second_result = sync(second, server)
        assert second_result.conflicts == 3  # 1.1.1.1 status, 2.1.1.1 milestone, 1.1.1.3 status
        sync(first, server)

        plan = exported(server)
        assert exported(ann) == plan and exported(ben) == plan
        for store in (server, ann, ben):
            found = uids(store)
            assert len(found) == len(set(found)) and set(found) == made
            assert settled(store) == []
            assert conflict_pairs(store) == {
                ("1.1.1.1", "status"),
                ("2.1.1.1", "milestone"),
                ("1.1.1.3", "status"),
            }
        # The later sync's changes stand; the earlier one's stay in the history.
        later = "Ben" if order == "ann first" else "Ann"
        [conflict] = [c for c in list_conflicts(server) if c.ref == "1.1.1.1"]
        assert conflict.standing_by == later and conflict.replaced_by != later
        # Each replica's own entries arrived once: a second round changes nothing anywhere.
        for replica in (ann, ben):
            again = sync(replica, server)
            assert (again.sent, again.received, again.conflicts) == (0, 0, 0)
        assert exported(server) == plan and exported(ann) == plan and exported(ben) == plan
        assert replica_summary(ann).waiting == 0 and replica_summary(ann).to_review == 3
    finally:
        ann.close()
        ben.close()


def test_keep_and_reapply_close_a_conflict_everywhere(upstream, tmp_path: Path) -> None:
    server, _ = upstream
    ann = make_replica(upstream, tmp_path / "ann.db")
    ben = make_replica(upstream, tmp_path / "ben.db")
    try:
        set_status(ann, "1.1.1.1", "off_track", author="Ann")
        edit_text(ann, "1.1.1.2", [TextChange("leads", ("Director",))], author="Ann")
        set_status(ben, "1.1.1.1", "on_track", author="Ben")
        edit_text(ben, "1.1.1.2", [TextChange("leads", ("Head of Service", "Director"))], author="Ben")
        sync(ann, server)
        sync(ben, server)
        sync(ann, server)
        assert review_conflict(ann, "1.1.1.1", "status", reapply=True, author="Ann") == 1
        assert review_conflict(ann, "1.1.1.2", "leads", reapply=False, author="Ann") == 1
        with pytest.raises(NotFoundError):  # nothing left to review there
            review_conflict(ann, "1.1.1.1", "status", reapply=False, author="Ann")
        sync(ann, server)
        sync(ben, server)
        plan = exported(server)
        assert exported(ann) == plan and exported(ben) == plan
        for store in (server, ann, ben):
            assert list_conflicts(store) == []
            outcomes = {(c.ref, c.outcome) for c in list_conflicts(store, all_of_them=True)}
            assert outcomes == {("1.1.1.1", "reapplied"), ("1.1.1.2", "kept")}
            assert settled(store) == []
        [action] = [a for a in dump_document(server).actions() if a.ref == "1.1.1.1"]
        assert action.rag == "off_track"
    finally:
        ann.close()
        ben.close()


def test_a_replica_restored_from_an_old_copy_syncs_without_doubling(upstream, tmp_path: Path) -> None:
    server, _ = upstream
    ann = make_replica(upstream, tmp_path / "ann.db")
    try:
        set_status(ann, "1.1.1.1", "off_track", author="Ann")
        sync(ann, server)
        ann.close()
        old = (tmp_path / "ann.db").read_bytes()  # the copy taken after the first sync
        ann = open_database(tmp_path / "ann.db", daily_backup=False)
        set_status(ann, "1.1.1.2", "complete", author="Ann")
        sync(ann, server)
        set_status(ann, "1.1.1.3", "off_track", author="Ann")  # made after, lost with the laptop
        ann.close()
        (tmp_path / "ann.db").write_bytes(old)
        ann = open_database(tmp_path / "ann.db", daily_backup=False)
        set_status(ann, "2.1.1.1", "on_track", author="Ann")
        result = sync(ann, server)
        assert (result.sent, result.conflicts) == (1, 0)
        assert exported(ann) == exported(server)
        found = uids(server)
        assert len(found) == len(set(found))
    finally:
        ann.close()


def test_a_dry_run_changes_nothing_on_either_side(upstream, tmp_path: Path) -> None:
    server, _ = upstream
    ann = make_replica(upstream, tmp_path / "ann.db")
    try:
        set_status(ann, "1.1.1.1", "off_track", author="Ann")
        set_status(server, "1.1.1.1", "on_track", author="Colleague")
        before = (exported(ann), exported(server))
        result = sync(ann, server, dry_run=True)
        assert (result.sent, result.received, result.conflicts, result.dry_run) == (1, 1, 1, True)
        assert (exported(ann), exported(server)) == before
        assert replica_summary(ann).waiting == 1 and list_conflicts(server) == []
    finally:
        ann.close()


@pytest.mark.sqlite_only
def test_a_replica_syncs_only_with_its_own_plan(upstream, tmp_path: Path, plan_doc) -> None:
    from plantui.store.plans import load_document

    ann = make_replica(upstream, tmp_path / "ann.db")
    other = open_database(tmp_path / "other.db", daily_backup=False)
    try:
        load_document(other, plan_doc)  # the same plan's text, but another plan
        set_status(ann, "1.1.1.1", "off_track", author="Ann")
        with pytest.raises(InputError, match="holds another plan"):
            sync(ann, other)
        assert replica_summary(ann).waiting == 1
        with other.read() as conn:
            assert conn.execute(select(func.count()).select_from(T.history)).scalar() == 0
        with pytest.raises(InputError, match="is not a replica"):
            sync(other, ann)
    finally:
        ann.close()
        other.close()


@pytest.mark.sqlite_only
def test_an_action_only_one_side_has_stops_the_sync_in_one_line(upstream, tmp_path: Path) -> None:
    server, _ = upstream
    ann = make_replica(upstream, tmp_path / "ann.db")
    try:
        set_status(ann, "1.1.1.1", "off_track", author="Ann")
        with server.write() as conn:  # the action renamed on the server by hand
            conn.execute(T.action.update().where(T.action.c.ref == "1.1.1.1").values(ref="9.9.9.9"))
        with pytest.raises(StoreError, match="action 1.1.1.1 is not in .*nothing was synced"):
            sync(ann, server)
        assert replica_summary(ann).waiting == 1
    finally:
        ann.close()


@pytest.mark.sqlite_only
def test_an_upstream_restored_from_an_older_copy_gets_back_what_the_replica_sent(
    upstream, tmp_path: Path
) -> None:
    server, text = upstream
    ann = make_replica(upstream, tmp_path / "ann.db")
    try:
        set_status(ann, "1.1.1.1", "off_track", author="Ann")
        sync(ann, server)
        server.close()
        older = Path(text).read_bytes()  # the upstream's copy after Ann's first sync
        server = open_database(text, daily_backup=False)
        set_status(ann, "1.1.1.2", "complete", author="Ann")
        sync(ann, server)  # this change reached the upstream, and is lost with the restore
        server.close()
        for side in ("-wal", "-shm"):
            Path(f"{text}{side}").unlink(missing_ok=True)
        Path(text).write_bytes(older)
        server = open_database(text, daily_backup=False)
        set_status(server, "2.1.1.1", "on_track", author="Colleague")  # takes the lost entry's id
        result = sync(ann, server)
        assert (result.sent, result.received, result.conflicts) == (1, 1, 0)
        assert exported(ann) == exported(server)
        found = uids(server)
        assert len(found) == len(set(found)) and set(found) == set(uids(ann))
        assert settled(server) == [] and settled(ann) == []
    finally:
        ann.close()
        server.close()


def test_evidence_and_the_impact_mark_sync_field_by_field_and_evidence_never_conflicts(
    upstream, tmp_path: Path
) -> None:
    """Both laptops add evidence to one action and one marks it impact evidenced: after syncing, every
    copy holds both pieces and the mark as a flag, and two pieces of evidence are no conflict."""
    from datetime import date

    from plantui.store.changes import add_evidence, set_impact
    from plantui.store.queries import list_actions

    server, _ = upstream
    ann = make_replica(upstream, tmp_path / "ann.db")
    ben = make_replica(upstream, tmp_path / "ben.db")
    try:
        add_evidence(ann, "1.1.1.1", "Audit [2] found fewer drift cases", day=date(2022, 10, 3), author="Ann")
        set_impact(ann, "1.1.1.1", True, author="Ann")
        add_evidence(
            ben,
            "1.1.1.1",
            "Caseloads down",
            link="https://example.org/a?b=[c]",
            day=date(2022, 10, 4),
            author="Ben",
        )
        for replica in (ann, ben, ann):
            assert sync(replica, server).conflicts == 0
        plan = exported(server)
        for store in (server, ann, ben):
            assert exported(store) == plan
            [row] = [r for r in list_actions(store) if r.ref == "1.1.1.1"]
            assert (row.impact, row.evidence) == (True, 2)
            with store.read() as conn:
                stored = conn.execute(select(T.action.c.impact).where(T.action.c.ref == "1.1.1.1")).scalar()
            assert stored is True
            assert conflict_pairs(store) == set()
    finally:
        ann.close()
        ben.close()


def origins(database: Database) -> dict[str, str]:
    """Each history entry's and measure value's uid, with the uid of the store that made it."""
    with database.read() as conn:
        found: dict[str, str] = {}
        for table in (T.history, T.measure_value):
            found.update(conn.execute(select(table.c.uid, table.c.origin)).all())
    return found


def test_every_entry_says_which_store_made_it_in_every_copy(upstream, tmp_path: Path) -> None:
    """A replica is a store of its own; what it makes carries its uid up, and what the server and the
    other replica made carries theirs down."""
    server, _ = upstream
    ann = make_replica(upstream, tmp_path / "ann.db")
    ben = make_replica(upstream, tmp_path / "ben.db")
    try:
        stores = {name: store_uid(db) for name, db in (("server", server), ("ann", ann), ("ben", ben))}
        assert len(set(stores.values())) == 3
        before = origins(server)
        assert before and set(before.values()) == {stores["server"]}
        assert origins(ann) == before  # the checkout keeps where each entry was made
        work_offline(ann, "Ann", status="off_track", milestone="June 2023", title="1.2.1.1")
        work_offline(ben, "Ben", status="on_track", milestone="July 2023", title="2.1.1.2")
        set_status(server, "1.2.1.2", "some_issues", author="Colleague")
        made_by = {
            **{uid: stores["ann"] for uid in set(origins(ann)) - set(before)},
            **{uid: stores["ben"] for uid in set(origins(ben)) - set(before)},
            **{uid: stores["server"] for uid in origins(server)},
        }
        assert len(made_by) == len(before) + 7 + 7 + 1
        for replica in (ann, ben, ann):
            sync(replica, server)
        for store in (server, ann, ben):
            assert origins(store) == made_by
    finally:
        ann.close()
        ben.close()


def test_the_plan_can_be_checked_out_and_copied_again_after_a_sync_put_a_change_before_an_earlier_one(
    upstream, tmp_path: Path
) -> None:
    """The upstream's order is the order, not the clock: Ben's change, synced first, stands before
    Ann's though Ann made hers earlier. The plan must still copy whole and check out again (a load
    once put each action's history in clock order, read it back different, and refused)."""
    server, _ = upstream
    ann = make_replica(upstream, tmp_path / "ann.db")
    ben = make_replica(upstream, tmp_path / "ben.db")
    try:
        set_status(ann, "1.1.1.1", "off_track", author="Ann", note="first by the clock")
        set_status(ben, "1.1.1.1", "on_track", author="Ben", note="synced first")
        sync(ben, server)
        sync(ann, server)
        sync(ben, server)
        later = make_replica(upstream, tmp_path / "later.db")
        try:
            assert exported(later) == exported(server) == exported(ann) == exported(ben)
        finally:
            later.close()
        copied = open_database(tmp_path / "copy.db", daily_backup=False)
        try:
            from plantui.store.plans import copy_plan

            copy_plan(server, copied)
            assert exported(copied) == exported(server)
        finally:
            copied.close()
    finally:
        ann.close()
        ben.close()
