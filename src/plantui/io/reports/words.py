"""What both report formats add to `plantui.domain.wording`: colour names for the status key, user
text on one line, the leads of an action, signed counts."""

from __future__ import annotations

from plantui.domain.text import visible
from plantui.domain.views import ActionRow
from plantui.domain.wording import day_text, plural

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


def leads_text(row: ActionRow) -> str:
    return "; ".join(row.leads) if row.leads else "no lead named"


def signed(number: int) -> str:
    return f"+{number}" if number > 0 else ("±0" if number == 0 else f"−{-number}")


def update_line(updates) -> str:
    """`Updates this round: 18 of 22 leads returned by the due date, 15 Nov 2022`."""
    return (
        f"Updates this round: {updates.on_time} of {plural(updates.leads, 'lead')} returned by the due date, "
        f"{day_text(updates.due)}"
    )
