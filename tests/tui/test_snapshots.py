"""Snapshots of the workbench at fixed sizes, day, author and plan, with blink and animation off.

Update them deliberately with `pytest tests/tui/test_snapshots.py --snapshot-update` and look at the
SVGs in `__snapshots__` before committing.
"""

from __future__ import annotations

from tests.tui.conftest import settle


async def _ready(pilot) -> None:
    await settle(pilot)


def test_main_screen_120x36(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=_ready)


def test_main_screen_200x50(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(200, 50), run_before=_ready)


def test_sample_plan_120x36(snap_compare, make_app):
    from plantui.io.sample import load_sample

    assert snap_compare(make_app(load_sample(), name="sample.db"), terminal_size=(120, 36), run_before=_ready)


def test_main_screen_80x24(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_ready)


def test_main_screen_80x24_with_tree(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("t", "down")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_sample_plan_wrapped_titles_80x24(snap_compare, make_app):
    from plantui.io.sample import load_sample

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("w", "j", "j")
        await settle(pilot)

    app = make_app(load_sample(), name="sample.db")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_editor(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("down", "e", "3", "tab", *"Interim cover agreed")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=run_before)


def test_editor_80x24(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("down", "e", "3", "tab", *"Interim cover agreed")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


async def _text_editor(pilot) -> None:
    await settle(pilot)
    await pilot.press("E")
    await settle(pilot)


def test_text_editor_80x24(snap_compare, make_app):
    assert snap_compare(make_app(markup=True), terminal_size=(80, 24), run_before=_text_editor)


def test_text_editor_120x36(snap_compare, make_app):
    assert snap_compare(make_app(markup=True), terminal_size=(120, 36), run_before=_text_editor)


def test_help(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=run_before)


def test_filtered_to_red(snap_compare, make_app):
    app = make_app()

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("slash", *"rag:red", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)


def test_light_theme(snap_compare, make_app):
    app = make_app()
    app.theme = "textual-light"
    assert snap_compare(app, terminal_size=(120, 36), run_before=_ready)


def test_no_color_80x24(snap_compare, make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")  # read when the App is built
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_ready)


async def _marked(pilot) -> None:
    """Two rows marked with space, then a range drawn from the fourth row down to the cursor."""
    await settle(pilot)
    await pilot.press("space", "down", "space", "V", "down")
    await settle(pilot)


def test_marked_rows_80x24(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_marked)


def test_marked_rows_120x36(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=_marked)
