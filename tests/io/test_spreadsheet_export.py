"""Exporting the plan as a workbook and as CSV, and reading either back into the same rows."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from plantui.cli.main import cli
from plantui.domain.statuses import status
from plantui.io.sample import load_sample
from plantui.io.spreadsheets.columns import ACTION_HEADERS
from plantui.io.spreadsheets.exporter import export_csv, export_xlsx
from plantui.store.changes import add_note, set_status
from plantui.store.opening import open_database
from plantui.store.plans import load_document
from tests.conftest import mini_plan

AT = datetime(2022, 10, 5, 14, 3)


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output + result.stderr
    return result


@pytest.fixture
def sample_db(tmp_path: Path):
    database = open_database(tmp_path / "sample.db")
    load_document(database, load_sample())
    set_status(database, "1.1.1.2", "some_issues", note="Two posts =vacant [draft]", author="Ann", at=AT)
    add_note(database, "4.1.1.1", "Board asked for dates\nby December", author="Bo", at=AT)
    yield database
    database.close()


def rows_of(path: Path, sheet: str) -> list[tuple]:
    return list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))


def test_workbook_has_coloured_status_cells_with_words(sample_db, tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    export_xlsx(sample_db, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Actions", "Findings", "History"]
    ws = book["Actions"]
    assert tuple(c.value for c in ws[1]) == ACTION_HEADERS
    assert ws.max_row == 126  # 124 actions and area 3.4, which has none yet
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:S126"
    assert all(c.font.bold for c in ws[1])
    words = ACTION_HEADERS.index("Status words") + 1
    code_column = ACTION_HEADERS.index("Status") + 1
    seen = set()
    empty_parts = []
    for row in range(2, ws.max_row + 1):
        code = ws.cell(row, code_column).value
        cell = ws.cell(row, words)
        if code is None:
            empty_parts.append([c.value for c in ws[row]])
            continue
        s = status(code)
        assert cell.value == f"{s.symbol} {s.short}"  # readable without colour
        assert cell.fill.fill_type == "solid"
        assert cell.fill.fgColor.rgb.endswith(s.colour.lstrip("#").upper())
        seen.add(code)
    assert seen == {"complete", "on_track", "some_issues", "off_track", "not_started", "bau"}
    area = ["3", "Improving Tools", "3.4", "Corporate Services & Organisational Support"]
    assert [values[:4] for values in empty_parts] == [area]
    assert empty_parts[0][4:] == [None] * (len(ACTION_HEADERS) - 4)
    assert ws["H2"].alignment.wrap_text
    assert ws.column_dimensions["H"].width > ws.column_dimensions["G"].width
    first = [c.value for c in ws[2]]
    assert first[:7] == ["1", "Improving Quality", "1.1", "The Workforce", "1.1.1", first[5], "1.1.1.1"]
    assert first[ACTION_HEADERS.index("Due date")] == datetime(2022, 9, 30)
    assert ws.cell(2, ACTION_HEADERS.index("Due date") + 1).number_format == "dd/mm/yyyy"


def test_workbook_findings_and_history_sheets(sample_db, tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    export_xlsx(sample_db, path)
    findings = rows_of(path, "Findings")
    assert findings[0] == ("Source", "Finding", "Refs")
    assert len(findings) == 23
    assert findings[1][2] == "1.1.1; 3.2.1"
    history = rows_of(path, "History")
    assert history[0] == ("Entry", "When", "Ref", "Who", "Field", "From", "To", "Note", "Undoes entry")
    assert history[1][2:8] == (
        "1.1.1.2",
        "Ann",
        "status",
        "✔ Complete",
        "▲ Some issues",
        "Two posts =vacant [draft]",
    )
    assert history[1][1] == AT  # TZ is UTC in tests
    assert history[2][2:5] == ("4.1.1.1", "Bo", "note")
    book = openpyxl.load_workbook(path)
    assert book["History"]["H2"].data_type == "s"  # never a formula


def test_the_history_sheet_names_the_leads_before_and_after(tmp_path: Path) -> None:
    from plantui.store.changes import TextChange, edit_text

    database = open_database(tmp_path / "plan.db")
    try:
        load_document(database, mini_plan())
        leads = ("=Head of QA (Safeguarding) & PSW, Jane", "HR Lead")
        edit_text(database, "1.1.1.2", [TextChange("leads", leads)], author="Ann", at=AT)
        path = tmp_path / "plan.xlsx"
        export_xlsx(database, path)
    finally:
        database.close()
    [_, row] = rows_of(path, "History")
    assert row[4:7] == (
        "leads",
        "Assistant Director Safeguarding",
        "=Head of QA (Safeguarding) & PSW, Jane; HR Lead",
    )
    assert openpyxl.load_workbook(path)["History"]["G2"].data_type == "s"  # never a formula


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    plan = mini_plan()
    plan.themes[0].areas[0].objectives[0].actions[0].title = '=HYPERLINK("http://x")\x1b[31m'
    database = open_database(tmp_path / "f.db")
    load_document(database, plan)
    export_xlsx(database, tmp_path / "f.xlsx")
    database.close()
    cell = openpyxl.load_workbook(tmp_path / "f.xlsx")["Actions"]["H2"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://x")_x001B_[31m'  # ESC as Excel itself escapes it


def test_csv_is_utf8_with_bom_and_one_header_row(sample_db, tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    export_csv(sample_db, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == ACTION_HEADERS
    assert len(rows) == 126  # 124 actions, and area 3.4 with none yet
    first = dict(zip(ACTION_HEADERS, rows[1], strict=True))
    assert first["Action"].startswith("Develop and agree Children’s Social Care")
    assert first["Due date"] == "2022-09-30"
    assert first["Status"] == "complete" and first["Status words"] == "✔ Complete"
    changed = dict(zip(ACTION_HEADERS, rows[2], strict=True))
    assert changed["Last note"] == "Two posts =vacant [draft]"
    assert changed["Last update"] == "2022-10-05 14:03"


def test_cli_export_formats(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    run("--db", db, "demo")
    out = run("--db", db, "export", "--format", "csv").stdout
    assert out.startswith("Theme ref,Theme,")  # no BOM on stdout, where it would reach another program
    result = run("--db", db, "export", "--format", "xlsx", code=2)
    assert "name the file with -o FILE.xlsx" in result.stderr
    target = tmp_path / "out.xlsx"
    result = run("--db", db, "export", "--format", "xlsx", "-o", str(target))
    assert "124 actions, 22 findings, 0 history rows" in result.stderr
    assert rows_of(target, "Actions")[1][6] == "1.1.1.1"
    run("--db", db, "export", "-o", str(tmp_path / "picked.xlsx"))  # the format follows the file name
    assert rows_of(tmp_path / "picked.xlsx", "Actions")[1][6] == "1.1.1.1"
    run("--db", db, "export", "-o", str(tmp_path / "picked.csv"))
    assert (tmp_path / "picked.csv").read_bytes().startswith(b"\xef\xbb\xbfTheme ref,")
    result = run("--db", db, "export", "--format", "xlsx", "-o", str(tmp_path / "missing" / "x.xlsx"), code=2)
    assert "cannot write" in result.stderr
    assert not list(tmp_path.glob("*.tmp"))


def test_round_trip_xlsx_gives_the_same_rows(sample_db, tmp_path: Path) -> None:
    first = tmp_path / "first.xlsx"
    export_xlsx(sample_db, first)
    again = tmp_path / "again.db"
    result = run("--db", str(again), "--author", "Cy", "import", str(first))
    assert "124 actions, 22 findings" in result.stdout
    assert result.stderr == ""  # our own export reads back without a single warning
    second = tmp_path / "second.xlsx"
    run("--db", str(again), "export", "--format", "xlsx", "-o", str(second))
    assert rows_of(second, "Actions") == rows_of(first, "Actions")
    assert rows_of(second, "Findings") == rows_of(first, "Findings")


def test_round_trip_csv_gives_the_same_rows(sample_db, tmp_path: Path) -> None:
    first = tmp_path / "first.csv"
    export_csv(sample_db, first)
    again = tmp_path / "again.db"
    run("--db", str(again), "import", str(first))
    second = tmp_path / "second.csv"
    run("--db", str(again), "export", "--format", "csv", "-o", str(second))
    assert second.read_bytes() == first.read_bytes()


def test_round_trip_keeps_milestones_and_baselines(tmp_path: Path) -> None:
    from plantui.store.changes import set_milestone
    from plantui.store.queries import get_action

    database = open_database(tmp_path / "m.db")
    load_document(database, mini_plan())
    set_milestone(database, "1.1.1.3", "June 2023", author="Ann", at=AT)
    export_xlsx(database, tmp_path / "m.xlsx")
    database.close()
    run("--db", str(tmp_path / "n.db"), "import", str(tmp_path / "m.xlsx"))
    again = open_database(tmp_path / "n.db")
    action = get_action(again, "1.1.1.3")
    assert (action.milestone, action.due, action.baseline, action.baseline_due) == (
        "June 2023",
        date(2023, 6, 30),
        "March 2023",
        date(2023, 3, 31),
    )
    assert get_action(again, "2.1.1.2").milestone == "Spring"
    assert get_action(again, "1.1.1.2").milestone == "September 2022"  # spacing tidied on load
    again.close()


def test_markup_and_brackets_survive_the_round_trip(tmp_path: Path) -> None:
    from plantui.io.spreadsheets.importer import read_table

    database = open_database(tmp_path / "k.db")
    load_document(database, mini_plan(markup=True))
    export_xlsx(database, tmp_path / "k.xlsx")
    database.close()
    again = read_table(tmp_path / "k.xlsx").document
    original = mini_plan(markup=True)
    assert [(a.ref, a.title, a.leads, a.detailed_plan) for a in again.actions()] == [
        (a.ref, a.title, a.leads, a.detailed_plan) for a in original.actions()
    ]
    assert again.themes[0].title == original.themes[0].title
    assert again.findings[0].text == original.findings[0].text


def test_a_plan_with_measures_gets_a_measures_sheet_with_the_standing_value_per_period(
    tmp_path: Path,
) -> None:
    from plantui.domain.document import MeasureDoc, MeasureValueDoc

    plan = mini_plan()
    plan.measures = [
        MeasureDoc(
            ref="M1", name="=HYPERLINK(\"x\")", unit="%", direction="lower", target=22.0, tolerance=2.0,
            owner="Head of Front Door", objectives=["1.1.1"], actions=["1.1.1.1", "1.1.1.2"], findings=[1],
            values=[
                MeasureValueDoc("2022-10", 24.0, datetime(2022, 11, 2, 9), "Ann"),
                MeasureValueDoc("2022-09", 27.0, datetime(2022, 11, 2, 9), "Ann"),
                MeasureValueDoc("2022-10", 23.5, datetime(2022, 11, 9, 9), "Ben", "corrected"),
            ],
        ),
        MeasureDoc(ref="M2", name="Visits on time", frequency="quarterly",
                   values=[MeasureValueDoc("2022-Q3", 91.0, datetime(2022, 10, 9), "Ann")]),
    ]  # fmt: skip
    db = open_database(tmp_path / "m.db")
    load_document(db, plan)
    path = tmp_path / "plan.xlsx"
    export_xlsx(db, path)
    db.close()
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Actions", "Findings", "History", "Measures"]
    rows = list(book["Measures"].iter_rows(values_only=True))
    assert rows[0][-3:] == ("2022-09", "2022-Q3", "2022-10")
    assert rows[1] == ("M1", '=HYPERLINK("x")', "%", "lower", 22, 2, "monthly", "Head of Front Door",
                       "1.1.1", "1.1.1.1; 1.1.1.2", "2", 27, None, 23.5)  # fmt: skip
    assert book["Measures"]["B2"].data_type == "s"  # text, never a formula
    assert rows[2][0] == "M2" and rows[2][-3:] == (None, 91, None)


def test_a_plan_without_measures_has_no_measures_sheet(tmp_path: Path) -> None:
    db = open_database(tmp_path / "m.db")
    load_document(db, mini_plan())
    path = tmp_path / "plan.xlsx"
    export_xlsx(db, path)
    db.close()
    assert openpyxl.load_workbook(path).sheetnames == ["Actions", "Findings", "History"]
