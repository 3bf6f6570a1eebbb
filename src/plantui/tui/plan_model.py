"""The plan as the workbench holds it in memory: every action row, and status counts per tree node.

Filtering, scoping and counting run here over plain `ActionRow` values, so a keystroke never waits for
the database. After a saved change, `apply` swaps in the one row that changed and moves the counts of
its theme, area, objective and the whole plan by one, instead of counting everything again.

The plan's measures of impact ride along (`measures`, replaced whole when any value or definition
moves), with the measures linked to each action and finding looked up without a scan.

Each tree node keeps the positions of its actions in `rows`, worked out once with the counts, so a step
in the tree picks its actions without looking at the other 10,000. Positions, not rows: a row swapped
in by `apply` is what every node sees next, with nothing to invalidate.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from plantui.domain.document import MeasureDoc
from plantui.domain.filters import Filter
from plantui.domain.refs import ancestors, within
from plantui.domain.rollup import StatusCounts
from plantui.domain.scorecard import ScorecardRow, scorecard_rows
from plantui.domain.views import ActionRow, NodeInfo, PlanInfo

PLAN_SCOPE = ""  # the tree's root: the whole plan


class PlanModel:
    def __init__(
        self,
        info: PlanInfo,
        nodes: list[NodeInfo],
        rows: list[ActionRow],
        measures: list[MeasureDoc] | None = None,
    ) -> None:
        self.info = info
        self.nodes = nodes
        self.node_by_ref = {node.ref: node for node in nodes}
        self.rows = rows
        self._position = {row.ref: i for i, row in enumerate(rows)}
        self._positions: dict[str, list[int]] = defaultdict(list)  # node ref -> its actions' positions
        self.counts = self._count()
        self.impact_evidenced = sum(row.impact for row in rows)  # kept in step by `apply`
        self.measures: list[MeasureDoc] = []
        self.scorecard: list[ScorecardRow] = []  # each measure where it stands, in plan order
        self.measures_read = measures is not None  # False until read (a first frame from a snapshot)
        self._measures_of_action: dict[str, list[MeasureDoc]] = {}
        self._measures_of_finding: dict[int, list[MeasureDoc]] = {}
        self.take_measures(measures or [])

    def take_measures(self, measures: list[MeasureDoc], scorecard: list[ScorecardRow] | None = None) -> None:
        """The plan's measures as they now stand (or stood, as at a day), replacing those held, with
        where each stands (`scorecard`, worked out here unless given: a worker thread gives it, so
        the screen never waits for it)."""
        self.measures = measures
        self.scorecard = scorecard if scorecard is not None else scorecard_rows(measures)
        self.measures_read = True
        by_action: dict[str, list[MeasureDoc]] = defaultdict(list)
        by_finding: dict[int, list[MeasureDoc]] = defaultdict(list)
        for measure in measures:
            for ref in measure.actions:
                by_action[ref].append(measure)
            for position in measure.findings:
                by_finding[position].append(measure)
        self._measures_of_action = dict(by_action)
        self._measures_of_finding = dict(by_finding)

    def measures_of_action(self, ref: str) -> list[MeasureDoc]:
        """The measures linked to the action `ref`, in plan order."""
        return self._measures_of_action.get(ref, [])

    def measures_of_finding(self, position: int) -> list[MeasureDoc]:
        """The measures linked to the finding at `position` (0-based, the plan's order)."""
        return self._measures_of_finding.get(position, [])

    def _count(self) -> dict[str, StatusCounts]:
        # Actions grouped by the node just above them first: a plan has far fewer nodes than actions.
        statuses_of: dict[str, list[str]] = defaultdict(list)
        positions_of: dict[str, list[int]] = defaultdict(list)
        for i, row in enumerate(self.rows):
            parent_ref = row.ref.rpartition(".")[0]
            statuses_of[parent_ref].append(row.status)
            positions_of[parent_ref].append(i)
        codes: dict[str, list[str]] = defaultdict(list)
        positions = self._positions
        for parent_ref, statuses in statuses_of.items():
            codes[PLAN_SCOPE] += statuses
            if parent_ref:
                for ref in (*ancestors(parent_ref), parent_ref):
                    codes[ref] += statuses
                    positions[ref] += positions_of[parent_ref]
        for kept in positions.values():
            kept.sort()  # plan order, as the rows are (already so but for a plan with stray refs)
        counts = {ref: StatusCounts.of(values) for ref, values in codes.items()}
        for node in self.nodes:
            counts.setdefault(node.ref, StatusCounts.empty())
            positions.setdefault(node.ref, [])
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
        self.impact_evidenced += row.impact - old.impact
        if old.status != row.status:
            for ref in (PLAN_SCOPE, *ancestors(row.ref)):
                self.counts[ref] = self.counts[ref].moved(old.status, row.status)
        return old

    def visible(self, scope: str, query: Filter, today: date) -> list[ActionRow]:
        """The actions under `scope` (a node ref, or the plan) that match the filter, in plan order."""
        return query.apply(self.scoped(scope), today)

    def scoped(self, scope: str) -> list[ActionRow]:
        """The actions under `scope` (a node ref, or the plan), in plan order; a new list each time."""
        if scope == PLAN_SCOPE:
            return list(self.rows)
        positions = self._positions.get(scope)
        if positions is None:  # an action's own ref, or a ref the plan does not have
            return [row for row in self.rows if within(row.ref, scope)]
        rows = self.rows
        return [rows[i] for i in positions]

    def leads(self) -> list[str]:
        """Every lead named in the plan, once, in alphabetical order."""
        return sorted({lead for row in self.rows for lead in row.leads}, key=str.lower)
