"""The milestone calendar: a year of months, each with the actions due in it, and the Ongoing lane.

Built from `ActionRow`s and a day taken as today; no I/O. The rules for overdue and slipped are those
of `plantui.domain.due`, so the calendar counts exactly what the table, the CLI and the reports show.
The TUI draws a `CalendarYear`; moving around it uses the `Month` helpers here.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from plantui.domain.due import DueState, due_state, is_overdue
from plantui.domain.rollup import StatusCounts
from plantui.domain.statuses import STATUS_CODES
from plantui.domain.views import ActionRow


@dataclass(frozen=True, order=True, slots=True)
class Month:
    """A calendar month, ordered in time; `shift` moves across year ends."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not 1-12")

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    def shift(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def shift_years(self, years: int) -> Month:
        return Month(self.year + years, self.month)

    def contains(self, day: date | None) -> bool:
        return day is not None and day.year == self.year and day.month == self.month

    @property
    def name(self) -> str:
        """The month in words: November 2022."""
        return f"{_calendar.month_name[self.month]} {self.year}"

    @property
    def short_name(self) -> str:
        """The month abbreviated: Nov 2022."""
        return f"{_calendar.month_abbr[self.month]} {self.year}"

    @property
    def filter_term(self) -> str:
        """The filter term that lists this month's actions: `due:2022-11`."""
        return f"due:{self.year:04d}-{self.month:02d}"


# How actions are listed inside a month: what needs attention first, finished and BAU last.
_RANK = {
    code: rank
    for rank, code in enumerate(("off_track", "some_issues", "not_started", "on_track", "complete", "bau"))
}
assert set(_RANK) == set(STATUS_CODES)


def _attention_order(row: ActionRow, today: date) -> tuple:
    return (
        not is_overdue(row.status, row.due, today),
        not row.slipped,
        _RANK[row.status],
        row.due or date.max,
    )


@dataclass(frozen=True, slots=True)
class ActionGroup:
    """Some actions (a month's, or the Ongoing lane's), counted the ways the calendar shows them."""

    actions: tuple[ActionRow, ...]  # most in need of attention first: overdue, slipped, red, amber ...
    counts: StatusCounts
    overdue: int
    soon: int  # due within the next `SOON_DAYS` days and not finished
    slipped: int
    most_slipped_months: int | None  # the longest dated slip among them, in months
    slipped_open_ended: int  # slipped from a date to "Ongoing"

    @classmethod
    def of(cls, rows: Iterable[ActionRow], today: date) -> ActionGroup:
        actions = tuple(sorted(rows, key=lambda row: _attention_order(row, today)))
        slips = [row.slippage for row in actions]
        months = [slip.months for slip in slips if slip is not None and slip.months is not None]
        return cls(
            actions=actions,
            counts=StatusCounts.of(row.status for row in actions),
            overdue=sum(is_overdue(row.status, row.due, today) for row in actions),
            soon=sum(due_state(row.status, row.due, today) is DueState.SOON for row in actions),
            slipped=sum(slip is not None for slip in slips),
            most_slipped_months=max(months) if months else None,
            slipped_open_ended=sum(slip is not None and slip.open_ended for slip in slips),
        )

    @classmethod
    def combined(cls, groups: Iterable[ActionGroup]) -> ActionGroup:
        """Several groups as one (their actions one after another), without counting again."""
        groups = list(groups)
        months = [g.most_slipped_months for g in groups if g.most_slipped_months is not None]
        return cls(
            actions=tuple(row for g in groups for row in g.actions),
            counts=sum((g.counts for g in groups), StatusCounts.empty()),
            overdue=sum(g.overdue for g in groups),
            soon=sum(g.soon for g in groups),
            slipped=sum(g.slipped for g in groups),
            most_slipped_months=max(months) if months else None,
            slipped_open_ended=sum(g.slipped_open_ended for g in groups),
        )

    @property
    def total(self) -> int:
        return len(self.actions)


@dataclass(frozen=True, slots=True)
class MonthCell:
    month: Month
    group: ActionGroup
    is_current: bool  # the month that holds today
    is_past: bool  # wholly before today's month

    @property
    def total(self) -> int:
        return self.group.total


@dataclass(frozen=True, slots=True)
class CalendarYear:
    year: int
    today: date
    months: tuple[MonthCell, ...]  # January to December
    ongoing: ActionGroup  # no due date: "Ongoing" and labels that could not be read
    due_this_year: ActionGroup
    before: int  # actions due in earlier years
    after: int  # actions due in later years

    def cell(self, month: Month) -> MonthCell:
        if month.year != self.year:
            raise ValueError(f"{month.name} is not in {self.year}")
        return self.months[month.month - 1]


def calendar_year(rows: Iterable[ActionRow], year: int, today: date) -> CalendarYear:
    """Every action due in `year`, month by month, with the Ongoing lane and what falls outside."""
    by_month: list[list[ActionRow]] = [[] for _ in range(12)]
    ongoing: list[ActionRow] = []
    before = after = 0
    for row in rows:
        if row.due is None:
            ongoing.append(row)
        elif row.due.year < year:
            before += 1
        elif row.due.year > year:
            after += 1
        else:
            by_month[row.due.month - 1].append(row)
    current = Month.of(today)
    cells = tuple(
        MonthCell(
            Month(year, number),
            ActionGroup.of(actions, today),
            is_current=Month(year, number) == current,
            is_past=Month(year, number) < current,
        )
        for number, actions in enumerate(by_month, start=1)
    )
    return CalendarYear(
        year=year,
        today=today,
        months=cells,
        ongoing=ActionGroup.of(ongoing, today),
        due_this_year=ActionGroup.combined(cell.group for cell in cells),
        before=before,
        after=after,
    )
