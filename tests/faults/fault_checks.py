"""Shared pieces of the fault tests (test_process_faults.py, test_kill_commands.py): starting the
second writer (`plan_writer.py`) as a real process, reading what it reported as saved, the checks
every fault ends with (each change reported as saved is in the history, `PRAGMA integrity_check` is
ok, and every action's status is its latest status change), and running a process that file
permissions apply to even as root."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

WRITER = Path(__file__).with_name("plan_writer.py")

Saved = tuple[int, str, str]  # history id, ref, status


def start_writer(db: Path, ref: str, mode: str, count: int, pause: float = 0.0) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(db), ref, mode, str(count), str(pause)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def saved_lines(output: str) -> list[Saved]:
    saved = []
    for line in output.splitlines():
        word, history_id, ref, code = line.split()
        assert word == "saved"
        saved.append((int(history_id), ref, code))
    return saved


def history_rows(db: Path) -> dict[int, tuple[str, str]]:
    """Every status change in the file: history id -> (ref, new status)."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT h.id, a.ref, h.new FROM history h JOIN action a ON a.id = h.action_id "
            "WHERE h.field = 'status'"
        ).fetchall()
    return {row[0]: (row[1], row[2]) for row in rows}


def assert_all_saved_are_there(db: Path, saved: list[Saved]) -> None:
    rows = history_rows(db)
    missing = [s for s in saved if rows.get(s[0]) != (s[1], s[2])]
    assert missing == [], f"reported as saved but not in the history: {missing[:5]}"


def assert_whole_and_agreeing(db: Path) -> None:
    """integrity_check is ok, and every action's status is its latest status change."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        disagreements = conn.execute(
            """SELECT a.ref, a.status, h.new FROM action a JOIN history h ON h.id = (
                   SELECT max(id) FROM history WHERE action_id = a.id AND field = 'status')
               WHERE a.status != h.new"""
        ).fetchall()
    assert disagreements == []


def unprivileged_prefix() -> list[str]:
    """How to run a process that file permissions apply to. Root ignores them, so as root the process
    runs without the capabilities that override them (it stays root, so it can still reach the venv)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root and setpriv (util-linux) is missing: cannot drop the override")
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    probe = subprocess.run([*prefix, "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"cannot drop root's file-permission override here: {probe.stderr.decode().strip()}")
    return prefix
