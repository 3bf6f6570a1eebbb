"""The key bar: its keys on the first frame, one rebuild for a burst of changes, greyed keys kept true."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from plantui.tui.app import PlanApp
from tests.tui.conftest import SIZE, screen_text, settle


def footer_keys(app) -> list[FooterKey]:
    return list(app.screen.query(FooterKey))


def described(app) -> dict[str, bool]:
    """Each key the footer shows, by its description: True where it can be used now (a key that
    cannot is drawn greyed, with Textual's `-disabled` class)."""
    return {key.description: not key.has_class("-disabled") for key in footer_keys(app)}


async def test_the_keys_are_on_the_first_frame(make_app, monkeypatch):
    # Textual sends Ready once the first screen is laid out; Textual's own Footer is still empty then.
    keys_at_ready = []
    on_ready = PlanApp.on_ready

    def counting_on_ready(app) -> None:
        keys_at_ready.append(len(footer_keys(app)))
        on_ready(app)

    monkeypatch.setattr(PlanApp, "on_ready", counting_on_ready)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert keys_at_ready == [len(footer_keys(app))] and keys_at_ready[0] >= 8
        bottom = screen_text(app).splitlines()[-1]
        assert "q Quit" in bottom and "? Help" in bottom and "^p Commands" in bottom
        assert bottom.count("Commands") == 1


async def test_binding_changes_that_show_the_same_keys_do_not_rebuild_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = footer_keys(app)
        assert before
        for _ in range(3):
            app.screen.refresh_bindings()
        await settle(pilot)
        assert footer_keys(app) == before  # the very same widgets: nothing was thrown away


async def test_the_keys_follow_focus_and_grey_out_when_there_is_nothing_to_act_on(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert described(app)["Status"] is True
        await pilot.press("slash")
        await settle(pilot)
        assert "Clear" in described(app) and "Status" not in described(app)
        await pilot.press(*"zzqx", "enter")  # Enter keeps the filter and leaves the box
        await settle(pilot)
        assert described(app)["Status"] is False  # no row is selected: nothing to set a status on
        await pilot.press("escape")
        await settle(pilot)
        assert described(app)["Status"] is True


async def test_a_footer_too_narrow_for_every_key_leaves_out_the_palette_key_not_half_of_it(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bottom = screen_text(app).splitlines()[-1]
        assert bottom.rstrip().endswith("q Quit") and "^p" not in bottom
        await pilot.press("ctrl+p")  # the key itself still works
        await settle(pilot)
        assert type(app.screen).__name__ == "CommandPalette"
        await pilot.press("escape")
        await pilot.resize_terminal(120, 36)
        await settle(pilot)
        assert screen_text(app).splitlines()[-1].rstrip().endswith("q Quit ^p Commands")
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert "^p" not in screen_text(app).splitlines()[-1]
