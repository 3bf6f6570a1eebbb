from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plantui.domain.due import (
    DueState,
    due_state,
    is_overdue,
    months_slipped,
    slippage,
    slipped_days,
)
from plantui.domain.errors import InputError
from plantui.domain.milestones import due_from_label, parse_milestone
from plantui.domain.wording import slip_amount, slip_words


@pytest.mark.parametrize(
    ("label", "due", "onwards"),
    [
        ("September 2022", date(2022, 9, 30), False),
        ("September  2022", date(2022, 9, 30), False),
        ("  september 2022 ", date(2022, 9, 30), False),
        ("SEPT 2022", date(2022, 9, 30), False),
        ("Dec 2016", date(2016, 12, 31), False),
        ("February 2024", date(2024, 2, 29), False),
        ("February 2023", date(2023, 2, 28), False),
        ("February 2100", date(2100, 2, 28), False),
        ("September 2022 onwards", date(2022, 9, 30), True),
        ("April 2023 and ongoing", date(2023, 4, 30), True),
        ("31/12/2022", date(2022, 12, 31), False),
        ("2022-12-31", date(2022, 12, 31), False),
        ("2023-03", date(2023, 3, 31), False),
    ],
)
def test_due_is_the_last_day_of_the_month_named(label: str, due: date, onwards: bool) -> None:
    milestone = parse_milestone(label)
    assert milestone.label == label  # kept exactly as written
    assert milestone.due == due
    assert milestone.onwards is onwards


@pytest.mark.parametrize("label", ["Ongoing", "ongoing", " ONGOING "])
def test_ongoing_has_no_due_date(label: str) -> None:
    milestone = parse_milestone(label)
    assert milestone.due is None and milestone.ongoing


@pytest.mark.parametrize("label", ["", "Spring", "Q3", "31/02/2023", "Smarch 2022", "onwards"])
def test_unreadable_labels_say_why(label: str) -> None:
    with pytest.raises(InputError, match="milestone"):
        parse_milestone(label)
    assert due_from_label(label) is None


@given(st.text())
def test_any_text_gives_a_milestone_or_a_clear_error(label: str) -> None:
    try:
        milestone = parse_milestone(label)
    except InputError as error:
        assert "\n" not in str(error).strip("\n") or "\n" in label
    else:
        assert milestone.label == label


TODAY = date(2022, 11, 1)


@pytest.mark.parametrize(
    ("code", "due", "state"),
    [
        ("on_track", date(2022, 10, 31), DueState.OVERDUE),
        ("off_track", date(2022, 11, 30), DueState.SOON),
        ("on_track", date(2022, 12, 1), DueState.SOON),
        ("on_track", date(2022, 12, 2), DueState.LATER),
        ("complete", date(2022, 9, 30), DueState.DONE),
        ("bau", date(2022, 9, 30), DueState.ONGOING),
        ("on_track", None, DueState.ONGOING),
        ("on_track", TODAY, DueState.SOON),
    ],
)
def test_due_states(code: str, due: date | None, state: DueState) -> None:
    assert due_state(code, due, TODAY) is state


def test_overdue_leaves_out_complete_and_bau() -> None:
    past = date(2022, 9, 30)
    assert is_overdue("some_issues", past, TODAY)
    assert not is_overdue("complete", past, TODAY)
    assert not is_overdue("bau", past, TODAY)
    assert not is_overdue("on_track", None, TODAY)


def test_slippage() -> None:
    assert slipped_days(date(2022, 9, 30), date(2023, 3, 31)) == 182
    assert months_slipped(date(2022, 9, 30), date(2023, 3, 31)) == 6
    assert slipped_days(date(2022, 9, 30), date(2022, 9, 30)) is None
    assert slipped_days(date(2022, 9, 30), date(2022, 8, 31)) is None
    assert slipped_days(date(2022, 9, 30), None) == -1
    assert slipped_days(None, date(2022, 9, 30)) is None


@pytest.mark.parametrize(
    ("label", "due"),
    [
        ("January 2023", date(2023, 1, 31)),
        ("April 2023", date(2023, 4, 30)),
        ("June 2023", date(2023, 6, 30)),
        ("December 2022", date(2022, 12, 31)),
        ("February 2000", date(2000, 2, 29)),  # divisible by 400: a leap year
        ("February 2028", date(2028, 2, 29)),
        ("2024-02", date(2024, 2, 29)),
        ("29/02/2024", date(2024, 2, 29)),
        ("2023-02-28", date(2023, 2, 28)),
    ],
)
def test_month_ends_and_leap_years(label: str, due: date) -> None:
    assert parse_milestone(label).due == due


@pytest.mark.parametrize(
    ("label", "due"),
    [
        ("  MARCH\t2023 ", date(2023, 3, 31)),
        ("march,2023", date(2023, 3, 31)),
        ("Mar. 2023", date(2023, 3, 31)),
        ("mar-2023", date(2023, 3, 31)),
        ("Sept 22", date(2022, 9, 30)),
        ("sEpTeMbEr\n2022", date(2022, 9, 30)),
    ],
)
def test_odd_spacing_and_case(label: str, due: date) -> None:
    milestone = parse_milestone(label)
    assert milestone.due == due and not milestone.onwards
    assert milestone.label == label


@pytest.mark.parametrize(
    "label",
    ["April 2023 onwards", "April 2023 Onwards", "april 2023 ONWARD", "April  2023   onwards", "April 2023+"],
)
def test_onwards_is_due_in_the_month_named_and_carries_on(label: str) -> None:
    milestone = parse_milestone(label)
    assert milestone.due == date(2023, 4, 30)
    assert milestone.onwards and not milestone.ongoing


@pytest.mark.parametrize("label", ["On-going", "on going", "Continuous", "BAU", "Ongoing\n"])
def test_ongoing_spellings(label: str) -> None:
    assert parse_milestone(label).ongoing


@pytest.mark.parametrize("label", ["29/02/2023", "February 2023 onwards onwards", "13/13/2023", "2023-13"])
def test_impossible_dates_are_refused(label: str) -> None:
    with pytest.raises(InputError, match="is not a date"):
        parse_milestone(label)


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2022, 11, 29), DueState.SOON),
        (date(2022, 11, 30), DueState.SOON),  # due today is not yet overdue
        (date(2022, 12, 1), DueState.OVERDUE),
        (date(2022, 10, 31), DueState.SOON),  # exactly 30 days ahead
        (date(2022, 10, 30), DueState.LATER),  # 31 days ahead
    ],
)
def test_due_state_at_a_month_end(today: date, state: DueState) -> None:
    due = parse_milestone("November 2022").due
    assert due_state("on_track", due, today) is state


def test_leap_day_boundaries() -> None:
    due = parse_milestone("February 2024").due
    assert not is_overdue("off_track", due, date(2024, 2, 29))
    assert is_overdue("off_track", due, date(2024, 3, 1))


@pytest.mark.parametrize(
    ("baseline", "now", "words", "amount", "months"),
    [
        ("September 2022", "March 2023", "slipped 6 months", "6 months", 6),
        ("November 2022", "January 2023", "slipped 2 months", "2 months", 2),
        ("15/09/2022", "30/09/2022", "slipped 15 days", "15 days", 0),
        ("September 2022", "Ongoing", "slipped to no date", "no date", None),
        ("February 2024", "2024-03-01", "slipped 1 day", "1 day", 0),
        ("15/09/2022", "14/10/2022", "slipped 1 month", "1 month", 1),
    ],
)
def test_slippage_in_words(baseline: str, now: str, words: str, amount: str, months: int | None) -> None:
    slip = slippage(due_from_label(baseline), due_from_label(now))
    assert slip is not None
    assert slip_words(slip) == words and slip_amount(slip.months, slip.days) == amount
    if months is not None:
        assert slip.months == months


@pytest.mark.parametrize(
    ("baseline", "now"),
    [("March 2023", "March 2023"), ("March 2023", "September 2022"), ("Ongoing", "March 2023")],
)
def test_no_slip_when_not_later_than_baseline(baseline: str, now: str) -> None:
    assert slippage(due_from_label(baseline), due_from_label(now)) is None
    assert slip_words(slippage(due_from_label(baseline), due_from_label(now))) == ""
