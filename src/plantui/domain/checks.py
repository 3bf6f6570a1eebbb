"""The plan's own problems, as `plantui check` reports them.

- a finding cites a ref that names nothing in the plan;
- an action has no lead;
- a milestone cannot be read as a date (and is not "Ongoing");
- an incomplete action is past its milestone as at the given day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from plantui.domain.due import DueState, is_overdue
from plantui.domain.milestones import readable
from plantui.domain.refs import sort_key
from plantui.domain.views import ActionRow, Finding, NodeInfo
from plantui.domain.wording import due_words, status_words


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str  # "dangling-ref", "no-lead", "unreadable-milestone", "overdue"
    ref: str
    message: str


def check_plan(
    actions: list[ActionRow], nodes: list[NodeInfo], findings: list[Finding], today: date
) -> list[Problem]:
    known = {node.ref for node in nodes} | {action.ref for action in actions}
    problems: list[Problem] = []
    for number, finding in enumerate(findings, start=1):
        for ref in finding.refs:
            if ref not in known:
                problems.append(
                    Problem(
                        "dangling-ref",
                        ref,
                        f"finding {number} ({finding.source}) cites {ref}, which names nothing in the plan",
                    )
                )
    for action in actions:
        if not action.leads:
            problems.append(Problem("no-lead", action.ref, f"action {action.ref} has no lead officer"))
        if action.milestone.strip() and not readable(action.milestone):
            problems.append(
                Problem(
                    "unreadable-milestone",
                    action.ref,
                    f"action {action.ref}: milestone {action.milestone!r} cannot be read as a date",
                )
            )
        elif not action.milestone.strip():
            problems.append(
                Problem("unreadable-milestone", action.ref, f"action {action.ref} has no milestone")
            )
        if is_overdue(action.status, action.due, today):
            assert action.due is not None
            problems.append(
                Problem(
                    "overdue",
                    action.ref,
                    f"action {action.ref} is {due_words(DueState.OVERDUE, action.due, today, full=True)}: "
                    f"milestone {action.milestone!r}, status {status_words(action.status)}",
                )
            )
    order = {"dangling-ref": 0, "no-lead": 1, "unreadable-milestone": 2, "overdue": 3}
    problems.sort(key=lambda p: (order[p.kind], sort_key(p.ref)))
    return problems
