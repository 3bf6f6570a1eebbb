"""A measure's status and trend from its numbers, at the boundaries and for both directions; periods
read as people and council spreadsheets write them; and the words, which never rely on colour."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from plantui.domain.document import MeasureValueDoc
from plantui.domain.errors import InputError
from plantui.domain.measures import (
    BETTER,
    MET,
    NO_DATA,
    NO_TARGET,
    OFF_TARGET,
    SAME,
    WITHIN_TOLERANCE,
    WORSE,
    measure_status,
    measure_trend,
    parse_period,
    period_key,
    period_trend,
    previous_period,
    read_period,
    standing_values,
)
from plantui.domain.wording import (
    measure_status_words,
    measure_value_words,
    number_text,
    period_words,
    trend_words,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (80.0, MET),  # exactly on target
        (95.0, MET),
        (79.99, WITHIN_TOLERANCE),
        (75.0, WITHIN_TOLERANCE),  # exactly the tolerance short
        (74.99, OFF_TARGET),
        (None, NO_DATA),
    ],
)
def test_higher_is_better_at_the_boundaries(value, expected) -> None:
    assert measure_status(value, 80.0, 5.0, "higher") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (22.0, MET),
        (10.0, MET),
        (22.01, WITHIN_TOLERANCE),
        (24.1, WITHIN_TOLERANCE),  # 2.1 over, the tolerance, despite binary rounding (24.1 - 22 > 2.1)
        (24.11, OFF_TARGET),
        (None, NO_DATA),
    ],
)
def test_lower_is_better_at_the_boundaries(value, expected) -> None:
    assert measure_status(value, 22.0, 2.1, "lower") == expected


def test_without_a_tolerance_anything_short_is_off_target_and_without_a_target_nothing_is_judged() -> None:
    assert measure_status(79.999, 80.0, None, "higher") == OFF_TARGET
    assert measure_status(80.0, 80.0, None, "higher") == MET
    assert measure_status(0.0, 0.0, 0.0, "lower") == MET
    assert measure_status(0.1, 0.0, 0.0, "lower") == OFF_TARGET
    assert measure_status(50.0, None, 5.0, "higher") == NO_TARGET
    assert measure_status(None, None, None, "lower") == NO_TARGET


@pytest.mark.parametrize(
    ("value", "previous", "direction", "expected"),
    [
        (82.0, 80.0, "higher", BETTER),
        (78.0, 80.0, "higher", WORSE),
        (20.0, 22.0, "lower", BETTER),
        (24.0, 22.0, "lower", WORSE),
        (0.3, 0.1 + 0.2, "higher", SAME),
        (5.0, None, "higher", None),
        (None, 5.0, "lower", None),
    ],
)
def test_the_trend_follows_the_better_direction(value, previous, direction, expected) -> None:
    assert measure_trend(value, previous, direction) == expected


def test_the_trend_compares_with_the_period_just_before_using_the_standing_values() -> None:
    at = datetime(2022, 11, 1)
    values = [
        MeasureValueDoc("2022-10", 30.0, at, "Ann"),
        MeasureValueDoc("2022-09", 25.0, at, "Ann"),
        MeasureValueDoc("2022-10", 20.0, at, "Ben", "corrected"),  # the correction stands
    ]
    standing = standing_values(values)
    assert list(standing) == ["2022-09", "2022-10"]
    assert period_trend(standing, "2022-10", "lower") == BETTER
    assert period_trend(standing, "2022-09", "lower") is None  # nothing for August
    assert period_trend(standing, "2022-12", "lower") is None


@pytest.mark.parametrize(
    ("written", "period"),
    [
        ("2022-10", "2022-10"),
        ("2022-q3", "2022-Q3"),
        ("Oct-22", "2022-10"),
        ("oct 22", "2022-10"),
        ("October 2022", "2022-10"),
        ("Sept-2022", "2022-09"),
        ("2022/10", "2022-10"),
        ("10/2022", "2022-10"),
        ("Q3 2022", "2022-Q3"),
        ("2022 Q3", "2022-Q3"),
        # UK financial years run April to March: Q1 is Apr-Jun, Q3 Oct-Dec, Q4 Jan-Mar of the next year.
        ("Q3 22/23", "2022-Q4"),
        ("2022/23 Q3", "2022-Q4"),
        ("Q1 2022/23", "2022-Q2"),
        ("Q4 2022-23", "2023-Q1"),
        ("FY22/23 Q2", "2022-Q3"),
        ("Q4 2099/00", "2100-Q1"),  # the year rolls over a century
        (datetime(2022, 10, 1), "2022-10"),  # Excel reads a header "Oct-22" as a date
        (date(2023, 1, 1), "2023-01"),
    ],
)
def test_periods_are_read_as_councils_write_them(written, period) -> None:
    assert read_period(written) == period


@pytest.mark.parametrize(
    "written",
    ["", "Target", "Q5 22/23", "2022/24 Q1", "Octember 22", "2022/13", "13/2022", "22/23", 2022, None],
)
def test_what_is_no_period_is_not_read_as_one(written) -> None:
    assert read_period(written) is None


def test_a_typed_period_that_is_none_says_how_to_write_one() -> None:
    with pytest.raises(InputError, match="'Autumn' is not a period: write a month like 2022-10"):
        parse_period("Autumn")


def test_periods_order_by_the_month_they_end_in_and_step_back_across_years() -> None:
    periods = ["2022-10", "2022-Q3", "2021-12", "2022-09", "2022-Q1"]
    assert sorted(periods, key=period_key) == ["2021-12", "2022-Q1", "2022-09", "2022-Q3", "2022-10"]
    assert previous_period("2022-01") == "2021-12"
    assert previous_period("2022-Q1") == "2021-Q4"
    assert previous_period("2022-Q3") == "2022-Q2"


def test_every_status_and_trend_has_a_symbol_and_words_not_only_colour() -> None:
    assert measure_status_words(MET) == "✔ Met"
    assert measure_status_words(WITHIN_TOLERANCE) == "◐ Within tolerance"
    assert measure_status_words(OFF_TARGET) == "✖ Off target"
    assert measure_status_words(NO_DATA) == "? No data"
    assert measure_status_words(NO_TARGET) == "– No target"
    assert [trend_words(t) for t in (BETTER, WORSE, SAME, None)] == ["▲ better", "▼ worse", "= same", "–"]


def test_periods_and_values_read_as_people_read_them() -> None:
    assert period_words("2022-10") == "Oct 2022"
    assert period_words("2022-Q4") == "Oct–Dec 2022"
    assert number_text(0.1 + 0.2) == "0.3" and number_text(1250.0) == "1,250" and number_text(24.0) == "24"
    assert measure_value_words(23.5, "%") == "23.5%"
    assert measure_value_words(12.0, "days") == "12 days"
    assert measure_value_words(4.2, "per 10,000\n") == "4.2 per 10,000 "
    assert measure_value_words(None, "%") == "–"
