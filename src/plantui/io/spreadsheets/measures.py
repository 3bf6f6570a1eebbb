"""Reading measure values from a council's scorecard, CSV or XLSX, in either shape it is kept in.

Long: one row per value, with a measure column, a period column and a value column (and a note, if
any). Wide: one row per measure, one column per month or quarter, headed as councils head them:
"Oct-22", "October 2022", a date, "2022-Q3", "Q3 22/23", "2022/23 Q3" (financial-year quarters: Q1
is April to June; see `plantui.domain.measures.read_period`). The header row is found as the action
import finds its own (`read_sheet`, `header_key`), anywhere in the top rows; plantui's own Measures
sheet reads back. Every problem is one line naming the file, sheet, row and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plantui.domain.errors import InputError
from plantui.domain.measures import is_measure_ref, read_period
from plantui.domain.text import visible
from plantui.io.spreadsheets.columns import HEADER_SEARCH_ROWS, column_letter, header_key
from plantui.io.spreadsheets.rows import cell_text
from plantui.io.spreadsheets.sheets import Cell, Sheet, read_sheet
from plantui.store.measures import ValueToRecord

# Header names, compared as `header_key` does (lower-case letters and digits), best first.
_MEASURE_NAMES = ("measureref", "ref", "code", "kpiref", "piref", "measure", "kpi", "indicator", "pi")
_PERIOD_NAMES = ("period", "month", "quarter", "date")
_VALUE_NAMES = ("value", "actual", "result", "figure", "outturn")
_NOTE_NAMES = ("note", "notes", "commentary", "comment")
_BLANK_WORDS = frozenset({"", "-", "–", "n/a", "na", "tbc", "nd", "no data"})


@dataclass(frozen=True, slots=True)
class ScorecardValues:
    source: str  # "scorecard.xlsx: sheet 'KPIs'"
    shape: str  # "long" or "wide"
    header_row: int  # as numbered in the spreadsheet
    values: list[ValueToRecord]


def _find(keys: list[str], names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in keys:
            return keys.index(name)
    return None


def _layout(cells: list[Cell]) -> tuple[str, dict[str, int | None], dict[int, str]] | None:
    """The shape a header row says, its columns, and (wide) the period of each period column."""
    keys = [header_key(cell) if isinstance(cell, str) else "" for cell in cells]
    measure = _find(keys, _MEASURE_NAMES)
    if measure is None:
        return None
    period, value = _find(keys, _PERIOD_NAMES), _find(keys, _VALUE_NAMES)
    if period is not None and value is not None:
        return (
            "long",
            {"measure": measure, "period": period, "value": value, "note": _find(keys, _NOTE_NAMES)},
            {},
        )
    periods = {
        index: found for index, cell in enumerate(cells) if index != measure and (found := read_period(cell))
    }
    if periods:
        return "wide", {"measure": measure}, periods
    return None


def _looks_like_scorecard(sheet: Sheet) -> bool:
    return any(_layout(cells) for cells in sheet.rows[:HEADER_SEARCH_ROWS])


def _number(cell: Cell, place: str) -> float | None:
    text = cell_text(cell).strip()
    if text.lower() in _BLANK_WORDS:
        return None
    cleaned = text.rstrip("%").replace(",", "").strip()
    try:
        value = float(cleaned)
    except ValueError:
        raise InputError(f"{place}: {visible(text)!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InputError(f"{place}: {visible(text)!r} is not a finite number")
    return value


def read_scorecard(path: Path, sheet_name: str | None = None) -> ScorecardValues:
    """Every value a scorecard holds, in row order (and, wide, column order)."""
    sheet = read_sheet(path, sheet_name, first_with=_looks_like_scorecard if sheet_name is None else None)
    where = sheet.where()
    for index, cells in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        found = _layout(cells)
        if found is None:
            continue
        shape, columns, periods = found
        headers = {column: cell_text(cells[column]) for column in range(len(cells))}

        def place(row: int, column: int, headers=headers) -> str:
            header = visible(headers.get(column, ""))
            return f"{where}, row {row + 1}, column {column_letter(column)}" + (
                f" ({header})" if header else ""
            )

        values: list[ValueToRecord] = []
        for row in range(index + 1, len(sheet.rows)):
            below = sheet.rows[row]

            def cell(column: int | None, cells=below) -> Cell:
                return cells[column] if column is not None and column < len(cells) else None

            ref = cell_text(cell(columns["measure"])).strip()
            if not ref:
                continue
            ref = ref.split()[0]  # "M12 Re-referrals" names M12
            if not is_measure_ref(ref):
                raise InputError(
                    f"{place(row, columns['measure'])}: {visible(ref)!r} is not a measure ref like M12"
                )
            if shape == "long":
                period = read_period(cell(columns["period"]))
                if period is None:
                    text = visible(cell_text(cell(columns["period"])))
                    where_period = place(row, columns["period"])
                    raise InputError(
                        f"{where_period}: {text!r} is not a period like 2022-10, Oct-22 or Q3 22/23"
                    )
                value = _number(cell(columns["value"]), place(row, columns["value"]))
                if value is not None:
                    note = cell_text(cell(columns["note"])).strip()
                    values.append(ValueToRecord(ref, period, value, note, place(row, columns["value"])))
            else:
                for column, period in periods.items():
                    value = _number(cell(column), place(row, column))
                    if value is not None:
                        values.append(ValueToRecord(ref, period, value, "", place(row, column)))
        return ScorecardValues(where, shape, index + 1, values)
    raise InputError(
        f"{where}: no header row with a measure column (Measure, Ref, KPI) and either Period and Value "
        "columns, or a column per month or quarter (Oct-22, Q3 22/23) in its top rows"
    )
