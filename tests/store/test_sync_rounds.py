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

from plantui.io.plan_json import dumps_plan
from plantui.store import tables as T
from plantui.store.changes import set_status
from plantui.store.database import Database
from plantui.store.opening import open_database
from plantui.store.plans import dump_document
from plantui.store.replicas import checkout, sync
from plantui.store.rounds import round_detail
from tests.conftest import run_cli

DAY = ("--today", "2022-11-01")


@pytest.fixture
def upstream(database: Database, db_target: str) -> tuple[Database, str]:
    """The shared plan: a plan file, or a database on the suite's PostgreSQL server."""
    return database, db_target


def make_replica(upstream: tuple[Database, str], path: Path) -> Database:
    database, text = upstream
    checkout(database, text, path)
    return open_database(path, daily_backup=False)


def exported(database: Database) -> str:
    return dumps_plan(dump_document(database))


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
