"""The plan as the workbench holds it in memory: every action row, and status counts per tree node.

Filtering, scoping and counting run here over plain `ActionRow` values, so a keystroke never waits for
the database. After a saved change, `apply` swaps in the one row that changed and moves the counts of
its theme, area, objective and the whole plan by one, instead of counting everything again.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from plantui.domain.filters import Filter
from plantui.domain.refs import ancestors, within
from plantui.domain.rollup import StatusCounts
from plantui.domain.views import ActionRow, NodeInfo, PlanInfo

PLAN_SCOPE = ""  # the tree's root: the whole plan


class PlanModel:
    def __init__(self, info: PlanInfo, nodes: list[NodeInfo], rows: list[ActionRow]) -> None:
        self.info = info
        self.nodes = nodes
        self.node_by_ref = {node.ref: node for node in nodes}
        self.rows = rows
        self._position = {row.ref: i for i, row in enumerate(rows)}
        self.counts = self._count()

    def _count(self) -> dict[str, StatusCounts]:
        # Actions grouped by the node just above them first: a plan has far fewer nodes than actions.
        by_parent: dict[str, list[str]] = defaultdict(list)
        for row in self.rows:
            by_parent[row.ref.rpartition(".")[0]].append(row.status)
        codes: dict[str, list[str]] = defaultdict(list)
        for parent_ref, statuses in by_parent.items():
            codes[PLAN_SCOPE] += statuses
            if parent_ref:
                for ref in (*ancestors(parent_ref), parent_ref):
                    codes[ref] += statuses
        counts = {ref: StatusCounts.of(values) for ref, values in codes.items()}
        for node in self.nodes:
            counts.setdefault(node.ref, StatusCounts.empty())
        counts.setdefault(PLAN_SCOPE, StatusCounts.empty())
        return counts

    @property
    def total(self) -> StatusCounts:
        return self.counts[PLAN_SCOPE]

    def row(self, ref: str) -> ActionRow | None:
        position = self._position.get(ref)
        return None if position is None else self.rows[position]

    def has(self, ref: str) -> bool:
        return ref in self._position or ref in self.node_by_ref

    def apply(self, row: ActionRow) -> ActionRow | None:
        """Take in one changed action; returns the row it replaced (None if it was unknown)."""
        position = self._position.get(row.ref)
        if position is None:
            return None
        old = self.rows[position]
        self.rows[position] = row
        if old.status != row.status:
            for ref in (PLAN_SCOPE, *ancestors(row.ref)):
                self.counts[ref] = self.counts[ref].moved(old.status, row.status)
        return old

    def visible(self, scope: str, query: Filter, today: date) -> list[ActionRow]:
        """The actions under `scope` (a node ref, or the plan) that match the filter, in plan order."""
        rows = self.rows
        if scope != PLAN_SCOPE:
            rows = [row for row in rows if within(row.ref, scope)]
        return query.apply(rows, today)

    def leads(self) -> list[str]:
        """Every lead named in the plan, once, in alphabetical order."""
        return sorted({lead for row in self.rows for lead in row.leads}, key=str.lower)
