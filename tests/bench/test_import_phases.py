"""The import phase timer: one run goes through every phase of a real import and leaves the plan stored."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import import_phases  # benchmarks/ is a folder of scripts, put on the path above

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "import_phases.py"
SAMPLE = ROOT / "data" / "sefton-phase1.json"


def test_one_run_times_every_phase_of_a_real_import(tmp_path: Path) -> None:
    database = tmp_path / "phases.db"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(SAMPLE), "--one", str(database)],
        capture_output=True,
        text=True,
        check=True,
    )
    phases = json.loads(result.stdout)
    assert list(phases) == list(import_phases.PHASES)
    assert all(wall >= 0 and cpu >= 0 for wall, cpu in phases.values())
    conn = sqlite3.connect(database)
    try:
        assert conn.execute("SELECT count(*) FROM action").fetchone()[0] == 124
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()
