"""Exceptions: the actions a lead looks at first, and the order to look at them in.

An action is an exception when it is off track, has some issues, is overdue, has not started though
it falls due within the soon window (or already has), or has slipped past its baseline milestone
without being complete. Each counts under its worst concern, in this order:

1. off track, the longest overdue first;
2. overdue, the longest overdue first;
3. some issues, the soonest due first;
4. not started but due, the soonest due first;
5. slipped, the furthest slipped first.

The workbench's exceptions view (`!`), the `exceptions` filter term and the worst-first sort all use
these rules, so the CLI and the screen agree.

A measure of impact is an exception when its latest value is off target (`off_target_measures`):
the board report lists those among the exceptions, worst shortfall first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from enum import IntEnum
from typing import TYPE_CHECKING

from plantui.domain.due import DueState, is_overdue
from plantui.domain.refs import sort_key
from plantui.domain.views import ActionRow

if TYPE_CHECKING:  # imported when asked for: measures -> document -> saved_views come back here
    from plantui.domain.scorecard import ScorecardRow


class Concern(IntEnum):
    """What makes an action an exception; a lower value is worse."""

    OFF_TRACK = 0
    OVERDUE = 1
    SOME_ISSUES = 2
    NOT_STARTED_BUT_DUE = 3
    SLIPPED = 4

    @property
    def words(self) -> str:
        return _WORDS[self]


_WORDS = {
    Concern.OFF_TRACK: "off track",
    Concern.OVERDUE: "overdue",
    Concern.SOME_ISSUES: "some issues",
    Concern.NOT_STARTED_BUT_DUE: "not started but due",
    Concern.SLIPPED: "slipped",
}

# Statuses from worst to best, for the status column's worst-first sort.
WORST_FIRST_STATUSES = ("off_track", "some_issues", "not_started", "on_track", "bau", "complete")


def concerns(row: ActionRow, today: date) -> list[Concern]:
    """Every concern the action raises, worst first; empty when it is no exception."""
    found = []
    if row.status == "off_track":
        found.append(Concern.OFF_TRACK)
    if is_overdue(row.status, row.due, today):
        found.append(Concern.OVERDUE)
    if row.status == "some_issues":
        found.append(Concern.SOME_ISSUES)
    if row.status == "not_started" and row.due_state(today) in (DueState.OVERDUE, DueState.SOON):
        found.append(Concern.NOT_STARTED_BUT_DUE)
    if row.slipped and row.status != "complete":
        found.append(Concern.SLIPPED)
    return found


def worst_concern(row: ActionRow, today: date) -> Concern | None:
    found = concerns(row, today)
    return found[0] if found else None


def is_exception(row: ActionRow, today: date) -> bool:
    return worst_concern(row, today) is not None


def worst_first(row: ActionRow, today: date) -> tuple:
    """A sort key putting exceptions first, in the module's order, then every other action by ref."""
    concern = worst_concern(row, today)
    if concern is None:
        return (len(Concern), 0, date.max, sort_key(row.ref))
    overdue_days = (today - row.due).days if row.due is not None and row.due < today else 0
    if concern in (Concern.OFF_TRACK, Concern.OVERDUE):
        return (concern, -overdue_days, row.due or date.max, sort_key(row.ref))
    if concern is Concern.SLIPPED:
        return (
            concern,
            -(row.slipped_days if row.slipped_days is not None else 10**6),
            date.max,
            sort_key(row.ref),
        )
    return (concern, 0, row.due or date.max, sort_key(row.ref))


def status_worst_first(code: str) -> int:
    return WORST_FIRST_STATUSES.index(code)


def count_by_worst_concern(rows: Iterable[ActionRow], today: date) -> Counter[Concern]:
    """How many exceptions there are under each concern, each action counted once, by its worst."""
    return Counter(c for c in (worst_concern(row, today) for row in rows) if c is not None)


def counts_words(counts: Counter[Concern]) -> str:
    """ "2 off track · 13 overdue · 11 some issues", worst first, leaving out concerns with none."""
    return " · ".join(f"{counts[c]} {c.words}" for c in Concern if counts[c])


def off_target_measures(rows: Iterable[ScorecardRow]) -> list[ScorecardRow]:
    """The measures whose latest value is off target, the furthest short of target first (as a share
    of the target, so a percentage and a count compare), then by ref."""
    from plantui.domain.measures import OFF_TARGET
    from plantui.domain.scorecard import natural_key

    def shortfall(row: ScorecardRow) -> float:
        measure, value = row.measure, row.standing.value
        assert measure.target is not None and value is not None  # off target needs both
        short = measure.target - value if measure.direction == "higher" else value - measure.target
        return short / abs(measure.target) if measure.target else short

    found = [row for row in rows if row.standing.status == OFF_TARGET]
    return sorted(found, key=lambda row: (-shortfall(row), natural_key(row.measure.ref)))
