"""Due states as at a given day, and slippage against the baseline milestone.

The same rules serve the action table, the calendar, the CLI and the reports:
- overdue: the due date is before today and the action is neither complete nor BAU;
- due soon: not overdue, not closed, and due within the next `SOON_DAYS` days (today included);
- done: complete;
- ongoing: no due date, or business as usual (which never falls due);
- later: due after the soon window.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from plantui.domain.statuses import CLOSED_CODES

SOON_DAYS = 30


class DueState(StrEnum):
    OVERDUE = "overdue"
    SOON = "soon"
    LATER = "later"
    ONGOING = "ongoing"
    DONE = "done"

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]

    @property
    def words(self) -> str:
        return _WORDS[self]


_SYMBOLS = {
    DueState.OVERDUE: "⚠",
    DueState.SOON: "◷",
    DueState.LATER: "·",
    DueState.ONGOING: "↻",
    DueState.DONE: "✔",
}
_WORDS = {
    DueState.OVERDUE: "overdue",
    DueState.SOON: "due soon",
    DueState.LATER: "",
    DueState.ONGOING: "ongoing",
    DueState.DONE: "done",
}


def due_state(status_code: str, due: date | None, today: date) -> DueState:
    if status_code == "complete":
        return DueState.DONE
    if due is None or status_code in CLOSED_CODES:
        return DueState.ONGOING
    if due < today:
        return DueState.OVERDUE
    if due <= today + timedelta(days=SOON_DAYS):
        return DueState.SOON
    return DueState.LATER


def is_overdue(status_code: str, due: date | None, today: date) -> bool:
    return due is not None and due < today and status_code not in CLOSED_CODES


def slipped_days(baseline_due: date | None, due: date | None) -> int | None:
    """How many days later than its baseline an action is now due; None when it has not slipped.

    An action that had a date and became "Ongoing" has slipped open-endedly: that is reported as
    -1 days so callers can say "slipped (no date)".
    """
    if baseline_due is None:
        return None
    if due is None:
        return -1
    days = (due - baseline_due).days
    return days if days > 0 else None


def months_slipped(baseline_due: date | None, due: date | None) -> int | None:
    """Whole months between baseline and current due month; None when not slipped or open-ended."""
    if baseline_due is None or due is None or due <= baseline_due:
        return None
    return (due.year - baseline_due.year) * 12 + due.month - baseline_due.month
