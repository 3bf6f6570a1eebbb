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
import zipfile
from pathlib import Path

import openpyxl
import pytest
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


def plan_workbook(extra_sheet: bool = False) -> bytes:
    """A small, honest plan workbook: a header, two actions, a merged lead, a filled cell."""
    book = openpyxl.Workbook()
    ws = book.active
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
        ("far-cell", lambda: patched(plan_workbook(), SHEET1, add_rows(FAR_CELL)), "row 1,048,576"),
        ("wide-cell", lambda: patched(plan_workbook(), SHEET1, add_rows(WIDE_CELL)), "column XFD"),
        ("styled-empty-rows", lambda: patched(plan_workbook(), SHEET1, styled_empty_rows), None),
        (
            "hostile-other-sheet",
            lambda: patched(plan_workbook(extra_sheet=True), SHEET2, add_rows(FAR_CELL)),
            None,
        ),
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
        assert_one_line(dry, str(path), refused, "plantui reads sheets of up to")
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
    from plantui.io.table_sheets import read_sheet

    path = tmp_path / "extent.xlsx"
    path.write_bytes(patched(plan_workbook(), SHEET1, add_rows(WIDE_CELL.replace("XFD5", "E5"))))
    sheet = read_sheet(path)
    assert len(sheet.rows) == 5  # the last row with data, not the million rows declared
    assert sheet.rows[2][2] == "HR Lead" and (2, 2) in sheet.merged
    assert sheet.fills == {}  # the only fill is on a row with no data
    assert sheet.others == []
