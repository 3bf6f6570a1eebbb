"""Reading the rows under a spreadsheet's header into themes, areas, objectives and actions.

Below the header, each row is one of:

- blank, or the header repeated (a sheet printed page by page): skipped;
- a heading: a theme, area or objective ref or title with no action on the row;
- an action: its text in the action column;
- more of the action above: no action text, but more success measures, leads or notes (a merged
  action cell, or a long action spread over rows);
- a key, footnote or total under the table: skipped.

The hierarchy comes from refs (`1.2.3.4` is action 4 of objective 1.2.3) or from theme, area and
objective columns; a sheet with neither is one theme and one objective. Within an objective, a blank
lead, milestone or detailed plan is the one above it (the source plans merge those cells). Every
problem is collected with its file, sheet, row and column, so all of them can be reported at once.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from plantui.domain.carried import CARRIED_FIELDS, Carried, read_words
from plantui.domain.document import (
    ActionDoc,
    AreaDoc,
    HistoryEntryDoc,
    ObjectiveDoc,
    PlanDocument,
    ThemeDoc,
)
from plantui.domain.errors import InputError
from plantui.domain.milestones import Milestone, milestone_from_date, parse_milestone
from plantui.domain.refs import is_ref, parent, sort_key
from plantui.domain.status_reader import StatusReader, status_for_colour
from plantui.domain.wording import plural
from plantui.io.spreadsheets.columns import ColumnMap, column_letter, header_key, statement_from_note
from plantui.io.spreadsheets.sheets import Cell, Sheet

IMPORT_AUTHOR = "plantui import"
LEVELS = ("theme", "area", "objective")
_LEADING_REF = re.compile(
    r"^\s*(?:theme|priority|area|objective)?\s*(\d{1,2}(?:\.\d{1,3}){0,2})[.:)]?\s+(\S.*)$", re.I | re.S
)
_LEAD_SPLIT = re.compile(r"\s*(?:;|\n)\s*")
_MAX_PROBLEMS = 200
_NO_LEVEL_COLUMN = {
    "theme": "no theme column: the plan has one theme, numbered 1",
    "area": "no area column: each theme's objectives go in one area (1.1, 2.1, ...)",
    "objective": "no objective column: each area's actions go in one objective (1.1.1, 2.1.1, ...)",
}


@dataclass
class ImportSettings:
    """What the user said about the sheet: which one, which headers, which extra status words."""

    sheet: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # field key -> header key
    statuses: dict[str, str] = field(default_factory=dict)  # words -> status code
    author: str = IMPORT_AUTHOR
    now: datetime | None = None  # when notes without a date of their own were recorded (UTC)
    # Blank lead, milestone and detailed plan cells take the value above within an objective. None:
    # yes, except for a sheet plantui exported itself, whose blank cells are really blank.
    carry_down: bool | None = None


class Problems:
    """Every problem found, one line each; raised together so the user can fix them in one go."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, line: str) -> None:
        self.lines.append(line)

    def raise_if_any(self, what: str) -> None:
        if not self.lines:
            return
        shown = self.lines[:_MAX_PROBLEMS]
        more = len(self.lines) - len(shown)
        tail = f" ({more} more not shown)" if more else ""
        count = len(self.lines)
        summary = f"{what}: {plural(count, 'problem')}{tail}; nothing was imported"
        raise InputError("\n".join([*shown, summary]))


@dataclass
class _Level:
    ref: str | None = None
    title: str = ""


def _rows_text(numbers: list[int], limit: int = 12) -> str:
    """ "row 12" or "rows 12, 14 and 3 more": the word agrees with the count."""
    shown = ", ".join(str(n) for n in numbers[:limit])
    more = f" and {len(numbers) - limit} more" if len(numbers) > limit else ""
    return f"{'row' if len(numbers) == 1 else 'rows'} {shown}{more}"


def _verb(numbers: list[int], one: str, several: str) -> str:
    return one if len(numbers) == 1 else several


def cell_text(cell: Cell) -> str:
    """A cell as text: dates as a person in the UK writes them."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return (
            cell.strftime("%d/%m/%Y")
            if cell.time() == datetime.min.time()
            else cell.strftime("%d/%m/%Y %H:%M")
        )
    return cell


class RowReader:
    """Reads the rows below the header of one sheet; `read()`, then `finish()` for the plan."""

    def __init__(self, sheet: Sheet, columns: ColumnMap, settings: ImportSettings) -> None:
        self.sheet = sheet
        self.map = columns
        self.settings = settings
        self.statuses = StatusReader(settings.statuses)
        self.problems = Problems()
        self.warnings: list[str] = []
        self.themes: dict[str, ThemeDoc] = {}
        self.areas: dict[str, AreaDoc] = {}
        self.objectives: dict[str, ObjectiveDoc] = {}
        self.by_title: dict[tuple[str, str, str], str] = {}  # (level, parent ref, title key) -> ref
        self.action_rows: dict[int, int] = {}  # id(action) -> row number
        self.refs_seen: dict[str, int] = {}
        self.last_action: dict[str, ActionDoc] = {}  # objective ref -> its last action so far
        self.context: tuple[str | None, str | None, str | None] = (None, None, None)
        self.carried: dict[str, list[int]] = defaultdict(list)
        self.blank_status: list[int] = []
        self.status_from_colour: list[int] = []
        self.continued: list[int] = []
        self.repeated_headers: list[int] = []
        self.outside: list[int] = []  # rows with nothing in the imported columns
        self.text_only: list[int] = []  # rows with only a note where the ref goes
        self.unreadable_milestones: list[str] = []
        self.generated_levels: Counter[str] = Counter()
        self.used_default = False
        self.carry = settings.carry_down if settings.carry_down is not None else not columns.is_plantui_export
        # A sheet plantui exported holds text exactly as the plan has it: taken as written, not tidied.
        self.as_written = columns.is_plantui_export

    # -- places -------------------------------------------------------------------------------

    def where(self, index: int, key: str | None = None) -> str:
        place = f"{self.sheet.where()}: row {index + 1}"
        if key is not None and key in self.map.columns:
            column = self.map.columns[key]
            place += f", column {column_letter(column)} ({self.map.header_of(column)!r})"
        return place

    def cell(self, cells: list[Cell], key: str) -> Cell:
        column = self.map.columns.get(key)
        if column is None or column >= len(cells):
            return None
        return cells[column]

    def merged(self, index: int, key: str) -> bool:
        column = self.map.columns.get(key)
        return column is not None and (index, column) in self.sheet.merged

    # -- rows ---------------------------------------------------------------------------------

    def read(self) -> None:
        for index in range(self.map.header_row + 1, len(self.sheet.rows)):
            cells = self.sheet.rows[index]
            if all(cell is None for cell in cells):
                continue
            if self._is_header_again(cells):
                self.repeated_headers.append(index + 1)
                continue
            self._read_row(index, cells)

    def _is_header_again(self, cells: list[Cell]) -> bool:
        same = 0
        for column in self.map.columns.values():
            cell = cells[column] if column < len(cells) else None
            if isinstance(cell, str) and header_key(cell) == header_key(self.map.header_of(column)):
                same += 1
        if self.as_written:  # plantui never repeats its header; a theme may be called "Theme"
            return same == len(self.map.columns)
        return same >= min(2, len(self.map.columns))

    def _read_row(self, index: int, cells: list[Cell]) -> None:
        if all(self.cell(cells, key) is None for key in self.map.columns):
            self.outside.append(index + 1)  # a total or a footnote in a column not imported
            return
        ref_text = cell_text(self.cell(cells, "ref")).strip().rstrip(".")
        action_text = cell_text(self.cell(cells, "action"))
        action_ref: str | None = None
        levels = {level: _Level() for level in LEVELS}
        details = any(
            cell_text(self.cell(cells, key)) for key in ("status", "leads", "milestone", "success_measures")
        )
        if ref_text:
            if not is_ref(ref_text):
                if not action_text and not details:  # "Key: B = complete" under the table
                    self.text_only.append(index + 1)
                    return
                self.problems.add(f"{self.where(index, 'ref')}: {ref_text!r} is not a ref like 1.2.3.4")
                return
            depth = ref_text.count(".") + 1
            if depth == 4:
                action_ref = ref_text
            else:
                levels[LEVELS[depth - 1]] = _Level(ref_text)
        for level in LEVELS:
            if not self._read_level(index, cells, level, levels):
                return
        if not self._agree(index, action_ref, levels):
            return
        names_part = ref_text and action_ref is None  # "1.1.1" in the ref column: a heading, if no details
        if action_ref is None and not details and (not action_text or names_part):
            self._heading(index, cells, levels)
            return
        theme_ref, area_ref, objective_ref = self._place(levels)
        if self.merged(index, "action") or (not action_text and action_ref is None):
            self._continue(index, cells, objective_ref)
            return
        if not action_text:
            self.problems.add(f"{self.where(index, 'action')}: action {action_ref} has no action text")
            return
        self.context = (theme_ref, area_ref, objective_ref)
        self._action(index, cells, objective_ref, action_ref, action_text)

    def _read_level(self, index: int, cells: list[Cell], level: str, levels: dict[str, _Level]) -> bool:
        ref_cell = cell_text(self.cell(cells, f"{level}_ref")).strip().rstrip(".")
        title = cell_text(self.cell(cells, level))
        title = title if self.as_written else title.strip()
        current = levels[level]
        if (
            title
            and not self.as_written
            and (m := _LEADING_REF.match(title))
            and m.group(1).count(".") == LEVELS.index(level)
        ):
            ref_cell = ref_cell or m.group(1)
            title = m.group(2).strip()
        if ref_cell:
            key = f"{level}_ref" if self.cell(cells, f"{level}_ref") is not None else level
            if not is_ref(ref_cell) or ref_cell.count(".") != LEVELS.index(level):
                example = ".".join(str(n) for n in range(1, LEVELS.index(level) + 2))
                self.problems.add(
                    f"{self.where(index, key)}: {ref_cell!r} is not a {level} ref like {example}"
                )
                return False
            if current.ref is not None and current.ref != ref_cell:
                self.problems.add(
                    f"{self.where(index, key)}: {level} {ref_cell} does not match ref {current.ref} "
                    "on the same row"
                )
                return False
            current.ref = ref_cell
        current.title = title
        return True

    def _agree(self, index: int, action_ref: str | None, levels: dict[str, _Level]) -> bool:
        """Refs on one row must nest: action 1.2.3.4 lies in objective 1.2.3, area 1.2, theme 1."""
        below = action_ref
        below_key = "ref"
        for level in reversed(LEVELS):
            current = levels[level]
            if below is not None:
                implied = parent(below)
                if current.ref is None:
                    current.ref = implied
                elif current.ref != implied:
                    self.problems.add(
                        f"{self.where(index, below_key)}: {below} does not lie under {level} {current.ref} "
                        "given on the same row"
                    )
                    return False
            if current.ref is not None:
                below, below_key = current.ref, f"{level}_ref"
        return True

    def _place(self, levels: dict[str, _Level], deepest: int = 2) -> list[str]:
        """The theme, area and objective of a row: from its refs, its titles, or the row above.

        A heading row places only the levels down to the one it names (`deepest`), so that an area
        with no objectives yet is kept as it is, with no objective made up for it.
        """
        previous = self.context
        refs: list[str] = []
        parent_ref = ""
        for depth, level in enumerate(LEVELS[: deepest + 1]):
            current = levels[level]
            ref = current.ref
            if ref is None and current.title:
                ref = self.by_title.get((level, parent_ref, current.title.casefold()))
                if ref is None:
                    ref = self._next_ref(level, parent_ref)
            if ref is None and previous[depth] is not None and refs == list(previous[:depth]):
                ref = previous[depth]
            if ref is None:
                if depth == 0:
                    self.used_default = True
                ref = self._next_ref(level, parent_ref) if depth == 0 and not self.themes else None
                ref = ref or (f"{parent_ref}.1" if parent_ref else "1")
                self.generated_levels[level] += 1
            self._ensure(level, ref, parent_ref, current.title)
            refs.append(ref)
            parent_ref = ref
        return refs

    def _next_ref(self, level: str, parent_ref: str) -> str:
        container = {"theme": self.themes, "area": self.areas, "objective": self.objectives}[level]
        numbers = [int(ref.rpartition(".")[2]) for ref in container if (parent(ref) or "") == parent_ref]
        number = max(numbers, default=0) + 1
        return f"{parent_ref}.{number}" if parent_ref else str(number)

    def _ensure(self, level: str, ref: str, parent_ref: str, title: str) -> None:
        if title:
            self.by_title.setdefault((level, parent_ref, title.casefold()), ref)
        if level == "theme":
            if ref not in self.themes:
                self.themes[ref] = ThemeDoc(ref, title)
            elif title and not self.themes[ref].title:
                self.themes[ref].title = title
        elif level == "area":
            if ref not in self.areas:
                self.areas[ref] = AreaDoc(ref, title)
                self.themes[parent_ref].areas.append(self.areas[ref])
            elif title and not self.areas[ref].title:
                self.areas[ref].title = title
        else:
            if ref not in self.objectives:
                self.objectives[ref] = ObjectiveDoc(ref, title)
                self.areas[parent_ref].objectives.append(self.objectives[ref])
            elif title and not self.objectives[ref].text:
                self.objectives[ref].text = title

    def _heading(self, index: int, cells: list[Cell], levels: dict[str, _Level]) -> None:
        """A row naming a theme, area or objective and nothing else: it opens that part of the plan."""
        deepest = max(
            (d for d, level in enumerate(LEVELS) if levels[level].ref or levels[level].title), default=-1
        )
        if deepest < 0:
            # Text in columns that are not the hierarchy (a note, a stray cell): more of the action above.
            self._continue(index, cells, self.context[2])
            return
        if not levels[LEVELS[deepest]].title:
            texts = [
                c
                for c in cells
                if isinstance(c, str) and c.strip().rstrip(".") != levels[LEVELS[deepest]].ref
            ]
            levels[LEVELS[deepest]].title = texts[0].strip() if texts else ""
        refs = self._place(levels, deepest)
        self.context = (refs[0], refs[1] if deepest >= 1 else None, refs[2] if deepest >= 2 else None)

    # -- actions ------------------------------------------------------------------------------

    def _action(
        self, index: int, cells: list[Cell], objective_ref: str, action_ref: str | None, title: str
    ) -> None:
        if action_ref is not None:
            if action_ref in self.refs_seen:
                self.problems.add(
                    f"{self.where(index, 'ref')}: action {action_ref} "
                    f"is also on row {self.refs_seen[action_ref]}"
                )
                return
            self.refs_seen[action_ref] = index + 1
        above = self.last_action.get(objective_ref) if self.carry else None
        action = ActionDoc(ref=action_ref or "", title=title)
        action.success_measures = cell_text(self.cell(cells, "success_measures"))
        action.rag = self._status(index, cells)
        leads = self._leads(self.cell(cells, "leads"))
        if not leads and above is not None and above.leads:
            leads = list(above.leads)
            self.carried["leads"].append(index + 1)
        action.leads = leads
        milestone = self._milestone(index, cells, "milestone")
        if milestone is None and above is not None and above.milestone:
            action.milestone, action.due = above.milestone, above.due
            self.carried["milestone"].append(index + 1)
        elif milestone is not None:
            action.milestone, action.due = milestone.label, milestone.due
        plan = cell_text(self.cell(cells, "detailed_plan"))
        if not plan and above is not None and above.detailed_plan:
            plan = above.detailed_plan
            self.carried["detailed_plan"].append(index + 1)
        action.detailed_plan = plan
        baseline = self._milestone(index, cells, "baseline")
        if baseline is not None:
            action.baseline, action.baseline_due = baseline.label, baseline.due
        if self.as_written:
            action.carried = self._carried_marks(index)
            column = self.map.columns.get("objective")
            note = self.sheet.comments.get((index, column)) if column is not None else None
            action.objective_statement = (statement_from_note(note) if note else None) or ""
        self._note(index, cells, action)
        self.objectives[objective_ref].actions.append(action)
        self.last_action[objective_ref] = action
        self.action_rows[id(action)] = index + 1

    def _carried_marks(self, index: int) -> list[Carried]:
        """The "carried down from 1.1.1.5" notes plantui's export puts on a row's cells."""
        marks = []
        for name in CARRIED_FIELDS:
            column = self.map.columns.get(name)
            words = self.sheet.comments.get((index, column)) if column is not None else None
            mark = read_words(name, words) if words else None
            if mark is not None:
                marks.append(mark)
        return marks

    def _continue(self, index: int, cells: list[Cell], objective_ref: str | None) -> None:
        """More lines of the action above: success measures, leads, a plan or a note spread over rows."""
        action = self.last_action.get(objective_ref) if objective_ref else None
        if action is None:
            self.problems.add(
                f"{self.where(index, 'action')}: no action text, and no action above to add it to"
            )
            return
        self.continued.append(index + 1)
        for key, attribute in (("success_measures", "success_measures"), ("detailed_plan", "detailed_plan")):
            value = cell_text(self.cell(cells, key))
            if value and not self.merged(index, key) and value != getattr(action, attribute):
                current = getattr(action, attribute)
                setattr(action, attribute, f"{current}\n{value}" if current else value)
        for name in self._leads(self.cell(cells, "leads")):
            if name not in action.leads:
                action.leads.append(name)
        if not action.milestone:
            milestone = self._milestone(index, cells, "milestone")
            if milestone is not None:
                action.milestone, action.due = milestone.label, milestone.due
        if cell_text(self.cell(cells, "status")) and not self.merged(index, "status"):
            row_above = self.action_rows[id(action)]
            if row_above in self.blank_status:  # the status was written on a later line of the action
                self.blank_status.remove(row_above)
                action.rag = self._status(index, cells)
        self._note(index, cells, action)

    def _status(self, index: int, cells: list[Cell]) -> str:
        words = cell_text(self.cell(cells, "status"))
        if not words.strip():
            column = self.map.columns.get("status")
            fill = self.sheet.fills.get((index, column)) if column is not None else None
            if fill is not None and (code := status_for_colour(fill)) is not None:
                self.status_from_colour.append(index + 1)  # a tracker that shows the rating by colour alone
                return code
            self.blank_status.append(index + 1)
            return "not_started"
        code = self.statuses.code_for(words)
        if code is None:
            self.problems.add(
                f"{self.where(index, 'status')}: {words.strip()!r} is not a status "
                "(add it with --status 'WORDS=CODE')"
            )
            return "not_started"
        return code

    def _leads(self, cell: Cell) -> list[str]:
        names: list[str] = []
        if self.as_written:  # plantui's export joins leads with "; " and changes nothing else
            for name in cell_text(cell).split("; "):
                if name and name not in names:
                    names.append(name)
            return names
        for name in _LEAD_SPLIT.split(cell_text(cell)):
            name = " ".join(name.split())
            if name and name not in names:
                names.append(name)
        return names

    def _milestone(self, index: int, cells: list[Cell], key: str) -> Milestone | None:
        value = self.cell(cells, key)
        if value is None:
            return None
        if isinstance(value, datetime):
            column = self.map.columns[key]
            return milestone_from_date(value.date(), month_only=(index, column) in self.sheet.month_only)
        try:
            return parse_milestone(value)
        except InputError:
            if key == "milestone":
                self.unreadable_milestones.append(f"{self.where(index, key)}: {value!r} is not a date")
            return Milestone(value, None)

    def _note(self, index: int, cells: list[Cell], action: ActionDoc) -> None:
        note = cell_text(self.cell(cells, "note"))
        note = note if self.as_written else note.strip()
        if not note or self.merged(index, "note"):
            return
        if self.as_written and self.cell(cells, "updated") is None and not action.history:
            # plantui's export leaves Last update blank only for an action with no history: its last
            # note is the commentary the plan came with, not a change anyone made.
            action.commentary = note
            return
        at = self._moment(index, self.cell(cells, "updated"))
        action.history.append(HistoryEntryDoc(at, self.settings.author, "note", None, None, note))

    def _moment(self, index: int, value: Cell) -> datetime:
        from plantui.store.clock import to_utc_naive, utcnow

        fallback = self.settings.now or utcnow()
        if value is None:
            return fallback
        if isinstance(value, datetime):
            return to_utc_naive(value.astimezone())  # written in local time
        for pattern in (
            "%Y-%m-%d %H:%M",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%dT%H:%M:%S",
            "%d/%m/%Y %H:%M",
            "%Y-%m-%d",
            "%d/%m/%Y",
        ):
            try:
                return to_utc_naive(datetime.strptime(value, pattern).astimezone())
            except ValueError:
                continue
        self.warnings.append(
            f"{self.where(index, 'updated')}: {value!r} is not a date and time; the note is dated now"
        )
        return fallback

    # -- the whole plan -----------------------------------------------------------------------

    def finish(self, title: str) -> PlanDocument:
        self._number_actions()
        document = PlanDocument(title=title)
        for theme in sorted(self.themes.values(), key=lambda t: sort_key(t.ref)):
            if not theme.title:
                theme.title = f"Theme {theme.ref}"
            theme.areas.sort(key=lambda a: sort_key(a.ref))
            for area in theme.areas:
                if not area.title:
                    area.title = theme.title if len(theme.areas) == 1 else f"Area {area.ref}"
                area.objectives.sort(key=lambda o: sort_key(o.ref))
                for objective in area.objectives:
                    if not objective.text:
                        objective.text = (
                            area.title if len(area.objectives) == 1 else f"Objective {objective.ref}"
                        )
            document.themes.append(theme)
        return document

    def _number_actions(self) -> None:
        generated = 0
        example = ""
        for objective in self.objectives.values():
            used = {action.ref for action in objective.actions if action.ref}
            for position, action in enumerate(objective.actions, start=1):
                if action.ref:
                    continue
                candidate = f"{objective.ref}.{position}"
                while candidate in used or candidate in self.refs_seen:
                    position += 1
                    candidate = f"{objective.ref}.{position}"
                action.ref = candidate
                used.add(candidate)
                generated += 1
                example = example or f"row {self.action_rows[id(action)]} is {candidate}"
        if generated:
            self.warnings.append(
                f"{self.sheet.where()}: {plural(generated, 'action')} had no ref: "
                f"numbered by objective and position ({example})"
            )

    def summary_warnings(self) -> list[str]:
        where = self.sheet.where()
        out: list[str] = []
        if self.used_default and not self.map.columns.keys() & {
            "ref",
            "theme",
            "theme_ref",
            "objective",
            "objective_ref",
        }:
            out.append(
                f"{where}: no refs and no theme or objective column: every action goes under one theme "
                "and one objective (1.1.1)"
            )
        else:
            for level in LEVELS:
                if not self.generated_levels[level]:
                    continue
                if self.map.columns.keys() & {level, f"{level}_ref"}:
                    out.append(
                        f"{where}: rows above the first {level} named are put in a {level} numbered .1"
                    )
                else:
                    out.append(f"{where}: {_NO_LEVEL_COLUMN[level]}")
        if self.outside:
            out.append(
                f"{where}: {_rows_text(self.outside)} {_verb(self.outside, 'has', 'have')} nothing in the "
                "imported columns: skipped"
            )
        if self.text_only:
            column = column_letter(self.map.columns["ref"])
            out.append(
                f"{where}: {_rows_text(self.text_only)} {_verb(self.text_only, 'holds', 'hold')} only text "
                "that is not a ref "
                f"in column {column} (a key or a footnote?): skipped"
            )
        if self.repeated_headers:
            out.append(f"{where}: header repeated on {_rows_text(self.repeated_headers)}: skipped")
        for key, rows in self.carried.items():
            column = self.map.columns.get(key)
            named = f" (column {column_letter(column)})" if column is not None else ""
            label = key.replace("_", " ").rstrip("s") if key == "leads" else key.replace("_", " ")
            out.append(
                f"{where}: blank {label}{named} taken from the action above in its objective: "
                f"{_rows_text(rows)}"
            )
        if self.status_from_colour:
            out.append(
                f"{where}: no status words on {_rows_text(self.status_from_colour)}: "
                "read from the cell's colour (check them in the dry run)"
            )
        if self.blank_status:
            out.append(f"{where}: no status on {_rows_text(self.blank_status)}: recorded as not started")
        if self.continued:
            out.append(
                f"{where}: {_rows_text(self.continued)} {_verb(self.continued, 'has', 'have')} "
                "no action text: read as more lines of the action above"
            )
        out.extend(f"{line}; the action has no due date" for line in self.unreadable_milestones)
        return out + self.warnings
