"""The scorecard: every measure where it stands, its recent periods, sorted and filtered, and one
measure's history as lines (plain values; the workbench and the board report lay them out).

A row (`ScorecardRow`) is a measure with its standing (`measures.measure_standing`) and the values of
its last `RECENT_PERIODS` periods, ending at its latest period with a value; a period with none is
None, so a gap shows as a gap. Rows sort worst first (`STATUS_ORDER`), by ref (M2 before M10) or by
name. The filter (`ScorecardFilter`) takes words that must all appear in the ref, name, unit or
owner, `status:WORD` (a status's code or the start of one of its words: `status:off`, `status:met`,
`status:within`, `status:no`) and `owner:WORDS` (the start of the owner's name, or any word of it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from plantui.domain.document import MeasureDoc
from plantui.domain.errors import InputError
from plantui.domain.measures import (
    MET,
    NO_DATA,
    NO_TARGET,
    OFF_TARGET,
    WITHIN_TOLERANCE,
    MeasureStanding,
    measure_standing,
    measure_status,
    period_trend,
    previous_period,
    standing_values,
)

RECENT_PERIODS = 12
STATUS_ORDER = (OFF_TARGET, WITHIN_TOLERANCE, NO_DATA, NO_TARGET, MET)  # worst first
SORTS = ("status", "ref", "name")
_STATUS_NAMES = {
    OFF_TARGET: ("off_target", "off"),
    WITHIN_TOLERANCE: ("within_tolerance", "within", "tolerance", "amber"),
    MET: ("met",),
    NO_DATA: ("no_data", "no", "data", "nodata"),
    NO_TARGET: ("no_target", "no", "notarget"),
}


@dataclass(frozen=True, slots=True)
class ScorecardRow:
    measure: MeasureDoc
    standing: MeasureStanding
    recent: tuple[float | None, ...]  # the last RECENT_PERIODS periods' values, oldest first

    @property
    def status_rank(self) -> int:
        return STATUS_ORDER.index(self.standing.status)


def recent_periods(latest: str, count: int = RECENT_PERIODS) -> list[str]:
    """`count` periods ending at `latest`, oldest first."""
    periods = [latest]
    while len(periods) < count:
        periods.append(previous_period(periods[-1]))
    return periods[::-1]


def scorecard_row(measure: MeasureDoc) -> ScorecardRow:
    values = standing_values(measure.values)
    standing = measure_standing(measure, values)
    if standing.period is None:
        return ScorecardRow(measure, standing, ())
    recent = tuple(
        values[period].value if period in values else None for period in recent_periods(standing.period)
    )
    return ScorecardRow(measure, standing, recent)


def scorecard_rows(measures: Iterable[MeasureDoc]) -> list[ScorecardRow]:
    """Every measure where it stands, in plan order."""
    return [scorecard_row(measure) for measure in measures]


def natural_key(text: str) -> tuple:
    """`M2` before `M10`: digits compare as numbers."""
    return tuple(int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text))


_SORT_KEYS: dict[str, Callable[[ScorecardRow], tuple]] = {
    "status": lambda row: (row.status_rank, natural_key(row.measure.ref)),
    "ref": lambda row: natural_key(row.measure.ref),
    "name": lambda row: (row.measure.name.casefold(), natural_key(row.measure.ref)),
}


def sorted_rows(rows: Iterable[ScorecardRow], by: str) -> list[ScorecardRow]:
    """The rows sorted by status (worst first), ref or name."""
    return sorted(rows, key=_SORT_KEYS[by])


@dataclass(frozen=True, slots=True)
class ScorecardFilter:
    text: str
    words: tuple[str, ...]
    statuses: frozenset[str] | None  # None: any status
    owner: str | None

    def matches(self, row: ScorecardRow) -> bool:
        if self.statuses is not None and row.standing.status not in self.statuses:
            return False
        measure = row.measure
        if self.owner is not None:
            owner = measure.owner.casefold()
            if not (owner.startswith(self.owner) or self.owner in owner.split()):
                return False
        haystack = f"{measure.ref} {measure.name} {measure.unit} {measure.owner}".casefold()
        return all(word in haystack for word in self.words)

    def apply(self, rows: Iterable[ScorecardRow]) -> list[ScorecardRow]:
        return [row for row in rows if self.matches(row)]


def _statuses(word: str) -> frozenset[str]:
    wanted = word.casefold().replace(" ", "_").replace("-", "_")
    found = frozenset(
        code
        for code, names in _STATUS_NAMES.items()
        if wanted == code or any(name.startswith(wanted) for name in names)
    )
    if not wanted or not found:
        raise InputError(f"status:{word}: use off, within, met, no_data or no_target")
    return found


def parse_scorecard_filter(text: str) -> ScorecardFilter:
    """The `/` box's words as a filter; an `InputError` saying how to write a term it cannot read.
    `owner:"Jane Smith"` keeps its words together."""
    words: list[str] = []
    statuses: frozenset[str] | None = None
    owner: str | None = None
    for match in re.finditer(r'(\w+):"([^"]*)"?|(\S+)', text):
        if match.group(1) is not None:
            key, value = match.group(1).casefold(), match.group(2)
        else:
            term = match.group(3)
            key, sep, value = term.partition(":")
            key = key.casefold() if sep else ""
            if not sep:
                value = term
        if key == "status":
            chosen = _statuses(value)
            statuses = chosen if statuses is None else statuses | chosen
        elif key == "owner":
            if not value.strip():
                raise InputError('owner: give a name, e.g. owner:Smith or owner:"Jane Smith"')
            owner = " ".join(value.casefold().split())
        else:
            words.append((f"{key}:{value}" if key else value).casefold())
    return ScorecardFilter(text, tuple(words), statuses, owner)


# --- one measure's history ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordedValue:
    """One recorded value of a period, newest recording first within the period."""

    value: float
    at: datetime
    author: str
    note: str
    stands: bool  # the value that stands for its period (the newest recorded)


@dataclass(frozen=True, slots=True)
class PeriodHistory:
    period: str
    status: str  # of the standing value
    trend: str | None
    recorded: tuple[RecordedValue, ...]  # the standing one first, then what it corrected, newest first


def period_histories(measure: MeasureDoc) -> list[PeriodHistory]:
    """Every period with a value, newest period first, each with every value recorded for it."""
    by_period: dict[str, list[RecordedValue]] = {}
    for entry in measure.values:
        by_period.setdefault(entry.period, []).append(
            RecordedValue(entry.value, entry.at, entry.author, entry.note, False)
        )
    standing = standing_values(measure.values)
    histories = []
    for period in reversed(standing):
        recorded = by_period[period][::-1]
        first = recorded[0]
        recorded[0] = RecordedValue(first.value, first.at, first.author, first.note, True)
        histories.append(
            PeriodHistory(
                period,
                measure_status(standing[period].value, measure.target, measure.tolerance, measure.direction),
                period_trend(standing, period, measure.direction),
                tuple(recorded),
            )
        )
    return histories
