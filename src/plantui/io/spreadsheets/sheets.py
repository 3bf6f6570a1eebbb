"""Reading a CSV file or one sheet of an Excel workbook into rows of plain cell values.

Cells come back as text (trimmed), `datetime` (Excel date cells) or None (blank). A vertically
merged range is read as its value repeated down its first column, and every repeated cell is marked,
so the importer can tell a merge from a value typed again. Whatever is wrong with the file (missing,
corrupt, an old .xls, a strange encoding, no such sheet) is an `InputError` naming it.

A workbook is read in bounded time and memory, whatever it claims: openpyxl reads its strings and
styles (in read-only mode), and only the one sheet asked for is streamed, element by element, from
its XML. The extent a sheet declares is ignored; rows end at the last one holding data, and a sheet
with data past `MAX_ROWS` rows or `MAX_COLUMNS` columns, more than `MAX_CELLS` cells, or an XML part
bigger than `MAX_PART_BYTES` is refused in one line. A CSV file has the same limits.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import warnings
import xml.etree.ElementTree as ElementTree
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from plantui.domain.errors import InputError, NotFoundError
from plantui.io.spreadsheets.cells import unescape, unguard_formula
from plantui.io.spreadsheets.columns import HEADER_SEARCH_ROWS, OWN_EXPORT_HEADERS, column_letter

Cell = str | datetime | None
CSV_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
_ZIP_MAGIC = b"PK\x03\x04"
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')

# The most a sheet (or a CSV file) may hold: far beyond any improvement plan (10,000 actions are about
# 10,000 rows by 18 columns), small enough that reading it fits in a few hundred megabytes.
MAX_ROWS = 100_000  # the last row with data
MAX_COLUMNS = 1_000  # the last column with data (column ALL)
MAX_CELLS = 2_000_000  # each row counted up to its last cell with data or a fill
PROBE_ROWS = HEADER_SEARCH_ROWS  # the top rows looked at to choose a sheet (where a header row may be)
MAX_PART_BYTES = 64 * 1024 * 1024  # one XML part of a workbook, unpacked (a 10,000-action sheet: 16 MB)


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
    others: list[str] = field(default_factory=list)  # the names of the workbook's other sheets (unread)
    # Text cells as written, where that differs from the trimmed value in `rows` (spaces at the ends,
    # carriage returns): read back exactly from a sheet plantui wrote itself.
    exact: dict[tuple[int, int], str] = field(default_factory=dict)
    # The text of each cell's comment (a workbook's notes): plantui's export says there which values
    # were carried down from the row above.
    comments: dict[tuple[int, int], str] = field(default_factory=dict)

    def where(self) -> str:
        return f"{self.path}: sheet {self.name!r}" if self.name is not None else str(self.path)


def restore_as_written(sheet: Sheet) -> None:
    """Put back the text of a sheet plantui exported exactly as the plan holds it: each cell as
    written (spaces at its ends, carriage returns); in CSV, the formula guard and `_xHHHH_` escapes
    undone too (a workbook's escapes are always read, as Excel reads them)."""
    for (row, column), text in sheet.exact.items():
        sheet.rows[row][column] = text
    if sheet.name is None:
        for cells in sheet.rows:
            for column, cell in enumerate(cells):
                if isinstance(cell, str):
                    cells[column] = unescape(unguard_formula(cell))


def read_sheet(
    path: Path, sheet: str | None = None, *, first_with: Callable[[Sheet], bool] | None = None
) -> Sheet:
    """Read a .csv or .xlsx file; `sheet` picks a sheet of a workbook by name (any case). Without it,
    `first_with` picks the first sheet whose top `PROBE_ROWS` rows it accepts (else the first sheet)."""
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
    return _read_xlsx(path, sheet, first_with)


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
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    if not text.startswith(_PLANTUI_CSV_HEADERS):  # plantui's own export is read as it was written
        with contextlib.suppress(csv.Error):  # no dialect found: read it as Excel writes CSV
            dialect = csv.Sniffer().sniff(text[:16384], delimiters=",;\t")
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows: list[list[Cell]] = []
    exact: dict[tuple[int, int], str] = {}
    cells = 0
    try:
        for record in reader:
            row = [_text_cell(value) for value in record]
            while row and row[-1] is None:
                row.pop()
            if row:
                place = f"{path}: line {reader.line_num}"
                _check_extent(place, len(rows) + 1, len(row))
                cells += len(row)
                _check_cells(str(path), cells)
                for column, value in enumerate(row):
                    if value is not None and value != record[column]:
                        exact[(len(rows), column)] = record[column]
            rows.append(row)
    except csv.Error as error:
        raise InputError(f"{path}: line {reader.line_num}: not valid CSV ({error})") from None
    return Sheet(path, None, _trimmed(rows), notices=notices, exact=exact)


# The sniffer can take the `'` that guards a formula-like cell for a quote character.
_PLANTUI_CSV_HEADERS = tuple(
    ",".join(headers) + end for headers in OWN_EXPORT_HEADERS for end in ("\r\n", "\n")
)


def _check_extent(place: str, row: int, column: int) -> None:
    """Refuse data past the last row or column plantui reads (both numbered from 1)."""
    if row > MAX_ROWS:
        raise InputError(
            f"{place}: data on row {row:,}: plantui reads sheets of up to {MAX_ROWS:,} rows; "
            "delete the rows below the plan (or save the plan on a sheet of its own)"
        )
    if column > MAX_COLUMNS:
        raise InputError(
            f"{place}: data in column {column_letter(column - 1)} (column {column:,}): plantui reads "
            f"sheets of up to {MAX_COLUMNS:,} columns; delete the columns right of the plan"
        )


def _check_cells(where: str, cells: int) -> None:
    if cells > MAX_CELLS:
        raise InputError(
            f"{where}: more than {MAX_CELLS:,} cells: plantui reads sheets of up to {MAX_ROWS:,} rows, "
            f"{MAX_COLUMNS:,} columns and {MAX_CELLS:,} cells; save the plan on a sheet of its own"
        )


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
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _MERGE_CELL = f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}mergeCell"


def _unreadable(path: Path, error: BaseException) -> InputError:
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return InputError(f"{path}: not a readable Excel workbook ({reason[:120]})")


@dataclass
class _Workbook:
    """A workbook's strings, styles and list of sheets, read by openpyxl; no sheet read yet."""

    path: Path
    reader: object  # openpyxl's ExcelReader, holding the open archive, strings and styles
    sheets: dict[str, tuple[str, bool]]  # name -> (XML part, is a chart sheet)
    title: str

    def close(self) -> None:
        self.reader.archive.close()  # type: ignore[attr-defined]


def _open_workbook(path: Path) -> _Workbook:
    """Open a workbook in openpyxl's read-only mode, reading its strings and styles but no sheet.

    `openpyxl.load_workbook(read_only=True)` would still look into every sheet for its extent (the
    whole sheet, when it declares none), so the reader's steps are taken here without that one.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    with path.open("rb") as handle:
        if handle.read(4) == _OLE_MAGIC:
            raise InputError(
                f"{path}: a password-protected workbook or an old .xls file: open it in Excel and save a "
                "copy as .xlsx without a password"
            )
    try:
        reader = ExcelReader(path, read_only=True, data_only=True)
    except PermissionError:
        raise InputError(f"{path}: cannot be read (permission denied)") from None
    except Exception as error:  # not a zip file, or a broken one
        raise _unreadable(path, error) from None
    try:
        for member in reader.archive.infolist():
            # Every XML part but the sheets is read whole; the one sheet used is checked as it is read.
            if (
                member.filename.endswith((".xml", ".rels"))
                and not member.filename.startswith("xl/worksheets/")
                and member.file_size > MAX_PART_BYTES
            ):
                raise InputError(
                    f"{path}: its part {member.filename} unpacks to {member.file_size:,} bytes: "
                    f"plantui reads parts of up to {MAX_PART_BYTES // 2**20} MB"
                )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and validations it drops
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            reader.read_properties()
            apply_stylesheet(reader.archive, reader.wb)
            sheets = {
                sheet.name: (rel.target, "chartsheet" in rel.Type)
                for sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files
            }
        title = unescape(reader.wb.properties.title or "").strip()
    except InputError:
        reader.archive.close()
        raise
    except Exception as error:  # a corrupt workbook can fail anywhere inside openpyxl's parsers
        reader.archive.close()
        raise _unreadable(path, error) from None
    if not sheets:
        reader.archive.close()
        raise InputError(f"{path}: not a readable Excel workbook (it has no sheets)")
    return _Workbook(path, reader, sheets, title)


def sheet_names(path: Path) -> list[str]:
    book = _open_workbook(path)
    book.close()
    return list(book.sheets)


def _read_xlsx(path: Path, wanted: str | None, first_with: Callable[[Sheet], bool] | None) -> Sheet:
    book = _open_workbook(path)
    try:
        names = list(book.sheets)
        if wanted is None and first_with is not None:
            chosen = _first_sheet_with(book, first_with)
        elif wanted is not None:
            matches = [n for n in names if n == wanted] or [
                n for n in names if n.strip().lower() == wanted.strip().lower()
            ]
            if not matches:
                listed = ", ".join(repr(n) for n in names)
                raise InputError(f"{path}: no sheet named {wanted!r}: the sheets are {listed}")
            chosen = matches[0]
        else:
            chosen = names[0]
        part, is_chart = book.sheets[chosen]
        if is_chart:
            raise InputError(f"{path}: sheet {chosen!r} is a chart, not a table of cells")
        sheet = _SheetReader(book, chosen, part).read()
    finally:
        book.close()
    sheet.title = book.title
    sheet.others = [name for name in names if name != chosen and not book.sheets[name][1]]
    return sheet


def _first_sheet_with(book: _Workbook, accept: Callable[[Sheet], bool]) -> str:
    """The first sheet (a cover page may come before the plan) whose top rows `accept` takes, judged
    from those rows alone; the first sheet if none. Probing stops once `MAX_PART_BYTES` of XML have
    been read across the sheets, so a workbook of a thousand sheets is not a thousand reads."""
    names = list(book.sheets)
    budget = MAX_PART_BYTES
    for name in names:
        part, is_chart = book.sheets[name]
        if is_chart:
            continue
        reader = _SheetReader(book, name, part)
        top = reader.read(max_rows=PROBE_ROWS)
        if accept(top):
            return name
        budget -= reader.consumed
        if budget <= 0:
            break
    return names[0]


class _SheetReader:
    """Streams one sheet's XML: cells as they come, each element dropped once read, so memory holds
    the rows with data and nothing else, whatever extent the sheet declares."""

    def __init__(self, book: _Workbook, name: str, part: str) -> None:
        from openpyxl.worksheet._reader import WorkSheetParser

        self.book = book
        self.name = name
        self.part = part
        self.where = f"{book.path}: sheet {name!r}"
        wb = book.reader.wb  # type: ignore[attr-defined]
        # openpyxl's own decoder of one <c> element (types, shared strings, dates), as its read-only
        # sheets use it; the walk over the elements is done here.
        self.decoder = WorkSheetParser(
            None,
            book.reader.shared_strings,  # type: ignore[attr-defined]
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        self.workbook = wb
        self.styles: dict[int, tuple[bool, str | None]] = {}  # style id -> (shows month only, fill)
        self.texts: dict[str, tuple[Cell, str | None]] = {}  # cell text -> (value, exact text if other)
        self.rows: dict[int, list[Cell]] = {}  # 0-based row index -> cells, for rows with data
        self.last_row = -1
        self.sheet = Sheet(book.path, name, [])
        self.cells = 0
        self.row_values: dict[int, tuple[Cell, str | None]] = {}  # column -> (value, exact text)
        self.row_fills: dict[int, str] = {}
        self.row_number = 0
        self.consumed = 0  # bytes of XML read

    def read(self, max_rows: int | None = None) -> Sheet:
        """The sheet; with `max_rows`, only its rows down to that one (and no merges, which follow)."""
        archive: zipfile.ZipFile = self.book.reader.archive  # type: ignore[attr-defined]
        try:
            size = archive.getinfo(self.part).file_size
            if size > MAX_PART_BYTES:
                raise InputError(
                    f"{self.where}: its XML unpacks to {size:,} bytes: plantui reads sheets of up to "
                    f"{MAX_PART_BYTES // 2**20} MB"
                )
            with archive.open(self.part) as source, warnings.catch_warnings():
                warnings.simplefilter("ignore")  # openpyxl warns of date cells out of range, read as text
                self._walk(source, max_rows)
                self.consumed = source.tell()
        except InputError:
            raise
        except Exception as error:
            raise _unreadable(self.book.path, error) from None
        self.sheet.rows = _trimmed([self.rows.get(index, []) for index in range(self.last_row + 1)])
        if max_rows is None:
            self.sheet.comments = _comments(archive, self.part)
        return self.sheet

    def _walk(self, source, max_rows: int | None) -> None:
        path: list[ElementTree.Element] = []
        in_cell = 0  # depth of the <c> being read, 0 outside one
        for event, element in ElementTree.iterparse(source, events=("start", "end")):
            if event == "start":
                path.append(element)
                if element.tag == _CELL and not in_cell:
                    in_cell = len(path)
                elif element.tag == _ROW:
                    self._start_row(element)
                    if max_rows is not None and self.row_number > max_rows:
                        return
                continue
            depth = len(path)
            path.pop()
            if in_cell and depth > in_cell:
                continue  # the value inside a cell, read with the cell
            if element.tag == _CELL:
                in_cell = 0
                self._cell(element)
            elif element.tag == _ROW:
                self._end_row()
            elif element.tag == _MERGE_CELL:
                self._merge(element.get("ref") or "")
            if path:
                path[-1].remove(element)  # read: let it go (each parent holds one child at a time)

    def _start_row(self, element: ElementTree.Element) -> None:
        number = element.get("r")
        if number is None:
            self.row_number += 1
        else:
            try:
                self.row_number = int(float(number))
            except ValueError:
                raise InputError(f"{self.where}: a row is numbered {number[:20]!r}") from None
        self.decoder.row_counter = self.row_number
        self.decoder.col_counter = 0
        self.row_values = {}
        self.row_fills = {}

    def _cell(self, element: ElementTree.Element) -> None:
        parsed = self.decoder.parse_cell(element)
        row, column = parsed["row"], parsed["column"]
        if row < 1 or column < 1:
            raise InputError(f"{self.where}: a cell is placed at row {row}, column {column}")
        value, exact = self._value(parsed["value"])
        style = parsed["style_id"]
        if value is not None:
            _check_extent(self.where, row, column)
        if row != self.row_number:  # a cell whose reference names another row than its own
            if value is not None:
                self._store(row, {column: (value, exact)}, {})
            return
        if value is not None:
            self.row_values[column] = (value, exact)
        if style and column <= MAX_COLUMNS:
            month_only, fill = self._style(style)
            if fill is not None:
                self.row_fills[column] = fill
            if month_only and isinstance(value, datetime):
                self.sheet.month_only.add((row - 1, column - 1))

    def _end_row(self) -> None:
        if self.row_values:
            self._store(self.row_number, self.row_values, self.row_fills)
        self.row_values = {}
        self.row_fills = {}

    def _store(self, row: int, values: dict[int, tuple[Cell, str | None]], fills: dict[int, str]) -> None:
        index = row - 1
        cells = self.rows.get(index)
        if cells is None:
            cells = self.rows[index] = []
            self.last_row = max(self.last_row, index)
        width = max(values)
        if width > len(cells):
            self.cells += width - len(cells)
            cells.extend([None] * (width - len(cells)))
        for column, (value, exact) in values.items():
            cells[column - 1] = value
            if exact is not None:
                self.sheet.exact[(index, column - 1)] = exact
        for column, colour in fills.items():
            self.sheet.fills[(index, column - 1)] = colour
        self.cells += len(fills)
        _check_cells(self.where, self.cells)

    def _value(self, raw: object) -> tuple[Cell, str | None]:
        """A cell's value, and its exact text where that differs (see `Sheet.exact`)."""
        if isinstance(raw, str):
            known = self.texts.get(raw)
            if known is None:
                # Shared strings come back as one object per distinct text: decode each only once.
                decoded = unescape(raw)
                value = _text_cell(decoded)
                known = (value, decoded if value is not None and value != decoded else None)
                self.texts[raw] = known
            return known
        return _xlsx_value(raw), None

    def _style(self, style_id: int) -> tuple[bool, str | None]:
        known = self.styles.get(style_id)
        if known is None:
            from openpyxl.cell.read_only import ReadOnlyCell

            try:
                cell = ReadOnlyCell(_StyleHolder(self.workbook), 1, 1, None, "n", style_id)
                known = (_shows_month_only(cell.number_format), _fill_colour(cell.fill))
            except (IndexError, KeyError, TypeError, AttributeError):
                known = (False, None)  # a style the workbook does not define: read as none
            self.styles[style_id] = known
        return known

    def _merge(self, ref: str) -> None:
        from openpyxl.utils.cell import range_boundaries

        try:
            left, top, _right, bottom = range_boundaries(ref)
        except (ValueError, TypeError):
            return  # a merge plantui cannot read changes nothing it needs
        if left is None or top is None or bottom is None:
            return
        top_index, column = top - 1, left - 1
        if top_index not in self.rows or column >= MAX_COLUMNS:
            return
        above = self.rows[top_index]
        value = above[column] if column < len(above) else None
        for index in range(top_index + 1, min(bottom, self.last_row + 1)):
            cells = self.rows.get(index)
            if cells is None:
                cells = self.rows[index] = []
            if column >= len(cells):
                self.cells += column + 1 - len(cells)
                cells.extend([None] * (column + 1 - len(cells)))
            cells[column] = value
            self.cells += 1
            self.sheet.merged.add((index, column))
            if (top_index, column) in self.sheet.month_only:
                self.sheet.month_only.add((index, column))
            if (top_index, column) in self.sheet.fills:
                self.sheet.fills[(index, column)] = self.sheet.fills[(top_index, column)]
            if (top_index, column) in self.sheet.exact:
                self.sheet.exact[(index, column)] = self.sheet.exact[(top_index, column)]
        _check_cells(self.where, self.cells)


_COMMENT, _COMMENT_TEXT = f"{_MAIN}comment", f"{_MAIN}t"


def _comments(archive: zipfile.ZipFile, part: str) -> dict[tuple[int, int], str]:
    """The comments of the sheet at `part`, by (row, column) from 0. Comments carry no plan data but
    plantui's own notes, so a comments part that cannot be read is passed over, never a reason to
    refuse the sheet (its size was checked with the workbook's other parts)."""
    from openpyxl.packaging.relationship import get_dependents, get_rels_path
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.xml.constants import COMMENTS_NS

    found: dict[tuple[int, int], str] = {}
    rels = get_rels_path(part)
    try:
        if rels not in archive.namelist():
            return found
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            targets = [r.target for r in get_dependents(archive, rels).find(COMMENTS_NS)]
        for target in targets:
            root = ElementTree.fromstring(archive.read(target))
            for comment in root.iter(_COMMENT):
                row, column = coordinate_to_tuple(comment.get("ref") or "")
                found[(row - 1, column - 1)] = "".join(t.text or "" for t in comment.iter(_COMMENT_TEXT))
    except Exception:  # a broken or foreign comments part: the cells are read all the same
        return {}
    return found


@dataclass
class _StyleHolder:
    """What openpyxl's `ReadOnlyCell` needs to look up a style: a sheet whose parent is the workbook."""

    parent: object


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
        return _text_cell(unescape(value))
    return str(value).strip() or None


def _shows_month_only(number_format: str) -> bool:
    """True for a date format such as `mmm-yy` or `mmmm yyyy`: no day shown."""
    plain = _FORMAT_NOISE.sub("", number_format or "").lower()
    return "m" in plain and "y" in plain and "d" not in plain and "h" not in plain
