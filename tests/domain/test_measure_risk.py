"""Measures of impact as risk: a finding is at risk when a measure linked to it is off target, and
off-target measures are exceptions, the furthest short of target first."""

from __future__ import annotations

from datetime import date, datetime

from plantui.domain.document import MeasureDoc, MeasureValueDoc
from plantui.domain.exceptions import off_target_measures
from plantui.domain.findings import roll_up_findings
from plantui.domain.scorecard import scorecard_rows
from plantui.domain.views import Finding

AT = datetime(2022, 10, 5)
QUIET_DAY = date(2022, 10, 31)  # nothing under 1.2.1 is off track or overdue yet


def measure(ref: str, value: float | None, *, target: float = 80, direction: str = "higher",
            tolerance: float | None = 5, findings: tuple[int, ...] = (0,)) -> MeasureDoc:  # fmt: skip
    values = [] if value is None else [MeasureValueDoc("2022-09", value, AT, "Team")]
    return MeasureDoc(ref, f"Measure {ref}", "%", direction, target, tolerance, findings=list(findings),
                      values=values)  # fmt: skip


def test_a_finding_is_at_risk_when_a_linked_measure_is_off_target(database) -> None:
    from plantui.store.queries import list_actions, nodes

    actions, plan_nodes = list_actions(database), nodes(database)
    qa = [Finding(1, "Notice", "QA", ("1.2.1",)), Finding(2, "Notice", "Other", ("1.2.1",))]
    quiet = roll_up_findings(qa, actions, plan_nodes, QUIET_DAY)
    assert not quiet[0].at_risk
    measures = [
        measure("M1", 70),  # 10 short, tolerance 5: off target
        measure("M2", 78),  # within tolerance: no risk
        measure("M3", 90, findings=(1,)),  # met
        measure("M4", None),  # no data: no risk on its own
    ]
    first, second = roll_up_findings(qa, actions, plan_nodes, QUIET_DAY, measures)
    assert first.at_risk and first.off_target_measures == ("M1",)
    assert first.reasons == ("1 measure off target (M1)",)
    assert not second.at_risk and second.off_target_measures == ()
    both = roll_up_findings(
        qa, actions, plan_nodes, QUIET_DAY, [*measures, measure("M5", 10, findings=(0, 1))]
    )
    assert both[0].reasons == ("2 measures off target (M1, M5)",)
    assert both[1].reasons == ("1 measure off target (M5)",)


def test_off_target_measures_are_exceptions_furthest_short_first() -> None:
    rows = scorecard_rows(
        [
            measure("M10", 70),  # 12.5% short of 80
            measure("M2", 40, target=20, direction="lower", tolerance=None),  # 100% over a lower target
            measure("M3", 79),  # within tolerance
            measure("M4", 60, tolerance=None),  # 25% short
            measure("M5", 70),  # 12.5% short, as M10: by ref, M5 first
            measure("M6", None),
        ]
    )
    assert [row.measure.ref for row in off_target_measures(rows)] == ["M2", "M4", "M5", "M10"]
