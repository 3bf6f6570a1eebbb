"""The phrases both report formats share, so Markdown and HTML say the same thing the same way."""

from __future__ import annotations

from datetime import date

from plantui.domain.due import DueState
from plantui.domain.statuses import status
from plantui.domain.text import visible
from plantui.domain.views import ActionRow

# The legend's colours by name, for the status key (the hex values are in `Status.colour`).
COLOUR_NAMES = {
    "complete": "blue",
    "on_track": "green",
    "some_issues": "amber",
    "off_track": "red",
    "not_started": "grey",
    "bau": "purple",
}


def one_line(text: str) -> str:
    """User text on one line, control characters made visible (escaping for the format comes after)."""
    return visible(text).strip()


def status_words(code: str) -> str:
    """`✖ R Off track`: symbol, letter and words, readable without colour."""
    s = status(code)
    if s.letter == s.short:  # BAU is its own letter
        return f"{s.symbol} {s.short}"
    return f"{s.symbol} {s.letter} {s.short}"


def status_mark(code: str) -> str:
    """`✖ R`, `∞ BAU`: the symbol and letter alone, for narrow places (with the words nearby)."""
    return status(code).badge


def leads_text(row: ActionRow) -> str:
    return "; ".join(row.leads) if row.leads else "no lead named"


def due_words(row: ActionRow, today: date) -> str:
    state = row.due_state(today)
    if state is DueState.OVERDUE and row.due is not None:
        days = (today - row.due).days
        return f"overdue by {days} day{'s' if days != 1 else ''} (due {row.due.isoformat()})"
    if state is DueState.SOON and row.due is not None:
        return f"due soon ({row.due.isoformat()})"
    if state is DueState.LATER and row.due is not None:
        return f"due {row.due.isoformat()}"
    if state is DueState.DONE:
        return "done"
    return "ongoing" if row.status == "bau" or row.due is None else state.words


def slip_words(row: ActionRow) -> str:
    """How far the milestone has moved from its baseline, or "" when it has not."""
    days = row.slipped_days
    if days is None:
        return ""
    if days < 0:
        return f"slipped from {row.baseline} to no date"
    assert row.due is not None and row.baseline_due is not None
    months = (row.due.year - row.baseline_due.year) * 12 + row.due.month - row.baseline_due.month
    by = f"{months} month{'s' if months != 1 else ''}" if months > 0 else f"{days} days"
    return f"slipped {by} from {row.baseline}"


def signed(number: int) -> str:
    return f"+{number}" if number > 0 else ("±0" if number == 0 else f"−{-number}")
