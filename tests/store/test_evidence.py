"""Evidence of impact in the store (SQLite and PostgreSQL): evidence is a history row, undone and redone
like any change; "impact evidenced" is a column changed only with its history row, refused without
evidence or a met linked measure; as-at, the plan document and `copy` carry both."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from plantui.domain.errors import InputError, NotFoundError
from plantui.store import tables as T
from plantui.store.as_at import actions_at, document_as_at, plan_as_at
from plantui.store.changes import add_evidence, redo_step, set_impact, undo_step
from plantui.store.evidence import action_evidence, measures_of_action, plan_evidence
from plantui.store.measures import record_value
from plantui.store.opening import open_database
from plantui.store.plans import copy_plan, dump_document, load_document
from plantui.store.queries import action_history, get_action, list_actions
from tests.store.test_measures import measured_plan

MARKUP = "[bold]Audit[/bold] found [red]fewer[/] re-referrals [link=x]"
DAY = date(2022, 10, 14)


def history_count(database) -> int:
    with database.read() as conn:
        return conn.execute(select(func.count()).select_from(T.history)).scalar_one()


def test_evidence_is_one_history_row_kept_exactly_as_typed(database) -> None:
    result = add_evidence(
        database, "1.1.1.1", MARKUP, link="S:\\QA\\[2022] audit.docx", day=DAY, author="Ann"
    )
    [entry] = result.entries
    assert (entry.field, entry.author, entry.old) == ("evidence", "Ann", None)
    assert result.action.evidence == 1
    [item] = action_evidence(database, "1.1.1.1")
    assert (item.text, item.link, item.day, item.author) == (MARKUP, "S:\\QA\\[2022] audit.docx", DAY, "Ann")
    assert get_action(database, "1.1.1.1").evidence == 1
    assert {row.ref: row.evidence for row in list_actions(database)}["1.1.1.2"] == 0
    assert list(plan_evidence(database)) == ["1.1.1.1"]


def test_undo_takes_evidence_back_with_a_row_of_its_own_and_redo_records_it_again(database) -> None:
    add_evidence(database, "1.1.1.2", "Audit", day=DAY, author="Ann")
    before = history_count(database)
    undone = undo_step(database, author="Ann")
    assert [(e.field, e.new is None) for e in undone.entries] == [("evidence", True)]
    assert history_count(database) == before + 1  # nothing deleted
    assert action_evidence(database, "1.1.1.2") == [] and get_action(database, "1.1.1.2").evidence == 0
    redone = redo_step(database, author="Ann")
    assert redone.action.evidence == 1
    assert [e.text for e in action_evidence(database, "1.1.1.2")] == ["Audit"]


@pytest.mark.parametrize(
    ("text", "link", "day", "message"),
    [
        ("   ", "", DAY, "evidence: say what the evidence is"),
        ("a\x1b[31mb", "", DAY, "evidence: holds a control character"),
        ("x" * 2001, "", DAY, "too long"),
        ("Audit", "a\nb", DAY, "link: holds a control character"),
        ("Audit", "", None, "--date"),
    ],
)
def test_bad_evidence_is_refused_in_one_line_and_nothing_is_written(
    database, text, link, day, message
) -> None:
    before = history_count(database)
    with pytest.raises(InputError, match=message) as caught:
        add_evidence(database, "1.1.1.1", text, link=link, day=day, author="Ann")
    assert "\n" not in str(caught.value)
    assert history_count(database) == before


def test_evidence_for_an_unknown_action_is_refused_by_ref(database) -> None:
    with pytest.raises(NotFoundError, match="no action with ref 9.9.9.9"):
        add_evidence(database, "9.9.9.9", "Audit", day=DAY, author="Ann")


def test_impact_needs_evidence_or_a_met_measure_and_says_why_not(database) -> None:
    before = history_count(database)
    with pytest.raises(
        InputError, match="1.1.1.1: impact not marked evidenced: it has no evidence"
    ) as caught:
        set_impact(database, "1.1.1.1", True, author="Ann")
    assert "\n" not in str(caught.value)
    assert history_count(database) == before and not get_action(database, "1.1.1.1").impact
    add_evidence(database, "1.1.1.1", "Audit", day=DAY, author="Ann")
    result = set_impact(database, "1.1.1.1", True, author="Ann")
    assert [(e.field, e.old, e.new) for e in result.entries] == [("impact", "no", "yes")]
    assert result.action.impact and get_action(database, "1.1.1.1").impact
    assert set_impact(database, "1.1.1.1", True, author="Ann").entries == ()  # already so: no row


def test_undo_and_redo_of_the_impact_mark(database) -> None:
    add_evidence(database, "1.1.1.1", "Audit", day=DAY, author="Ann")
    set_impact(database, "1.1.1.1", True, author="Ann")
    undone = undo_step(database, author="Ann")
    assert [(e.field, e.new) for e in undone.entries] == [("impact", "no")]
    assert not get_action(database, "1.1.1.1").impact
    redo_step(database, author="Ann")
    assert get_action(database, "1.1.1.1").impact
    set_impact(database, "1.1.1.1", False, author="Ann")
    assert not get_action(database, "1.1.1.1").impact


def test_taking_back_the_last_evidence_leaves_the_mark_for_check_to_warn_about(database) -> None:
    add_evidence(database, "1.1.1.1", "Audit", day=DAY, author="Ann")
    set_impact(database, "1.1.1.1", True, author="Ann")
    # Ben's own evidence, then taken back: the impact mark was Ann's and stays
    add_evidence(database, "1.1.1.1", "More", day=DAY, author="Ben")
    undo_step(database, author="Ben")
    undo_step(database, author="Ann")  # the mark
    undo_step(database, author="Ann")  # the evidence
    assert get_action(database, "1.1.1.1").evidence == 0
    redo_step(database, author="Ann")  # the evidence again
    redo_step(database, author="Ann")  # and the mark
    row = get_action(database, "1.1.1.1")
    assert row.impact and row.evidence == 1


def test_a_linked_measure_met_in_its_latest_period_lets_impact_be_marked(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        load_document(db, measured_plan())  # M1 (lower is better, target 22) stands at 23.25 in 2022-10
        [m1] = measures_of_action(db, "1.1.1.2")
        assert (m1.ref, m1.period, m1.status) == ("M1", "2022-10", "within_tolerance")
        with pytest.raises(InputError, match="none of its 1 linked measure"):
            set_impact(db, "1.1.1.2", True, author="Ann")
        record_value(db, "M1", "2022-11", 21.0, author="Ann")
        assert measures_of_action(db, "1.1.1.2")[0].met
        assert set_impact(db, "1.1.1.2", True, author="Ann").action.impact
    finally:
        db.close()


def test_as_at_shows_evidence_and_the_mark_as_they_stood(database) -> None:
    add_evidence(database, "1.1.1.1", "Audit", day=DAY, author="Ann", at=datetime(2022, 10, 14, 9))
    set_impact(database, "1.1.1.1", True, author="Ann", at=datetime(2022, 10, 20, 9))
    add_evidence(database, "1.1.1.1", "Survey", day=DAY, author="Ann", at=datetime(2022, 10, 25, 9))
    undo_step(database, author="Ann", at=datetime(2022, 10, 26, 9))

    def then(day: date):
        row = {r.ref: r for r in plan_as_at(database, day)}["1.1.1.1"]
        return row.evidence, row.impact

    assert then(date(2022, 10, 1)) == (0, False)
    assert then(date(2022, 10, 15)) == (1, False)
    assert then(date(2022, 10, 21)) == (1, True)
    assert then(date(2022, 10, 25)) == (2, True)
    assert then(date(2022, 10, 27)) == (1, True)
    assert actions_at(database, None) == list_actions(database)
    assert [
        a.impact for a in document_as_at(database, date(2022, 10, 15)).actions() if a.ref == "1.1.1.1"
    ] == [False]
    assert [e.field for e in action_history(database, "1.1.1.1")][:1] == ["evidence"]


def test_the_plan_document_and_copy_carry_the_mark_and_the_evidence(database, tmp_path: Path) -> None:
    add_evidence(database, "1.1.1.1", MARKUP, link="https://example.org/a?b=[1]", day=DAY, author="Ann")
    set_impact(database, "1.1.1.1", True, author="Ann")
    document = dump_document(database)
    assert [a.ref for a in document.actions() if a.impact] == ["1.1.1.1"]
    target = open_database(tmp_path / "copy.db")
    try:
        copy_plan(database, target)
        row = get_action(target, "1.1.1.1")
        assert row.impact and row.evidence == 1
        assert [(e.text, e.link) for e in action_evidence(target, "1.1.1.1")] == [
            (MARKUP, "https://example.org/a?b=[1]")
        ]
        assert undo_step(target, author="Ann").action.impact is False  # undo works on the copy too
    finally:
        target.close()


def test_evidence_and_a_mark_made_in_a_board_meeting_are_in_its_minutes(database) -> None:
    from plantui.io.minutes import minutes_markdown
    from plantui.store.meetings import end_meeting, start_meeting

    start_meeting(database, "October Board", "plan", author="Ann", at=datetime(2022, 10, 31, 10))
    add_evidence(database, "1.1.1.1", MARKUP, day=DAY, author="Ann", at=datetime(2022, 10, 31, 10, 5))
    set_impact(database, "1.1.1.1", True, author="Ann", at=datetime(2022, 10, 31, 10, 6))
    minutes = minutes_markdown(end_meeting(database, at=datetime(2022, 10, 31, 12)))
    # Markdown escapes (`\\[`, `-\\>`) keep the typed brackets and arrows as text when rendered
    assert "| evidence '\\[bold\\]Audit\\[/bold\\] found" in minutes and "(2022-10-14) |" in minutes
    assert "| impact ◇ not evidenced -\\> ◆ evidenced |" in minutes
