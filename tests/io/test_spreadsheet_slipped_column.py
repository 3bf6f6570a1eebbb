"""The spreadsheet export says each action's slip in the board's words, and reads back as written."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from plantui.io.spreadsheets.columns import ACTION_HEADERS
from tests.conftest import run_cli, stored_plan


def test_exports_with_and_without_the_slipped_column_read_back_as_written(tmp_path: Path) -> None:
    db = str(stored_plan(tmp_path / "plan.db"))
    run_cli("--db", db, "set", "1.1.1.2", "--milestone", "March 2023")
    written = run_cli("--db", db, "export", "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(written)))
    assert tuple(rows[0]) == ACTION_HEADERS
    slipped = ACTION_HEADERS.index("Slipped")
    assert [row[slipped] for row in rows if row[6] == "1.1.1.2"] == ["slipped 6 months"]
    # An export made before the column was added: the same sheet without it.
    earlier = io.StringIO()
    csv.writer(earlier).writerows([row[:slipped] + row[slipped + 1 :] for row in rows])
    for name, text in (("now.csv", written), ("earlier.csv", earlier.getvalue())):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        again = str(tmp_path / f"{name}.db")
        result = run_cli("--db", again, "import", str(path))
        assert "Slipped" not in result.stderr  # a column of plantui's own, not one it warns of
        listed = {r["ref"]: r for r in json.loads(run_cli("--db", again, "list", "--json").stdout)}
        assert listed["2.1.1.2"]["leads"] == []  # a blank cell stays blank, not carried down
        assert listed["1.1.1.2"]["milestone"] == "March 2023"
