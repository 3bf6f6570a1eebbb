"""`plantui sync` killed with SIGKILL at 20 seeded moments, as a real `python -m plantui` process.

A replica and its upstream file each hold hundreds of changes the other lacks (some to the same
fields, and measures added, linked and edited on both), so a sync works for a few hundred
milliseconds on each side. One run left to finish measures when the sync opens the upstream, when
the upstream's transaction commits and when the replica's does (by the upstream's and the replica's
WAL files); each seed then kills a sync a `Random(seed).uniform` delay into the upstream's part
(even seeds: after the upstream is opened) or the replica's part (odd seeds: after the upstream's
commit). No hook: the moments are the real process's, seen through its files.

After each kill both files pass `PRAGMA integrity_check`, every action's status and milestone and
every measure's target are what the last change to them says, and no uid is there twice; the next
sync, left to finish, brings both to the same plan (byte for byte as exported) holding every entry,
measure change and value made on either side exactly once, with the same conflicts the uncut sync
found. Each run records (`record_property`) whether the kill came before or after the upstream's
commit.
"""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from plantui.domain.saved_views import SavedView
from plantui.io.plan_json import dumps_plan
from plantui.store.changes import add_note, set_several, set_status, undo_step
from plantui.store.database import Database
from plantui.store.leads import list_leads, set_lead
from plantui.store.measures import add_measure, edit_measure, link_measure, record_value
from plantui.store.opening import open_database
from plantui.store.plans import dump_document, load_document
from plantui.store.replicas import checkout
from plantui.store.saved_views import save_view

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import generate  # benchmarks/ is a folder of scripts, put on the path above

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="kills processes with SIGKILL"),
]

ACTIONS, HISTORY = 800, 8000
SEEDS = range(20)


@dataclass(frozen=True)
class Scene:
    folder: Path
    upstream: Path
    replica: Path


def _changed_offline(folder: Path) -> Scene:
    """The upstream, and a replica of it; then each changed on its own: 400 statuses and 400 milestones
    on the replica, 250 statuses on the upstream (150 of them on the same actions), notes and an undo."""
    document = generate.generate(generate.Shape(ACTIONS, HISTORY, themes=8, seed=3))
    refs = [action.ref for action in document.actions()]
    upstream, replica = folder / "upstream.db", folder / "replica.db"
    database = open_database(upstream, daily_backup=False)
    load_document(database, document)
    checkout(database, str(upstream), replica)
    away = open_database(replica, daily_backup=False)
    try:
        set_several(away, refs[:400], code="off_track", author="Ann")
        set_several(away, refs[100:500], milestone="June 2031", author="Ann")
        for ref in refs[600:605]:
            add_note(away, ref, f"seen on {ref}", author="Ann")
        set_status(away, refs[700], "on_track", author="Ann")
        undo_step(away, author="Ann")
        set_several(database, refs[250:500], code="complete", author="Ben")
        add_note(database, refs[600], "from the office", author="Ben")
        # The plan's log too: views and a lead's person changed on both sides, one view on both.
        role = list_leads(away)[0].role
        save_view(away, SavedView("Ann [board]", "rag:red"), author="Ann")
        save_view(away, SavedView("exceptions", "rag:amber"), replace=True, author="Ann")
        set_lead(away, role, person="Ann's pick", author="Ann")
        save_view(database, SavedView("EXCEPTIONS", "rag:red", "", "due"), replace=True, author="Ben")
        set_lead(database, role, email="lead@example.org", author="Ben")
        _measures_changed(away, database, refs)
    finally:
        away.close()
        database.close()
    return Scene(folder, upstream, replica)


def _measures_changed(away: Database, database: Database, refs: list[str]) -> None:
    """Measures too: new ones on the replica, linked and with a value each, and targets changed on both
    sides (some on the same measures)."""
    measures = [m.ref for m in dump_document(database).measures]
    for number in range(20):
        add_measure(away, f"NEW{number}", f"Counted offline {number}", author="Ann", target=50.0)
        link_measure(away, f"NEW{number}", [refs[number], "finding:1"], author="Ann")
        record_value(away, f"NEW{number}", "2022-10", float(number), author="Ann")
    for number, ref in enumerate(measures[:30]):
        edit_measure(away, ref, author="Ann", target=number + 0.5)
    for number, ref in enumerate(measures[20:40]):
        edit_measure(database, ref, author="Ben", target=number + 0.25, unit="cases")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    return _changed_offline(tmp_path_factory.mktemp("sync-template"))


def _copy(template: Scene, folder: Path) -> Scene:
    for path in (template.upstream, template.replica):
        shutil.copyfile(path, folder / path.name)
    scene = Scene(folder, folder / template.upstream.name, folder / template.replica.name)
    with sqlite3.connect(scene.replica) as conn:  # the copy's upstream is the copy beside it
        conn.execute("UPDATE replica_state SET upstream = ?", (str(scene.upstream),))
    conn.close()
    return scene


def _start_sync(scene: Scene) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "plantui", "--db", str(scene.replica), "sync"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wal_size(db: Path) -> int | None:
    try:
        return Path(f"{db}-wal").stat().st_size
    except FileNotFoundError:
        return None


@dataclass(frozen=True)
class Phases:
    """Seconds from the start of a sync: the upstream opened, its commit, the replica's commit, the end."""

    upstream_open: float
    upstream_commit: float
    replica_commit: float
    end: float


@pytest.fixture(scope="module")
def uncut(template: Scene, tmp_path_factory: pytest.TempPathFactory) -> tuple[Phases, Scene]:
    scene = _copy(template, tmp_path_factory.mktemp("sync-uncut"))
    started = time.monotonic()
    command = _start_sync(scene)
    seen: dict[str, float] = {}
    while command.poll() is None:
        now = time.monotonic() - started
        upstream = _wal_size(scene.upstream)
        if upstream is not None:
            seen.setdefault("upstream_open", now)
            if upstream > 0:
                seen.setdefault("upstream_commit", now)
        if "upstream_commit" in seen and (_wal_size(scene.replica) or 0) > 0:
            seen.setdefault("replica_commit", now)
        time.sleep(0.0005)
    end = time.monotonic() - started
    assert command.returncode == 0, command.stderr
    assert {"upstream_open", "upstream_commit"} <= seen.keys(), seen
    phases = Phases(seen["upstream_open"], seen["upstream_commit"], seen.get("replica_commit", end), end)
    return phases, scene


def _uids(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        found = [
            row[0]
            for row in conn.execute(
                "SELECT uid FROM history UNION ALL SELECT uid FROM meeting "
                "UNION ALL SELECT uid FROM plan_log UNION ALL SELECT uid FROM measure_change "
                "UNION ALL SELECT uid FROM measure_value"
            )
        ]
    conn.close()
    return found


def _conflicts(db: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT a.ref, c.field FROM sync_conflict c JOIN action a ON a.id = c.action_id"
        ).fetchall()
    conn.close()
    return set(rows)


def _assert_consistent(db: Path) -> None:
    """Whole, every status, milestone and measure target as its last change says, and no uid twice."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for field in ("status", "milestone"):
            rows = conn.execute(
                f"""SELECT a.ref, a.{field}, h.new FROM action a JOIN history h ON h.id = (
                       SELECT max(id) FROM history WHERE action_id = a.id AND field = '{field}')"""
            ).fetchall()
            # a label is stored tidied, and the history keeps it as it was written
            wrong = [row for row in rows if " ".join(row[1].split()) != " ".join((row[2] or "").split())]
            assert wrong == [], (db.name, field, wrong[:3])
        assert conn.execute("SELECT count(*) - count(DISTINCT uid) FROM history").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) - count(DISTINCT uid) FROM measure_change").fetchone()[0] == 0
        targets = conn.execute(
            """SELECT m.ref, m.target, c.new FROM measure m JOIN measure_change c ON c.id = (
                   SELECT max(id) FROM measure_change WHERE measure_id = m.id AND field = 'target')"""
        ).fetchall()
        wrong = [row for row in targets if row[1] != float(row[2])]
        assert wrong == [], (db.name, "measure target", wrong[:3])
    conn.close()


def _exported(db: Path) -> str:
    database = open_database(db, daily_backup=False)
    try:
        return dumps_plan(dump_document(database))
    finally:
        database.close()


def _holds(db: Path, uid: str) -> bool:
    """Whether `db` holds the entry `uid` as a reader sees it (committed)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.01)
        try:
            return conn.execute("SELECT 1 FROM history WHERE uid = ?", (uid,)).fetchone() is not None
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def _when(command: subprocess.Popen, seen) -> bool:
    """Wait until `seen()` (True), or the command's end (False)."""
    while command.poll() is None:
        if seen():
            return True
        time.sleep(0.0002)
    return False


@pytest.mark.parametrize("seed", SEEDS)
def test_a_sync_killed_at_any_moment_is_completed_by_the_next(
    seed: int, template: Scene, uncut: tuple[Phases, Scene], tmp_path: Path, record_property
) -> None:
    phases, finished = uncut
    rng = random.Random(seed)
    scene = _copy(template, tmp_path)
    made = set(_uids(scene.upstream)) | set(_uids(scene.replica))
    with sqlite3.connect(scene.replica) as conn:
        last_sent = conn.execute("SELECT uid FROM history ORDER BY id DESC LIMIT 1").fetchone()[0]
    conn.close()
    command = _start_sync(scene)
    # Moments are counted from what the sync is seen doing, not from its start, so that a loaded
    # machine (slower to start a process) does not push them all into one side.
    if seed % 2 == 0:  # while the upstream's transaction runs: from the upstream's opening
        delay = rng.uniform(0, phases.upstream_commit - phases.upstream_open)
        started = _when(command, lambda: _wal_size(scene.upstream) is not None)
    else:  # after it, while the replica's runs: from the upstream's commit (its WAL may grow before
        # the commit, when a transaction outgrows the page cache, so the commit is seen by a reader)
        delay = rng.uniform(0, phases.replica_commit - phases.upstream_commit)
        started = _when(command, lambda: _holds(scene.upstream, last_sent))
    if started:
        time.sleep(delay)
    command.send_signal(signal.SIGKILL)  # nothing happens if it has already finished
    command.communicate(timeout=60)
    assert command.returncode in (0, -signal.SIGKILL)
    sent = set(_uids(scene.replica)) <= set(_uids(scene.upstream))
    assert sent or seed % 2 == 0, "killed before the upstream's commit it waited for"
    record_property("cut", f"+{delay:.3f}s, upstream {'had' if sent else 'lacked'} the replica's entries")
    for db in (scene.upstream, scene.replica):
        _assert_consistent(db)

    again = subprocess.run(
        [sys.executable, "-m", "plantui", "--db", str(scene.replica), "sync"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    for db in (scene.upstream, scene.replica):
        _assert_consistent(db)
        found = _uids(db)
        assert len(found) == len(set(found)) and set(found) == made
        assert _conflicts(db) == _conflicts(finished.upstream)
    assert _exported(scene.upstream) == _exported(scene.replica) == _exported(finished.upstream)
