from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plantui.domain.due import DueState, due_state, is_overdue, months_slipped, slipped_days
from plantui.domain.errors import InputError
from plantui.domain.milestones import due_from_label, parse_milestone


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
