"""Saved views in the store, on SQLite and PostgreSQL: every plan starts with two, a view is checked
against the plan before it is kept, a name is one view whatever its case, and views travel with the
plan (copy, JSON export and import)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plantui.domain.errors import InputError, NotFoundError
from plantui.domain.saved_views import DEFAULT_VIEWS, SavedView
from plantui.io.plan_json import dumps_plan, parse_plan
from plantui.store.opening import open_database
from plantui.store.plans import dump_document, load_document
from plantui.store.saved_views import delete_view, get_view, list_views, save_view
from tests.conftest import mini_plan, run_cli

MARKUP = "[bold]Mine[/] [link=x]"


def test_a_new_plan_starts_with_exceptions_and_due_this_month(database) -> None:
    assert list_views(database) == list(DEFAULT_VIEWS)
    assert get_view(database, "due THIS month").filter == "due:month -rag:complete"


def test_a_saved_view_is_kept_as_checked_and_listed_after_the_first_two(database) -> None:
    kept, replaced = save_view(
        database, SavedView(f"  {MARKUP}  ", " rag:red   lead:hr ", "1.1.", "STATUS:desc")
    )
    assert not replaced
    assert kept == SavedView(MARKUP, "rag:red lead:hr", "1.1", "status:desc")
    assert list_views(database) == [*DEFAULT_VIEWS, kept]


@pytest.mark.parametrize(
    ("view", "error"),
    [
        (SavedView("x", "rag:foo"), "filter term 'rag:foo': 'foo' is not a status"),
        (SavedView("x", "theme:9"), "filter term 'theme:9': the plan has nothing numbered 9"),
        (SavedView("x", "lead:nobody"), "filter term 'lead:nobody': no lead's name contains 'nobody'"),
        (
            SavedView("x", node="9.9"),
            "view node '9.9': the plan has no theme, area or objective numbered 9.9",
        ),
        (SavedView("x", node="1.1.1.1"), "the plan has no theme, area or objective numbered 1.1.1.1"),
        (SavedView("x", node="abc"), "view node 'abc': not a ref like 1.2"),
        (SavedView("x", sort="size"), "sort 'size': not a sort key (use one of ref, title, leads, status"),
        (SavedView("x", sort="due:up"), "sort 'due:up': the direction after the colon is asc or desc"),
        (SavedView("   "), "view name: give the view a name"),
        (SavedView("a\x1bb"), "view name 'a\\x1bb': control characters are not allowed"),
        (SavedView("x" * 61), "at most 60 characters"),
    ],
)
def test_a_view_that_does_not_fit_the_plan_is_refused_naming_the_field(database, view, error) -> None:
    with pytest.raises(InputError) as raised:
        save_view(database, view)
    assert error in str(raised.value) and "\n" not in str(raised.value)
    assert list_views(database) == list(DEFAULT_VIEWS)


def test_a_name_is_one_view_whatever_its_case_and_replacing_keeps_its_place(database) -> None:
    with pytest.raises(InputError, match=r"already has a view called 'Exceptions' \(--replace"):
        save_view(database, SavedView("EXCEPTIONS", "rag:red"))
    _kept, replaced = save_view(database, SavedView("EXCEPTIONS", "rag:red"), replace=True)
    assert replaced
    assert list_views(database) == [SavedView("EXCEPTIONS", "rag:red"), DEFAULT_VIEWS[1]]


def test_deleting_a_view_by_any_case_and_an_unknown_name_is_told(database) -> None:
    assert delete_view(database, "due this MONTH") == DEFAULT_VIEWS[1]
    assert list_views(database) == [DEFAULT_VIEWS[0]]
    with pytest.raises(
        NotFoundError, match=r"view 'Due this month': no view of that name \(the plan's views: 'Exceptions'\)"
    ):
        delete_view(database, "Due this month")
    with pytest.raises(NotFoundError, match="no view of that name"):
        get_view(database, "nope")


def test_views_travel_through_json_and_a_file_without_views_gets_the_first_two(database) -> None:
    save_view(database, SavedView(MARKUP, "slipped", "2", "due:desc"))
    delete_view(database, "Exceptions")
    text = dumps_plan(dump_document(database))
    assert json.loads(text)["views"] == [
        {"name": "Due this month", "filter": "due:month -rag:complete", "node": "", "sort": "due"},
        {"name": MARKUP, "filter": "slipped", "node": "2", "sort": "due:desc"},
    ]
    document = parse_plan(json.loads(text))
    load_document(database, document, replace=True)
    assert list_views(database) == [DEFAULT_VIEWS[1], SavedView(MARKUP, "slipped", "2", "due:desc")]
    assert dumps_plan(dump_document(database)) == text

    older = json.loads(text)
    del older["views"]
    load_document(database, parse_plan(older), replace=True)
    assert list_views(database) == list(DEFAULT_VIEWS)
    assert "views" not in json.loads(dumps_plan(dump_document(database)))  # the first two: no bytes added

    none_kept = json.loads(text) | {"views": []}
    load_document(database, parse_plan(none_kept), replace=True)
    assert list_views(database) == []


@pytest.mark.parametrize(
    ("views", "error"),
    [
        ([{"name": "A"}, {"name": "a"}], "plan: views[1]: name: 'a' names an earlier view too"),
        (
            [{"name": "A", "filter": "rag:foo"}],
            "plan: views[0]: filter term 'rag:foo': 'foo' is not a status",
        ),
        ([{"name": "A", "sort": "size"}], "plan: views[0]: sort 'size': not a sort key"),
        ([{"name": "A", "node": "x"}], "plan: views[0]: node 'x' is not a ref like 1.2"),
        ([{"filter": "x"}], "plan: views[0]: 'name' is missing"),
        ({"name": "A"}, "plan: top level: views: expected a list, found an object"),
    ],
)
def test_a_plan_file_with_a_bad_view_is_refused_naming_it(views, error) -> None:
    data = json.loads(dumps_plan(mini_plan())) | {"views": views}
    with pytest.raises(InputError) as raised:
        parse_plan(data)
    assert str(raised.value).startswith(error)


def test_copy_carries_the_views_replacing_the_targets(database, db_target: str, tmp_path: Path) -> None:
    save_view(database, SavedView("Target only", "rag:red", "1.1", "status:desc"))
    source = str(tmp_path / "laptop.db")
    laptop = open_database(source)
    try:
        load_document(laptop, mini_plan())
        save_view(laptop, SavedView(MARKUP, "slipped", "2", "worst"))
        delete_view(laptop, "Exceptions")
    finally:
        laptop.close()
    run_cli("copy", "--from", source, "--to", db_target, "--force")
    assert list_views(database) == [DEFAULT_VIEWS[1], SavedView(MARKUP, "slipped", "2", "worst")]
