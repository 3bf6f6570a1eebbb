"""Turning a spreadsheet of actions into a `PlanDocument`, however the sheet was laid out.

`read_table` reads the file (`plantui.io.spreadsheets.sheets`), finds the header row by its names
(`plantui.io.spreadsheets.columns`), reads the rows under it (`plantui.io.spreadsheets.rows`) and any Findings
sheet (`plantui.io.spreadsheets.findings`). Status words are read tolerantly; every problem names the
file, sheet, row and column, and nothing is returned until there are none. What it returns is
checked and ready for `plantui.store.plans.load_document`, which writes it in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from plantui.domain.document import PlanDocument
from plantui.domain.errors import InputError
from plantui.io.spreadsheets.columns import column_letter, find_header, missing_overrides
from plantui.io.spreadsheets.findings import read_findings
from plantui.io.spreadsheets.people import read_people
from plantui.io.spreadsheets.rows import ImportSettings, RowReader
from plantui.io.spreadsheets.sheets import Sheet, read_sheet, restore_as_written

__all__ = ["ImportSettings", "ImportedRow", "TableImport", "read_table"]


@dataclass(frozen=True, slots=True)
class ImportedRow:
    row: int  # as numbered in the spreadsheet
    ref: str
    title: str
    status: str
    milestone: str
    leads: tuple[str, ...]


@dataclass
class TableImport:
    document: PlanDocument
    source: str  # "plan.xlsx, sheet 'Plan'"
    header_row: int  # as numbered in the spreadsheet
    columns: list[tuple[str, str, str]]  # (column letter, header as written, field key)
    rows: list[ImportedRow]
    warnings: list[str]


class UnreadableRows(InputError):
    """Rows that cannot be imported, found once the header row was read: the problems, and how the
    columns were read (so `import --dry-run` can show the mapping beside the problems)."""

    def __init__(self, message: str, *, source: str, header_row: int, columns: list[tuple[str, str, str]]):
        super().__init__(message)
        self.source = source
        self.header_row = header_row
        self.columns = columns


def _plan_title(sheet: Sheet, header_row: int) -> str:
    for cells in sheet.rows[:header_row]:
        for cell in cells:
            if isinstance(cell, str) and cell.strip():
                return " ".join(cell.split())
    if sheet.title:
        return sheet.title
    stem = re.sub(r"[_-]+", " ", sheet.path.stem).strip()
    return stem[:1].upper() + stem[1:] if stem else "Imported plan"


def _header_problem(sheet: Sheet, settings: ImportSettings) -> InputError:
    if not any(any(cell is not None for cell in row) for row in sheet.rows):
        return InputError(f"{sheet.where()}: the {'sheet' if sheet.name is not None else 'file'} is empty")
    hint = (
        "a header row names the action column (Action, Actions, What, Actions we are taking) and at "
        "least one other (Ref, Lead, Milestone, Status...)"
    )
    if settings.columns:
        hint = "no row in the top 30 holds the headers named by --column"
    return InputError(
        f"{sheet.where()}: no header row found in the first 30 rows: {hint}; "
        "or name one with --column action=HEADER"
    )


def read_table(path: str | Path, settings: ImportSettings | None = None) -> TableImport:
    """Read a .csv or .xlsx file of actions into a plan, or raise `InputError` listing every problem."""
    settings = settings or ImportSettings()
    path = Path(path)
    # Without --sheet, the first sheet may be a cover page: take the first sheet that has a header row.
    sheet = read_sheet(
        path, settings.sheet, first_with=lambda top: find_header(top.rows, settings.columns) is not None
    )
    header = find_header(sheet.rows, settings.columns)
    if header is None:
        raise _header_problem(sheet, settings)
    missing = missing_overrides(header, settings.columns)
    if missing:
        headers = ", ".join(repr(h) for h in header.headers if h)
        raise InputError(
            "\n".join(
                f"{sheet.where()}: row {header.header_row + 1}: --column {key}: no column headed like "
                f"{settings.columns[key]!r} (the headers are {headers})"
                for key in missing
            )
        )
    if header.is_plantui_export:
        restore_as_written(sheet)
    columns = sorted(
        ((column_letter(column), header.header_of(column), key) for key, column in header.columns.items()),
        key=lambda item: (len(item[0]), item[0]),
    )
    source = f"{path}, sheet {sheet.name!r}" if sheet.name is not None else str(path)
    reader = RowReader(sheet, header, settings)
    try:
        reader.read()
        reader.problems.raise_if_any(sheet.where())
        document = reader.finish(_plan_title(sheet, header.header_row))
        if not document.actions():
            raise InputError(
                f"{sheet.where()}: no actions below the header on row {header.header_row + 1}"
                + ("" if settings.sheet else ": is it the right sheet? (--sheet NAME)")
            )
    except UnreadableRows:
        raise
    except InputError as error:
        header_row = header.header_row + 1
        raise UnreadableRows(str(error), source=source, header_row=header_row, columns=columns) from None
    findings, finding_notes = read_findings(sheet, as_written=header.is_plantui_export)
    document.findings = findings
    roles = {name for action in document.actions() for name in action.leads}
    document.people, people_notes = read_people(sheet, roles, as_written=header.is_plantui_export)
    warnings = list(sheet.notices)
    for field_key, used, ignored in header.duplicates:
        warnings.append(
            f"{sheet.where()}: column {column_letter(ignored)} ({header.header_of(ignored)!r}) "
            f"also looks like {field_key}; column {column_letter(used)} ({header.header_of(used)!r}) "
            "was used "
            f"(choose with --column {field_key}=HEADER)"
        )
    if header.unused:
        listed = ", ".join(f"{column_letter(c)} ({header.header_of(c)!r})" for c in header.unused)
        warnings.append(f"{sheet.where()}: columns not imported: {listed}")
    warnings.extend(reader.summary_warnings())
    warnings.extend(finding_notes)
    warnings.extend(people_notes)
    rows = [
        ImportedRow(
            reader.action_rows[id(action)],
            action.ref,
            action.title,
            action.rag,
            action.milestone,
            tuple(action.leads),
        )
        for action in document.actions()
    ]
    rows.sort(key=lambda r: r.row)
    return TableImport(document, source, header.header_row + 1, columns, rows, warnings)
