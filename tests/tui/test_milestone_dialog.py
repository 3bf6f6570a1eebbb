"""Typing a new milestone: the preview said before saving, and the dialog the RAG editor pushes."""

from __future__ import annotations

from datetime import date

import pytest
from textual.app import App
from textual.widgets import Input, Static

from plantui.domain.errors import InputError
from plantui.domain.milestone_preview import preview_milestone
from plantui.domain.milestones import due_from_label
from plantui.domain.views import ActionRow
from plantui.tui.dialogs.milestone import MilestoneDialog, MilestoneEdit

TODAY = date(2022, 11, 1)
UNSET = object()

ACTION = ActionRow(
    id=1,
    ref="1.1.1.6",
    title="Recruit Practice Improvement Managers [phase 2]",
    leads=("Assistant Director",),
    status="on_track",
    milestone="November 2022",
    due=due_from_label("November 2022"),
    baseline="November 2022",
    baseline_due=due_from_label("November 2022"),
    detailed_plan="",
    success_measures="",
    updated_at=None,
    last_note="",
    objective_ref="1.1.1",
    area_ref="1.1",
    theme_ref="1",
)


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("March 2023", "due 31 Mar 2023 · slipped 4 months from November 2022"),
        (
            "April  2023 onwards",
            "due 30 Apr 2023, and onwards · slipped 5 months from November 2022",
        ),
        ("Ongoing", "no due date (ongoing) · slipped to no date from November 2022"),
        ("October 2022", "due 31 Oct 2022 · overdue as at today"),
        ("15/11/2022", "due 15 Nov 2022 · due soon as at today"),
        (" november 2022", "due 30 Nov 2022 · due soon as at today"),
        ("November 2022", "the milestone it has now: nothing to change"),
    ],
)
def test_preview_says_what_a_label_means(label: str, words: str) -> None:
    preview = preview_milestone(ACTION, label, TODAY)
    assert preview.words == words
    assert preview.label == " ".join(label.split())


def test_preview_refuses_an_unreadable_label_with_the_reason() -> None:
    with pytest.raises(InputError, match="'Spring' is not a date: write e.g. 'March 2023'"):
        preview_milestone(ACTION, "Spring", TODAY)


def test_an_action_without_a_baseline_takes_the_new_label_as_its_baseline() -> None:
    action = ACTION._replace(milestone="Spring", due=None, baseline="", baseline_due=None)
    preview = preview_milestone(action, "March 2023", TODAY)
    assert preview.slip is None and preview.baseline == "March 2023"
    assert preview.words == "due 31 Mar 2023"


class Host(App[None]):
    def __init__(self, action: ActionRow) -> None:
        super().__init__()
        self.action = action
        self.result: object = UNSET

    def on_mount(self) -> None:
        self.push_screen(MilestoneDialog(self.action, TODAY), self.chosen)

    def chosen(self, edit: MilestoneEdit | None) -> None:
        self.result = edit


def preview_text(app: App) -> str:
    return str(app.screen.query_one("#milestone-preview", Static).render())


async def test_typing_a_label_previews_it_and_enter_saves_it_with_the_note() -> None:
    app = Host(ACTION)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        label = app.screen.query_one("#milestone-label", Input)
        assert label.value == "November 2022" and label.has_focus
        assert "nothing to change" in preview_text(app)
        label.value = ""
        await pilot.press(*"March 2023")
        assert preview_text(app) == "✔ due 31 Mar 2023 · slipped 4 months from November 2022"
        await pilot.press("tab", *"Agency [cover]", "enter")
        await pilot.pause()
        assert app.result == MilestoneEdit("1.1.1.6", "March 2023", "Agency [cover]")


async def test_a_bad_label_is_refused_with_the_reason_and_the_dialog_stays() -> None:
    app = Host(ACTION)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one("#milestone-label", Input).value = ""
        await pilot.press(*"Spring", "enter")
        await pilot.pause()
        assert app.result is UNSET
        assert isinstance(app.screen, MilestoneDialog)
        assert preview_text(app).startswith("✖ milestone 'Spring' is not a date")
        assert app.screen.query_one("#milestone-preview").has_class("-invalid")
        await pilot.press("escape")
        await pilot.pause()
        assert app.result is None


async def test_enter_on_the_unchanged_label_saves_nothing() -> None:
    app = Host(ACTION)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.result is UNSET and isinstance(app.screen, MilestoneDialog)


async def test_the_heading_shows_user_text_literally_and_the_current_state() -> None:
    action = ACTION._replace(milestone="October 2022", due=date(2022, 10, 31))
    app = Host(action)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        heading = str(app.screen.query_one("#milestone-heading", Static).render())
        assert heading.endswith("1.1.1.6 Recruit Practice Improvement Managers [phase 2]")
        current = str(app.screen.query_one("#milestone-current", Static).render())
        assert current.startswith("Now: October 2022 (due 31 Oct 2022) · ⚠ overdue")
