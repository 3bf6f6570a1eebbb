"""The detail pane says in words which values were carried down from the row above, and shows an
action's own objective statement and the commentary the plan came with."""

from __future__ import annotations

from datetime import date

from textual.widgets import Static

from plantui.io.plan_json import read_plan_file
from plantui.io.sample import sample_path
from plantui.store.opening import open_database
from plantui.store.plans import load_document
from plantui.tui.app import PlanApp
from tests.conftest import wait_for_workers

TODAY = date(2022, 11, 1)


async def detail_of(db_path, ref: str) -> str:
    database = open_database(db_path)
    load_document(database, read_plan_file(sample_path()))
    app = PlanApp(database, today=TODAY, author="Ann", live_refresh_seconds=None)
    async with app.run_test(size=(120, 60)) as pilot:
        await wait_for_workers(app)
        await pilot.press("g", *ref, "enter")
        await wait_for_workers(app)
        await pilot.pause()
        body = app.screen.query_one("#detail-body", Static).render()
        text = body.plain
    database.close()
    return text


async def test_carried_lead_and_plan_name_the_row_they_came_from(db_path) -> None:
    text = await detail_of(db_path, "1.1.1.6")
    assert text.startswith("1.1.1.6")
    lead = text.index("Lead officer(s)")
    plan = text.index("Detailed action plan")
    assert "(carried down from 1.1.1.5)" in text[lead:plan]
    assert "People Strategy and Action Plan\n(carried down from 1.1.1.1)" in text[plan:]


async def test_a_doubtful_carried_plan_says_it_may_not_fit(db_path) -> None:
    text = await detail_of(db_path, "4.1.1.9")
    assert "Virtual School Service Plan\n(carried down from 4.1.1.2; may not fit this action)" in text


async def test_a_printed_value_says_nothing_of_carrying(db_path) -> None:
    assert "carried down" not in await detail_of(db_path, "1.1.1.1")


async def test_an_actions_own_objective_statement_and_printed_commentary_are_shown(db_path) -> None:
    text = await detail_of(db_path, "4.3.2.2")
    assert "Its own objective statement\nThe recruitment of staff will be efficient;" in text
    text = await detail_of(db_path.with_name("other.db"), "4.1.1.7")
    assert "Latest commentary\nannual monitoring" in text
