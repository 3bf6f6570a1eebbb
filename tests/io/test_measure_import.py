"""`plantui measure import`: scorecards from real CSV and XLSX files, long and wide, with the headers
councils write ("Oct-22", "Q3 22/23", "2022/23 Q3", dates); all or nothing, a value already standing
is not recorded again, and every problem is one line naming file, sheet, row and column."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from plantui.domain.errors import InputError
from plantui.io.spreadsheets.measures import read_scorecard
from plantui.store.opening import open_database
from plantui.store.plans import dump_document, load_document
from tests.conftest import mini_plan, run_cli


def workbook(path: Path, rows: list[list[object]], title: str = "KPIs") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_a_wide_scorecard_with_financial_year_quarter_headers(tmp_path: Path) -> None:
    path = workbook(tmp_path / "scorecard.xlsx", [
        ["Children's services scorecard, quarter 3"],
        [],
        ["KPI ref", "Indicator", "Target", "Q1 22/23", "Q2 22/23", "2022/23 Q3", "Q4 2022-23"],
        ["M2 Visits", "Visits on time", 80, 71, 78.5, None, "n/a"],
        ["M3", "Plans reviewed", 90, "88%", None, 91, None],
    ])  # fmt: skip
    read = read_scorecard(path)
    assert (read.shape, read.header_row) == ("wide", 3)
    assert [(v.ref, v.period, v.value) for v in read.values] == [
        ("M2", "2022-Q2", 71.0),  # Q1 of 2022/23 is April to June
        ("M2", "2022-Q3", 78.5),
        ("M3", "2022-Q2", 88.0),
        ("M3", "2022-Q4", 91.0),  # Q3 of 2022/23 is October to December
    ]
    assert read.values[0].place == f"{path}: sheet 'KPIs', row 4, column D (Q1 22/23)"


def test_a_long_scorecard_with_month_headers_and_date_cells(tmp_path: Path) -> None:
    path = workbook(tmp_path / "long.xlsx", [
        ["Measure", "Month", "Actual", "Commentary"],
        ["M1", datetime(2022, 8, 1), 28.1, "from the return"],
        ["M1", "Sep-22", "26%", None],
        ["M1", "October 2022", 23, None],
    ])  # fmt: skip
    read = read_scorecard(path)
    assert read.shape == "long"
    assert [(v.period, v.value, v.note) for v in read.values] == [
        ("2022-08", 28.1, "from the return"),
        ("2022-09", 26.0, ""),
        ("2022-10", 23.0, ""),
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [["Measure", "Period", "Value"], ["M1", "2022-10", "lots"]],
            "row 2, column C (Value): 'lots' is not a number",
        ),
        (
            [["Measure", "Period", "Value"], ["M1", "Autumn", 5]],
            "row 2, column B (Period): 'Autumn' is not a period",
        ),
        (
            [["Measure", "Period", "Value"], ["12", "2022-10", 5]],
            "row 2, column A (Measure): '12' is not a measure ref",
        ),
        ([["Name", "Total"], ["x", 1]], "no header row with a measure column"),
    ],
)
def test_a_problem_names_file_sheet_row_and_column(tmp_path: Path, rows, message: str) -> None:
    path = workbook(tmp_path / "bad.xlsx", rows)
    with pytest.raises(InputError) as caught:
        read_scorecard(path)
    assert message in str(caught.value) and str(caught.value).startswith(f"{path}: sheet 'KPIs'")


def test_import_records_all_or_nothing_and_never_twice(tmp_path: Path) -> None:
    db_path = tmp_path / "plan.db"
    db = open_database(db_path)
    load_document(db, mini_plan())
    db.close()
    run_cli(
        "--db", str(db_path), "measure", "add", "M1", "Re-referrals", "--direction", "lower", "--target", "22"
    )
    csv_file = tmp_path / "scorecard.csv"
    csv_file.write_text("Ref,Indicator,Oct-22,Nov-22\nM1,Re-referrals,24,23\n", encoding="utf-8")

    dry = run_cli("--db", str(db_path), "measure", "import", str(csv_file), "--dry-run").stdout
    assert "Would record 2 new values" in dry and "nothing was written" in dry
    assert dump_document(open_database(db_path)).measures[0].values == []
    assert (
        "Recorded 2 new values and 0 corrections"
        in run_cli("--db", str(db_path), "measure", "import", str(csv_file)).stdout
    )
    again = run_cli("--db", str(db_path), "measure", "import", str(csv_file)).stdout
    assert "Recorded 0 new values and 0 corrections; 2 values already stood as read" in again
    csv_file.write_text("Ref,Indicator,Oct-22,Nov-22\nM1,Re-referrals,24,21.5\n", encoding="utf-8")
    assert "1 correction" in run_cli("--db", str(db_path), "measure", "import", str(csv_file)).stdout

    bad = tmp_path / "bad.csv"
    bad.write_text("Ref,Dec-22\nM1,20\nM7,5\n", encoding="utf-8")  # M7 is no measure: nothing is recorded
    result = run_cli("--db", str(db_path), "measure", "import", str(bad), ok=False)
    assert result.exit_code != 0 and f"{bad}, row 3, column B (Dec-22): no measure M7" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    db = open_database(db_path)
    assert [(v.period, v.value) for v in dump_document(db).measures[0].values] == [
        ("2022-10", 24.0), ("2022-11", 23.0), ("2022-11", 21.5)
    ]  # fmt: skip
    db.close()


def test_plantuis_own_measures_sheet_reads_back(tmp_path: Path) -> None:
    db_path = tmp_path / "plan.db"
    db = open_database(db_path)
    load_document(db, mini_plan())
    db.close()
    run_cli("--db", str(db_path), "measure", "add", "M1", "Re-referrals", "--target", "22")
    run_cli("--db", str(db_path), "measure", "record", "M1", "2022-10", "24")
    out = tmp_path / "plan.xlsx"
    run_cli("--db", str(db_path), "export", "--format", "xlsx", "-o", str(out))
    read = read_scorecard(out, "Measures")
    assert [(v.ref, v.period, v.value) for v in read.values] == [("M1", "2022-10", 24.0)]
    assert "1 value already stood" in run_cli("--db", str(db_path), "measure", "import", str(out)).stdout
