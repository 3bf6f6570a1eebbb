"""A first look at a plan without SQLAlchemy: what the TUI needs for its first frame.

Importing SQLAlchemy and SQLModel takes longer than importing Textual, so a TUI that opens the store
before its first frame cannot be as quick to open as a plain Textual app. This module reads the
plan's title and its tree of themes, areas and objectives, each with its actions' status counts,
straight from the SQLite file with the standard library, read-only, in milliseconds. The TUI can draw
that at once and open the store (SQLAlchemy, migrations) in a worker afterwards.

It never creates, migrates or changes anything. Where it cannot answer (no such file, not SQLite, no
plan yet, a schema it does not know, a server URL) it returns None and the caller opens the store
as usual, which says what is wrong.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass

from plantui.domain.rollup import StatusCounts
from plantui.domain.statuses import STATUS_CODES
from plantui.domain.views import NodeInfo
from plantui.store.location import Location


@dataclass(frozen=True, slots=True)
class PlanOverview:
    title: str
    nodes: tuple[NodeInfo, ...]  # themes, areas and objectives in plan order, as `queries.nodes` gives
    counts: dict[str, StatusCounts]  # by node ref, every node present (empty counts where no actions)
    total: StatusCounts


def read_overview(location: Location) -> PlanOverview | None:
    """The plan's tree with status counts, or None when this quick path cannot tell."""
    path = location.path
    if path is None or not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return None
    try:
        return _read(conn)
    except (sqlite3.Error, ValueError):  # not a database, a schema this plantui does not know, bad data
        return None
    finally:
        conn.close()


def _read(conn: sqlite3.Connection) -> PlanOverview | None:
    plan = conn.execute("SELECT id, title FROM plan ORDER BY id LIMIT 1").fetchone()
    if plan is None:
        return None
    plan_id, title = plan
    themes = conn.execute(
        "SELECT id, ref, title, aim FROM theme WHERE plan_id = ? ORDER BY position", (plan_id,)
    ).fetchall()
    areas = conn.execute(
        "SELECT a.id, a.theme_id, a.ref, a.title, a.outcomes FROM area a JOIN theme t ON t.id = a.theme_id"
        " WHERE t.plan_id = ? ORDER BY a.position",
        (plan_id,),
    ).fetchall()
    objectives = conn.execute(
        "SELECT o.id, o.area_id, o.ref, o.text FROM objective o JOIN area a ON a.id = o.area_id"
        " JOIN theme t ON t.id = a.theme_id WHERE t.plan_id = ? ORDER BY o.position",
        (plan_id,),
    ).fetchall()
    tallies: dict[int, list[int]] = defaultdict(lambda: [0] * len(STATUS_CODES))
    for objective_id, status, count in conn.execute(
        "SELECT objective_id, status, count(*) FROM action WHERE plan_id = ? GROUP BY objective_id, status",
        (plan_id,),
    ):
        tallies[objective_id][STATUS_CODES.index(status)] += count  # an unknown status is a ValueError

    areas_of: dict[int, list[tuple]] = defaultdict(list)
    for area in areas:
        areas_of[area[1]].append(area)
    objectives_of: dict[int, list[tuple]] = defaultdict(list)
    for objective in objectives:
        objectives_of[objective[1]].append(objective)

    nodes: list[NodeInfo] = []
    counts: dict[str, StatusCounts] = {}
    total = StatusCounts.empty()
    for theme_id, theme_ref, theme_title, aim in themes:
        nodes.append(NodeInfo(theme_ref, "theme", theme_title, aim))
        theme_counts = StatusCounts.empty()
        for area_id, _, area_ref, area_title, outcomes in areas_of[theme_id]:
            nodes.append(NodeInfo(area_ref, "area", area_title, outcomes))
            area_counts = StatusCounts.empty()
            for objective_id, _, objective_ref, text in objectives_of[area_id]:
                nodes.append(NodeInfo(objective_ref, "objective", text, text))
                counts[objective_ref] = StatusCounts(tuple(tallies[objective_id]))
                area_counts += counts[objective_ref]
            counts[area_ref] = area_counts
            theme_counts += area_counts
        counts[theme_ref] = theme_counts
        total += theme_counts
    return PlanOverview(title, tuple(nodes), counts, total)
