"""Finding a spreadsheet's columns by their headers.

Headers are compared ignoring case, spacing and punctuation ("Responsible Lead Officer(s)" is
`responsibleleadofficers`), first whole and then without any bracketed part ("RAG (see key)").
Each field knows the names people give it; `--column FIELD=HEADER` names the header for a field
when the guess is wrong or missing. The header row need not be the first: it is the first of the
top rows that names the action column and at least one other field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from plantui.domain.errors import InputError

HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    label: str  # how the docs and messages name it
    names: tuple[str, ...]  # headers people use, most specific first


FIELDS: tuple[Field, ...] = (
    Field("theme_ref", "theme ref", ("theme ref", "theme no", "priority ref", "priority no")),
    Field("theme", "theme", ("theme", "themes", "priority", "priorities", "theme title", "priority title")),
    Field("area_ref", "area ref", ("area ref", "area no")),
    Field("area", "area", ("area", "areas", "area title", "improvement area")),
    Field("objective_ref", "objective ref", ("objective ref", "objective no", "objective nos")),
    Field("objective", "objective", ("objective", "objectives", "objective text", "what we want to achieve")),
    Field(
        "ref",
        "ref",
        (
            "action ref",
            "ref",
            "refs",
            "no",
            "nos",
            "number",
            "ref no",
            "reference",
            "action no",
            "action number",
        ),
    ),
    Field(
        "action",
        "action",
        (
            "action",
            "actions",
            "what",
            "actions we are taking",
            "action title",
            "what we will do",
            "key actions",
            "action description",
            "activity",
            "activities",
            "task",
        ),
    ),
    Field(
        "success_measures",
        "success measures",
        (
            "success measures",
            "success measure",
            "how",
            "how we will know it has worked",
            "how we will know",
            "outcome measure",
            "outcome measures",
            "measures of success",
        ),
    ),
    Field(
        "leads",
        "leads",
        (
            "lead",
            "leads",
            "who",
            "owner",
            "owners",
            "responsible lead officer",
            "responsible lead officers",
            "lead officer",
            "lead officers",
            "responsible officer",
            "responsible officers",
            "responsible",
        ),
    ),
    Field(
        "milestone",
        "milestone",
        ("milestone", "milestones", "when", "due", "deadline", "target date", "timescale", "by when"),
    ),
    Field("status", "status", ("status", "rag", "rag rating", "current status", "rag status", "rating")),
    Field("detailed_plan", "detailed plan", ("detailed plan", "detailed action plan", "detailed plans")),
    Field("baseline", "baseline", ("baseline", "baseline milestone", "original milestone")),
    Field(
        "note",
        "note",
        (
            "last note",
            "note",
            "notes",
            "commentary",
            "comments",
            "comment",
            "latest update",
            "progress update",
            "update",
        ),
    ),
    Field("updated", "last update", ("last update", "last updated", "updated", "date of update")),
)
FIELDS_BY_KEY = {f.key: f for f in FIELDS}
# The columns of plantui's own export, in order. A sheet with exactly these is read back as written:
# its blank cells are blank, not merged cells to carry down.
ACTION_HEADERS = (
    "Theme ref",
    "Theme",
    "Area ref",
    "Area",
    "Objective ref",
    "Objective",
    "Action ref",
    "Action",
    "Success measures",
    "Leads",
    "Status",
    "Status words",
    "Milestone",
    "Due date",
    "Baseline",
    "Slipped",
    "Detailed plan",
    "Last update",
    "Last note",
)
# Exports made before the Slipped column was added are still read back as plantui's own.
OWN_EXPORT_HEADERS = (ACTION_HEADERS, tuple(h for h in ACTION_HEADERS if h != "Slipped"))
# How plantui's export begins the note on an action's Objective cell when the action has its own
# objective statement (printed beside it, where one numbered objective prints several).
STATEMENT_NOTE = "Printed beside this action: "


def statement_from_note(note: str) -> str | None:
    """The objective statement a note on an Objective cell gives, or None when it is no such note."""
    from plantui.io.spreadsheets.cells import unescape

    return unescape(note[len(STATEMENT_NOTE) :]) if note.startswith(STATEMENT_NOTE) else None


# Columns plantui's own export writes that an import reads through other columns, or works out again
# from them (the slip, from the baseline and the milestone): not worth a warning.
DERIVED_HEADERS = frozenset({"statuswords", "duedate", "slipped"})

_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def header_key(text: object) -> str:
    """A header as compared: lower case letters and digits only."""
    if text is None:
        return ""
    return "".join(ch for ch in str(text).lower() if ch.isalnum())


def _keys(text: object) -> list[str]:
    whole = header_key(text)
    plain = header_key(_BRACKETED.sub("", str(text))) if text is not None else ""
    return [k for k in dict.fromkeys((whole, plain)) if k]


_NAME_KEYS: dict[str, tuple[str, int]] = {}
for _field in FIELDS:
    for _rank, _name in enumerate(_field.names):
        _NAME_KEYS.setdefault(header_key(_name), (_field.key, _rank))


def field_key(name: str, option: str | None = None) -> str:
    """A field named by a user (`success measures`, `Success_Measures`) as its key; else InputError."""
    wanted = header_key(name)
    for f in FIELDS:
        if header_key(f.key) == wanted or header_key(f.label) == wanted:
            return f.key
    names = ", ".join(f.key for f in FIELDS)
    raise InputError(f"--column {option or name!r}: not a field plantui imports: use one of {names}")


def parse_column_option(text: str) -> tuple[str, str]:
    """`--column FIELD=HEADER` as (field key, header key)."""
    name, equals, header = text.partition("=")
    if not equals or not name.strip() or not header_key(header):
        raise InputError(f"--column {text!r}: write FIELD=HEADER, e.g. --column 'action=What we will do'")
    return field_key(name, text), header_key(header)


@dataclass
class ColumnMap:
    """Which column (0-based) holds each field, found on one header row."""

    header_row: int  # 0-based index of the header row among the rows read
    columns: dict[str, int]
    headers: list[str]  # the header row's cells as written
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)  # (field, used, ignored)
    unused: list[int] = field(default_factory=list)  # columns with a header no field claims

    @property
    def is_plantui_export(self) -> bool:
        return tuple(h for h in self.headers if h) in OWN_EXPORT_HEADERS

    def header_of(self, column: int) -> str:
        return self.headers[column] if column < len(self.headers) else ""


def _match_row(cells: Sequence[object], overrides: dict[str, str]) -> ColumnMap | None:
    best: dict[str, tuple[int, int]] = {}  # field -> (rank, column)
    duplicates: list[tuple[str, int, int]] = []
    claimed_by_override = {header: key for key, header in overrides.items()}
    for column, cell in enumerate(cells):
        keys = _keys(cell)
        match: tuple[str, int] | None = None
        for key in keys:
            if key in claimed_by_override:
                match = (claimed_by_override[key], -1)
                break
        if match is None:
            for key in keys:
                if key in _NAME_KEYS:
                    match = _NAME_KEYS[key]
                    break
        if match is None:
            continue
        key, rank = match
        if key in overrides and rank != -1:
            continue  # the user named this field's header: other guesses give way
        if key in best:
            held_rank, held_column = best[key]
            if rank < held_rank:
                duplicates.append((key, column, held_column))
                best[key] = (rank, column)
            else:
                duplicates.append((key, held_column, column))
            continue
        best[key] = (rank, column)
    if "action" not in best or (len(best) < 2 and not overrides):
        return None
    columns = {key: column for key, (_, column) in best.items()}
    used = set(columns.values())
    headers = ["" if cell is None else " ".join(str(cell).split()) for cell in cells]
    unused = [
        i
        for i, header in enumerate(headers)
        if header and i not in used and header_key(header) not in DERIVED_HEADERS
    ]
    duplicates = [d for d in duplicates if d[2] not in used]
    return ColumnMap(0, columns, headers, duplicates, unused)


def find_header(rows: Sequence[Sequence[object]], overrides: dict[str, str]) -> ColumnMap | None:
    """The first of the top rows that reads as a header (the action column and one more), or None."""
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = _match_row(cells, overrides)
        if found is not None:
            found.header_row = index
            return found
    return None


def missing_overrides(found: ColumnMap, overrides: dict[str, str]) -> list[str]:
    """The fields named by `--column` whose header is not on the header row."""
    return [key for key in overrides if key not in found.columns]


def column_letter(column: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how spreadsheet users name a column."""
    letters = ""
    column += 1
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def expected_headers() -> str:
    return "; ".join(f"{f.label}: {', '.join(f.names)}" for f in FIELDS)
