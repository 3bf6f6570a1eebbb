"""Due states as at a given day, and slippage against the baseline milestone.

The same rules serve the action table, the calendar, the CLI and the reports:
- overdue: the due date is before today and the action is neither complete nor BAU;
- due soon: not overdue, not closed, and due within the next `SOON_DAYS` days (today included);
- done: complete;
- ongoing: no due date, or business as usual (which never falls due);
- later: due after the soon window.

Slippage compares the current due date with the baseline (the first milestone the action had):
`slippage()` says by how much. The words for both ("overdue by 5 days", "slipped 6 months") are made
in `plantui.domain.wording`, so every screen, command, report and export says them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from plantui.domain.statuses import CLOSED_CODES

SOON_DAYS = 30
_WHOLE_MONTH_DAYS = 28  # a shorter slip is told in days: "1 day", not "1 month", for 29 Feb -> 1 Mar


class DueState(StrEnum):
    """Where an action stands against its due date; `plantui.domain.wording` has its words and symbol."""

    OVERDUE = "overdue"
    SOON = "soon"
    LATER = "later"
    ONGOING = "ongoing"
    DONE = "done"


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


@dataclass(frozen=True, slots=True)
class Slippage:
    """How far an action's due date has moved past its baseline.

    `days` and `months` are None when the action slipped open-endedly: it had a date and is now
    "Ongoing". `months` counts calendar months between the two due months (September to March is 6),
    which is how a board speaks of a slip; a slip of under four weeks (within a month, or a day across a
    month end from one full date to another) is given in days instead, with `months` 0.
    """

    days: int | None
    months: int | None

    @property
    def open_ended(self) -> bool:
        return self.days is None


def slippage(baseline_due: date | None, due: date | None) -> Slippage | None:
    """The slip from `baseline_due` to `due`, or None when the action is not later than its baseline."""
    days = slipped_days(baseline_due, due)
    if days is None:
        return None
    if days < 0:
        return Slippage(None, None)
    return Slippage(days, months_slipped(baseline_due, due) if days >= _WHOLE_MONTH_DAYS else 0)
