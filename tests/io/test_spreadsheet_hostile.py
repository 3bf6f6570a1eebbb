"""Hostile spreadsheets and hostile plan text through spreadsheets.

Workbooks built byte by byte to claim or hold far more than a plan (a declared extent of the whole
sheet, a cell at XFD1048576, a million styled empty cells) are imported by the real `plantui` in a
process with a memory limit and a timeout: each gives a correct import or one line and a non-zero
exit, never a traceback. Plan text that Excel would run as a formula, or that would drive a terminal,
is exported safely and reads back exactly.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.styles import PatternFill

MEMORY_LIMIT = 1024 * 1024 * 1024  # address space for the whole plantui process
TIMEOUT = 60


def _limit_memory() -> None:  # runs in the child, before plantui starts (POSIX only, tests only)
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def plantui_limited(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "plantui", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=_limit_memory if sys.platform != "win32" else None,
        check=False,
    )


def plan_workbook(extra_sheet: bool = False, covers: int = 0) -> bytes:
    """A small, honest plan workbook: a header, two actions, a merged lead, a filled cell; after
    `covers` sheets of plain text, and before an `extra_sheet` of notes."""
    book = openpyxl.Workbook()
    for number in range(covers):
        cover = book.active if number == 0 else book.create_sheet()
        cover.title = f"Cover {number + 1}"
        cover.append(["Children's Services Improvement Plan"])
    ws = book.create_sheet() if covers else book.active
    ws.title = "Plan"
    ws.append(["Ref", "Action", "Lead", "Status"])
    ws.append(["1.1.1.1", "Write the workforce strategy", "HR Lead", "green"])
    ws.append(["1.1.1.2", "Recruit senior leaders", None, "amber"])
    ws.merge_cells("C2:C3")
    ws["F9"].fill = PatternFill("solid", fgColor="FF0000")  # gives the sheet a style to reuse below
    if extra_sheet:
        book.create_sheet("Notes").append(["scratch"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def patched(data: bytes, part: str, edit) -> bytes:
    """The workbook `data` with the XML of `part` rewritten by `edit` (text -> text)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for member in source.infolist():
            body = source.read(member.filename)
            if member.filename == part:
                body = edit(body.decode("utf-8")).encode("utf-8")
            target.writestr(member.filename, body)
    return out.getvalue()


def whole_sheet_extent(xml: str) -> str:
    return re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)


def add_rows(rows: str):
    return lambda xml: whole_sheet_extent(xml).replace("</sheetData>", rows + "</sheetData>")


def styled_empty_rows(xml: str, count: int = 100_000) -> str:
    """Rows 10 onwards: styled, tall, empty, each reaching column XFD (as formatting a whole sheet can)."""
    style = re.search(r'<c r="F9" s="(\d+)"', xml).group(1)
    rows = "".join(
        f'<row r="{n}" ht="20" customHeight="1"><c r="A{n}" s="{style}"/><c r="XFD{n}" s="{style}"/></row>'
        for n in range(10, 10 + count)
    )
    return add_rows(rows)(xml)


def with_part(data: bytes, part: str, body: bytes) -> bytes:
    """The workbook `data` with one more part (as a workbook can carry parts nothing lists)."""
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        target.writestr(part, body)
    return out.getvalue()


def padded(xml: str) -> str:
    """The sheet's XML grown past the 64 MB plantui reads, by a comment that packs to next to nothing."""
    return xml.replace("<sheetData>", "<!--" + " " * (65 * 2**20) + "--><sheetData>", 1)


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{("&lol" + str(n - 1 or "") + ";") * 10}">' for n in range(1, 10))
    + "]>"
)


def entity_expansion(xml: str) -> str:
    body = xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml
    return LAUGHS + body.replace("<t>Do", "<t>&lol9;Do", 1).replace(
        "Write the workforce strategy", "&lol9;", 1
    )


FAR_CELL = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
WIDE_CELL = '<row r="5"><c r="XFD5" t="inlineStr"><is><t>x</t></is></c></row>'
SHEET1 = "xl/worksheets/sheet1.xml"
SHEET2 = "xl/worksheets/sheet2.xml"


def assert_one_line(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr and "Error" not in result.stderr.split(":")[0]
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("plantui: "), result.stderr[-2000:]
    for word in words:
        assert word in lines[0]


def assert_imported(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert "2 actions" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "build", "refused"),
    [
        ("declared-extent", lambda: patched(plan_workbook(), SHEET1, whole_sheet_extent), None),
        ("far-cell", lambda: patched(plan_workbook(), SHEET1, add_rows(FAR_CELL)), "row 1,048,576: plantui"),
        ("wide-cell", lambda: patched(plan_workbook(), SHEET1, add_rows(WIDE_CELL)), "column XFD (column"),
        ("styled-empty-rows", lambda: patched(plan_workbook(), SHEET1, styled_empty_rows), None),
        (
            "hostile-other-sheet",
            lambda: patched(plan_workbook(extra_sheet=True), SHEET2, add_rows(FAR_CELL)),
            None,
        ),
        (
            "hostile-cover-sheet",  # passed over for the plan: only its top rows are looked at
            lambda: patched(plan_workbook(covers=2), SHEET2, add_rows(FAR_CELL)),
            None,
        ),
        (
            "sheet-bomb",
            lambda: patched(plan_workbook(), SHEET1, padded),
            "plantui reads sheets of up to 64 MB",
        ),
        (
            "strings-bomb",
            lambda: with_part(
                plan_workbook(), "xl/sharedStrings.xml", b"<si><t>a</t></si>" * (4 * 2**20 + 1)
            ),
            "plantui reads parts of up to 64 MB",
        ),
        ("entity-expansion", lambda: patched(plan_workbook(), SHEET1, entity_expansion), "not a readable"),
    ],
)
def test_a_hostile_workbook_imports_or_is_refused_in_bounded_memory(
    tmp_path: Path, name: str, build, refused: str | None
) -> None:
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(build())
    db = tmp_path / "plan.db"
    dry = plantui_limited("--db", str(db), "import", str(path), "--dry-run")
    if refused:
        assert_one_line(dry, str(path), refused)
        assert not db.exists()
        return
    assert "Traceback" not in dry.stderr and dry.returncode == 0, dry.stderr[-2000:]
    result = plantui_limited("--db", str(db), "import", str(path))
    assert_imported(result)
    listed = json.loads(plantui_limited("--db", str(db), "list", "--json").stdout)
    assert [(row["ref"], row["leads"]) for row in listed] == [
        ("1.1.1.1", ["HR Lead"]),
        ("1.1.1.2", ["HR Lead"]),
    ]


def test_the_declared_extent_is_not_trusted_and_merges_are_still_read(tmp_path: Path) -> None:
    from plantui.io.spreadsheets.sheets import read_sheet

    path = tmp_path / "extent.xlsx"
    path.write_bytes(patched(plan_workbook(), SHEET1, add_rows(WIDE_CELL.replace("XFD5", "E5"))))
    sheet = read_sheet(path)
    assert len(sheet.rows) == 5  # the last row with data, not the million rows declared
    assert sheet.rows[2][2] == "HR Lead" and (2, 2) in sheet.merged
    assert sheet.fills == {}  # the only fill is on a row with no data
    assert sheet.others == []


# --- hostile text through spreadsheets ----------------------------------------------------------------

# Cells Excel would run as formulas (OWASP's list), and text that only looks like plantui's own guard
# or escapes.
FORMULA_TEXTS = [
    "=1+2",
    '=HYPERLINK("http://example.invalid","click")',
    "+44 151 000 0000",
    "-5 posts",
    "@SUM(A1:A2)",
    "\tindented",
    "\rreturn first",
    "'=already quoted",
    "''",
    "'plain apostrophe",
    "_x001B_ typed as text",
    "_x005F_x0041_",
    "  spaces at both ends  ",
]


def hostile_table_plan():
    """The hostile plan (every text field hostile) with formula-like text, an empty theme, an empty
    area and an empty objective."""
    from plantui.domain.document import AreaDoc, ObjectiveDoc, ThemeDoc
    from tests.faults.hostile_text import hostile_plan

    document = hostile_plan()
    texts = iter(FORMULA_TEXTS * 4)
    for action in document.actions():
        action.title = next(texts)
        action.leads = [*action.leads, next(texts)]
        action.success_measures = next(texts)
    document.themes[0].areas.append(AreaDoc("1.3", "=cmd|' /C calc'!A0"))
    document.themes[1].areas[0].objectives.append(ObjectiveDoc("2.1.2", "\x1b[2J\rcleared"))
    document.themes.append(ThemeDoc("3", "@Theme with nothing yet\x9b"))
    return document


def table_view(document, *, findings: bool = True) -> list[tuple]:
    """Everything a spreadsheet export holds of a plan document."""
    out: list[tuple] = []
    for theme in document.themes:
        out.append(("theme", theme.ref, theme.title))
        for area in theme.areas:
            out.append(("area", area.ref, area.title))
            for objective in area.objectives:
                out.append(("objective", objective.ref, objective.text))
                for a in objective.actions:
                    leads = tuple(a.leads)
                    out.append((a.ref, a.title, a.success_measures, leads, a.rag, a.milestone, a.due))
                    out.append((a.ref, a.baseline, a.baseline_due, a.detailed_plan))
    if findings:
        out += [(f.source, f.text, tuple(f.refs)) for f in document.findings]
    return out


def plan_db(tmp_path: Path, document, name: str = "first.db") -> Path:
    from plantui.store.changes import add_note
    from plantui.store.opening import open_database
    from plantui.store.plans import load_document

    path = tmp_path / name
    database = open_database(path)
    load_document(database, document)
    if document.actions():
        add_note(database, document.actions()[0].ref, "=2+2\x1b[31m\r\nnote", author="Ann")
    database.close()
    return path


def dumped(path: Path):
    from plantui.store.opening import open_database
    from plantui.store.plans import dump_document

    database = open_database(path)
    try:
        return dump_document(database)
    finally:
        database.close()


def cli(*args: str, code: int = 0):
    from click.testing import CliRunner

    from plantui.cli.main import cli as plantui

    result = CliRunner().invoke(plantui, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output + result.stderr
    return result


def sample_plan():
    from plantui.io.sample import load_sample

    return load_sample()


@pytest.mark.parametrize("plan", [sample_plan, hostile_table_plan], ids=["sample", "hostile"])
def test_an_xlsx_round_trip_gives_back_the_same_plan(tmp_path: Path, plan) -> None:
    first_db = plan_db(tmp_path, plan())
    first = tmp_path / "first.xlsx"
    cli("--db", str(first_db), "export", "-o", str(first))
    again_db = tmp_path / "again.db"
    cli("--db", str(again_db), "import", str(first))
    original, again = dumped(first_db), dumped(again_db)
    assert table_view(again) == table_view(original)  # empty parts kept, every character exact
    assert again.title == original.title.strip()
    second = tmp_path / "second.xlsx"
    cli("--db", str(again_db), "export", "-o", str(second))
    for name in ("Actions", "Findings"):
        assert sheet_values(second, name) == sheet_values(first, name)


def sheet_values(path: Path, name: str) -> list[tuple]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(book[name].iter_rows(values_only=True))
    finally:
        book.close()


@pytest.mark.parametrize("plan", [sample_plan, hostile_table_plan], ids=["sample", "hostile"])
def test_a_csv_round_trip_gives_back_the_same_plan_and_bytes(tmp_path: Path, plan) -> None:
    first_db = plan_db(tmp_path, plan())
    first = tmp_path / "first.csv"
    cli("--db", str(first_db), "export", "-o", str(first))
    again_db = tmp_path / "again.db"
    cli("--db", str(again_db), "import", str(first))
    assert table_view(dumped(again_db), findings=False) == table_view(dumped(first_db), findings=False)
    second = tmp_path / "second.csv"
    cli("--db", str(again_db), "export", "-o", str(second))
    assert second.read_bytes() == first.read_bytes()


def test_csv_cells_never_start_like_a_formula_and_read_back_exactly(tmp_path: Path) -> None:
    import csv

    first_db = plan_db(tmp_path, hostile_table_plan())
    path = tmp_path / "plan.csv"
    cli("--db", str(first_db), "export", "-o", str(path))
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell[:1] in {"=", "+", "-", "@", "\t", "\r"}]
    titles = [action.title for action in hostile_table_plan().actions()]
    guarded = [title for title in titles if title[0] in "=+-@\t\r" or title[:2] in ("'=", "''")]
    assert guarded and all("'" + title in cells for title in guarded)  # OWASP: a leading apostrophe
    assert all(title in cells for title in titles if title not in guarded)
    from plantui.io.spreadsheets.importer import read_table

    assert [action.title for action in read_table(path).document.actions()] == titles


def test_a_workbook_never_holds_a_formula_from_plan_text(tmp_path: Path) -> None:
    first_db = plan_db(tmp_path, hostile_table_plan())
    path = tmp_path / "plan.xlsx"
    cli("--db", str(first_db), "export", "-o", str(path))
    with zipfile.ZipFile(path) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            xml = archive.read(name).decode("utf-8")
            assert "<f>" not in xml and "<f " not in xml, name
            assert "\x1b" not in xml
        actions = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
        assert "_x001B_[31mred_x001B_[0m" in actions  # ESC as Excel itself escapes it
    book = openpyxl.load_workbook(path)
    text_cells = [c for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert {c.data_type for c in text_cells} == {"s"}
    assert any(c.value.startswith("=") for c in text_cells)


def unsafe_characters(output: str) -> list[str]:
    """Characters that would reach a terminal raw and could drive it (as in test_hostile_input)."""
    return [
        c for c in output if c != "\n" and unicodedata.category(c) in {"Cc", "Cf"} and c not in "\u200d\u200c"
    ]


def test_csv_on_stdout_holds_no_control_character_and_reads_back_exactly(tmp_path: Path) -> None:
    first_db = plan_db(tmp_path, hostile_table_plan())
    result = subprocess.run(
        [sys.executable, "-m", "plantui", "--db", str(first_db), "export", "--format", "csv"],
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("utf-8")
    assert not text.startswith("\ufeff")
    assert unsafe_characters(text) == []  # no ESC, BEL, CSI, C1, bidi override reaches the terminal
    assert "_x001B_[31mred_x001B_[0m" in text and "_x202E_evil" in text
    piped = tmp_path / "piped.csv"
    piped.write_bytes(result.stdout)
    again_db = tmp_path / "again.db"
    cli("--db", str(again_db), "import", str(piped))
    assert table_view(dumped(again_db), findings=False) == table_view(dumped(first_db), findings=False)
    assert cli("--db", str(again_db), "export", "--format", "csv").stdout == text


@pytest.mark.slow
def test_csv_export_into_a_closed_pipe_or_a_full_disk_is_one_line(tmp_path: Path) -> None:
    first_db = plan_db(tmp_path, sample_plan())
    export = [sys.executable, "-m", "plantui", "--db", str(first_db), "export", "--format", "csv"]
    with subprocess.Popen(export, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout.read(10) == b"Theme ref,"
        process.stdout.close()  # like `| head -c 10`
        stderr = process.stderr.read()
        assert process.wait(timeout=TIMEOUT) == 0
    assert b"Traceback" not in stderr
    if Path("/dev/full").exists():
        with open("/dev/full", "wb") as full:
            result = subprocess.run(export, stdout=full, stderr=subprocess.PIPE, check=False, timeout=TIMEOUT)
        lines = result.stderr.decode().splitlines()
        assert result.returncode != 0 and len(lines) == 1 and "disk is full" in lines[0], lines


# --- properties: any text survives every way out and back in ----------------------------------------

any_text = st.text(min_size=1, max_size=60).filter(lambda t: t.strip() != "")
QUICK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@given(st.text())
def test_escapes_and_the_formula_guard_undo_exactly(text: str) -> None:
    from plantui.io.spreadsheets.cells import (
        escape_for_file,
        escape_for_terminal,
        escape_for_xml,
        guard_formula,
        unescape,
        unguard_formula,
    )

    assert unescape(escape_for_xml(text)) == text
    assert unescape(escape_for_terminal(text)) == text
    assert unescape(escape_for_file(text)) == text
    assert unguard_formula(guard_formula(text)) == text
    assert guard_formula(text)[:1] not in {"=", "+", "-", "@", "\t", "\r"}
    assert unsafe_characters(escape_for_terminal(text)) == []
    assert not re.search("[\x00-\x08\x0b-\x1f\ufffe\uffff]", escape_for_xml(text))


@QUICK
@given(
    title=any_text,
    measures=any_text,
    lead=any_text.filter(lambda t: "; " not in t),
    fmt=st.sampled_from(["csv", "terminal", "xlsx"]),
)
def test_any_text_reads_back_exactly_from_every_export(tmp_path: Path, title, measures, lead, fmt) -> None:
    from plantui.io.spreadsheets.exporter import PlanTables, csv_bytes, workbook_bytes
    from plantui.io.spreadsheets.importer import read_table

    row = ["1", "Theme", "1.1", "Area", "1.1.1", "Objective", "1.1.1.1", title, measures, lead]
    row += ["on_track", "● On track", "June 2023", None, "June 2023", "", title, None, ""]
    tables = PlanTables(title, [row], ["on_track"], [], [], [row], ["on_track"])
    if fmt == "xlsx":
        path = tmp_path / "plan.xlsx"
        path.write_bytes(workbook_bytes(tables))
    else:
        path = tmp_path / "plan.csv"
        path.write_bytes(csv_bytes(tables, bom=fmt == "csv", for_terminal=fmt == "terminal"))
    (action,) = read_table(path).document.actions()
    assert (action.title, action.success_measures, action.leads, action.detailed_plan) == (
        title,
        measures,
        [lead],
        title,
    )
