"""One slip reads the same everywhere: the command line, the workbench, the board report, the exports.

Each case moves one action's milestone with `plantui set`, then reads the slip back from `list` (its
table and its JSON), the workbench's table, detail pane and calendar, the HTML board report and the
xlsx and CSV exports, and checks each says exactly what `plantui.domain.wording.slip_words` says.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from textual.app import App

from plantui.domain.wording import slip_words
from plantui.io.spreadsheets.columns import ACTION_HEADERS
from plantui.store.opening import open_database
from plantui.store.queries import get_action
from tests.conftest import TODAY, run_cli, stored_plan
from tests.tui.conftest import build_app, settle

_CELL_WIDTH = 12.2  # Rich's SVG export: 0.61 of its 20 px font per terminal cell
REF = "1.1.1.2"  # milestone "September  2022" in the mini plan, stored tidied


def screen_lines(app: App) -> list[str]:
    """The screen as text, row by row, read from the app's own screenshot (SVG text placed by cell)."""
    rows: dict[float, str] = {}
    svg = app.export_screenshot()
    for x, y, text in re.findall(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        column = round(float(x) / _CELL_WIDTH)
        row = rows.get(float(y), "")
        rows[float(y)] = row.ljust(column) + html.unescape(text).replace("\xa0", " ")
    return [rows[y] for y in sorted(rows)]


@pytest.mark.parametrize(
    ("label", "words", "calendar_keys"),
    [
        ("March 2023", "slipped 6 months", ["right_square_bracket"]),  # March is in next year's grid
        ("15/10/2022", "slipped 15 days", []),
        ("Ongoing", "slipped to no date", []),  # the calendar's Ongoing lane says it
    ],
)
async def test_one_slip_reads_the_same_in_every_place(
    tmp_path: Path, label: str, words: str, calendar_keys: list[str]
) -> None:
    db = str(stored_plan(tmp_path / "plan.db"))
    said = run_cli("--db", db, "set", REF, "--milestone", label).stdout
    database = open_database(db)
    try:
        expected = slip_words(get_action(database, REF).slippage)
    finally:
        database.close()
    assert expected == words

    assert f"{expected} from September 2022" in said  # `set` names the baseline, as stored
    [listed] = json.loads(run_cli("--db", db, "list", "--slipped", "--json").stdout)
    assert listed["slipped"] == expected
    [_header, line] = run_cli(
        "--db", db, "--today", TODAY.isoformat(), "list", "--slipped"
    ).stdout.splitlines()
    assert f"  {expected}  " in line

    report = tmp_path / "report.html"
    run_cli("--db", db, "report", "--today", TODAY.isoformat(), "-o", str(report))
    assert f"<td>{expected}</td>" in report.read_text(encoding="utf-8")

    workbook = tmp_path / "plan.xlsx"
    run_cli("--db", db, "export", "-o", str(workbook))
    sheet = openpyxl.load_workbook(workbook)["Actions"]
    rows = [
        dict(zip(ACTION_HEADERS, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)
    ]
    assert [r["Slipped"] for r in rows if r["Action ref"] == REF] == [expected]
    spreadsheet = run_cli("--db", db, "export", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(spreadsheet)))
    assert [r["Slipped"] for r in rows if r["Action ref"] == REF] == [expected]
    assert all(r["Slipped"] == "" for r in rows if r["Action ref"] not in (REF, ""))

    app = build_app(Path(db))
    try:
        async with app.run_test(size=(180, 40)) as pilot:
            await settle(pilot)
            await pilot.press("slash", *"slipped", "enter")
            await settle(pilot)
            table_row = next(line for line in screen_lines(app) if f"{REF}  Recruit senior leaders" in line)
            assert f"· {expected} " in table_row  # the Due column, whole on a wide screen
            detail = [line for line in screen_lines(app) if "   due " in line and expected in line]
            assert len(detail) == 1  # the Milestone line of the detail pane
            await pilot.press("m", *calendar_keys)
            await settle(pilot)
            assert any(f"» 1 {expected}" in line for line in screen_lines(app))
    finally:
        app.database.close()
