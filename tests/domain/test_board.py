"""The board's domain rules: better or worse, meeting scopes, and findings rolled up."""

from __future__ import annotations

from datetime import date

import pytest

from plantui.domain.errors import InputError
from plantui.domain.findings import roll_up_findings
from plantui.domain.movement import Direction, Move, direction, net_moves, tally
from plantui.domain.scopes import PLAN, Scope, parse_scope
from plantui.domain.statuses import STATUS_CODES
from tests.conftest import TODAY

B, W, S = Direction.BETTER, Direction.WORSE, Direction.SIDEWAYS


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("off_track", "some_issues", B),
        ("some_issues", "on_track", B),
        ("on_track", "complete", B),
        ("off_track", "complete", B),
        ("complete", "on_track", W),
        ("on_track", "off_track", W),
        ("some_issues", "off_track", W),
        ("not_started", "on_track", S),  # no risk either side
        ("on_track", "not_started", S),
        ("not_started", "some_issues", W),
        ("not_started", "off_track", W),
        ("not_started", "complete", B),
        ("off_track", "not_started", B),
        ("bau", "off_track", S),  # BAU is outside the order
        ("complete", "bau", S),
        ("on_track", "on_track", S),
    ],
)
def test_direction_follows_the_risk_order(old: str, new: str, expected: Direction) -> None:
    assert direction(old, new) is expected


def test_every_pair_of_statuses_has_a_direction_and_reversing_flips_it() -> None:
    flip = {B: W, W: B, S: S}
    for old in STATUS_CODES:
        for new in STATUS_CODES:
            assert direction(new, old) is flip[direction(old, new)]


def test_direction_words_and_arrows_say_it_without_colour() -> None:
    assert (B.arrow, B.words) == ("↑", "better")
    assert (W.arrow, W.words) == ("↓", "worse")
    assert (S.arrow, S.words) == ("→", "no change in risk")


def test_net_moves_leave_out_actions_that_came_back_and_sort_by_ref() -> None:
    before = {"1.10.1.1": "on_track", "1.2.1.1": "off_track", "2.1.1.1": "bau", "3.1.1.1": "complete"}
    after = {"1.10.1.1": "off_track", "1.2.1.1": "some_issues", "2.1.1.1": "bau", "3.1.1.1": "complete"}
    moves = net_moves(before, after, {"1.2.1.1": "Hire"})
    assert moves == [
        Move("1.2.1.1", "Hire", "off_track", "some_issues"),
        Move("1.10.1.1", "", "on_track", "off_track"),
    ]
    counted = tally(before.values(), after.values(), moves)
    assert (counted.better, counted.worse, counted.sideways) == (1, 1, 0)
    assert counted.change("off_track") == 0 and counted.change("on_track") == -1
    assert counted.change("some_issues") == 1
    assert counted.before.total == counted.after.total == 4


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("", PLAN),
        ("plan", PLAN),
        ("theme:4", Scope("theme", "4")),
        ("area:1.2", Scope("area", "1.2")),
        ("objective:1.2.1.", Scope("objective", "1.2.1")),
        ("4", Scope("theme", "4")),
        ("1.2", Scope("area", "1.2")),
        ("ref:1.2.1.1", Scope("action", "1.2.1.1")),
        ("filter:rag:red lead:director", Scope("filter", "rag:red lead:director")),
    ],
)
def test_scopes_are_read_and_written_back_the_same(text: str, scope: Scope) -> None:
    assert parse_scope(text) == scope
    assert parse_scope(scope.text) == scope


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("theme:1.2", "1.2 is an area, not theme"),
        ("area:4", "4 is a theme, not area"),
        ("theme:x", "not a ref"),
        ("filter:", "needs an expression"),
        ("filter:rag:mauve", "is not a status"),
        ("everything", "write plan, theme:REF"),
        ("colour:red", "write plan, theme:REF"),
    ],
)
def test_scopes_that_cannot_be_read_say_why(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_scope(text)


def test_a_scope_selects_its_actions(plan_doc) -> None:
    from plantui.domain.views import ActionRow

    rows = [
        ActionRow(i, a.ref, a.title, tuple(a.leads), a.rag, a.milestone, None, a.milestone, None, "", "",
                  None, "", a.ref.rsplit(".", 1)[0], a.ref.rsplit(".", 2)[0], a.ref.split(".")[0])
        for i, a in enumerate(plan_doc.actions())
    ]  # fmt: skip
    assert [r.ref for r in parse_scope("area:1.2").selects(rows, TODAY)] == ["1.2.1.1", "1.2.1.2"]
    assert [r.ref for r in parse_scope("filter:rag:red").selects(rows, TODAY)] == ["1.1.1.2", "2.1.1.2"]
    assert len(PLAN.selects(rows, TODAY)) == 7
    assert parse_scope("theme:2").label == "theme 2" and PLAN.label == "the whole plan"


def test_findings_roll_up_the_actions_under_the_refs_they_cite(database) -> None:
    from plantui.store.queries import findings, list_actions, nodes

    rolled = roll_up_findings(findings(database), list_actions(database), nodes(database), TODAY)
    first, second = rolled
    assert [(c.ref, c.kind) for c in first.refs] == [("1.1.1", "objective"), ("2.1", "area")]
    assert [a.ref for a in first.actions] == ["1.1.1.1", "1.1.1.2", "1.1.1.3", "2.1.1.1", "2.1.1.2"]
    assert first.counts["off_track"] == 2 and first.counts.total == 5
    assert [a.ref for a in first.off_track] == ["1.1.1.2", "2.1.1.2"]
    assert first.at_risk and first.dangling == ()
    # the second cites 1.2.2, which names nothing: flagged, and at risk for it
    assert second.dangling == ("1.2.2",)
    assert second.refs[1].names_nothing and second.refs[1].actions == ()
    assert second.at_risk and "cites 1.2.2, which names nothing in the plan" in second.reasons
    assert [a.ref for a in second.actions] == ["1.2.1.1", "1.2.1.2"]
    assert second.off_track == () and [a.ref for a in second.overdue] == ["1.2.1.2"]  # due end of October


def test_a_finding_is_at_risk_when_a_cited_action_is_overdue_and_not_otherwise(database) -> None:
    from plantui.domain.views import Finding
    from plantui.store.queries import list_actions, nodes

    actions, plan_nodes = list_actions(database), nodes(database)
    only_qa = [Finding(1, "Notice", "QA", ("1.2.1",))]
    assert not roll_up_findings(only_qa, actions, plan_nodes, date(2022, 10, 31))[0].at_risk
    late = roll_up_findings(only_qa, actions, plan_nodes, date(2022, 11, 1))[0]
    assert late.at_risk and [a.ref for a in late.overdue] == ["1.2.1.2"]
    assert late.reasons == ("1 overdue (1.2.1.2)",)
    twice = roll_up_findings(
        [Finding(2, "N", "t", ("1.2.1", "1.2.1", "1.2.1.1"))], actions, plan_nodes, TODAY
    )[0]
    assert [c.ref for c in twice.refs] == ["1.2.1", "1.2.1.1"] and twice.counts.total == 2


def test_the_sample_finding_citing_1_2_2_is_flagged() -> None:
    from plantui.domain.views import ActionRow, Finding, NodeInfo
    from plantui.io.sample import load_sample

    doc = load_sample()
    plan_nodes, rows = [], []
    for theme in doc.themes:
        plan_nodes.append(NodeInfo(theme.ref, "theme", theme.title, ""))
        for area in theme.areas:
            plan_nodes.append(NodeInfo(area.ref, "area", area.title, ""))
            for objective in area.objectives:
                plan_nodes.append(NodeInfo(objective.ref, "objective", objective.text, ""))
                rows += [
                    ActionRow(0, a.ref, a.title, (), a.rag, "", None, "", None, "", "", None, "",
                              objective.ref, area.ref, theme.ref)
                    for a in objective.actions
                ]  # fmt: skip
    found = [Finding(i, f.source, f.text, tuple(f.refs)) for i, f in enumerate(doc.findings)]
    rolled = roll_up_findings(found, rows, plan_nodes, date(2022, 11, 1))
    citing = [r for r in rolled if "1.2.2" in r.finding.refs]
    assert len(citing) == 1 and citing[0].at_risk and citing[0].dangling == ("1.2.2",)
    area_44 = next(r for r in rolled if r.finding.refs == ("4.4",))
    assert area_44.refs[0].kind == "area"
    assert area_44.counts.total == sum(1 for a in rows if a.area_ref == "4.4") > 0
