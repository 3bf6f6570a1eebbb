"""Reading a CSV file or one sheet of an Excel workbook into rows of plain cell values.

Cells come back as text (trimmed), `datetime` (Excel date cells) or None (blank). A vertically
merged range is read as its value repeated down its first column, and every repeated cell is marked,
so the importer can tell a merge from a value typed again. Whatever is wrong with the file (missing,
corrupt, an old .xls, a strange encoding, no such sheet) is an `InputError` naming it.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from plantui.domain.errors import InputError, NotFoundError

Cell = str | datetime | None
CSV_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
_ZIP_MAGIC = b"PK\x03\x04"
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


@dataclass
class Sheet:
    path: Path
    name: str | None  # None for a CSV file, which has no sheets
    rows: list[list[Cell]]
    merged: set[tuple[int, int]] = field(default_factory=set)  # (row, column) cells repeated from a merge
    month_only: set[tuple[int, int]] = field(default_factory=set)  # date cells that show a month and year
    fills: dict[tuple[int, int], str] = field(default_factory=dict)  # solid cell fills, as RRGGBB
    notices: list[str] = field(default_factory=list)
    title: str = ""  # the workbook's own title property, if any
    others: dict[str, list[list[Cell]]] = field(default_factory=dict)  # the workbook's other sheets

    def where(self) -> str:
        return f"{self.path}: sheet {self.name!r}" if self.name is not None else str(self.path)


def read_sheet(path: Path, sheet: str | None = None) -> Sheet:
    """Read a .csv or .xlsx file; `sheet` picks a sheet of a workbook by name (any case)."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise InputError(f"{path}: an old-style .xls workbook: open it in Excel and save it as .xlsx")
    if suffix not in CSV_SUFFIXES | XLSX_SUFFIXES:
        raise InputError(
            f"{path}: cannot import a {suffix or 'file without an extension'}: use .csv or .xlsx"
        )
    if not path.exists():
        raise NotFoundError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a spreadsheet")
    if suffix in CSV_SUFFIXES:
        if sheet is not None:
            raise InputError(f"{path}: --sheet {sheet!r}: a CSV file has no sheets")
        return _read_csv(path)
    return _read_xlsx(path, sheet)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except PermissionError:
        raise InputError(f"{path}: cannot be read (permission denied)") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror or error})") from None


def decode_text(path: Path, raw: bytes) -> tuple[str, list[str]]:
    """CSV bytes as text: UTF-8 (with or without BOM), UTF-16 with a BOM, or Windows-1252."""
    if raw.startswith(_ZIP_MAGIC):
        raise InputError(f"{path}: this is an Excel workbook, not CSV text: rename it to .xlsx")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), []
        except UnicodeDecodeError as error:
            raise InputError(f"{path}: broken UTF-16 text (byte {error.start})") from None
    if b"\x00" in raw and (encoding := _utf16_without_bom(raw)):
        try:
            return raw.decode(encoding), []
        except UnicodeDecodeError:
            pass
    if b"\x00" in raw:
        raise InputError(f"{path}: not a text file (it holds NUL bytes): save it from Excel as 'CSV UTF-8'")
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        first_bad = error.start
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError(
            f"{path}: not UTF-8 text (byte {first_bad}) nor Windows-1252: save it from Excel as 'CSV UTF-8'"
        ) from None
    return text, [
        f"{path}: not UTF-8 (byte {first_bad}); read as Windows-1252, as Excel on Windows writes CSV"
    ]


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 text without its byte-order mark: mostly-Latin text leaves every other byte zero."""
    sample = raw[:4096]
    if len(sample) < 4:
        return None
    odd_zeros = sample[1::2].count(0) / len(sample[1::2])
    even_zeros = sample[0::2].count(0) / len(sample[0::2])
    if odd_zeros > 0.9 and even_zeros < 0.1:
        return "utf-16-le"
    if even_zeros > 0.9 and odd_zeros < 0.1:
        return "utf-16-be"
    return None


def _read_csv(path: Path) -> Sheet:
    text, notices = decode_text(path, _read_bytes(path))
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:16384], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows: list[list[Cell]] = []
    try:
        for record in reader:
            rows.append([_text_cell(value) for value in record])
    except csv.Error as error:
        raise InputError(f"{path}: line {reader.line_num}: not valid CSV ({error})") from None
    return Sheet(path, None, _trimmed(rows), notices=notices)


def _text_cell(value: str) -> str | None:
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return value or None


def _trimmed(rows: list[list[Cell]]) -> list[list[Cell]]:
    out = []
    for row in rows:
        end = len(row)
        while end and row[end - 1] is None:
            end -= 1
        out.append(row[:end])
    while out and not out[-1]:
        out.pop()
    return out


_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the container of .xls files and of password-protected workbooks


def _load_workbook(path: Path):
    import openpyxl

    with path.open("rb") as handle:
        if handle.read(4) == _OLE_MAGIC:
            raise InputError(
                f"{path}: a password-protected workbook or an old .xls file: open it in Excel and save a "
                "copy as .xlsx without a password"
            )

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and validations it drops
            return openpyxl.load_workbook(path, data_only=True)
    except PermissionError:
        raise InputError(f"{path}: cannot be read (permission denied)") from None
    except Exception as error:  # a corrupt workbook can fail anywhere inside openpyxl's parsers
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise InputError(f"{path}: not a readable Excel workbook ({reason[:120]})") from None


def sheet_names(path: Path) -> list[str]:
    return list(_load_workbook(path).sheetnames)


def _read_xlsx(path: Path, wanted: str | None) -> Sheet:
    book = _load_workbook(path)
    names = list(book.sheetnames)
    if wanted is not None:
        matches = [n for n in names if n == wanted] or [
            n for n in names if n.strip().lower() == wanted.strip().lower()
        ]
        if not matches:
            listed = ", ".join(repr(n) for n in names)
            raise InputError(f"{path}: no sheet named {wanted!r}: the sheets are {listed}")
        chosen = matches[0]
    else:
        chosen = names[0]
    sheets = {name: _worksheet_rows(book[name]) for name in names if hasattr(book[name], "iter_rows")}
    if chosen not in sheets:
        raise InputError(f"{path}: sheet {chosen!r} is a chart, not a table of cells")
    sheet = sheets.pop(chosen)
    sheet.path, sheet.name, sheet.title = path, chosen, (book.properties.title or "").strip()
    sheet.others = {name: other.rows for name, other in sheets.items()}
    return sheet


def _worksheet_rows(ws) -> Sheet:
    rows: list[list[Cell]] = []
    month_only: set[tuple[int, int]] = set()
    fills: dict[tuple[int, int], str] = {}
    for r, cells in enumerate(ws.iter_rows()):
        row: list[Cell] = []
        for c, cell in enumerate(cells):
            value = _xlsx_value(cell.value)
            if isinstance(value, datetime) and _shows_month_only(cell.number_format):
                month_only.add((r, c))
            if cell.has_style and (colour := _fill_colour(cell.fill)):
                fills[(r, c)] = colour
            row.append(value)
        rows.append(row)
    merged: set[tuple[int, int]] = set()
    for block in ws.merged_cells.ranges:
        top, column = block.min_row - 1, block.min_col - 1
        if top >= len(rows) or column >= len(rows[top]):
            continue
        value = rows[top][column]
        for r in range(top + 1, min(block.max_row, len(rows))):
            row = rows[r]
            row.extend([None] * (column + 1 - len(row)))
            row[column] = value
            merged.add((r, column))
            if (top, column) in month_only:
                month_only.add((r, column))
            if (top, column) in fills:
                fills[(r, column)] = fills[(top, column)]
    return Sheet(Path(), ws.title, _trimmed(rows), merged, month_only, fills)


def _fill_colour(fill) -> str | None:
    """A solid fill's colour as RRGGBB, if it is given as RGB or a palette index (not a theme colour)."""
    if fill is None or fill.fill_type != "solid":
        return None
    colour = fill.fgColor
    if colour is None:
        return None
    if colour.type == "rgb" and isinstance(colour.rgb, str) and len(colour.rgb) in (6, 8):
        return colour.rgb[-6:].upper()
    if colour.type == "indexed" and isinstance(colour.indexed, int):
        from openpyxl.styles.colors import COLOR_INDEX

        if 0 <= colour.indexed < len(COLOR_INDEX):
            return COLOR_INDEX[colour.indexed][-6:].upper()
    return None


def _xlsx_value(value: object) -> Cell:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return _text_cell(value.replace("_x000D_", ""))
    return str(value).strip() or None


def _shows_month_only(number_format: str) -> bool:
    """True for a date format such as `mmm-yy` or `mmmm yyyy`: no day shown."""
    plain = _FORMAT_NOISE.sub("", number_format or "").lower()
    return "m" in plain and "y" in plain and "d" not in plain and "h" not in plain
