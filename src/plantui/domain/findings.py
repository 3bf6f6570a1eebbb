"""Inspection findings rolled up: the actions under the refs each finding cites, and which are at risk.

A finding cites refs as the inspection appendices print them: a theme (`4`), an area (`4.4`), an
objective (`1.2.1`) or an action. The actions under a cited ref are the ref itself (when it is an
action) and every action within it. A ref that names nothing in the plan (`1.2.2` in the sample) is
kept, listed and flagged.

A finding is *at risk* as at a day when any action under its refs is off track or overdue on that
day, when a measure linked to it is off target (its latest value, `domain.measures`), or when it cites
a ref that names nothing (nothing in the plan answers that part of it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from plantui.domain.document import MeasureDoc
from plantui.domain.due import is_overdue
from plantui.domain.measures import OFF_TARGET, measure_standing
from plantui.domain.refs import ancestors
from plantui.domain.rollup import StatusCounts
from plantui.domain.views import ActionRow, Finding, NodeInfo


@dataclass(frozen=True, slots=True)
class CitedRef:
    ref: str
    kind: str | None  # "theme", "area", "objective", "action", or None when it names nothing
    title: str
    actions: tuple[ActionRow, ...]

    @property
    def names_nothing(self) -> bool:
        return self.kind is None


@dataclass(frozen=True, slots=True)
class FindingRollup:
    number: int  # 1-based, in the plan's order
    finding: Finding
    refs: tuple[CitedRef, ...]  # each ref once, in the order cited
    actions: tuple[ActionRow, ...]  # every action under any cited ref, once, in plan order
    counts: StatusCounts
    off_track: tuple[ActionRow, ...]
    overdue: tuple[ActionRow, ...]
    off_target_measures: tuple[str, ...] = ()  # refs of linked measures whose latest value is off target

    @property
    def dangling(self) -> tuple[str, ...]:
        """Cited refs that name nothing in the plan."""
        return tuple(cited.ref for cited in self.refs if cited.names_nothing)

    @property
    def at_risk(self) -> bool:
        return bool(self.off_track or self.overdue or self.off_target_measures or self.dangling)

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why the finding is at risk, one short phrase each; empty when it is not."""
        reasons = []
        if self.off_track:
            reasons.append(f"{len(self.off_track)} off track ({', '.join(a.ref for a in self.off_track)})")
        if self.overdue:
            reasons.append(f"{len(self.overdue)} overdue ({', '.join(a.ref for a in self.overdue)})")
        if self.off_target_measures:
            measures = self.off_target_measures
            noun = "measure" if len(measures) == 1 else "measures"
            reasons.append(f"{len(measures)} {noun} off target ({', '.join(measures)})")
        for ref in self.dangling:
            reasons.append(f"cites {ref}, which names nothing in the plan")
        return tuple(reasons)


def roll_up_findings(
    findings: Iterable[Finding],
    actions: list[ActionRow],
    nodes: Iterable[NodeInfo],
    today: date,
    measures: Sequence[MeasureDoc] = (),
) -> list[FindingRollup]:
    """Each finding with the actions under the refs it cites, their counts, and what puts it at risk
    (`measures` are the plan's, each linked to findings by position)."""
    off_target: dict[int, list[str]] = defaultdict(list)  # finding position -> its off-target measures
    for measure in measures:
        if measure.findings and measure_standing(measure).status == OFF_TARGET:
            for position in measure.findings:
                off_target[position].append(measure.ref)
    named: dict[str, tuple[str, str]] = {node.ref: (node.kind, node.title) for node in nodes}
    named.update({action.ref: ("action", action.title) for action in actions})
    position = {action.ref: index for index, action in enumerate(actions)}
    under_ref: dict[str, list[ActionRow]] = defaultdict(list)  # every ref -> the actions within it
    for action in actions:
        for ref in (*ancestors(action.ref), action.ref):
            under_ref[ref].append(action)
    result = []
    for number, finding in enumerate(findings, start=1):
        cited: list[CitedRef] = []
        under: dict[str, ActionRow] = {}
        for ref in dict.fromkeys(finding.refs):  # a ref cited twice counts once
            kind, title = named.get(ref, (None, ""))
            mine = tuple(under_ref.get(ref, ())) if kind else ()
            cited.append(CitedRef(ref, kind, title, mine))
            under.update((a.ref, a) for a in mine)
        rows = tuple(sorted(under.values(), key=lambda a: position[a.ref]))
        result.append(
            FindingRollup(
                number=number,
                finding=finding,
                refs=tuple(cited),
                actions=rows,
                counts=StatusCounts.of(a.status for a in rows),
                off_track=tuple(a for a in rows if a.status == "off_track"),
                overdue=tuple(a for a in rows if is_overdue(a.status, a.due, today)),
                off_target_measures=tuple(off_target.get(number - 1, ())),
            )
        )
    return result
