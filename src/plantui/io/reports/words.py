"""What every report format adds to `plantui.domain.wording`: colour names for the status key, user
text on one line, the leads of an action, signed counts, the headline's phrases."""

from __future__ import annotations

from datetime import date

from plantui.domain.rollup import BAU_NOTE, StatusCounts
from plantui.domain.scorecard import ScorecardRow
from plantui.domain.text import visible
from plantui.domain.views import ActionRow
from plantui.domain.wording import (
    NO_VALUE,
    day_text,
    measure_value_words,
    number_text,
    period_words,
    plural,
    target_words,
)
from plantui.io.reports.model import BoardMovement
from plantui.io.reports.trend import TrendPoint

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


def share_words(counts: StatusCounts) -> tuple[str, str]:
    """The headline share and what it is out of: (`76%`, `77 of 101 actions; BAU actions are left out
    of the base: 23 here`); (`–`, …) when every action is BAU."""
    share = counts.share_on_track
    figure = f"{share:.0%}" if share is not None else "–"
    return figure, f"{counts.on_track_or_complete} of {counts.base} actions; {BAU_NOTE}: {counts['bau']} here"


def board_movement_words(since: BoardMovement | None, as_at: date) -> str:
    """`Since the last board, 'October Board' (2022-10-31): 2 better ↑, 1 worse ↓, 1 new off track.`
    (user text unescaped: the meeting's title is in the label)."""
    if since is None:
        return (
            f"No board meeting was recorded before the end of {day_text(as_at)}, "
            "so there is no movement since the last board to show yet."
        )
    return (
        f"{since.label[0].upper()}{since.label[1:]}: {since.better} better ↑, {since.worse} worse ↓, "
        f"{since.new_off_track} new off track."
    )


def point_heading(point: TrendPoint) -> tuple[str, str]:
    """A trend point's two lines: (`October Board`, `31 Oct 2022`), (`month end`, …), (`as at`, …)."""
    return point.name, day_text(point.day)


# The commands a cut list's line names, which the HTML keeps whole on one line.
FULL_LIST_COMMANDS = ("plantui report --format html", "plantui export")


FURTHEST_SHORT_FIRST = "the furthest short first"


def cut_list_words(shown: int, total: int, what: str, order: str = "in plan order") -> str | None:
    """`The first 200 of 4,875 overdue actions, in plan order; the full list is in the HTML report
    (plantui report --format html) and in plantui export.`; None when every row is shown."""
    if shown >= total:
        return None
    return (
        f"The first {shown:,} of {total:,} {what}, {order}; the full list is in the HTML report "
        f"({FULL_LIST_COMMANDS[0]}) and in {FULL_LIST_COMMANDS[1]}."
    )


# --- the scorecard ------------------------------------------------------------------------------------


def measures_headline_words(off_target: int, measures: int) -> str:
    """`2 of 14 measures off target`; empty when the plan has no measures."""
    if not measures:
        return ""
    return f"{off_target} of {plural(measures, 'measure')} off target"


def latest_words(row: ScorecardRow) -> str:
    """`72%`, or a dash with no value."""
    return measure_value_words(row.standing.value, row.measure.unit)


def latest_period_words(row: ScorecardRow) -> str:
    return period_words(row.standing.period) if row.standing.period else NO_VALUE


def measure_target_words(row: ScorecardRow) -> str:
    measure = row.measure
    words = target_words(measure.target, measure.direction, measure.unit)
    if measure.target is not None and measure.tolerance is not None:
        words += f" (within {measure_value_words(measure.tolerance, measure.unit)})"
    return words


def recent_values_words(row: ScorecardRow) -> str:
    """The last 12 periods' values, oldest first, a dash where a period has none: `70 · 74 · – · 72`."""
    return " · ".join(NO_VALUE if value is None else number_text(value) for value in row.recent) or NO_VALUE


def linked_words(row: ScorecardRow) -> str:
    """What the measure evidences: `1.1.1.2; 1.1.1; finding 1`, or `–`."""
    measure = row.measure
    links = [*measure.actions, *measure.objectives, *(f"finding {p + 1}" for p in measure.findings)]
    return "; ".join(links) or NO_VALUE
