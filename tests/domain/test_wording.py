"""The words plantui says things with, from the one module that makes them."""

from __future__ import annotations

from datetime import date

import pytest

from plantui.domain.due import DueState, slippage
from plantui.domain.milestones import due_from_label
from plantui.domain.wording import (
    day_text,
    due_words,
    iso_day,
    marked_words,
    month_text,
    plural,
    several_words,
    slip_words,
    status_words,
    status_words_lettered,
)

TODAY = date(2022, 11, 1)


def test_plural_counts_one_and_many() -> None:
    assert [plural(n, "day") for n in (0, 1, 2)] == ["0 days", "1 day", "2 days"]
    assert plural(3, "entry", "entries") == "3 entries"


def test_people_read_days_spelt_out_and_machines_read_iso() -> None:
    leap = date(2024, 2, 29)
    assert (day_text(leap), month_text(leap), iso_day(leap)) == ("29 Feb 2024", "Feb 2024", "2024-02-29")
    assert day_text(date(1, 1, 1)) == "1 Jan 1" and iso_day(None) is None


def test_status_words_have_a_symbol_and_words() -> None:
    assert (status_words("off_track"), status_words(None)) == ("✖ Off track", "–")
    assert (status_words_lettered("off_track"), status_words_lettered("bau")) == ("✖ R Off track", "∞ BAU")


@pytest.mark.parametrize(
    ("state", "due", "short", "full"),
    [
        (DueState.OVERDUE, date(2022, 10, 31), "overdue", "overdue by 1 day (due 31 Oct 2022)"),
        (DueState.OVERDUE, date(2022, 9, 30), "overdue", "overdue by 32 days (due 30 Sep 2022)"),
        (DueState.SOON, date(2022, 11, 30), "due soon", "due soon (30 Nov 2022)"),
        (DueState.LATER, date(2024, 2, 29), "Feb 2024", "due 29 Feb 2024"),
        (DueState.ONGOING, None, "ongoing", "ongoing"),
        (DueState.ONGOING, date(2022, 9, 30), "ongoing", "ongoing"),  # BAU never falls due
        (DueState.DONE, date(2022, 9, 30), "done", "done"),
    ],
)
def test_due_words_short_for_cells_and_full_where_there_is_room(state, due, short, full) -> None:
    assert due_words(state, due, TODAY) == short
    assert due_words(state, due, TODAY, full=True) == full


@pytest.mark.parametrize(
    ("baseline", "now", "words"),
    [
        ("September 2022", "March 2023", "slipped 6 months"),
        ("15/09/2022", "14/10/2022", "slipped 1 month"),
        ("29/02/2024", "01/03/2024", "slipped 1 day"),  # across a month end, under four weeks: days
        ("15/09/2022", "30/09/2022", "slipped 15 days"),
        ("September 2022", "Ongoing", "slipped to no date"),
        ("September 2022", "September 2022", ""),
    ],
)
def test_one_slip_in_one_set_of_words(baseline: str, now: str, words: str) -> None:
    slip = slippage(due_from_label(baseline), due_from_label(now))
    assert slip_words(slip) == words
    named = slip_words(slip, baseline=baseline)
    assert named == (f"{words} from {baseline}" if words else "")


def test_a_change_of_several_actions_counts_what_moved_and_what_already_was() -> None:
    assert several_words(3, 1, "on_track", None) == "3 actions set to ● On track; 1 already was"
    assert several_words(1, 0, None, "March  2023") == "1 action moved to milestone March 2023"
    assert several_words(2, 2, "off_track", "June 2023") == (
        "2 actions set to ✖ Off track, milestone June 2023; 2 already were"
    )
    assert marked_words(5, 2) == "5 marked (2 hidden by the filter)"
    assert marked_words(1, 0) == "1 marked"
