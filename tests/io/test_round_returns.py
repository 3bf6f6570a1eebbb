"""Collecting the update round's returns, filled in as officers fill them: with openpyxl and csv,
reordered, trimmed, renamed, typed, saved from Excel; conflicts held for review; all or nothing."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from plantui.domain.errors import InputError
from plantui.io.rounds.requests import write_requests
from plantui.io.rounds.returns import read_return
from plantui.store.changes import set_status, undo_step
from plantui.store.leads import set_lead
from plantui.store.opening import open_database
from plantui.store.plans import load_document
from plantui.store.queries import action_history, list_actions
from plantui.store.returns import collect_return
from plantui.store.rounds import end_round, round_detail, start_round
from tests.conftest import TODAY, mini_plan


@pytest.fixture
def rounds(tmp_path: Path):
    """The small plan with a round open over theme 1 and its requests written (workbooks and CSV)."""
    db = open_database(tmp_path / "plan.db")
    load_document(db, mini_plan())
    set_lead(db, "Head of Quality Assurance", person="Quinn Adams", email="qa@example.org")
    start_round(db, due=date(2022, 11, 15), today=TODAY, author="Lead")
    detail = round_detail(db)
    xlsx = {f.lead: f.file for f in write_requests(db, detail, tmp_path / "xlsx")}
    csvs = {f.lead: f.file for f in write_requests(db, detail, tmp_path / "csv", file_format="csv")}
    yield db, xlsx, csvs, tmp_path
    db.close()


def collect(db, path: Path, *, dry_run: bool = False):
    read = read_return(path)
    return collect_return(
        db, token=read.token, officer_id=read.officer_id, digest=read.digest, file_name=path.name,
        where=read.where, updates=read.updates, collected_by="Lead", dry_run=dry_run,
    )  # fmt: skip


def states(db) -> dict[str, tuple[str, str, str]]:
    return {row.ref: (row.status, row.milestone, row.last_note) for row in list_actions(db)}


def fill_workbook(source: Path, target: Path, edit) -> Path:
    book = openpyxl.load_workbook(source)
    edit(book.active)
    book.save(target)
    return target


def row_of(ws, ref: str) -> int:
    return next(cell.row for cell in ws["A"] if cell.value == ref)


def test_a_return_filled_as_officers_do_is_applied_as_one_step_by_the_person(rounds) -> None:
    db, xlsx, _, tmp = rounds

    def officer(ws):
        ws.title = "Quinn's update"  # a renamed sheet
        ws.delete_rows(2)  # the instruction row deleted: the rows move up by one
        ws["J2"] = "My own notes"  # an extra column
        ws["J3"] = "ignore me"
        first, second = ([c.value for c in ws[row]] for row in (3, 4))
        for column, (a, b) in enumerate(zip(first, second, strict=True), start=1):  # rows reordered
            ws.cell(row=3, column=column, value=b)
            ws.cell(row=4, column=column, value=a)
        ws["G4"] = "  green "  # 1.2.1.1: typed, not picked, in another case and spacing
        ws["H4"] = "Going well"
        ws["I3"] = "December 2022"  # 1.2.1.2
        ws["H3"] = '=HYPERLINK("x")'  # a formula-looking commentary
        ws["H3"].data_type = "s"

    path = fill_workbook(xlsx["Head of Quality Assurance"], tmp / "Quinn return.xlsx", officer)
    before = states(db)
    result = collect(db, path)
    assert [(a.ref, a.fields) for a in result.applied] == [
        ("1.2.1.2", (("milestone", "October 2022 onwards", "December 2022"),)),
        ("1.2.1.1", (("status", "bau", "on_track"),)),
    ]
    after = states(db)
    assert after["1.2.1.1"][:2] == ("on_track", "Ongoing") and after["1.2.1.1"][2] == "Going well"
    assert after["1.2.1.2"][1:] == ("December 2022", '=HYPERLINK("x")')
    assert {ref: s for ref, s in after.items() if not ref.startswith("1.2.1")} == {
        ref: s for ref, s in before.items() if not ref.startswith("1.2.1")
    }
    entries = [e for ref in ("1.2.1.1", "1.2.1.2") for e in action_history(db, ref)]
    assert {e.author for e in entries} == {"Quinn Adams via return"}
    # one file, one undo step: undoing it takes both actions back
    undo_step(db, author="Quinn Adams via return")
    assert states(db)["1.2.1.1"][:2] == before["1.2.1.1"][:2]
    assert states(db)["1.2.1.2"][:2] == before["1.2.1.2"][:2]
    detail = round_detail(db)
    (quinn,) = [r for r in detail.requests if r.lead.role == "Head of Quality Assurance"]
    assert [c.file_name for c in quinn.returns] == ["Quinn return.xlsx"]


def test_an_action_changed_since_the_request_is_held_for_review_not_overwritten(rounds) -> None:
    db, xlsx, _, tmp = rounds
    set_status(db, "1.2.1.2", "off_track", author="Colleague")

    def officer(ws):
        ws.cell(row=row_of(ws, "1.2.1.2"), column=7, value="Complete")
        ws.cell(row=row_of(ws, "1.2.1.2"), column=8, value="Done at last")
        ws.cell(row=row_of(ws, "1.2.1.1"), column=7, value="On track")

    path = fill_workbook(xlsx["Head of Quality Assurance"], tmp / "r.xlsx", officer)
    result = collect(db, path)
    assert [(r.ref, r.field, r.issued, r.found, r.proposed) for r in result.reviews] == [
        ("1.2.1.2", "status", "some_issues", "off_track", "complete")
    ]
    assert states(db)["1.2.1.2"] == ("off_track", "October 2022 onwards", "Done at last")
    assert states(db)["1.2.1.1"][0] == "on_track"
    shown = round_detail(db).reviews
    assert [(r.ref, r.proposed, r.note, r.file_name) for r in shown] == [
        ("1.2.1.2", "complete", "Done at last", "r.xlsx")
    ]


def test_collecting_the_same_file_twice_changes_nothing_the_second_time(rounds) -> None:
    db, xlsx, _, tmp = rounds
    path = fill_workbook(
        xlsx["Head of Service"], tmp / "hos.xlsx", lambda ws: ws.cell(row=4, column=8, value="Recruited")
    )
    first = collect(db, path)
    assert first.already is None and first.step_id is not None
    after_first = (states(db), len(action_history(db, "1.1.1.3")))
    second = collect(db, path)
    assert second.already is not None and second.already.file_name == "hos.xlsx"
    assert (states(db), len(action_history(db, "1.1.1.3"))) == after_first
    copy = tmp / "hos again.xlsx"  # saved again with a cell added: other bytes, the same commentary
    fill_workbook(path, copy, lambda ws: ws.cell(row=40, column=12, value="saved again"))
    assert collect(db, copy).unchanged == ["1.1.1.3"]
    assert (states(db), len(action_history(db, "1.1.1.3"))) == after_first


def test_a_csv_saved_from_excel_with_semicolons_and_a_bom_is_read(rounds) -> None:
    db, _, csvs, tmp = rounds
    text = csvs["Head of Quality Assurance"].read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    rows[3][6], rows[3][7] = "Amber", "Some slippage"  # 1.2.1.1
    assert rows[4][0] == "1.2.1.2"
    del rows[4]  # a row deleted
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    path = tmp / "from excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    result = collect(db, path)
    assert [(a.ref, a.fields) for a in result.applied] == [("1.2.1.1", (("status", "bau", "some_issues"),))]


def test_a_bad_file_is_refused_whole_one_line_per_problem_and_changes_nothing(rounds) -> None:
    db, xlsx, _, tmp = rounds

    def officer(ws):
        ws["G4"] = "Greenish"
        ws["A5"] = None  # the ref deleted, an update beside it
        ws["H5"] = "No ref here"
        ws["I4"] = "when pigs fly"

    path = fill_workbook(xlsx["Head of Quality Assurance"], tmp / "bad.xlsx", officer)
    before = states(db)
    with pytest.raises(InputError) as caught:
        collect(db, path)
    lines = str(caught.value).splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"{path}: sheet 'Update request': row 4, column G (New status): 'Greenish'")
    assert any("row 4, column I (Revised milestone):" in line for line in lines)
    assert any("row 5, column A (Ref): no ref" in line for line in lines)
    assert states(db) == before


def test_files_that_are_not_returns_of_this_round_are_refused(rounds) -> None:
    db, xlsx, _, tmp = rounds
    empty = tmp / "empty.xlsx"
    empty.write_bytes(b"")
    text = tmp / "notes.xlsx"
    text.write_text("not a workbook")
    pdf = tmp / "scan.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    plain = tmp / "plain.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Ref", "New status"])
    book.save(plain)
    for path, words in [
        (empty, str(empty)), (text, str(text)), (pdf, "cannot import a .pdf"), (plain, "not a return"),
    ]:  # fmt: skip
        with pytest.raises(InputError, match=words):
            read_return(path)

    def stranger(ws):
        ws.cell(row=4, column=1, value="2.1.1.1")  # an action this lead was not asked about
        ws.cell(row=4, column=8, value="Not mine")

    foreign = fill_workbook(xlsx["Head of Service"], tmp / "foreign.xlsx", stranger)
    with pytest.raises(InputError, match=r"row 4: 2.1.1.1 is not one of the actions 'Head of Service'"):
        collect(db, foreign)
    ended = fill_workbook(xlsx["Head of Service"], tmp / "late.xlsx", lambda ws: ws.cell(4, 8, "Late"))
    end_round(db)
    with pytest.raises(InputError, match="update round 1, which has ended"):
        collect(db, ended)
    other = open_database(tmp / "other.db")
    load_document(other, mini_plan())
    start_round(other, due=date(2022, 11, 15), today=TODAY, author="Lead")
    with pytest.raises(InputError, match="a request of another plan or store"):
        collect(other, ended)
    other.close()


def test_dry_run_says_what_would_change_and_writes_nothing(rounds) -> None:
    db, xlsx, _, tmp = rounds
    path = fill_workbook(xlsx["Head of Service"], tmp / "hos.xlsx", lambda ws: ws.cell(4, 7, "Off track"))
    before = states(db)
    result = collect(db, path, dry_run=True)
    assert [(a.ref, a.fields) for a in result.applied] == [
        ("1.1.1.3", (("status", "on_track", "off_track"),))
    ]
    assert states(db) == before and not round_detail(db).request_of(result.lead.id).returns
    assert collect(db, path).already is None  # a dry run did not count as collecting it
