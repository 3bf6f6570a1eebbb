"""The status counts at the last boards, rebuilt from the history with as-at.

The points are the ends of the last six board meetings before the day (the plan as the board left
it), or, when no meeting had ended by then, the last six month ends; then the day itself. Each point
counts the plan, a theme, an area or an objective as it stood then, so the numbers are the ones
`plantui --as-at DAY list` would count (the statuses rebuilt for every point in one pass over the
history, `store.as_at.statuses_at`). The report draws them and the
workbench's Trends screen shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from plantui.domain.rollup import StatusCounts
from plantui.domain.views import ActionRow
from plantui.store.as_at import end_of_day, statuses_at
from plantui.store.database import Database
from plantui.store.meetings import list_meetings
from plantui.store.queries import list_actions

POINTS = 6  # earlier points, before the day itself


BOARD, MONTH_END, AS_AT = "board", "month end", "as at"


@dataclass(frozen=True, slots=True)
class TrendPoint:
    kind: str  # BOARD, MONTH_END or AS_AT (the day itself)
    name: str  # the meeting's title for a board, else the kind
    day: date
    moment: datetime | None  # stored UTC; None for the plan as it is now
    counts: StatusCounts


def points_word(points: tuple[TrendPoint, ...]) -> str:
    """`the last 6 boards`, `the last 6 month ends`: what the earlier points are."""
    earlier = [p for p in points if p.kind != AS_AT]
    kind = earlier[0].kind if earlier else MONTH_END
    noun = "board" if kind == BOARD else "month end"
    return f"the last {len(earlier)} {noun}s" if len(earlier) != 1 else f"the last {noun}"


def _month_ends_before(day: date, count: int) -> list[date]:
    """The last days of the `count` months before `day`'s month, oldest first."""
    ends = []
    end = day.replace(day=1) - timedelta(days=1)
    for _ in range(count):
        ends.append(end)
        end = end.replace(day=1) - timedelta(days=1)
    return ends[::-1]


Moment = tuple[str, str, date, datetime | None]


def trend_moments(database: Database, as_at: date | None, today: date) -> list[Moment]:
    """(kind, name, day, moment) of each point: the last boards (or month ends), then the day."""
    until = end_of_day(as_at) if as_at is not None else None
    ended = sorted(
        (m.ended_at, m.title)
        for m in list_meetings(database)
        if m.ended_at is not None and (until is None or m.ended_at < until)
    )
    moments: list[Moment] = [(BOARD, title, at.date(), at) for at, title in ended[-POINTS:]]
    day = as_at or today
    if not moments:
        moments = [(MONTH_END, MONTH_END, end, end_of_day(end)) for end in _month_ends_before(day, POINTS)]
    moments.append((AS_AT, AS_AT, day, until))
    return moments


def in_scope(rows: list[ActionRow], ref: str | None) -> list[ActionRow]:
    """The actions under a theme, area or objective ref (every action when None)."""
    if ref is None:
        return rows
    return [r for r in rows if ref in (r.theme_ref, r.area_ref, r.objective_ref)]


def status_trend(
    database: Database,
    *,
    today: date,
    as_at: date | None = None,
    scopes: tuple[str | None, ...] = (None,),
    now: list[ActionRow] | None = None,
) -> dict[str | None, tuple[TrendPoint, ...]]:
    """The points for each scope (None: the whole plan), every moment's statuses rebuilt in one pass
    over the history (`store.as_at.statuses_at`). `now` saves reading the plan's rows again."""
    moments = trend_moments(database, as_at, today)
    rows = now if now is not None else list_actions(database)
    statuses = statuses_at(database, [moment for *_, moment in moments])
    refs = {scope: [r.ref for r in in_scope(rows, scope)] for scope in scopes}
    return {
        scope: tuple(
            TrendPoint(
                kind, name, day, moment, StatusCounts.of(then[ref] for ref in refs[scope] if ref in then)
            )
            for (kind, name, day, moment), then in zip(moments, statuses, strict=True)
        )
        for scope in scopes
    }
