"""Exceptions: which actions are, under which concern, and the worst-first order, on the sample plan
as at its status date and on hand-made rows."""

from __future__ import annotations

from datetime import date

import pytest

from plantui.domain.exceptions import (
    Concern,
    concerns,
    count_by_worst_concern,
    counts_words,
    is_exception,
    worst_first,
)
from plantui.domain.filters import parse_filter
from plantui.domain.views import ActionRow

TODAY = date(2022, 11, 1)


def row(ref: str, status: str, due: date | None, baseline_due: date | None = None) -> ActionRow:
    return ActionRow(
        id=hash(ref) & 0xFFFF, ref=ref, title=f"Action {ref}", leads=("Lead",), status=status,
        milestone="", due=due, baseline="", baseline_due=baseline_due, detailed_plan="",
        success_measures="", updated_at=None, last_note="", objective_ref=ref.rsplit(".", 1)[0],
        area_ref=ref.rsplit(".", 2)[0], theme_ref=ref.split(".")[0],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("status", "due", "baseline_due", "expected"),
    [
        ("off_track", date(2022, 9, 30), None, [Concern.OFF_TRACK, Concern.OVERDUE]),
        ("on_track", date(2022, 10, 31), None, [Concern.OVERDUE]),
        ("some_issues", date(2023, 3, 31), None, [Concern.SOME_ISSUES]),
        ("not_started", date(2022, 11, 30), None, [Concern.NOT_STARTED_BUT_DUE]),
        ("not_started", date(2023, 4, 30), None, []),  # not due yet
        ("on_track", date(2023, 3, 31), date(2022, 12, 31), [Concern.SLIPPED]),
        ("complete", date(2023, 3, 31), date(2022, 12, 31), []),  # slipped, but done
        ("complete", date(2022, 1, 31), None, []),
        ("bau", date(2022, 1, 31), None, []),  # BAU never falls due
    ],
)
def test_concerns_of_an_action(status, due, baseline_due, expected):
    action = row("1.1.1.1", status, due, baseline_due)
    assert concerns(action, TODAY) == expected
    assert is_exception(action, TODAY) == bool(expected)
    assert parse_filter("exceptions").matches(action, TODAY) == bool(expected)
    assert parse_filter("-exceptions").matches(action, TODAY) == (not expected)


def test_worst_first_puts_off_track_then_the_longest_overdue_then_the_rest():
    rows = [
        row("1.1.1.1", "on_track", date(2023, 6, 30)),  # no exception: last
        row("1.1.1.2", "not_started", date(2022, 11, 15)),
        row("1.1.1.3", "on_track", date(2022, 10, 15)),  # overdue 17 days
        row("1.1.1.4", "some_issues", date(2023, 1, 31)),
        row("1.1.1.5", "on_track", date(2022, 2, 28)),  # overdue 246 days
        row("1.1.1.6", "off_track", date(2023, 1, 31)),
        row("1.1.1.7", "on_track", date(2023, 3, 31), date(2022, 12, 31)),  # slipped 3 months
    ]
    ordered = [r.ref for r in sorted(rows, key=lambda r: worst_first(r, TODAY))]
    assert ordered == ["1.1.1.6", "1.1.1.5", "1.1.1.3", "1.1.1.4", "1.1.1.2", "1.1.1.7", "1.1.1.1"]
    counts = count_by_worst_concern(rows, TODAY)
    assert counts_words(counts) == (
        "1 off track · 2 overdue · 1 some issues · 1 not started but due · 1 slipped"
    )


def test_the_sample_plans_exceptions_start_with_its_two_off_track_actions():
    from plantui.io.sample import load_sample

    rows = [row(a.ref, a.rag, a.due, a.baseline_due) for a in load_sample().actions()]
    exceptions = sorted((r for r in rows if is_exception(r, TODAY)), key=lambda r: worst_first(r, TODAY))
    assert [r.status for r in exceptions[:2]] == ["off_track", "off_track"]
    assert count_by_worst_concern(rows, TODAY)[Concern.OFF_TRACK] == 2
