"""The plan as spreadsheets others can open: one row per action, as CSV or as a styled workbook.

`plan_tables` reads the rows (plain values) both formats share; `export_csv` and `export_xlsx` write
a whole file or nothing, and are what the CLI and the TUI's command palette call. Status and slip
words are those of `plantui.domain.wording`, as on screen and in the board report.
The workbook has three sheets: Actions (frozen, filtered header; each status cell filled with its
colour and holding its symbol and words, so it reads in black and white too), Findings and History;
and a fourth, Measures, when the plan has measures: one row per measure, its definition and links,
then one column per period holding the value that stands for it (the newest recorded); and Evidence,
when any action has evidence of impact or is marked impact evidenced: a row per piece of evidence (an
action marked with none standing gets a row of its own), with its action's mark beside it.
CSV is UTF-8 with a byte-order mark, so Excel on Windows reads "Children’s" as written; dates in CSV
are ISO (YYYY-MM-DD), which every spreadsheet reads the same way.

A theme, area or objective with nothing under it is a row of its own (its refs and titles, the action
cells blank), so the import gives back the same plan. Text is written so that it reads back exactly
and runs nowhere (see `plantui.io.spreadsheets.cells`): workbook cells are always text, never formulas, with
controls XML cannot hold as `_xHHHH_`; CSV cells that start like a formula get a leading `'`; CSV
for a terminal has every control character escaped.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from plantui.domain.action_text import decode_leads
from plantui.domain.evidence import EVIDENCE_FIELD, Evidence, decode_evidence, impact_words
from plantui.domain.statuses import is_status_code, status
from plantui.domain.views import ActionRow, Finding, HistoryEntry
from plantui.domain.wording import slip_words, status_words
from plantui.io.atomic import write_file
from plantui.io.spreadsheets.cells import escape_for_file, escape_for_terminal, escape_for_xml, guard_formula
from plantui.io.spreadsheets.columns import ACTION_HEADERS, STATEMENT_NOTE
from plantui.store.database import Database

STATUS_WORDS_COLUMN = ACTION_HEADERS.index("Status words")
# The column of each field a value can be carried down to (see `plantui.domain.carried`).
CARRIED_COLUMNS = {
    "success_measures": ACTION_HEADERS.index("Success measures"),
    "leads": ACTION_HEADERS.index("Leads"),
    "detailed_plan": ACTION_HEADERS.index("Detailed plan"),
}
OBJECTIVE_COLUMN = ACTION_HEADERS.index("Objective")
FINDING_HEADERS = ("Source", "Finding", "Refs")
# The Leads sheet: who holds each role, written when anyone is known.
LEAD_HEADERS = ("Lead", "Person", "E-mail")
EVIDENCE_HEADERS = ("Action ref", "Action", "Impact evidenced", "Evidence date", "Evidence", "Link",
                    "Recorded by", "Recorded")  # fmt: skip
HISTORY_HEADERS = ("Entry", "When", "Ref", "Who", "Field", "From", "To", "Note", "Undoes entry")
MEASURE_HEADERS = (
    "Measure ref", "Measure", "Unit", "Better", "Target", "Tolerance", "Frequency", "Owner",
    "Objectives", "Actions", "Findings",
)  # fmt: skip
# Widths in characters (Excel's unit); long text wraps inside them.
_WIDTHS = {
    "Theme": 24, "Area": 24, "Objective": 36, "Action": 52, "Success measures": 44, "Leads": 30,
    "Status": 12, "Status words": 16, "Milestone": 18, "Due date": 12, "Baseline": 18, "Slipped": 20,
    "Detailed plan": 28, "Last update": 17, "Last note": 40, "Source": 30, "Finding": 70, "Refs": 18,
    "Entry": 7, "When": 17, "Who": 20, "Field": 10, "From": 18, "To": 18, "Note": 50, "Undoes entry": 8,
    "Measure ref": 9, "Measure": 44, "Better": 8, "Frequency": 10, "Owner": 24, "Objectives": 14,
    "Actions": 18, "Findings": 9,
    "Lead": 40, "Person": 24, "E-mail": 30,
    "Action ref": 10, "Impact evidenced": 22, "Evidence date": 12, "Evidence": 60, "Link": 36,
    "Recorded by": 20, "Recorded": 17,
}  # fmt: skip
_HEADER_FILL = "1F2937"
_DATE_FORMAT = "dd/mm/yyyy"
_MOMENT_FORMAT = "dd/mm/yyyy hh:mm"


@dataclass(frozen=True, slots=True)
class PlanTables:
    title: str
    actions: list[list[object]]
    statuses: list[str]  # the status code of each action row, for colouring
    findings: list[list[object]]
    history: list[list[object]]
    # The Actions sheet in plan order: every action, and a row for each theme, area or objective with
    # nothing under it; with the status of each row (None for those).
    rows: list[list[object]]
    row_statuses: list[str | None]
    # For each row of `rows`: {column index: a note for that cell}, saying which values were carried
    # down from the row above ("carried down from 1.1.1.5"); written as cell comments in a workbook.
    row_notes: list[dict[int, str]] = field(default_factory=list)
    # The Measures sheet: its headers (MEASURE_HEADERS, then one per period) and a row per measure.
    measure_headers: tuple[str, ...] = ()
    measures: list[list[object]] = field(default_factory=list)
    people: list[list[object]] = field(default_factory=list)  # [role, person, e-mail] where known
    evidence: list[list[object]] = field(default_factory=list)  # the Evidence sheet's rows


def _local(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    from plantui.store.clock import local

    return local(moment).replace(tzinfo=None, microsecond=0)


def _action_values(row: ActionRow, titles: dict[str, str]) -> list[object]:
    return [
        row.theme_ref,
        titles.get(row.theme_ref, ""),
        row.area_ref,
        titles.get(row.area_ref, ""),
        row.objective_ref,
        titles.get(row.objective_ref, ""),
        row.ref,
        row.title,
        row.success_measures,
        "; ".join(row.leads),
        row.status,
        status_words(row.status),
        row.milestone,
        row.due,
        row.baseline,
        slip_words(row.slippage),
        row.detailed_plan,
        _local(row.updated_at),
        row.last_note,
    ]


def _empty_part_values(node_ref: str, titles: dict[str, str]) -> list[object]:
    """The row of a theme, area or objective with nothing under it: its refs and titles only."""
    from plantui.domain.refs import parent

    refs = [node_ref]
    while (above := parent(refs[0])) is not None:
        refs.insert(0, above)
    values: list[object] = []
    for ref in refs:
        values += [ref, titles.get(ref, "")]
    return values + [None] * (len(ACTION_HEADERS) - len(values))


def _history_value(entry: HistoryEntry, value: str | None) -> str:
    if value is None:
        return ""
    if entry.field == "leads":
        try:
            return "; ".join(decode_leads(value))  # the names, as people read them, not the JSON kept
        except ValueError:
            return value
    if entry.field == EVIDENCE_FIELD:
        try:
            text, link, day = decode_evidence(value)
        except ValueError:
            return value
        return f"{day.isoformat()}: {text} ({link})" if link else f"{day.isoformat()}: {text}"
    return status_words(value) if entry.field == "status" and is_status_code(value) else value


def _evidence_rows(rows: list[ActionRow], found: dict[str, list[Evidence]]) -> list[list[object]]:
    """The Evidence sheet: each piece standing, by action in plan order, with the action's mark."""
    table: list[list[object]] = []
    for row in rows:
        items = found.get(row.ref, [])
        if not items and not row.impact:
            continue
        mark = impact_words(row.impact)
        if not items:
            table.append([row.ref, row.title, mark, None, "", "", "", None])
        for item in items:
            table.append(
                [row.ref, row.title, mark, item.day, item.text, item.link, item.author, _local(item.at)]
            )
    return table


def plan_tables(database: Database) -> PlanTables:
    """Everything the spreadsheets hold, read in a few queries."""
    from plantui.domain.refs import parent
    from plantui.store.evidence import plan_evidence
    from plantui.store.leads import list_leads
    from plantui.store.queries import findings, list_actions, nodes, plan_history, plan_info

    info = plan_info(database)
    parts = nodes(database)
    titles = {node.ref: node.title for node in parts}
    rows = list_actions(database)
    history = sorted(plan_history(database), key=lambda e: e.id)
    actions = [_action_values(row, titles) for row in rows]
    by_objective: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        by_objective.setdefault(row.objective_ref, []).append(index)
    has_children = {parent(node.ref) for node in parts} | set(by_objective)
    table: list[list[object]] = []
    table_statuses: list[str | None] = []
    table_notes: list[dict[int, str]] = []
    for node in parts:
        if node.ref not in has_children:
            table.append(_empty_part_values(node.ref, titles))
            table_statuses.append(None)
            table_notes.append({})
        for index in by_objective.pop(node.ref, []) if node.kind == "objective" else []:
            table.append(actions[index])
            table_statuses.append(rows[index].status)
            table_notes.append(_carried_notes(rows[index]))
    for indexes in by_objective.values():  # an action whose objective is not listed (never, in a valid plan)
        table.extend(actions[index] for index in indexes)
        table_statuses.extend(rows[index].status for index in indexes)
        table_notes.extend(_carried_notes(rows[index]) for index in indexes)
    measure_headers, measure_rows = _measure_table(database)
    evidence = (
        _evidence_rows(rows, plan_evidence(database)) if any(r.impact or r.evidence for r in rows) else []
    )
    return PlanTables(
        title=info.title,
        measure_headers=measure_headers,
        measures=measure_rows,
        actions=actions,
        statuses=[row.status for row in rows],
        rows=table,
        row_statuses=table_statuses,
        row_notes=table_notes,
        findings=[_finding_values(f) for f in findings(database)],
        people=[[x.role, x.person, x.email] for x in list_leads(database) if x.person or x.email],
        evidence=evidence,
        history=[
            [
                e.id,
                _local(e.at),
                e.action_ref,
                e.author,
                e.field,
                _history_value(e, e.old),
                _history_value(e, e.new),
                e.note,
                e.undoes_id,
            ]
            for e in history
        ],
    )


def _measure_table(database: Database) -> tuple[tuple[str, ...], list[list[object]]]:
    """The Measures sheet: a row per measure, then the value standing for each period any measure has."""
    from plantui.domain.measures import period_key, standing_values
    from plantui.store.plans import current_plan_id, read_measures

    with database.read() as conn:
        measures = read_measures(conn, current_plan_id(conn, database))
    if not measures:
        return (), []
    standing = [standing_values(m.values) for m in measures]
    periods = sorted({period for values in standing for period in values}, key=period_key)
    rows = [
        [
            m.ref,
            m.name,
            m.unit,
            m.direction,
            m.target,
            m.tolerance,
            m.frequency,
            m.owner,
            "; ".join(m.objectives),
            "; ".join(m.actions),
            "; ".join(str(position + 1) for position in m.findings),
            *(values[period].value if period in values else None for period in periods),
        ]
        for m, values in zip(measures, standing, strict=True)
    ]
    return (*MEASURE_HEADERS, *periods), rows


def _carried_notes(row: ActionRow) -> dict[int, str]:
    notes = {CARRIED_COLUMNS[mark.field]: mark.words for mark in row.carried}
    if row.objective_statement:
        notes[OBJECTIVE_COLUMN] = STATEMENT_NOTE + escape_for_xml(row.objective_statement)
    return notes


def _finding_values(finding: Finding) -> list[object]:
    return [finding.source, finding.text, "; ".join(finding.refs)]


def _csv_value(value: object, escape) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return guard_formula(escape(str(value)))


def csv_text(tables: PlanTables, *, for_terminal: bool = False) -> str:
    """The Actions table as CSV. Cells that start like a formula are guarded with a `'`. For a file,
    text is kept as it is (but NUL, as `_x0000_`) and lines end in CRLF, as RFC 4180 and Excel have it;
    for a terminal, every control and format character is written as `_xHHHH_` and lines end in LF.
    plantui's import reads either back to exactly the same text."""
    escape = escape_for_terminal if for_terminal else escape_for_file
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n" if for_terminal else "\r\n")
    writer.writerow(ACTION_HEADERS)
    for values in tables.rows:
        writer.writerow([_csv_value(v, escape) for v in values])
    return buffer.getvalue()


def csv_bytes(tables: PlanTables, *, bom: bool = True, for_terminal: bool = False) -> bytes:
    text = csv_text(tables, for_terminal=for_terminal)
    return ("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8")


def _text_colour(fill: str) -> str:
    """Black or white, whichever has the higher WCAG contrast against the fill."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(int(fill[i : i + 2], 16)) for i in (0, 2, 4))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    on_black = (luminance + 0.05) / 0.05
    on_white = 1.05 / (luminance + 0.05)
    return "000000" if on_black >= on_white else "FFFFFF"


def _sheet(book, title: str, headers: tuple[str, ...], rows: list[list[object]], *, first: bool = False):
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = book.active if first else book.create_sheet()
    ws.title = title
    ws.append(list(headers))
    for values in rows:
        ws.append([_xlsx_value(v) for v in values])
    from_second = ws.iter_rows(min_row=2, max_row=len(rows) + 1, max_col=len(headers))
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor=_HEADER_FILL)
    for cell in ws[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    for row in from_second:
        for cell in row:
            cell.alignment = wrap
            if isinstance(cell.value, str):
                cell.data_type = "s"  # plan text that starts like a formula stays text, never runs
            elif isinstance(cell.value, datetime):
                cell.number_format = _MOMENT_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = _DATE_FORMAT
    for index, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(header, 11)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(len(rows) + 1, 1)}"
    return ws


def _xlsx_value(value: object) -> object:
    """Controls a workbook cannot hold are written as `_xHHHH_`, as Excel writes them; the import
    (plantui's, and Excel's own) reads them back as the characters they were."""
    if isinstance(value, str):
        return escape_for_xml(value)
    return value


def workbook_bytes(tables: PlanTables) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    book.properties.title = escape_for_xml(tables.title)
    book.properties.creator = "plantui"
    actions = _sheet(book, "Actions", ACTION_HEADERS, tables.rows, first=True)
    for offset, code in enumerate(tables.row_statuses):
        if code is None:
            continue  # the row of a theme, area or objective with nothing under it
        s = status(code)
        colour = s.colour.lstrip("#").upper()
        cell = actions.cell(row=offset + 2, column=STATUS_WORDS_COLUMN + 1)
        cell.fill = PatternFill("solid", fgColor=colour)
        cell.font = Font(bold=True, color=_text_colour(colour))
    _add_notes(actions, tables.row_notes)
    _sheet(book, "Findings", FINDING_HEADERS, tables.findings)
    _sheet(book, "History", HISTORY_HEADERS, tables.history)
    if tables.measures:
        _sheet(book, "Measures", tables.measure_headers, tables.measures)
    if tables.people:
        _sheet(book, "Leads", LEAD_HEADERS, tables.people)
    if tables.evidence:
        _sheet(book, "Evidence", EVIDENCE_HEADERS, tables.evidence)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _add_notes(ws, row_notes: list[dict[int, str]]) -> None:
    """Each note as the comment of its cell (Excel shows a red corner and the words on hover)."""
    from openpyxl.comments import Comment

    for offset, notes in enumerate(row_notes):
        for column, words in notes.items():
            comment = Comment(words, "plantui")
            comment.width, comment.height = 240, 60
            ws.cell(row=offset + 2, column=column + 1).comment = comment


def export_csv(database: Database, path: str | Path) -> PlanTables:
    """Write the actions as CSV (UTF-8 with BOM) to `path`; returns what was written."""
    tables = plan_tables(database)
    write_file(Path(path), csv_bytes(tables))
    return tables


def export_xlsx(database: Database, path: str | Path) -> PlanTables:
    """Write the Actions, Findings and History sheets to the workbook `path`; returns what was written."""
    tables = plan_tables(database)
    write_file(Path(path), workbook_bytes(tables))
    return tables
