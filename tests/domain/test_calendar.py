"""The calendar model: months of a year with what is due, overdue and slipped, and the Ongoing lane."""

from __future__ import annotations

from datetime import date

import pytest

from plantui.domain.calendar import ActionGroup, Month, calendar_year
from plantui.domain.milestones import due_from_label
from plantui.domain.views import ActionRow

TODAY = date(2022, 11, 1)


def action(ref: str, status: str, milestone: str, baseline: str | None = None) -> ActionRow:
    baseline = milestone if baseline is None else baseline
    return ActionRow(
        id=hash(ref) & 0xFFFF,
        ref=ref,
        title=f"Action {ref} [draft]",
        leads=("Head of Service",),
        status=status,
        milestone=milestone,
        due=due_from_label(milestone),
        baseline=baseline,
        baseline_due=due_from_label(baseline),
        detailed_plan="",
        success_measures="",
        updated_at=None,
        last_note="",
        objective_ref=ref.rsplit(".", 1)[0],
        area_ref=ref.rsplit(".", 2)[0],
        theme_ref=ref.split(".")[0],
    )


ROWS = [
    action("1.1.1.1", "complete", "September 2022"),
    action("1.1.1.2", "off_track", "September 2022"),
    action("1.1.1.3", "on_track", "October 2022"),
    action("1.1.1.4", "bau", "October 2022"),
    action("1.1.1.5", "some_issues", "November 2022 onwards"),
    action("1.1.1.6", "on_track", "March 2023", baseline="September 2022"),
    action("1.1.1.7", "not_started", "April 2023", baseline="March 2023"),
    action("1.2.1.1", "bau", "Ongoing"),
    action("1.2.1.2", "on_track", "Ongoing", baseline="October 2022"),
    action("1.2.1.3", "off_track", "Spring"),  # unreadable: no due date, so it stays with Ongoing
    action("1.2.1.4", "on_track", "December 2021"),
    action("1.2.1.5", "on_track", "June 2024"),
]


def test_months_of_a_year_hold_the_actions_due_in_them() -> None:
    year = calendar_year(ROWS, 2022, TODAY)
    assert [cell.month for cell in year.months] == [Month(2022, n) for n in range(1, 13)]
    assert [cell.total for cell in year.months] == [0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 1, 0]
    september = year.cell(Month(2022, 9))
    assert september.group.counts["complete"] == 1 and september.group.counts["off_track"] == 1
    assert september.group.overdue == 1  # the complete one is not overdue
    october = year.cell(Month(2022, 10))
    assert october.group.overdue == 1  # BAU never falls due
    assert year.due_this_year.total == 5 and year.due_this_year.overdue == 2
    november = year.cell(Month(2022, 11))
    assert (november.group.soon, year.due_this_year.soon) == (1, 1)  # due 30 Nov: within 30 days
    assert (year.before, year.after) == (1, 3)


def test_todays_month_and_the_past_are_marked() -> None:
    year = calendar_year(ROWS, 2022, TODAY)
    assert [cell.month.month for cell in year.months if cell.is_current] == [11]
    assert [cell.month.month for cell in year.months if cell.is_past] == list(range(1, 11))
    later = calendar_year(ROWS, 2023, TODAY)
    assert not any(cell.is_current or cell.is_past for cell in later.months)


def test_ongoing_lane_keeps_undated_actions_out_of_the_grid() -> None:
    year = calendar_year(ROWS, 2022, TODAY)
    assert [row.ref for row in year.ongoing.actions] == ["1.2.1.2", "1.2.1.3", "1.2.1.1"]
    assert year.ongoing.total == 3
    assert year.ongoing.counts["bau"] == 1 and year.ongoing.counts["off_track"] == 1
    assert year.ongoing.overdue == 0
    assert year.ongoing.slipped == year.ongoing.slipped_open_ended == 1  # October 2022 -> Ongoing
    assert year.ongoing.most_slipped_months is None
    # the lane is the same whichever year is shown
    assert calendar_year(ROWS, 2030, TODAY).ongoing.total == 3


def test_slipped_actions_are_counted_with_how_far() -> None:
    year = calendar_year(ROWS, 2023, TODAY)
    march, april = year.cell(Month(2023, 3)), year.cell(Month(2023, 4))
    assert (march.group.slipped, march.group.most_slipped_months) == (1, 6)
    assert (april.group.slipped, april.group.most_slipped_months) == (1, 1)
    assert year.due_this_year.slipped == 2 and year.due_this_year.most_slipped_months == 6


def test_actions_in_a_month_come_most_urgent_first() -> None:
    rows = [
        action("3.1", "on_track", "October 2022"),
        action("3.2", "complete", "October 2022"),
        action("3.3", "off_track", "October 2022"),
        action("3.4", "on_track", "October 2022", baseline="August 2022"),
        action("3.5", "bau", "October 2022"),
        action("3.6", "some_issues", "October 2022"),
    ]
    group = ActionGroup.of(rows, TODAY)
    # overdue ones first (red before amber before green), then by status; complete and BAU last
    assert [row.ref for row in group.actions] == ["3.4", "3.3", "3.6", "3.1", "3.2", "3.5"]


def test_an_empty_plan_gives_an_empty_year() -> None:
    year = calendar_year([], 2022, TODAY)
    assert all(cell.total == 0 for cell in year.months)
    assert year.ongoing.total == 0 and year.due_this_year.overdue == 0
    assert year.ongoing.most_slipped_months is None


@pytest.mark.parametrize(
    ("start", "by", "end"),
    [
        (Month(2022, 11), 1, Month(2022, 12)),
        (Month(2022, 12), 1, Month(2023, 1)),
        (Month(2023, 1), -1, Month(2022, 12)),
        (Month(2022, 2), -4, Month(2021, 10)),
        (Month(2022, 11), 4, Month(2023, 3)),
        (Month(2022, 6), -30, Month(2019, 12)),
        (Month(2022, 6), 0, Month(2022, 6)),
    ],
)
def test_moving_by_months_crosses_year_ends(start: Month, by: int, end: Month) -> None:
    assert start.shift(by) == end


def test_moving_by_years_keeps_the_month() -> None:
    assert Month(2022, 11).shift_years(1) == Month(2023, 11)
    assert Month(2022, 2).shift_years(-1) == Month(2021, 2)


def test_month_names_and_filter_term() -> None:
    month = Month.of(date(2022, 11, 17))
    assert (month.name, month.short_name, month.filter_term) == ("November 2022", "Nov 2022", "due:2022-11")
    assert Month(987, 3).filter_term == "due:0987-03"
    assert month.contains(date(2022, 11, 30)) and not month.contains(date(2022, 12, 1))
    assert not month.contains(None)
    assert Month(2022, 1) < Month(2022, 2) < Month(2023, 1)
    with pytest.raises(ValueError, match="month 13"):
        Month(2022, 13)


def test_a_month_term_filters_the_actions_the_cell_counts() -> None:
    from plantui.domain.filters import parse_filter

    year = calendar_year(ROWS, 2022, TODAY)
    for cell in year.months:
        chosen = parse_filter(cell.month.filter_term).apply(ROWS, TODAY)
        assert sorted(row.ref for row in chosen) == sorted(row.ref for row in cell.group.actions)
