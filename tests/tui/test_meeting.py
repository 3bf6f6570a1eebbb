"""Meeting mode, driven through Pilot by a small host app over a temporary database.

The host stands in for the main app: it pushes the setup dialog, starts (or resumes) the meeting
with `begin_meeting`, pushes the meeting screen and keeps what it dismissed with.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from rich.text import Text
from textual.app import App
from textual.widgets import Input, OptionList, Static

from plantui.domain.views import ActionRow, Meeting
from plantui.store.database import Database
from plantui.store.meetings import MeetingSummary
from plantui.tui.app import PlanApp
from plantui.tui.dialogs.meeting_setup import MeetingChoice, MeetingSetup, begin_meeting
from plantui.tui.dialogs.milestone import MilestoneDialog
from plantui.tui.dialogs.note import NoteDialog
from plantui.tui.screens.meeting import MeetingScreen
from plantui.tui.screens.meeting_summary import MeetingSummaryScreen
from tests.conftest import wait_for_workers

TODAY = date(2022, 11, 1)
UNSET = object()
SIZE = (120, 36)


class Host(PlanApp):
    """The workbench with the setup dialog pushed over its main screen, then the meeting it chose
    (changes go through the workbench's one write queue); keeps the choice and the summary."""

    def __init__(self, database: Database, *, current_filter: str | None = None, author: str = "Ann") -> None:
        super().__init__(database, today=TODAY, author=author, live_refresh_seconds=None)
        self.animation_level = "none"
        self.current_filter = current_filter
        self.choice: object = UNSET
        self.result: object = UNSET
        self.meeting: Meeting | None = None

    def on_mount(self) -> None:
        from plantui.store.meetings import open_meeting
        from plantui.store.queries import list_actions, nodes

        super().on_mount()
        setup = MeetingSetup(
            nodes(self.database),
            list_actions(self.database),
            TODAY,
            current_filter=self.current_filter,
            open_meeting=open_meeting(self.database),
        )
        self.push_screen(setup, self.chosen)

    def chosen(self, choice: MeetingChoice | None) -> None:
        self.choice = choice
        if choice is None:
            return
        from plantui.store.queries import nodes

        self.meeting, rows = begin_meeting(self.database, choice, self.author, TODAY)
        screen = MeetingScreen(
            self.database, rows, self.meeting, self.author, TODAY, nodes=nodes(self.database)
        )
        self.push_screen(screen, self.ended)

    def ended(self, summary: MeetingSummary | None) -> None:
        self.result = summary


def shown(app: App, selector: str) -> str:
    rendered = app.screen.query_one(selector, Static).render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


async def settle(pilot) -> None:
    """Let the save workers commit and their results reach the screen."""
    await wait_for_workers(pilot.app)
    await pilot.pause()


async def start(pilot, scope_index: int, title: str = "") -> MeetingScreen:
    """Type the title, choose the option at `scope_index` and wait for the meeting screen."""
    await pilot.pause()
    if title:
        await pilot.press(*title)
    await pilot.press("tab")
    for _ in range(scope_index):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, MeetingScreen)
    return pilot.app.screen


def scope_ids(app: App) -> list[str | None]:
    listing = app.screen.query_one("#setup-scope", OptionList)
    return [listing.get_option_at_index(i).id for i in range(listing.option_count)]


async def test_setup_offers_the_plan_each_theme_and_area_and_the_current_filter(database) -> None:
    app = Host(database, current_filter="rag:red")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MeetingSetup)
        ids = scope_ids(app)
        assert ids == ["plan", "filter:rag:red", "theme:1", "area:1.1", "area:1.2", "theme:2", "area:2.1"]
        listing = app.screen.query_one("#setup-scope", OptionList)
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert "(7 actions)" in prompts[0]
        assert "The current filter: rag:red  (2 actions)" in prompts[1]
        assert "Theme 1  Improving Quality  (5 actions)" in prompts[2]
        await pilot.press("escape")
        await pilot.pause()
        assert app.choice is None


async def test_a_meeting_over_the_current_filter_steps_through_what_it_picks(database) -> None:
    from plantui.store.meetings import open_meeting

    app = Host(database, current_filter="rag:red")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, 1)
        assert app.choice == MeetingChoice("filter:rag:red", "")
        assert [row.ref for row in screen.rows] == ["1.1.1.2", "2.1.1.2"]
        assert shown(app, "#meeting-progress").startswith("1 of 2")
    meeting = open_meeting(database)
    assert meeting is not None and meeting.scope == "filter:rag:red"


async def test_stepping_forward_and_back(database) -> None:
    app = Host(database)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, 1, title="Board")  # theme 1 (after the whole plan): five actions
        assert app.meeting is not None and app.meeting.title == "Board"
        assert shown(app, "#card-heading").startswith("1.1.1.1  Develop a workforce strategy")
        assert shown(app, "#card-context") == "Theme 1 Improving Quality  ›  1.1 The Workforce"
        await pilot.press("j")
        assert shown(app, "#meeting-progress").startswith("2 of 5")
        assert shown(app, "#card-heading").startswith("1.1.1.2  Recruit senior leaders")
        assert "Assistant Director Safeguarding" in shown(app, "#card-facts")
        assert "OFF TRACK" in shown(app, "#card-status")
        await pilot.press("space", "space")
        assert screen.current is not None and screen.current.ref == "1.2.1.1"
        await pilot.press("k")
        assert shown(app, "#meeting-progress").startswith("3 of 5")
        await pilot.press("k", "k", "k")  # one more than there is
        assert screen.index == 0
        assert "first action" in shown(app, "#meeting-saved")
        await pilot.press("j", "j", "j", "j", "j")
        assert screen.index == 4
        assert "last action: x ends the meeting" in shown(app, "#meeting-saved")


async def test_the_card_shows_the_action_in_words_symbols_and_markup_as_text(tmp_path) -> None:
    from plantui.store.opening import open_database
    from plantui.store.plans import load_document
    from tests.conftest import mini_plan

    database = open_database(tmp_path / "markup.db")
    load_document(database, mini_plan(markup=True))
    try:
        app = Host(database)
        async with app.run_test(size=SIZE) as pilot:
            await start(pilot, 0)
            heading = shown(app, "#card-heading")
            assert "Develop a workforce strategy[bold]x[/] [link=y] [" in heading
            assert shown(app, "#card-status").startswith(" ✔ B  COMPLETE   Action complete")
            facts = shown(app, "#card-facts")
            assert "Leads: Assistant Director Safeguarding; HR Lead[bold]x[/]" in facts
            assert "Milestone: September 2022  ·  ✔ done" in facts
            assert "More staff trained[bold]x[/]" in shown(app, "#card-measures")
            assert "(no note yet)" in shown(app, "#card-note")
            await pilot.press("j")  # off track, due 30 Sep 2022: overdue as at 1 Nov
            assert "⚠ overdue by 32 days (due 30 Sep 2022)" in shown(app, "#card-facts")
    finally:
        database.close()


async def test_status_keys_and_notes_are_saved_in_the_meeting(database) -> None:
    from plantui.store.queries import action_history, get_action

    app = Host(database)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, 1)
        meeting = app.meeting
        assert meeting is not None
        await pilot.press("j", "2")  # 1.1.1.2 off track -> on track
        await settle(pilot)
        saved = shown(app, "#meeting-saved")
        assert saved.startswith("✔ saved  1.1.1.2")
        assert "✖ R Off track -> ● G On track  ↑ better" in saved
        assert "OFF TRACK" not in shown(app, "#card-status")
        assert "ON TRACK" in shown(app, "#card-status")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        await pilot.press("enter")  # an empty note is refused, the dialog stays
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        assert "the note is empty" in shown(app, "#note-problem")
        await pilot.press(*"Two posts filled [Q3]", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen)
        assert "note recorded" in shown(app, "#meeting-saved")
        assert "Two posts filled [Q3]" in shown(app, "#card-note")
        assert "In this meeting" in shown(app, "#card-changes")
        await pilot.press("2")  # already on track: nothing to save
        await settle(pilot)
        assert "already On track: nothing to save" in shown(app, "#meeting-saved")
        assert "1 action changed so far" in shown(app, "#meeting-progress")
    history = action_history(database, "1.1.1.2")
    mine = [entry for entry in history if entry.meeting_id == meeting.id]
    assert {(e.field, e.old, e.new, e.note, e.author) for e in mine} == {
        ("status", "off_track", "on_track", "", "Ann"),
        ("note", None, None, "Two posts filled [Q3]", "Ann"),
    }
    assert get_action(database, "1.1.1.2").status == "on_track"


async def test_the_milestone_is_edited_in_the_meeting(database) -> None:
    from plantui.store.queries import action_history, get_action

    app = Host(database)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, 1)
        await pilot.press("j", "e")
        await pilot.pause()
        assert isinstance(app.screen, MilestoneDialog)
        app.screen.query_one("#milestone-label", Input).value = "March 2023"
        await pilot.press("tab", *"Posts re-advertised", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen)
        assert "milestone 'September 2022' -> 'March 2023'" in shown(app, "#meeting-saved")
        assert "Milestone: March 2023" in shown(app, "#card-facts")
    action = get_action(database, "1.1.1.2")
    assert action.milestone == "March 2023" and action.due == date(2023, 3, 31)
    (entry,) = [e for e in action_history(database, "1.1.1.2") if e.field == "milestone"]
    assert entry.meeting_id == app.meeting.id and entry.note == "Posts re-advertised"


async def test_undo_takes_back_my_last_change_and_records_the_undo_in_the_meeting(database) -> None:
    from plantui.store.queries import action_history, get_action

    app = Host(database)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, 1)
        await pilot.press("4", "u")  # saved in the order pressed: the status, then its undo
        await settle(pilot)
        saved = shown(app, "#meeting-saved")
        assert saved.startswith("✔ saved  1.1.1.1  undo of #")
        assert "✖ R Off track -> ✔ B Complete" in saved
        assert "COMPLETE" in shown(app, "#card-status")
    assert get_action(database, "1.1.1.1").status == "complete"
    undo, change = action_history(database, "1.1.1.1")[:2]  # newest first
    assert undo.undoes_id == change.id and undo.meeting_id == change.meeting_id == app.meeting.id


async def test_ending_shows_the_summary_and_stores_the_meeting(database) -> None:
    from plantui.store.meetings import list_meetings, meeting_summary, open_meeting

    app = Host(database)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, 1, title="November Board")
        await pilot.press("4")  # 1.1.1.1 complete -> off track
        await settle(pilot)
        await pilot.press("n", *"Strategy withdrawn", "enter")
        await settle(pilot)
        await pilot.press("j", "j", "1")  # 1.1.1.3 on track -> complete
        await settle(pilot)
        await pilot.press("x", "y")
        await settle(pilot)
        assert isinstance(app.screen, MeetingSummaryScreen)
        heading = shown(app, "#summary-heading")
        assert heading.startswith("Meeting ended: November Board  ·  theme 1")
        assert "3 changes recorded: 2 status, 1 with notes" in heading
        assert "2 actions moved: ↑ 1 better, ↓ 1 worse" in heading
        moves = shown(app, "#summary-moves")
        assert "1.1.1.1 Develop a workforce strategy" in moves
        assert "✔ B Complete -> ✖ R Off track  ↓ worse" in moves
        assert "● G On track -> ✔ B Complete  ↑ better" in moves
        changes = shown(app, "#summary-changes")
        assert "Ann  1.1.1.1" in changes and "“Strategy withdrawn”" in changes
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.result, MeetingSummary)
    assert open_meeting(database) is None
    (stored,) = list_meetings(database)
    assert stored.title == "November Board" and stored.scope == "theme:1" and not stored.is_open
    summary = meeting_summary(database, stored.id)
    assert [(e.action_ref, e.field) for e in summary.changes] == [
        ("1.1.1.1", "status"),
        ("1.1.1.1", "note"),
        ("1.1.1.3", "status"),
    ]


async def test_x_asks_first_n_keeps_the_meeting_and_y_ends_it_with_minutes_of_what_stands(database) -> None:
    from plantui.io.minutes import minutes_folder
    from plantui.store.meetings import open_meeting
    from plantui.tui.dialogs.confirm import ConfirmDialog

    app = Host(database)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, 1, title="Board [draft]")
        await pilot.press("4")  # 1.1.1.1 complete -> off track: a decision
        await settle(pilot)
        await pilot.press("n", *"Strategy *withdrawn* | [see](x)", "enter")
        await settle(pilot)
        await pilot.press("j", "1")  # 1.1.1.2 off track -> complete, a mis-key...
        await settle(pilot)
        await pilot.press("u")  # ...taken back: not a decision
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen)
        assert "still open" in shown(app, "#meeting-saved")
        assert open_meeting(database) is not None
        assert not minutes_folder(database.location).exists()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, MeetingSummaryScreen)
        heading = shown(app, "#summary-heading")
    assert open_meeting(database) is None
    (minutes,) = minutes_folder(database.location).iterdir()
    assert f"Minutes written to {minutes}" in heading
    text = minutes.read_text(encoding="utf-8")
    assert text.startswith("# Minutes: Board \\[draft\\]\n")
    assert "## Decisions (2)" in text
    decided = [line for line in text.splitlines() if line.startswith("| 1 ") or line.startswith("| 2 ")]
    assert "1.1.1.1" in decided[0] and "✔ B Complete → ✖ R Off track" in decided[0]
    assert "1.1.1.1" in decided[1] and "Strategy \\*withdrawn\\* \\| \\[see\\](x)" in decided[1]
    assert not [line for line in text.splitlines() if line.startswith("| ") and "1.1.1.2" in line]
    assert "1 change was made and then undone" in text


async def test_leaving_keeps_the_meeting_open_and_resuming_picks_up_after_the_last_change(database) -> None:
    from plantui.store.changes import set_status
    from plantui.store.meetings import open_meeting, start_meeting

    meeting = start_meeting(database, "October Board", "theme:1", author="Bob", at=datetime(2022, 10, 5, 10))
    set_status(database, "1.1.1.2", "some_issues", note="Half filled", author="Bob")
    app = Host(database)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert scope_ids(app) == ["resume"]
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        assert app.choice == MeetingChoice("theme:1", "October Board", resume=True)
        assert screen.meeting.id == meeting.id
        assert screen.current is not None and screen.current.ref == "1.1.1.3"  # after 1.1.1.2
        assert "Resumed: 1 change already recorded" in shown(app, "#meeting-saved")
        assert "1 action changed so far" in shown(app, "#meeting-progress")
        await pilot.press("escape")
        await pilot.pause()
        assert app.result is None
    assert open_meeting(database) == meeting


@pytest.mark.sqlite_only  # opens the SQLite file read-only; test_postgres.py covers a read-only server
async def test_a_read_only_database_says_so_in_one_line(database, db_path) -> None:
    from plantui.store.meetings import start_meeting
    from plantui.store.opening import open_database
    from plantui.store.queries import get_action, list_actions

    meeting = start_meeting(database, "", "plan", author="Ann")
    readonly = open_database(db_path, readonly=True)
    try:

        class ReadOnlyHost(PlanApp):
            def on_mount(self) -> None:
                super().on_mount()
                self.push_screen(MeetingScreen(readonly, list_actions(readonly), meeting, "Ann", TODAY))

        app = ReadOnlyHost(readonly, today=TODAY, author="Ann", live_refresh_seconds=None)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("4")
            await settle(pilot)
            saved = shown(app, "#meeting-saved")
            assert saved.startswith("✖ not saved (1.1.1.1 status ✖ Off track):")
            assert "read-only" in saved and "\n" not in saved
            assert app.screen.query_one("#meeting-saved").has_class("-problem")
            assert "COMPLETE" in shown(app, "#card-status")  # the screen did not pretend
            await pilot.press("x", "y")
            await settle(pilot)
            assert "the meeting was not ended" in shown(app, "#meeting-saved")
    finally:
        readonly.close()
    assert get_action(database, "1.1.1.1").status == "complete"


async def test_a_meeting_with_nothing_in_scope_says_so_and_can_still_be_ended(database) -> None:
    from plantui.store.meetings import list_meetings, start_meeting

    meeting = start_meeting(database, "Empty", "filter:lead:nobody", author="Ann")

    class EmptyHost(PlanApp):
        result: object = UNSET

        def on_mount(self) -> None:
            super().on_mount()
            self.push_screen(MeetingScreen(database, [], meeting, "Ann", TODAY), self.ended)

        def ended(self, summary: MeetingSummary | None) -> None:
            self.result = summary

    app = EmptyHost(database, today=TODAY, author="Ann", live_refresh_seconds=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert shown(app, "#meeting-progress").startswith("No actions in this scope")
        await pilot.press("j", "4", "n")  # nothing to step to, set or note
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen)
        await pilot.press("x", "y")
        await settle(pilot)
        assert "Nothing was changed in this meeting." in shown(app, "#summary-changes")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.result, MeetingSummary) and app.result.changes == ()
    assert not list_meetings(database)[0].is_open


@pytest.fixture
def sample_database(tmp_path):
    from plantui.io.sample import load_sample
    from plantui.store.opening import open_database
    from plantui.store.plans import load_document

    database = open_database(tmp_path / "sample.db")
    load_document(database, load_sample())
    yield database
    database.close()


class SnapshotHost(App[None]):
    def __init__(self, database: Database, meeting: Meeting, rows: list[ActionRow]) -> None:
        super().__init__()
        self.animation_level = "none"
        self.database, self.meeting, self.rows = database, meeting, rows

    def on_mount(self) -> None:
        from plantui.store.queries import nodes

        screen = MeetingScreen(
            self.database, self.rows, self.meeting, "Ann Lead", TODAY, nodes=nodes(self.database)
        )
        self.push_screen(screen)


def test_snapshot_of_a_meeting_over_theme_4_of_the_sample(snap_compare, sample_database) -> None:
    from plantui.store.board import actions_in_scope
    from plantui.store.meetings import start_meeting

    meeting = start_meeting(
        sample_database,
        "November Improvement Board",
        "theme:4",
        author="Ann Lead",
        at=datetime(2022, 11, 1, 10),
    )
    rows = actions_in_scope(sample_database, "theme:4", TODAY)

    async def settled(pilot) -> None:
        await pilot.press("j", "j")
        await wait_for_workers(pilot.app)
        await pilot.pause()

    assert snap_compare(SnapshotHost(sample_database, meeting, rows), terminal_size=SIZE, run_before=settled)
