"""The check's warnings on their edges: what disagrees, what is out of step, and what is not."""

from __future__ import annotations

from datetime import date

from plantui.domain.checks import check_plan
from plantui.domain.milestones import due_from_label
from plantui.domain.views import ActionRow


def row(ref: str, status: str, milestone: str, objective: str = "1.1.1") -> ActionRow:
    due = due_from_label(milestone)
    return ActionRow(
        1,
        ref,
        "Title",
        ("Lead",),
        status,
        milestone,
        due,
        milestone,
        due,
        "",
        "",
        None,
        "",
        objective,
        "1.1",
        "1",
    )


IMPACT_KINDS = ("no-impact-evidence", "impact-unsupported")


def warnings(*rows: ActionRow, impact: bool = False, met: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The warnings `check_plan` gives; those about evidence of impact only with `impact`."""
    found = check_plan(list(rows), [], [], date(2000, 1, 1), met)
    assert all(p.is_warning for p in found)
    return [(p.kind, p.ref) for p in found if impact or p.kind not in IMPACT_KINDS]


def test_complete_actions_without_evidence_or_a_met_measure_and_marks_left_unsupported() -> None:
    found = warnings(
        row("1.1.1.1", "complete", "Ongoing"),  # neither: warned about
        row("1.1.1.2", "complete", "Ongoing")._replace(evidence=1),
        row("1.1.1.3", "complete", "Ongoing"),  # a linked measure met
        row("1.1.1.4", "on_track", "Ongoing")._replace(impact=True),  # marked, its evidence taken back
        row("1.1.1.5", "bau", "Ongoing")._replace(impact=True, evidence=2),
        row("1.1.1.6", "on_track", "March 2023"),  # not complete: nothing to show yet
        impact=True,
        met=("1.1.1.3",),
    )
    assert [w for w in found if w[0] in IMPACT_KINDS] == [
        ("no-impact-evidence", "1.1.1.1"),
        ("impact-unsupported", "1.1.1.4"),
    ]


def test_status_and_milestone_disagreements() -> None:
    assert warnings(
        row("1.1.1.1", "not_started", "Ongoing"),
        row("1.1.1.2", "on_track", "ongoing"),
        row("1.1.1.3", "bau", "November 2022"),
        row("1.1.1.4", "bau", "September 2022 onwards"),  # carries on after its month
        row("1.1.1.5", "bau", "Ongoing"),
        row("1.1.1.6", "some_issues", "Ongoing"),
        row("1.1.1.7", "complete", "Ongoing"),
    ) == [
        ("status-vs-milestone", "1.1.1.1"),
        ("status-vs-milestone", "1.1.1.2"),
        ("status-vs-milestone", "1.1.1.3"),
    ]


def test_out_of_step_needs_both_neighbours_more_than_six_months_later_in_its_objective() -> None:
    assert warnings(
        row("1.1.1.1", "complete", "November 2022"),
        row("1.1.1.2", "complete", "February 2022"),  # 7 and 9 months earlier
        row("1.1.1.3", "complete", "Ongoing"),  # not dated: skipped as a neighbour
        row("1.1.1.4", "complete", "September 2022"),
        row("1.1.1.5", "complete", "March 2022"),  # exactly 6 months before 1.1.1.4: not flagged
        row("1.1.1.6", "complete", "October 2022"),
        row("1.2.1.1", "complete", "January 2020", "1.2.1"),  # alone in its objective
        row("1.2.2.1", "complete", "January 2020", "1.2.2"),  # a first action, one neighbour only
        row("1.2.2.2", "complete", "January 2024", "1.2.2"),
    ) == [("milestone-out-of-step", "1.1.1.2")]
