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


async def test_p_records_who_holds_a_leads_role_and_refuses_a_bad_address_in_the_dialog(make_app) -> None:
    from textual.widgets import Input

    from plantui.store.leads import list_leads
    from plantui.tui.dialogs.lead_person import LeadPersonDialog

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        first = app.screen.summaries[0].lead.role
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, LeadPersonDialog)
        app.screen.query_one("#lead-person", Input).value = "Ann [Smith]"
        app.screen.query_one("#lead-email", Input).value = "ann at example"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LeadPersonDialog)  # still open: the address is refused
        assert "not an e-mail address" in str(app.screen.query_one("#lead-person-problem").render())
        app.screen.query_one("#lead-email", Input).value = "ann@example.org"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LeadsScreen)
        assert f"{first}  (Ann [Smith])" in screen_text(app)
        assert "Saved: " in screen_text(app)
    lead = next(lead for lead in list_leads(app.database) if lead.role == first)
    assert (lead.person, lead.email) == ("Ann [Smith]", "ann@example.org")


async def test_r_lists_the_updates_held_for_review_and_enter_shows_the_action(make_app) -> None:
    from plantui.store.returns import ReturnUpdate, collect_return

    app = make_app()
    detail = start_round(app.database, due=date(2022, 11, 15), today=TODAY, scope="theme:1", author="Lead")
    request = next(r for r in detail.requests if any(a.ref == "1.1.1.3" for a in r.actions))
    set_status(app.database, "1.1.1.3", "off_track", author="Colleague", at=datetime(2022, 11, 2, 9))
    collect_return(
        app.database, token=detail.round.token, officer_id=request.lead.id, digest="d1",
        file_name="return [1].xlsx", where="return", collected_by="Lead", at=datetime(2022, 11, 3, 9),
        updates=(ReturnUpdate("1.1.1.3", "complete", None, "Done [really]", "row 2"),),
    )  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        assert "1 update held for review (r)" in screen_text(app)
        await pilot.press("r")
        await settle(pilot)
        text = screen_text(app)
        assert "1.1.1.3" in text and "proposes status ✔ Complete" in text
        assert "issued as" in text and "now ✖ Off track" in text and "Done [really]" in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert shown(app) == ["1.1.1.3"]


async def test_a_meeting_offered_over_the_owing_filter_counts_what_the_open_round_waits_for(make_app) -> None:
    from textual.widgets import OptionList

    app = make_app()
    start_round(app.database, due=date(2022, 11, 15), today=TODAY, scope="area:1.2", author="Lead")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.set_filter("owing")
        await settle(pilot)
        await pilot.press("M")
        await settle(pilot)
        listing = app.screen.query_one("#setup-scope", OptionList)
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert "The current filter: owing  (2 actions)" in prompts
