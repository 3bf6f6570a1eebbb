from datetime import date

import pytest

from plantui.domain.errors import InputError
from plantui.domain.filters import parse_filter
from plantui.domain.rollup import StatusCounts
from plantui.domain.views import ActionRow

TODAY = date(2022, 11, 1)


def row(
    ref: str,
    status: str,
    due: date | None,
    leads=("Head of Service",),
    title="Do a thing",
    baseline_due=None,
):
    return ActionRow(
        id=1, ref=ref, title=title, leads=tuple(leads), status=status, milestone="", due=due,
        baseline="", baseline_due=baseline_due or due, detailed_plan="", success_measures="staff trained",
        updated_at=None, last_note="", objective_ref=ref.rsplit(".", 1)[0],
        area_ref=ref.rsplit(".", 2)[0], theme_ref=ref.split(".")[0],
    )  # fmt: skip


ROWS = [
    row("1.1.1.1", "off_track", date(2022, 9, 30), leads=("Assistant Director of Education",)),
    row("1.1.1.2", "on_track", date(2022, 11, 30), title="Recruit [Q3] staff"),
    row("1.2.1.1", "bau", None),
    row("2.1.1.1", "some_issues", date(2023, 3, 31), baseline_due=date(2022, 12, 31)),
    row("2.10.1.1", "complete", date(2022, 1, 31)),
]


def refs(expression: str) -> list[str]:
    return [r.ref for r in parse_filter(expression).apply(ROWS, TODAY)]


def test_free_words_match_ref_title_leads_and_measures() -> None:
    assert refs("recruit") == ["1.1.1.2"]
    assert refs("[q3]") == ["1.1.1.2"]
    assert refs("education") == ["1.1.1.1"]
    assert refs("trained") == [r.ref for r in ROWS]
    assert refs("2.1.1") == ["2.1.1.1"]


def test_status_terms_accept_codes_letters_and_colours() -> None:
    assert refs("rag:off_track") == ["1.1.1.1"]
    assert refs("rag:red") == ["1.1.1.1"]
    assert refs("rag:R") == ["1.1.1.1"]
    assert refs("rag:red rag:amber") == ["1.1.1.1", "2.1.1.1"]
    assert refs("rag:red,amber") == ["1.1.1.1", "2.1.1.1"]


def test_lead_theme_due_and_slipped_terms() -> None:
    assert refs('lead:"director of"') == ["1.1.1.1"]
    assert refs("theme:2.1") == ["2.1.1.1"]  # not 2.10
    assert refs("theme:1") == ["1.1.1.1", "1.1.1.2", "1.2.1.1"]
    assert refs("due:overdue") == ["1.1.1.1"]
    assert refs("due:soon") == ["1.1.1.2"]
    assert refs("due:none") == ["1.2.1.1"]
    assert refs("due:2022-11") == ["1.1.1.2"]
    assert refs("slipped") == ["2.1.1.1"]
    assert refs("theme:1 due:overdue") == ["1.1.1.1"]


@pytest.mark.parametrize("expression", ["rag:purplish", "theme:abc", "due:later", "due:2022-13", "lead:"])
def test_bad_terms_are_named(expression: str) -> None:
    with pytest.raises(InputError, match="filter term"):
        parse_filter(expression)


def test_unbalanced_quotes_are_words_not_errors() -> None:
    assert parse_filter('"recruit').words == ("recruit",)


def test_counts_leave_bau_out_of_the_base() -> None:
    counts = StatusCounts.of(r.status for r in ROWS)
    assert counts.total == 5 and counts.base == 4
    assert counts.on_track_or_complete == 2
    assert counts.share_on_track == 0.5
    assert counts.moved("off_track", "complete")["complete"] == 2


def test_several_scope_terms_pick_what_is_under_any_of_them() -> None:
    assert refs("theme:1.1.1 theme:2.1") == ["1.1.1.1", "1.1.1.2", "2.1.1.1"]
    assert refs("theme:1.2 ref:2") == ["1.2.1.1", "2.1.1.1", "2.10.1.1"]
    assert refs("theme:1.2.1.1 theme:2.1.1.1") == ["1.2.1.1", "2.1.1.1"]  # an action ref picks itself
    # still AND with terms of other kinds: under either scope, and overdue
    assert refs("theme:1.1 theme:2.10 due:overdue") == ["1.1.1.1"]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("-rag:complete", ["1.1.1.1", "1.1.1.2", "1.2.1.1", "2.1.1.1"]),
        ("-rag:complete,bau", ["1.1.1.1", "1.1.1.2", "2.1.1.1"]),
        ("-rag:complete -rag:bau", ["1.1.1.1", "1.1.1.2", "2.1.1.1"]),
        ("theme:1 -rag:red", ["1.1.1.2", "1.2.1.1"]),
        ("-theme:1", ["2.1.1.1", "2.10.1.1"]),
        ("-2.1", ["1.1.1.1", "1.1.1.2", "1.2.1.1", "2.10.1.1"]),  # 2.10 is not under 2.1
        ("-slipped", ["1.1.1.1", "1.1.1.2", "1.2.1.1", "2.10.1.1"]),
        ("-due:none", ["1.1.1.1", "1.1.1.2", "2.1.1.1", "2.10.1.1"]),
        ("-lead:education -recruit", ["1.2.1.1", "2.1.1.1", "2.10.1.1"]),
        ("-Recruit", ["1.1.1.1", "1.2.1.1", "2.1.1.1", "2.10.1.1"]),
    ],
)
def test_a_minus_term_leaves_out_what_the_term_picks(expression: str, expected: list[str]) -> None:
    assert refs(expression) == expected


def test_a_lone_minus_is_still_a_word_and_a_minus_term_is_named_as_typed_when_wrong() -> None:
    assert parse_filter("-").words == ("-",)
    assert not parse_filter("-rag:red").empty
    with pytest.raises(InputError, match="'-rag:purplish'"):
        parse_filter("-rag:purplish")
    with pytest.raises(InputError, match="'-theme:x'"):
        parse_filter("-theme:x")


def test_filters_with_different_exclusions_differ() -> None:
    assert parse_filter("-rag:red") != parse_filter("-rag:amber")
    assert parse_filter("-rag:red") == parse_filter("-rag:r")


def test_stale_days_picks_what_was_not_updated_for_that_long_and_not_what_is_complete() -> None:
    from datetime import datetime

    rows = [
        row("1.1.1.1", "on_track", None)._replace(updated_at=datetime(2022, 10, 1, 9)),  # 31 days before
        row("1.1.1.2", "on_track", None)._replace(updated_at=datetime(2022, 10, 3, 9)),  # 29 days before
        row("1.1.1.3", "off_track", None),  # never updated
        row("1.1.1.4", "complete", None),  # complete: nobody to chase
    ]
    assert [r.ref for r in parse_filter("stale:30").apply(rows, TODAY)] == ["1.1.1.1", "1.1.1.3"]
    assert [r.ref for r in parse_filter("-stale:30").apply(rows, TODAY)] == ["1.1.1.2", "1.1.1.4"]
    assert [r.ref for r in parse_filter("stale:0 rag:red").apply(rows, TODAY)] == ["1.1.1.3"]
    for bad in ("stale:", "stale:x", "stale:-3", "stale:١٢", "stale:999999"):
        with pytest.raises(InputError, match="filter term"):
            parse_filter(bad)


def test_owing_picks_the_refs_the_caller_binds_and_nothing_before() -> None:
    query = parse_filter("owing")
    assert query.needs_owed and parse_filter("-owing").needs_owed and not parse_filter("rag:red").needs_owed
    assert refs("owing") == []  # not bound: no round says who owes what
    bound = query.with_owed({"1.1.1.2", "2.1.1.1"})
    assert [r.ref for r in bound.apply(ROWS, TODAY)] == ["1.1.1.2", "2.1.1.1"]
    left_out = parse_filter("-owing -rag:complete").with_owed({"1.1.1.2"})
    assert [r.ref for r in left_out.apply(ROWS, TODAY)] == ["1.1.1.1", "1.2.1.1", "2.1.1.1"]
