"""The plan's own problems, as `plantui check` reports them.

- a finding cites a ref that names nothing in the plan;
- an action has no lead;
- a milestone cannot be read as a date (and is not "Ongoing");
- an incomplete action is past its milestone as at the given day.

And, as warnings (worth a look, but not wrong in themselves, so they never fail the check):

- status and milestone disagree: "not started" or "on track" with an "Ongoing" milestone, or business
  as usual with a dated one ("… onwards" excepted: it carries on after its month);
- a milestone more than six months earlier than the dated milestones on either side of it in its
  objective (a year typed wrong, often);
- a complete action with neither evidence of impact nor a linked measure met in its latest period
  (delivered, but nothing yet shows it made a difference);
- an action marked impact evidenced that no longer has either (its last evidence was taken back, or
  its measure slipped): the mark is left for a person to judge, not cleared without a word.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from plantui.domain.due import DueState, is_overdue
from plantui.domain.errors import InputError
from plantui.domain.milestones import parse_milestone, readable
from plantui.domain.refs import sort_key
from plantui.domain.views import ActionRow, Finding, NodeInfo
from plantui.domain.wording import due_words, status_words


@dataclass(frozen=True, slots=True)
class Problem:
    # "dangling-ref", "no-lead", "unreadable-milestone", "overdue"; as warnings "status-vs-milestone",
    # "milestone-out-of-step"
    kind: str
    ref: str
    message: str
    severity: str = "problem"  # or "warning"

    @property
    def is_warning(self) -> bool:
        return self.severity == "warning"


WARNING_KINDS = ("status-vs-milestone", "milestone-out-of-step", "no-impact-evidence", "impact-unsupported")
# How much earlier than both its neighbours' a milestone must be to be worth a warning.
OUT_OF_STEP_MONTHS = 6
_ONGOING_STATUS_WORDS = {"not_started": "not started", "on_track": "on track"}


def check_plan(
    actions: list[ActionRow],
    nodes: list[NodeInfo],
    findings: list[Finding],
    today: date,
    met_measures: Collection[str] = (),
) -> list[Problem]:
    """The plan's problems and warnings; `met_measures` holds the refs of the actions with a linked
    measure met in its latest period."""
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
    problems.extend(_status_and_milestone_warnings(actions))
    problems.extend(_out_of_step_warnings(actions))
    problems.extend(_impact_warnings(actions, met_measures))
    order = {"dangling-ref": 0, "no-lead": 1, "unreadable-milestone": 2, "overdue": 3}
    order |= {kind: len(order) + index for index, kind in enumerate(WARNING_KINDS)}
    problems.sort(key=lambda p: (order[p.kind], sort_key(p.ref)))
    return problems


def _warning(kind: str, ref: str, message: str) -> Problem:
    return Problem(kind, ref, message, "warning")


def _status_and_milestone_warnings(actions: list[ActionRow]) -> list[Problem]:
    warnings = []
    for action in actions:
        try:
            milestone = parse_milestone(action.milestone)
        except InputError:
            continue  # reported as unreadable
        if milestone.ongoing and action.status in _ONGOING_STATUS_WORDS:
            words = _ONGOING_STATUS_WORDS[action.status]
            warnings.append(
                _warning(
                    "status-vs-milestone",
                    action.ref,
                    f"action {action.ref} is {words} but its milestone is {action.milestone!r}, "
                    "which names no date: is a date missing?",
                )
            )
        elif action.status == "bau" and not milestone.ongoing and not milestone.onwards:
            warnings.append(
                _warning(
                    "status-vs-milestone",
                    action.ref,
                    f"action {action.ref} is business as usual but its milestone is dated "
                    f"({action.milestone!r}): is it an action with an end, or ongoing?",
                )
            )
    return warnings


def _impact_warnings(actions: list[ActionRow], met_measures: Collection[str]) -> list[Problem]:
    warnings = []
    met = set(met_measures)
    for action in actions:
        if action.evidence or action.ref in met:
            continue
        if action.impact:
            warnings.append(
                _warning(
                    "impact-unsupported",
                    action.ref,
                    f"action {action.ref} is marked impact evidenced but has no evidence and no linked "
                    f"measure met: add evidence (plantui evidence add {action.ref} TEXT) or take the "
                    f"mark off (plantui impact {action.ref} --no)",
                )
            )
        elif action.status == "complete":
            warnings.append(
                _warning(
                    "no-impact-evidence",
                    action.ref,
                    f"action {action.ref} is complete but has no evidence of impact and no linked measure "
                    f"met: record what changed (plantui evidence add {action.ref} TEXT)",
                )
            )
    return warnings


def _months(due: date) -> int:
    return due.year * 12 + due.month


def _out_of_step_warnings(actions: list[ActionRow]) -> list[Problem]:
    """A dated milestone more than `OUT_OF_STEP_MONTHS` earlier than the nearest dated milestone before
    it and the nearest after it, in the same objective (plan order)."""
    dated: dict[str, list[ActionRow]] = {}
    for action in actions:
        if action.due is not None:
            dated.setdefault(action.objective_ref, []).append(action)
    warnings = []
    for objective_ref, rows in dated.items():
        for before, action, after in zip(rows, rows[1:], rows[2:], strict=False):
            assert before.due is not None and action.due is not None and after.due is not None
            gap = min(_months(before.due), _months(after.due)) - _months(action.due)
            if gap > OUT_OF_STEP_MONTHS:
                warnings.append(
                    _warning(
                        "milestone-out-of-step",
                        action.ref,
                        f"action {action.ref}: milestone {action.milestone!r} is {gap} months or more "
                        f"earlier than those either side of it in {objective_ref} ({before.ref} "
                        f"{before.milestone!r}, {after.ref} {after.milestone!r}): is its year right?",
                    )
                )
    return warnings
