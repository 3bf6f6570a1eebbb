"""Starting, showing and ending an update round: what each lead is asked, as it stood when issued."""

from __future__ import annotations

from datetime import date

import pytest

from plantui.domain.errors import InputError, NotFoundError
from plantui.store.changes import set_status
from plantui.store.rounds import end_round, list_rounds, open_round, round_detail, start_round
from tests.conftest import TODAY


def asked(detail) -> dict[str, list[tuple[str, str, str]]]:
    return {r.lead.role: [(a.ref, a.status, a.milestone) for a in r.actions] for r in detail.requests}


def test_a_round_records_each_leads_actions_as_issued(database) -> None:
    detail = start_round(database, due=date(2022, 11, 15), today=TODAY, scope="theme:1", author="Lead")
    assert detail.round.scope == "theme:1" and detail.round.is_open and len(detail.round.token) == 16
    assert asked(detail) == {  # 1.1.1.1 is complete: left out; an action with two leads is in both
        "Assistant Director Safeguarding": [("1.1.1.2", "off_track", "September 2022")],
        "Head of Quality Assurance": [
            ("1.2.1.1", "bau", "Ongoing"),
            ("1.2.1.2", "some_issues", "October 2022 onwards"),
        ],
        "Head of Service": [("1.1.1.3", "on_track", "March 2023")],
    }
    set_status(database, "1.1.1.3", "off_track", author="Someone")
    # the round keeps the status as issued, whatever happens to the action after
    assert asked(round_detail(database))["Head of Service"] == [("1.1.1.3", "on_track", "March 2023")]
    assert open_round(database) == detail.round
    with pytest.raises(InputError, match="update round 1 .* is still open: end it first"):
        start_round(database, due=date(2022, 11, 15), today=TODAY, author="Lead")
    ended = end_round(database)
    assert not ended.round.is_open and open_round(database) is None
    assert [(r.id, leads, returned) for r, leads, returned in list_rounds(database)] == [(1, 3, 0)]
    with pytest.raises(NotFoundError, match="no update round is open"):
        end_round(database)
    again = start_round(database, due=date(2022, 11, 30), today=TODAY, include_complete=True, author="Lead")
    assert ("1.1.1.1", "complete", "September 2022") in asked(again)["HR Lead"]
    assert again.round.token != detail.round.token


def test_a_round_is_refused_in_one_line_for_what_cannot_be_asked(database) -> None:
    with pytest.raises(InputError, match="before today"):
        start_round(database, due=date(2022, 10, 1), today=TODAY, author="Lead")
    with pytest.raises(NotFoundError, match="there is no theme 9"):
        start_round(database, due=date(2022, 11, 15), today=TODAY, scope="theme:9", author="Lead")
    with pytest.raises(InputError, match="no action in it has a lead"):
        start_round(database, due=date(2022, 11, 15), today=TODAY, scope="filter:rag:complete", author="Lead")
    assert list_rounds(database) == []


def test_a_return_is_one_step_and_a_since_changed_action_is_held_on_every_backend(database) -> None:
    from plantui.store.changes import undo_step
    from plantui.store.queries import list_actions
    from plantui.store.returns import ReturnUpdate, collect_return

    detail = start_round(database, due=date(2022, 11, 15), today=TODAY, scope="theme:1", author="Lead")
    qa = next(r for r in detail.requests if r.lead.role == "Head of Quality Assurance")
    set_status(database, "1.2.1.2", "off_track", author="Colleague")
    updates = (
        ReturnUpdate("1.2.1.1", "on_track", "December 2022", "Better", "f: row 4"),
        ReturnUpdate("1.2.1.2", "complete", None, "", "f: row 5"),
    )

    def collect(digest: str):
        return collect_return(
            database, token=detail.round.token, officer_id=qa.lead.id, digest=digest, file_name="qa.xlsx",
            where="qa.xlsx", updates=updates, collected_by="Lead",
        )  # fmt: skip

    result = collect("d1")
    assert [(r.ref, r.found, r.proposed) for r in result.reviews] == [("1.2.1.2", "off_track", "complete")]
    rows = {row.ref: row for row in list_actions(database)}
    assert (rows["1.2.1.1"].status, rows["1.2.1.1"].milestone) == ("on_track", "December 2022")
    assert rows["1.2.1.2"].status == "off_track"
    assert collect("d1").already is not None
    assert collect("d2").applied == []  # the same updates in another file: nothing left to change
    undone = undo_step(database, author="Head of Quality Assurance via return")
    assert len(undone.entries) == 2  # the status and the milestone: one step
    assert round_detail(database).reviews[0].ref == "1.2.1.2"
