"""The Leads screen (`L`): each lead with statuses, last update and what they owe; Enter filters."""

from __future__ import annotations

from datetime import date, datetime

from plantui.store.changes import set_status
from plantui.store.leads import set_lead
from plantui.store.rounds import start_round
from plantui.tui.screens.leads import LeadsScreen, lead_filter
from plantui.tui.screens.main import MainScreen
from tests.conftest import TODAY
from tests.tui.conftest import SIZE, screen_text, settle, shown


async def test_the_leads_screen_shows_each_lead_and_enter_filters_the_table_to_theirs(make_app) -> None:
    app = make_app()
    set_lead(app.database, "Head of Quality Assurance", person="Quinn [Adams]")
    set_status(app.database, "1.2.1.2", "off_track", author="Colleague", at=datetime(2022, 10, 20, 10))
    start_round(app.database, due=date(2022, 11, 15), today=TODAY, scope="theme:1", author="Lead")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        assert isinstance(app.screen, LeadsScreen)
        text = screen_text(app)
        assert "Leads  ·  5 leads  ·  3 owing a return in the open round" in text
        assert "Head of Quality Assurance  (Quinn [Adams])" in text  # brackets are text, not markup
        assert "2 actions  ✖ 1 Off track  ∞ 1 BAU" in text
        assert "last update 20 Oct 2022 (12 days ago)  ·  owes 2 actions in the open round" in text
        assert "Chief Digital Officer" in text and "never updated" in text
        await pilot.press("o")  # owing only
        await settle(pilot)
        assert "Chief Digital Officer" not in screen_text(app)
        await pilot.press("down", "enter")  # the second lead owing: Head of Quality Assurance
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert shown(app) == ["1.2.1.1", "1.2.1.2"]


async def test_the_owing_term_in_the_filter_box_shows_what_the_open_round_waits_for(make_app) -> None:
    app = make_app()
    start_round(app.database, due=date(2022, 11, 15), today=TODAY, scope="area:1.2", author="Lead")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.set_filter("owing")
        await settle(pilot)
        assert shown(app) == ["1.2.1.1", "1.2.1.2"]


def test_a_role_becomes_a_filter_term_whatever_quotes_it_holds() -> None:
    assert lead_filter("Head of Service") == 'lead:"Head of Service"'
    assert lead_filter('The "Front Door" Lead') == "lead:'The \"Front Door\" Lead'"
    assert lead_filter("O'Brien's \"team\"") is None
