"""Read services for the board's views: the actions a meeting steps through, and the findings rolled up.

Both take an optional past moment, so an as-at view shows them as they stood.
"""

from __future__ import annotations

from datetime import date, datetime

from plantui.domain.findings import FindingRollup, roll_up_findings
from plantui.domain.scopes import parse_scope
from plantui.domain.views import ActionRow
from plantui.store.as_at import actions_at, end_of_day
from plantui.store.database import Database
from plantui.store.measures import plan_measures
from plantui.store.queries import findings, nodes


def _moment(when: date | datetime | None) -> datetime | None:
    if when is None or isinstance(when, datetime):
        return when
    return end_of_day(when)


def actions_in_scope(
    database: Database, scope: str, today: date, *, when: date | datetime | None = None
) -> list[ActionRow]:
    """The actions a meeting over `scope` ("plan", "theme:4", "filter:EXPR") covers, in plan order.
    `filter:owing` picks what the open update round is still owed."""
    from plantui.store.rounds import owing_refs

    chosen = parse_scope(scope)
    owed = owing_refs(database) if chosen.needs_owed else None
    return chosen.selects(actions_at(database, _moment(when)), today, owed)


def rolled_up_findings(
    database: Database, today: date, *, when: date | datetime | None = None
) -> list[FindingRollup]:
    """Each inspection finding with the actions under the refs it cites, their counts, and whether it is
    at risk as at `today` (see `plantui.domain.findings`), its measures' values as they stood then too."""
    moment = _moment(when)
    _, measures = plan_measures(database, before=moment)
    return roll_up_findings(
        findings(database), actions_at(database, moment), nodes(database), today, measures
    )
