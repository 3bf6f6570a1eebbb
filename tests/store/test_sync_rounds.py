"""Update rounds and meetings through a sync (`plantui.store.sync_rounds`): a return collected on a
laptop keeps naming its undo step when the sync puts the history in the upstream's order, rounds and
their returns travel both ways, and a meeting or a round left open on each side offline comes out as
one open everywhere. On a file upstream and on the suite's PostgreSQL server, with real return files
collected through `plantui round collect`."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from plantui.store import tables as T
from plantui.store.changes import set_status
from plantui.store.database import Database
from plantui.store.replicas import sync
from plantui.store.rounds import round_detail
from tests.conftest import run_cli
from tests.store.replica_helpers import exported, make_replica

DAY = ("--today", "2022-11-01")


@pytest.fixture
def upstream(database: Database, db_target: str) -> tuple[Database, str]:
    """The shared plan: a plan file, or a database on the suite's PostgreSQL server."""
    return database, db_target


def collect_a_return(target: str, folder: Path, role: str, cells: dict[str, str], *, author: str) -> None:
    """As a lead would: the open round's request to `role` written, its `cells` filled in, saved and
    collected, all through `plantui round`."""
    base = ("--db", target, *DAY, "--author", author)
    run_cli(*base, "round", "requests", "-o", str(folder))
    [path] = folder.glob(f"{role} - update request *.xlsx")
    book = openpyxl.load_workbook(path)
    for cell, value in cells.items():
        book.active[cell] = value
    book.save(path)
    run_cli(*base, "round", "collect", str(path))


QA = "Head of Quality Assurance"
QA_RETURN = {"G4": "On track", "G5": "Complete", "H5": "Framework agreed"}  # 1.2.1.1 and 1.2.1.2


def step_of(database: Database, role: str) -> tuple[str, list[str]]:
    """What the round's own view says `role`'s return did: the uid of the entry its step id names,
    and the uids of that step's entries."""
    [request] = [r for r in round_detail(database).requests if r.lead.role == role]
    [collected] = request.returns
    h = T.history
    with database.read() as conn:
        first = conn.execute(select(h.c.uid).where(h.c.id == collected.step_id)).scalar_one()
        members = (
            conn.execute(
                select(h.c.uid)
                .where((h.c.id == collected.step_id) | (h.c.group_id == collected.step_id))
                .order_by(h.c.id)
            )
            .scalars()
            .all()
        )
    return first, members


def undone_uids(database: Database, author: str) -> list[str]:
    """The uids of the entries `author`'s undo rows take back."""
    h, undone = T.history, T.history.alias("undone")
    with database.read() as conn:
        return (
            conn.execute(
                select(undone.c.uid)
                .join(h, h.c.undoes_id == undone.c.id)
                .where(undone.c.author == author)
                .order_by(undone.c.id)
            )
            .scalars()
            .all()
        )


def test_a_return_collected_on_a_replica_keeps_its_step_through_the_sync(upstream, tmp_path: Path) -> None:
    """The upstream changed something meanwhile, so the sync puts the replica's entries after it with
    new ids: the return still names its own step, and undoing it takes back exactly that step."""
    server, _ = upstream
    ann = make_replica(upstream, tmp_path / "ann.db")
    try:
        laptop = str(tmp_path / "ann.db")
        run_cli("--db", laptop, *DAY, "--author", "Lead", "round", "start", "--due", "2022-11-15")
        collect_a_return(laptop, tmp_path / "out", QA, QA_RETURN, author="Lead")
        before = step_of(ann, QA)
        assert len(before[1]) == 2  # one entry for each action
        set_status(server, "2.1.1.1", "on_track", author="Colleague")  # meanwhile, on the upstream
        sync(ann, server)
        assert step_of(ann, QA) == before
        run_cli("--db", laptop, "--author", "Lead", "undo", "--author", f"{QA} via return")
        assert undone_uids(ann, f"{QA} via return") == before[1]
        sync(ann, server)
        assert exported(ann) == exported(server)
    finally:
        ann.close()


def rounds_of(database: Database) -> tuple[dict, dict]:
    """Every round by token (with its items by role and ref) and every return by (token, digest)
    (with its step by the uid of its first entry, and the updates it holds for review): what two
    copies must agree on, whatever ids each gave them."""
    u, i, o, a, r, h, v = (
        T.update_round, T.round_item, T.officer, T.action, T.round_return, T.history, T.round_review,
    )  # fmt: skip
    with database.read() as conn:
        items: dict[str, list] = {}
        for token, *item in conn.execute(
            select(u.c.token, o.c.name, a.c.ref, i.c.status, i.c.milestone)
            .join(u, u.c.id == i.c.round_id)
            .join(o, o.c.id == i.c.officer_id)
            .join(a, a.c.id == i.c.action_id)
        ):
            items.setdefault(token, []).append(tuple(item))
        rounds = {
            row.token: (
                row.scope, bool(row.include_complete), row.issued_on, row.due, row.started_at,
                row.started_by, row.ended_at, sorted(items.get(row.token, [])),
            )
            for row in conn.execute(select(u))
        }  # fmt: skip
        reviews: dict[int, list] = {}
        for return_id, *review in conn.execute(
            select(v.c.return_id, a.c.ref, v.c.field, v.c.issued, v.c.found, v.c.proposed, v.c.note).join(
                a, a.c.id == v.c.action_id
            )
        ):
            reviews.setdefault(return_id, []).append(tuple(review))
        returns = {
            (row.token, row.digest): (
                row.name, row.file_name, row.collected_at, row.collected_by, row.uid,
                sorted(reviews.get(row.id, [])),
            )
            for row in conn.execute(
                select(r.c.id, u.c.token, r.c.digest, o.c.name, r.c.file_name, r.c.collected_at,
                       r.c.collected_by, h.c.uid)
                .join(u, u.c.id == r.c.round_id)
                .join(o, o.c.id == r.c.officer_id)
                .outerjoin(h, h.c.id == r.c.step_id)
            )
        }  # fmt: skip
    return rounds, returns


def review_rows(database: Database) -> list[tuple]:
    with database.read() as conn:
        return [tuple(row) for row in conn.execute(select(T.round_review).order_by(T.round_review.c.id))]


def open_ones(database: Database) -> tuple[list[str], list[str]]:
    """The titles of the open meetings and the tokens of the open rounds."""
    m, u = T.meeting, T.update_round
    with database.read() as conn:
        meetings = conn.execute(select(m.c.title).where(m.c.ended_at.is_(None))).scalars().all()
        rounds = conn.execute(select(u.c.token).where(u.c.ended_at.is_(None))).scalars().all()
    return list(meetings), list(rounds)


def test_rounds_started_on_each_side_offline_travel_whole_and_one_stays_open(
    upstream, tmp_path: Path
) -> None:
    """A round on the server (a return collected there, one update held for review) and one on the
    laptop (a return collected there): after the sync both copies hold both rounds with their items,
    returns, steps and reviews; the round started last is the one open; a replica checked out later
    holds them too; a repeat sync changes nothing."""
    from datetime import date, datetime

    from plantui.store.rounds import start_round

    server, shared = upstream
    ann = make_replica(upstream, tmp_path / "ann.db")
    laptop = str(tmp_path / "ann.db")
    ben = None
    try:
        on_server = start_round(
            server, due=date(2022, 11, 15), today=date(2022, 11, 1), scope="theme:1", author="Lead",
            at=datetime(2022, 11, 1, 9, 0),
        ).round  # fmt: skip
        run_cli("--db", shared, *DAY, "round", "requests", "-o", str(tmp_path / "server"))
        set_status(server, "1.2.1.2", "off_track", author="Colleague")  # since the request was issued
        collect_a_return(shared, tmp_path / "server", QA, QA_RETURN, author="Lead")
        on_laptop = start_round(
            ann, due=date(2022, 11, 20), today=date(2022, 11, 1), author="Ann",
            at=datetime(2022, 11, 1, 10, 0),
        ).round  # fmt: skip
        collect_a_return(laptop, tmp_path / "laptop", "Head of Service", {"G4": "Complete"}, author="Ann")

        before = (rounds_of(server), rounds_of(ann))
        dry = sync(ann, server, dry_run=True)
        assert (dry.rounds, dry.ended_rounds, dry.dry_run) == (4, 1, True)
        assert (rounds_of(server), rounds_of(ann)) == before
        result = sync(ann, server)
        assert (result.rounds, result.ended_rounds, result.ended_meetings) == (4, 1, 0)
        both = rounds_of(server)
        assert rounds_of(ann) == both
        rounds, returns = both
        assert set(rounds) == {on_server.token, on_laptop.token}
        assert rounds[on_server.token][6] == datetime(2022, 11, 1, 10, 0)  # ended as the later began
        assert open_ones(server)[1] == open_ones(ann)[1] == [on_laptop.token]
        [(held_for_review, step)] = [(x[5], x[4]) for key, x in returns.items() if key[0] == on_server.token]
        assert [(ref, field, found, proposed) for ref, field, _, found, proposed, _ in held_for_review] == [
            ("1.2.1.2", "status", "off_track", "complete")
        ]
        assert step is not None and all(x[4] is not None for x in returns.values())
        assert exported(ann) == exported(server)

        ben = make_replica(upstream, tmp_path / "ben.db")
        assert rounds_of(ben) == both
        reviews = review_rows(ann)
        again = sync(ann, server)
        assert review_rows(ann) == reviews  # taken once, not written again
        assert (again.sent, again.received, again.rounds, again.ended_rounds) == (0, 0, 0, 0)
        assert rounds_of(ann) == both == rounds_of(server)
        assert exported(ann) == exported(server) == exported(ben)
    finally:
        ann.close()
        if ben is not None:
            ben.close()


def test_meetings_left_open_on_each_side_offline_come_out_as_one_open_everywhere(
    upstream, tmp_path: Path
) -> None:
    """A board meeting open at the checkout is ended on the server and on both laptops at different
    moments; then the server, Ann and Ben each start one. After the syncs the meeting started last
    (Ben's) is the only one open on every copy, each other one ended as the next one began and still
    holding its changes, the first meeting's end is the server's everywhere, and `plantui sync` says
    in its one line that a meeting left open was ended."""
    from datetime import datetime

    from plantui.store.meetings import end_meeting, list_meetings, meeting_summary, start_meeting

    server, _ = upstream
    start_meeting(server, "Standing board", author="Chair", at=datetime(2022, 11, 1, 8, 0))
    ann = make_replica(upstream, tmp_path / "ann.db")
    ben = make_replica(upstream, tmp_path / "ben.db")
    try:
        end_meeting(server, at=datetime(2022, 11, 1, 9, 30))
        start_meeting(server, "Board", author="Chair", at=datetime(2022, 11, 1, 9, 45))
        set_status(server, "2.1.1.1", "on_track", author="Chair")
        end_meeting(ann, at=datetime(2022, 11, 1, 9, 0))
        start_meeting(ann, "Ann's board", author="Ann", at=datetime(2022, 11, 1, 10, 0))
        set_status(ann, "1.1.1.2", "on_track", author="Ann")
        end_meeting(ben, at=datetime(2022, 11, 1, 10, 30))
        start_meeting(ben, "Ben's board", author="Ben", at=datetime(2022, 11, 1, 11, 0))
        set_status(ben, "1.1.1.3", "complete", author="Ben")

        said = run_cli("--db", str(tmp_path / "ann.db"), "sync").stdout
        assert open_ones(server)[0] == open_ones(ann)[0] == ["Ann's board"]
        assert "; 1 meeting left open on both sides was ended: the one started last stays open" in said
        ben_said = run_cli("--db", str(tmp_path / "ben.db"), "sync", "--dry-run").stdout
        assert "1 meeting left open on both sides would be ended" in ben_said
        assert sync(ben, server).ended_meetings == 1  # Ann's, now on the server
        assert sync(ann, server).ended_meetings == 1  # Ann's, open on her laptop until now
        assert sync(ben, server).ended_meetings == 0

        plan = exported(server)
        ends = {m.title: (m.started_at, m.ended_at) for m in list_meetings(server)}
        assert ends == {
            "Standing board": (datetime(2022, 11, 1, 8, 0), datetime(2022, 11, 1, 9, 30)),
            "Board": (datetime(2022, 11, 1, 9, 45), datetime(2022, 11, 1, 10, 0)),
            "Ann's board": (datetime(2022, 11, 1, 10, 0), datetime(2022, 11, 1, 11, 0)),
            "Ben's board": (datetime(2022, 11, 1, 11, 0), None),
        }
        for store in (server, ann, ben):
            assert exported(store) == plan
            assert open_ones(store)[0] == ["Ben's board"]
            assert {m.title: (m.started_at, m.ended_at) for m in list_meetings(store)} == ends
            held = {m.title: m.id for m in list_meetings(store)}
            changes = {
                title: [(c.action_ref, c.new) for c in meeting_summary(store, held[title]).changes]
                for title in ("Board", "Ann's board", "Ben's board")
            }
            assert changes == {
                "Board": [("2.1.1.1", "on_track")],
                "Ann's board": [("1.1.1.2", "on_track")],
                "Ben's board": [("1.1.1.3", "complete")],
            }
        for replica in (ann, ben):
            again = sync(replica, server)
            assert (again.sent, again.received, again.meetings, again.ended_meetings) == (0, 0, 0, 0)
            assert exported(replica) == plan
    finally:
        ann.close()
        ben.close()


def test_a_checkout_copies_the_rounds_and_a_file_collected_on_both_sides_ends_as_the_servers(
    upstream, tmp_path: Path
) -> None:
    """The round and a return collected before the checkout are in the replica, the return's step
    named by the same entry; the same return file then collected on the server and on the laptop
    offline makes a step on each: both steps stay in the history, and the return that stands
    everywhere is the server's."""
    import shutil

    server, shared = upstream
    run_cli("--db", shared, *DAY, "--author", "Lead", "round", "start", "--due", "2022-11-15")
    collect_a_return(shared, tmp_path / "early", "Head of Service", {"G4": "Complete"}, author="Lead")
    ann = make_replica(upstream, tmp_path / "ann.db")
    try:
        assert rounds_of(ann) == rounds_of(server)
        assert step_of(ann, "Head of Service") == step_of(server, "Head of Service")
        run_cli("--db", shared, *DAY, "round", "requests", "-o", str(tmp_path / "out"))
        [path] = (tmp_path / "out").glob(f"{QA} - update request *.xlsx")
        book = openpyxl.load_workbook(path)
        for cell, value in QA_RETURN.items():
            book.active[cell] = value
        book.save(path)
        copy = tmp_path / "laptop" / path.name
        copy.parent.mkdir()
        shutil.copyfile(path, copy)  # the same file, e-mailed to both
        run_cli("--db", shared, *DAY, "--author", "Lead", "round", "collect", str(path))
        run_cli("--db", str(tmp_path / "ann.db"), *DAY, "--author", "Ann", "round", "collect", str(copy))
        mine = step_of(ann, QA)
        assert mine != step_of(server, QA)

        sync(ann, server)
        assert rounds_of(ann) == rounds_of(server)
        assert step_of(ann, QA) == step_of(server, QA)
        with ann.read() as conn:  # the laptop's step is still in the history, undone by nobody
            held = set(conn.execute(select(T.history.c.uid)).scalars())
        assert set(mine[1]) <= held
        assert exported(ann) == exported(server)
        reviews = review_rows(ann)
        again = sync(ann, server)
        assert (again.sent, again.received, again.rounds) == (0, 0, 0) and review_rows(ann) == reviews
        assert rounds_of(ann) == rounds_of(server)
    finally:
        ann.close()


def test_a_request_written_on_the_server_is_collected_on_the_laptop_for_the_same_lead(
    upstream, tmp_path: Path
) -> None:
    """Each store numbers the leads its own way (here the laptop's numbers are one off the server's):
    the return names its lead by role too, so it is taken as that lead's on the laptop, and on the
    server after the sync."""
    from plantui.store.changes import TextChange, edit_text

    server, shared = upstream
    edit_text(server, "2.1.1.2", [TextChange("leads", ("Aaron Adviser",))], author="Lead")
    ann = make_replica(upstream, tmp_path / "ann.db")
    laptop = str(tmp_path / "ann.db")
    try:
        with server.read() as conn, ann.read() as here:
            numbers = (
                conn.execute(select(T.officer.c.id).where(T.officer.c.name == QA)).scalar_one(),
                here.execute(select(T.officer.c.id).where(T.officer.c.name == QA)).scalar_one(),
            )
        assert numbers[0] != numbers[1]
        run_cli("--db", shared, *DAY, "--author", "Lead", "round", "start", "--due", "2022-11-15")
        run_cli("--db", shared, *DAY, "round", "requests", "-o", str(tmp_path / "out"))
        sync(ann, server)
        [path] = (tmp_path / "out").glob(f"{QA} - update request *.xlsx")
        book = openpyxl.load_workbook(path)
        for cell, value in QA_RETURN.items():
            book.active[cell] = value
        book.save(path)
        said = run_cli("--db", laptop, *DAY, "--author", "Ann", "round", "collect", str(path)).stdout
        assert f"by {QA} via return" in said
        sync(ann, server)
        for store in (ann, server):
            returned = {r.lead.role: len(r.returns) for r in round_detail(store).requests}
            assert returned[QA] == 1 and sum(returned.values()) == 1
        assert rounds_of(ann) == rounds_of(server) and exported(ann) == exported(server)
    finally:
        ann.close()


def test_a_meeting_ended_by_hand_on_the_server_is_no_meeting_the_sync_ended(upstream, tmp_path: Path) -> None:
    """The laptop's meeting went up open and was ended on the server by hand: the next sync takes that
    end, and says nothing of ending a meeting left open on both sides."""
    from datetime import datetime

    from plantui.store.meetings import end_meeting, start_meeting

    server, _ = upstream
    ann = make_replica(upstream, tmp_path / "ann.db")
    try:
        start_meeting(ann, "Ann's board", author="Ann", at=datetime(2022, 11, 1, 10, 0))
        assert sync(ann, server).ended_meetings == 0
        end_meeting(server, at=datetime(2022, 11, 1, 12, 0))
        result = sync(ann, server)
        assert result.ended_meetings == 0
        assert open_ones(ann)[0] == open_ones(server)[0] == []
        assert exported(ann) == exported(server)
    finally:
        ann.close()
