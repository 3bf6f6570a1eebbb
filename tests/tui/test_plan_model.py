"""The plan in memory: each tree node's actions, counts and filters stay right as changes come in."""

from __future__ import annotations

from pathlib import Path

import pytest

from plantui.domain.filters import parse_filter
from plantui.domain.refs import within
from plantui.io.sample import load_sample
from plantui.store import queries
from plantui.store.opening import open_database
from plantui.store.plans import load_document
from plantui.tui.plan_model import PLAN_SCOPE, PlanModel
from tests.conftest import TODAY


@pytest.fixture(scope="module")
def sample_parts(tmp_path_factory: pytest.TempPathFactory):
    db = open_database(Path(tmp_path_factory.mktemp("model")) / "sample.db")
    load_document(db, load_sample())
    parts = (queries.plan_info(db), queries.nodes(db), queries.list_actions(db))
    db.close()
    return parts


@pytest.fixture
def model(sample_parts) -> PlanModel:
    info, nodes, rows = sample_parts
    return PlanModel(info, nodes, list(rows))


def test_every_node_scopes_to_exactly_the_actions_under_it_in_plan_order(model: PlanModel) -> None:
    assert [row.ref for row in model.scoped(PLAN_SCOPE)] == [row.ref for row in model.rows]
    for node in model.nodes:
        expected = [row.ref for row in model.rows if within(row.ref, node.ref)]
        assert [row.ref for row in model.scoped(node.ref)] == expected, node.ref
        assert model.counts[node.ref].total == len(expected)


def test_an_action_ref_or_an_unknown_ref_scopes_by_ref(model: PlanModel) -> None:
    first = model.rows[0]
    assert model.scoped(first.ref) == [first]
    assert model.scoped("99") == []


def test_a_scope_is_a_new_list_that_the_caller_may_change(model: PlanModel) -> None:
    objective = model.rows[0].objective_ref
    model.scoped(objective).clear()
    model.scoped(PLAN_SCOPE).clear()
    assert model.scoped(objective) and len(model.scoped(PLAN_SCOPE)) == len(model.rows)


def test_a_changed_action_shows_in_every_scope_and_filter_that_holds_it(model: PlanModel) -> None:
    row = next(r for r in model.rows if r.status != "off_track")
    red = parse_filter("rag:red")
    before = {ref: len(model.visible(ref, red, TODAY)) for ref in (PLAN_SCOPE, row.theme_ref, row.area_ref)}
    changed = row._replace(status="off_track")
    assert model.apply(changed) == row
    for scope in (PLAN_SCOPE, row.theme_ref, row.area_ref, row.objective_ref):
        assert changed in model.scoped(scope) and row not in model.scoped(scope)
    for ref, count in before.items():
        assert len(model.visible(ref, red, TODAY)) == count + 1
        assert changed in model.visible(ref, red, TODAY)
    assert model.counts[row.objective_ref]["off_track"] == sum(
        1 for r in model.scoped(row.objective_ref) if r.status == "off_track"
    )
