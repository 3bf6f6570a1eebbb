"""Faults with real processes: two writers at once, a writer killed with SIGKILL, read-only files and
folders (as a process that really cannot write), and files that are not usable plantui databases.

The second writer is `tests/faults/plan_writer.py`: a "tui" writer holds one Database open and changes it on
a worker thread through the same store services the workbench uses; a "cli" writer runs the real
`plantui set` command for each change.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from plantui.cli.main import cli
from plantui.store import changes, queries
from plantui.store.opening import open_database
from tests.faults.fault_checks import (
    assert_all_saved_are_there,
    assert_whole_and_agreeing,
    history_rows,
    saved_lines,
    start_writer,
    unprivileged_prefix,
)

pytestmark = pytest.mark.slow


@pytest.fixture
def database(db_path: Path):
    """The small plan in a SQLite file (this module is about files, so it runs on SQLite only)."""
    from tests.conftest import stored_plan

    db = open_database(stored_plan(db_path), daily_backup=False)  # as a new file would: no copy yet
    yield db
    db.close()


def assert_sound(db: Path) -> None:
    """integrity_check is ok, every action's status is its latest status change, and the app opens."""
    assert_whole_and_agreeing(db)
    result = CliRunner().invoke(cli, ["--db", str(db), "list", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count('"ref"') == 7


# --- two writers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("first", "second"), [("tui", "cli"), ("cli", "cli")])
def test_two_writers_make_200_changes_each_and_none_is_lost(database, db_path: Path, first, second) -> None:
    database.close()
    a = start_writer(db_path, "1.1.1.2", first, 200)
    b = start_writer(db_path, "1.1.1.3", second, 200)
    out_a, err_a = a.communicate(timeout=120)
    out_b, err_b = b.communicate(timeout=120)
    assert (a.returncode, err_a) == (0, "")
    assert (b.returncode, err_b) == (0, "")
    saved_a, saved_b = saved_lines(out_a), saved_lines(out_b)
    assert len(saved_a) == len(saved_b) == 200
    assert_all_saved_are_there(db_path, saved_a + saved_b)
    assert len(history_rows(db_path)) == 400
    # the two streams really interleaved: neither ran wholly before the other
    ids_a, ids_b = {s[0] for s in saved_a}, {s[0] for s in saved_b}
    assert min(ids_a) < max(ids_b) and min(ids_b) < max(ids_a)
    assert_sound(db_path)


def test_real_plantui_set_commands_alongside_a_workbench_writer(database, db_path: Path) -> None:
    database.close()
    # writes until its stdin closes, at the pace of a fast typist rather than flat out
    workbench = start_writer(db_path, "1.1.1.2", "tui", 0, pause=0.02)
    first_line = workbench.stdout.readline()
    results: dict[str, list[subprocess.CompletedProcess]] = {"1.1.1.3": [], "2.1.1.1": []}

    def run_cli(ref: str) -> None:
        codes = ["complete", "bau"] * 3  # neither action starts with either
        for code in codes:
            results[ref].append(
                subprocess.run(
                    [sys.executable, "-m", "plantui", "--db", str(db_path), "set", ref, "--rag", code,
                     "--author", "board"],
                    capture_output=True, text=True, timeout=60, check=False,
                )
            )  # fmt: skip

    threads = [threading.Thread(target=run_cli, args=(ref,)) for ref in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # a backup taken while the workbench is still writing is whole and consistent
    copy = db_path.with_name("copy.db")
    CliRunner().invoke(cli, ["--db", str(db_path), "backup", "-o", str(copy)], catch_exceptions=False)
    out, err = workbench.communicate(input="", timeout=60)
    assert (workbench.returncode, err) == (0, "")
    saved = saved_lines(first_line + out)
    assert len(saved) > 12  # it was writing all the while
    for runs in results.values():
        for proc in runs:
            assert proc.returncode == 0, proc.stderr
            assert "locked" not in proc.stderr and proc.stdout.startswith("Saved ")
    cli_saved = [
        (int(p.stdout.rsplit("#", 1)[1].rstrip(")\n")), ref, p.args[p.args.index("--rag") + 1])
        for ref, runs in results.items()
        for p in runs
    ]
    assert_all_saved_are_there(db_path, saved + cli_saved)
    assert len(history_rows(db_path)) == len(saved) + 12
    assert_sound(db_path)
    assert_sound(copy)
    assert set(history_rows(copy)) <= set(history_rows(db_path))


# --- kill -9 ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from plantui.store.plans import load_document
    from tests.conftest import mini_plan

    path = tmp_path_factory.mktemp("template") / "plan.db"
    db = open_database(path)
    load_document(db, mini_plan())
    db.close()
    return path


@pytest.mark.parametrize("seed", range(20))
def test_kill_9_mid_stream_loses_no_saved_change(template_db: Path, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    db = tmp_path / "plan.db"
    shutil.copy(template_db, db)
    mode = "tui" if seed % 2 == 0 else "cli"
    writer = start_writer(db, "1.1.1.2", mode, 0)
    lines = [writer.stdout.readline()]  # it is writing
    time.sleep(rng.uniform(0.0, 0.4))
    writer.send_signal(signal.SIGKILL)
    rest, _ = writer.communicate(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    saved = saved_lines("".join(lines) + rest)
    assert saved, "the writer saved nothing before it was killed"
    assert_all_saved_are_there(db, saved)
    assert_sound(db)
    # and it takes the next change as usual
    reopened = open_database(db)
    try:
        assert changes.set_status(reopened, "1.1.1.3", "complete", author="Ann").entry is not None
    finally:
        reopened.close()


# --- files that are not usable plantui databases ------------------------------------------------------


def _fingerprint(folder: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def _other_programs_file(path: Path) -> None:
    path.unlink()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        conn.execute("INSERT INTO contacts VALUES ('Ann', '0151')")


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: 4096 * 3 + 100])


@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        (_truncate, "is cut short"),
        (lambda p: p.write_bytes(b""), "is empty (zero bytes)"),
        (lambda p: p.write_bytes(random.Random(7).randbytes(20000)), "is not a SQLite database"),
        (_other_programs_file, "is a database of another program"),
    ],
    ids=["truncated", "zero-length", "random-bytes", "another-program"],
)
def test_an_unusable_file_is_one_line_touched_not_and_names_the_newest_backup(
    database, db_path: Path, spoil, words: str
) -> None:
    database.close()
    CliRunner().invoke(cli, ["--db", str(db_path), "backup"], catch_exceptions=False)
    time.sleep(0.001)
    newest = CliRunner().invoke(cli, ["--db", str(db_path), "backup"], catch_exceptions=False)
    newest_path = newest.stdout.split(" to ")[1].rsplit(" (", 1)[0]
    spoil(db_path)
    before = _fingerprint(db_path.parent)
    proc = subprocess.run(
        [sys.executable, "-m", "plantui", "--db", str(db_path), "set", "1.1.1.2", "--rag", "on_track"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 4 and "Traceback" not in proc.stderr, proc.stderr
    outcomes = [proc.stderr]
    for command in (["list"], ["history"], ["export"], ["backup"], ["check"]):  # the same, in-process
        result = CliRunner().invoke(cli, ["--db", str(db_path), *command], catch_exceptions=False)
        assert result.exit_code == 4
        outcomes.append(result.stderr)
    for stderr in outcomes:
        lines = stderr.splitlines()
        assert len(lines) == 1
        assert lines[0].startswith(f"plantui: {db_path} ") and words in lines[0]
        assert lines[0].endswith(f"the newest backup is {newest_path} (plantui restore {newest_path})")
    after = _fingerprint(db_path.parent)
    assert after == before  # nothing touched, nothing added
    # and the named backup brings the plan back
    CliRunner().invoke(cli, ["--db", str(db_path), "restore", newest_path], catch_exceptions=False)
    reopened = open_database(db_path)
    try:
        assert len(queries.list_actions(reopened)) == 7
    finally:
        reopened.close()


def test_a_newer_plantuis_database_is_refused_by_the_cli_with_both_versions(database, db_path: Path) -> None:
    with database.write() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0042'")
    database.close()
    before = db_path.read_bytes()
    proc = subprocess.run(
        [sys.executable, "-m", "plantui", "--db", str(db_path), "set", "1.1.1.2", "--rag", "on_track"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 4
    from plantui.store.schema import HEAD_REVISION

    assert proc.stderr == (
        f"plantui: {db_path} was made by a newer plantui (schema 0042; this plantui knows up to "
        f"{HEAD_REVISION}): upgrade plantui to change it\n"
    )
    assert db_path.read_bytes() == before


# --- read-only, for real ------------------------------------------------------------------------------


READ_ONLY_PROBE = """
import json, sys
from plantui.domain.errors import ReadOnlyError
from plantui.store import changes, queries
from plantui.store.opening import open_database
from plantui.store.plans import load_document, dump_document

db = open_database(sys.argv[1])
refused = {}
attempts = {
    "set_status": lambda: changes.set_status(db, "1.1.1.2", "on_track", author="Ann"),
    "set_milestone": lambda: changes.set_milestone(db, "1.1.1.2", "June 2023", author="Ann"),
    "add_note": lambda: changes.add_note(db, "1.1.1.2", "a note", author="Ann"),
    "undo_step": lambda: changes.undo_step(db, author="Ann"),
    "load_document": lambda: load_document(db, dump_document(db), replace=True),
}
for name, attempt in attempts.items():
    try:
        attempt()
        refused[name] = "saved!"
    except ReadOnlyError as error:
        refused[name] = str(error)
print(json.dumps({"readonly": db.readonly, "reason": db.readonly_reason,
                  "actions": len(queries.list_actions(db)), "refused": refused}))
"""


@pytest.mark.parametrize("what", ["file", "folder"])
def test_read_only_file_or_folder(database, db_path: Path, what: str) -> None:
    import json

    changes.set_status(database, "1.1.1.3", "complete", author="Ann")  # something to undo
    database.close()
    copy = db_path.parent.parent / f"copy-{what}.db"
    CliRunner().invoke(cli, ["--db", str(db_path), "backup", "-o", str(copy)], catch_exceptions=False)
    prefix = unprivileged_prefix()
    target = db_path if what == "file" else db_path.parent
    mode = target.stat().st_mode
    target.chmod(0o444 if what == "file" else 0o555)
    try:
        before = db_path.read_bytes()
        probe = subprocess.run(
            [*prefix, sys.executable, "-c", READ_ONLY_PROBE, str(db_path)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert probe.returncode == 0, probe.stderr
        seen = json.loads(probe.stdout)
        reason = " (the file is not writable)" if what == "file" else " (its folder is not writable)"
        assert seen["readonly"] is True and seen["reason"] == reason
        assert seen["actions"] == 7
        assert set(seen["refused"]) == {
            "set_status",
            "set_milestone",
            "add_note",
            "undo_step",
            "load_document",
        }
        for message in seen["refused"].values():
            assert message == f"{db_path} is read-only{reason}: nothing was saved"

        def plantui(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run(
                [*prefix, sys.executable, "-m", "plantui", "--db", str(db_path), *args],
                capture_output=True, text=True, check=False,
            )  # fmt: skip

        listed = plantui("list", "--json")
        assert listed.returncode == 0 and listed.stdout.count('"ref"') == 7
        refused = plantui("set", "1.1.1.2", "--rag", "on_track", "--author", "Ann")
        assert refused.returncode == 4
        assert refused.stderr == f"plantui: {db_path} is read-only{reason}: nothing was saved\n"
        not_restored = plantui("restore", str(copy))
        assert not_restored.returncode == 4
        assert not_restored.stderr == f"plantui: {db_path} is read-only{reason}: nothing was restored\n"
        assert db_path.read_bytes() == before
    finally:
        target.chmod(mode & 0o777)
