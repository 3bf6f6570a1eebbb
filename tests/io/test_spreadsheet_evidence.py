"""The workbook export shows evidence of impact: an Evidence sheet (each piece as typed, with its
action's mark) and the History sheet's evidence rows in words; a plan without any has no such sheet,
and an export with one still imports as the same plan."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

from plantui.io.spreadsheets.exporter import export_xlsx
from plantui.io.spreadsheets.importer import read_table
from plantui.store.changes import add_evidence, set_impact, undo_step
from plantui.store.opening import open_database
from plantui.store.plans import load_document
from tests.conftest import mini_plan

TEXT = '=HYPERLINK("x") [bold]Audit[/] fewer re-referrals'
LINK = "S:\\QA\\[2022] audit.docx"


def rows(path: Path, sheet: str) -> list[tuple]:
    return list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))


def test_the_evidence_sheet_lists_each_piece_as_typed_with_the_mark(database, tmp_path: Path) -> None:
    add_evidence(database, "1.1.1.1", TEXT, link=LINK, day=date(2022, 10, 14), author="Ann")
    set_impact(database, "1.1.1.1", True, author="Ann")
    add_evidence(database, "1.2.1.1", "Taken back", day=date(2022, 10, 1), author="Ben")
    undo_step(database, author="Ben")
    path = tmp_path / "plan.xlsx"
    export_xlsx(database, path)
    header, *body = rows(path, "Evidence")
    assert header == ("Action ref", "Action", "Impact evidenced", "Evidence date", "Evidence", "Link",
                      "Recorded by", "Recorded")  # fmt: skip
    [only] = body  # the piece taken back is not listed
    assert only[:3] == ("1.1.1.1", "Develop a workforce strategy", "◆ Impact evidenced")
    assert only[3].date() == date(2022, 10, 14) and only[4:7] == (TEXT, LINK, "Ann")
    history = rows(path, "History")
    assert any(row[4] == "evidence" and row[6] == f"2022-10-14: {TEXT} ({LINK})" for row in history)


def test_no_evidence_no_sheet_and_an_export_with_one_imports_as_the_same_plan(tmp_path: Path) -> None:
    database = open_database(tmp_path / "plan.db")
    try:
        load_document(database, mini_plan(markup=True))
        plain = tmp_path / "plain.xlsx"
        export_xlsx(database, plain)
        assert "Evidence" not in openpyxl.load_workbook(plain).sheetnames
        add_evidence(database, "1.1.1.1", TEXT, day=date(2022, 10, 14), author="Ann")
        with_evidence = tmp_path / "evidence.xlsx"
        export_xlsx(database, with_evidence)
        assert "Evidence" in openpyxl.load_workbook(with_evidence).sheetnames
        again = read_table(with_evidence)
        before = read_table(plain)
        assert [(a.ref, a.title) for a in again.document.actions()] == [
            (a.ref, a.title) for a in before.document.actions()
        ]
    finally:
        database.close()
