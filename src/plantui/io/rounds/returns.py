"""Reading the update round's returns however the officers treated them.

A return is a request file sent back: as a workbook, a CSV saved from Excel (with a byte-order mark,
`;` between cells, Windows-1252), under another name, with the sheet renamed, rows reordered or
deleted, columns added, status words typed instead of picked. The file is read through
`plantui.io.spreadsheets.sheets` (its limits and one-line refusals: not a spreadsheet, an empty or
broken file); the round and lead come from the mark line the request carries
(`plantui.io.rounds.requests.MARK_PATTERN`), the columns from their headings, each row by its ref.
Status words are read as the importer reads them (`plantui.domain.status_reader`), milestones as
labels plantui can date. Every row is checked before anything is applied, and every problem is one
line naming the file, sheet, row and column.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from plantui.domain.errors import InputError
from plantui.domain.milestones import parse_milestone, tidy_label
from plantui.domain.refs import is_ref
from plantui.domain.status_reader import StatusReader
from plantui.domain.statuses import STATUSES
from plantui.domain.text import visible
from plantui.io.rounds.requests import MARK_PATTERN, RETURN_MARK
from plantui.io.spreadsheets.cells import unescape, unguard_formula
from plantui.io.spreadsheets.columns import HEADER_SEARCH_ROWS, column_letter, header_key
from plantui.io.spreadsheets.rows import cell_text
from plantui.io.spreadsheets.sheets import Cell, Sheet, decode_text, read_sheet, restore_as_written
from plantui.store.returns import ReturnUpdate

# Headings people give each column (compared as `header_key` compares them).
_COLUMN_NAMES = {
    "ref": ("ref", "action ref", "reference", "ref no", "no", "action no"),
    "status": ("new status", "status new", "updated status", "new rag", "new rag status", "your status"),
    "note": ("commentary", "new commentary", "update", "comment", "comments", "your commentary", "progress"),
    "milestone": ("revised milestone", "new milestone", "revised date", "revised due date", "new due date"),
}
_KEYS = {header_key(name): field for field, names in _COLUMN_NAMES.items() for name in names}
_LABELS = {"ref": "Ref", "status": "New status", "note": "Commentary", "milestone": "Revised milestone"}


@dataclass(frozen=True, slots=True)
class ReturnFile:
    """A return read and checked: which round and lead it answers, and what it asks for."""

    path: Path
    where: str  # the file (and sheet) as messages name it
    token: str
    officer_id: int
    role: str | None  # the lead's role as the mark line names it (None: cut from the line)
    digest: str  # SHA-256 of the file's bytes: the same file is collected once
    updates: tuple[ReturnUpdate, ...]


# What follows the mark's token and number: ": round 3 - <role>" (`requests.mark_line`).
_ROLE_PATTERN = re.compile(r": round \d+ - (.+)")


def _mark(rows: Sequence[Sequence[Cell]]) -> tuple[str, int, int, str | None] | None:
    """(token, lead number, row index, lead's role) of the request's mark line among the top rows."""
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        for cell in cells:
            if isinstance(cell, str) and (found := MARK_PATTERN.search(cell)):
                named = _ROLE_PATTERN.match(cell, found.end())
                role = named.group(1).strip() if named is not None else None
                return found.group(1), int(found.group(2)), index, role or None
    return None


def _header(rows: Sequence[Sequence[Cell]], start: int) -> tuple[int, dict[str, int]] | None:
    """(row index, {field: column}) of the first row below `start` headed Ref and a fill-in column."""
    for index in range(start, min(len(rows), start + HEADER_SEARCH_ROWS)):
        columns: dict[str, int] = {}
        for column, cell in enumerate(rows[index]):
            field = _KEYS.get(header_key(cell)) if isinstance(cell, str) else None
            if field is not None and field not in columns:
                columns[field] = column
        if "ref" in columns and len(columns) > 1:
            return index, columns
    return None


def _csv_rows(path: Path, delimiter: str) -> list[list[Cell]]:
    """A CSV file (already read once within the sheet limits) read again with `delimiter`."""
    text, _ = decode_text(path, path.read_bytes())
    return [
        [unescape(unguard_formula(value.strip())) if value.strip() else None for value in record]
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ]


def read_return(path: str | Path) -> ReturnFile:
    """Read one return, or raise `InputError` with one line per problem in it (nothing is applied)."""
    path = Path(path)
    sheet = read_sheet(path, first_with=lambda top: _mark(top.rows) is not None)
    where = sheet.where()
    restore_as_written(sheet)  # a CSV's formula guard and escapes undone, as plantui wrote them
    mark = _mark(sheet.rows)
    if mark is None:
        raise InputError(
            f"{where}: not a return of an update request: no '{RETURN_MARK} …' line in the first "
            f"{HEADER_SEARCH_ROWS} rows (keep the first line of the request)"
        )
    token, officer_id, mark_row, role = mark
    header = _header(sheet.rows, mark_row + 1)
    if header is None and sheet.name is None:
        # A CSV whose cells Excel parted with ";" or a tab, too short for the reader to guess that.
        for delimiter in (";", "\t"):
            rows = _csv_rows(sheet.path, delimiter)
            header = _header(rows, mark_row + 1)
            if header is not None:
                sheet.rows = rows
                break
    if header is None:
        raise InputError(
            f"{where}: no heading row with Ref and one of New status, Commentary, Revised milestone"
        )
    header_row, columns = header
    updates, problems = _updates(sheet, header_row, columns)
    if problems:
        raise InputError("\n".join(problems))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return ReturnFile(path, where, token, officer_id, role, digest, tuple(updates))


def _updates(sheet: Sheet, header_row: int, columns: dict[str, int]) -> tuple[list[ReturnUpdate], list[str]]:
    where = sheet.where()
    reader = StatusReader()
    choices = ", ".join(s.short for s in STATUSES)
    updates: list[ReturnUpdate] = []
    problems: list[str] = []
    seen: dict[str, int] = {}

    def place(row: int, field: str) -> str:
        return f"{where}: row {row}, column {column_letter(columns[field])} ({_LABELS[field]})"

    def text_of(cells: Sequence[Cell], field: str) -> str:
        column = columns.get(field)
        if column is None or column >= len(cells):
            return ""
        return cell_text(cells[column]).replace("\r\n", "\n").strip()

    for index in range(header_row + 1, len(sheet.rows)):
        cells = sheet.rows[index]
        row = index + 1
        ref = text_of(cells, "ref").rstrip(".")
        status_words = text_of(cells, "status")
        note = text_of(cells, "note")
        label = tidy_label(text_of(cells, "milestone"))
        if not (status_words or note or label):
            continue  # nothing filled in: nothing to do, whatever the row holds
        if not ref:
            problems.append(f"{place(row, 'ref')}: no ref, so the update in this row cannot be matched")
            continue
        if not is_ref(ref):
            problems.append(f"{place(row, 'ref')}: {visible(ref)!r} is not a ref like 1.2.3.4")
            continue
        if ref in seen:
            problems.append(f"{place(row, 'ref')}: {ref} is also on row {seen[ref]}: keep one row per action")
            continue
        seen[ref] = row
        code = None
        if status_words:
            code = reader.code_for(status_words)
            if code is None:
                problems.append(
                    f"{place(row, 'status')}: {visible(status_words)!r} is not a status: use one of {choices}"
                )
        if label:
            try:
                parse_milestone(label)
            except InputError as error:
                problems.append(f"{place(row, 'milestone')}: {error}")
        updates.append(ReturnUpdate(ref, code, label or None, note, f"{where}: row {row}"))
    return updates, problems
