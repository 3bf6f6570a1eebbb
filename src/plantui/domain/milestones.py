"""Milestone labels as printed in a plan, and the due date each one implies.

The label is kept as written ("September 2022", "Ongoing", "April 2023 onwards"), its spacing tidied on
import (`tidy_label`: "September  2022" becomes "September 2022"); the due
date is derived from it: the last day of the month named, the day itself for a full date, and none
for an ongoing action. A label that names no date and is not "Ongoing" is an `InputError`.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date

from plantui.domain.errors import InputError

_MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    _MONTHS[calendar.month_name[_number].lower()] = _number
    _MONTHS[calendar.month_abbr[_number].lower()] = _number
_MONTHS["sept"] = 9

_ONGOING_WORDS = frozenset({"ongoing", "on going", "on-going", "continuous", "bau"})
_ONWARDS = re.compile(r"\s*(?:onwards?|and\s+ongoing|ongoing|\+)\s*$", re.IGNORECASE)
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?[\s,/-]*(\d{4}|\d{2})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True, slots=True)
class Milestone:
    label: str
    due: date | None
    onwards: bool = False  # "September 2022 onwards": due then, and carries on after

    @property
    def ongoing(self) -> bool:
        return self.due is None


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def parse_milestone(label: str) -> Milestone:
    """Read a milestone label; raise `InputError` with the reason when it names no date."""
    if not isinstance(label, str):
        raise InputError(f"milestone must be text, not {type(label).__name__}")
    return _parse_label(label)


# A plan of 10,000 actions has a few hundred distinct labels: reading each once keeps loading fast.
# (Milestone is frozen, so sharing one is safe; a label that raises is not cached.)
@functools.lru_cache(maxsize=4096)
def _parse_label(label: str) -> Milestone:
    text = " ".join(label.split())
    if not text:
        raise InputError("milestone is empty: write a month and year, a date, or 'Ongoing'")
    if text.lower() in _ONGOING_WORDS:
        return Milestone(label, None)
    onwards = False
    stripped = _ONWARDS.sub("", text)
    if stripped != text and stripped:
        onwards, text = True, stripped
    due = _parse_date_text(text)
    if due is None:
        raise InputError(
            f"milestone {label!r} is not a date: write e.g. 'March 2023', '31/03/2023', "
            "'2023-03-31', 'March 2023 onwards' or 'Ongoing'"
        )
    return Milestone(label, due, onwards)


def _parse_date_text(text: str) -> date | None:
    try:
        if m := _MONTH_YEAR.match(text):
            month = _MONTHS.get(m.group(1).lower())
            return month_end(_year(m.group(2)), month) if month else None
        if m := _ISO_DATE.match(text):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := _UK_DATE.match(text):
            return date(_year(m.group(3)), int(m.group(2)), int(m.group(1)))
        if m := _ISO_MONTH.match(text):
            return month_end(int(m.group(1)), int(m.group(2)))
    except ValueError:  # 31/02/2023, month 13, year 0
        return None
    return None


def tidy_label(label: str) -> str:
    """A label as plantui stores one it imports: every run of whitespace one space, none at the ends
    ("September  2022", as a PDF's text extraction left it, becomes "September 2022"). The history
    keeps labels as they were written."""
    return " ".join(label.split())


def due_from_label(label: str) -> date | None:
    """The due date of a label, or None where it has none or cannot be read."""
    try:
        return parse_milestone(label).due
    except InputError:
        return None


def readable(label: str) -> bool:
    try:
        parse_milestone(label)
    except InputError:
        return False
    return True


def milestone_from_date(day: date, *, month_only: bool = False) -> Milestone:
    """A milestone for a date cell of a spreadsheet, labelled as a person reads it.

    `month_only` is for a cell formatted to show a month and year ("Dec 2016"), which Excel stores as
    the first of the month: the label names the month and the due date is its last day.
    """
    if month_only:
        return Milestone(f"{calendar.month_name[day.month]} {day.year}", month_end(day.year, day.month))
    return Milestone(day.strftime("%d/%m/%Y"), day)
