"""Finding actions and nodes by words, on the sample plan: what `g` and the palette offer."""

from __future__ import annotations

import pytest

from plantui.domain.document import PlanDocument
from plantui.domain.search import SearchIndex, search
from plantui.domain.views import ActionRow, NodeInfo


@pytest.fixture(scope="module")
def sample_index() -> SearchIndex:
    from plantui.io.sample import load_sample

    sample = load_sample()
    return SearchIndex(_rows(sample), _nodes(sample))


def _rows(document: PlanDocument) -> list[ActionRow]:
    return [
        ActionRow(
            id=i, ref=a.ref, title=a.title, leads=tuple(a.leads), status=a.rag, milestone=a.milestone,
            due=a.due, baseline="", baseline_due=None, detailed_plan="", success_measures=a.success_measures,
            updated_at=None, last_note="", objective_ref=a.ref.rsplit(".", 1)[0],
            area_ref=a.ref.rsplit(".", 2)[0], theme_ref=a.ref.split(".")[0],
        )
        for i, a in enumerate(document.actions())
    ]  # fmt: skip


def _nodes(document: PlanDocument) -> list[NodeInfo]:
    nodes = []
    for theme in document.themes:
        nodes.append(NodeInfo(theme.ref, "theme", theme.title, theme.aim))
        for area in theme.areas:
            nodes.append(NodeInfo(area.ref, "area", area.title, area.outcomes))
    return nodes


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("recr part", "1.1.1.3"),  # the start of each word is enough: Recruit a Participation Officer
        ("RECRUIT PARTICIPATION", "1.1.1.3"),
        ("principal social", "1.1.1.5"),
        ("scrutineer", "4.2.1.1"),  # a lead's words find the lead's actions
        ("annual pledge", "2.1.1.16"),
        ("workforce", "1.1"),  # the area's title beats actions that only mention it
        ("children's", "1.1.1.1"),  # a typed apostrophe finds the printed one (’)
    ],
)
def test_the_first_match_is_the_one_meant(sample_index, typed, first):
    assert sample_index.search(typed)[0].ref == first


def test_every_word_must_be_there_and_nothing_is_no_error(sample_index):
    assert sample_index.search("recruit xyzzy") == []
    assert sample_index.search("   ") == []
    assert sample_index.search("[bold]") == []


def test_matches_are_best_first_then_in_plan_order_and_limited(sample_index):
    found = sample_index.search("recruit", limit=5)
    assert len(found) == 5
    assert [f.score for f in found] == sorted((f.score for f in found), reverse=True)
    assert all("recruit" in f.title.lower() for f in found)


def test_one_search_without_an_index_gives_the_same():
    from plantui.io.sample import load_sample

    sample = load_sample()
    index = SearchIndex(_rows(sample), _nodes(sample))
    assert search("recr part", _rows(sample), _nodes(sample)) == index.search("recr part")
