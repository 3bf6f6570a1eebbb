"""The findings view, the changes view, and the as-at and report dialogs, each pushed by a small host."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from rich.text import Text
from textual.app import App
from textual.screen import Screen
from textual.widgets import Input, OptionList, RadioButton, Static

from plantui.domain.document import FindingDoc
from plantui.domain.filters import parse_filter
from plantui.store.database import Database
from plantui.tui.dialogs.as_at import AsAtDialog
from plantui.tui.dialogs.changes_since import ChangesSinceDialog
from plantui.tui.dialogs.report import ReportChoice, ReportDialog, default_name, write_board_report
from plantui.tui.screens.changes import ChangesScreen
from plantui.tui.screens.findings import FindingsScreen, finding_filter
from tests.conftest import AT, mini_plan, wait_for_workers

TODAY = date(2022, 11, 1)
SIZE = (120, 36)
UNSET = object()


class Host(App[None]):
    """Pushes one screen and keeps what it dismissed with."""

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.first = screen
        self.result: object = UNSET

    def on_mount(self) -> None:
        self.push_screen(self.first, self.done)

    def done(self, result: object) -> None:
        self.result = result


def shown(app: App, selector: str) -> str:
    rendered = app.screen.query_one(selector, Static).render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


def options(app: App, selector: str) -> list[str]:
    listing = app.screen.query_one(selector, OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


# -- findings --------------------------------------------------------------------------------------


async def test_findings_show_counts_risk_and_refs_and_choosing_one_filters_its_actions(database) -> None:
    from plantui.store.board import rolled_up_findings
    from plantui.store.queries import list_actions

    app = Host(FindingsScreen(rolled_up_findings(database, TODAY), TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        heading = shown(app, "#findings-heading")
        assert "2 findings" in heading and "⚠ 2 at risk" in heading
        first, second = options(app, "#findings-list")
        assert first.startswith("1. ⚠ AT RISK  Appendix A: Notice\nCaseloads and oversight")
        assert "5 actions  ✔ 1 complete  ● 1 on track  ✖ 2 off track  ○ 1 not started" in first
        assert "Cites: 1.1.1 objective · 3, 2.1 area · 2" in first
        assert "⚠ 2 off track (1.1.1.2, 2.1.1.2)\n  ⚠ 1 overdue (1.1.1.2)" in first
        assert "✖ 1.2.2 (names nothing in the plan)" in second
        listing = app.screen.query_one("#findings-list", OptionList)
        lines = [listing.render_line(y).text for y in range(listing.size.height)]
        assert [line[:5] for line in lines if line.lstrip().startswith(("▶", "1.", "2."))] == [
            "▶ 1. ",
            "  2. ",
        ]
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == "theme:1.1.1 theme:2.1"
    chosen = parse_filter(app.result).apply(list_actions(database), TODAY)
    assert [row.ref for row in chosen] == ["1.1.1.1", "1.1.1.2", "1.1.1.3", "2.1.1.1", "2.1.1.2"]


async def test_the_second_finding_filters_only_the_refs_that_name_something(database) -> None:
    from plantui.store.board import rolled_up_findings
    from plantui.store.queries import list_actions

    rollups = rolled_up_findings(database, TODAY)
    assert finding_filter(rollups[1]) == "theme:1.2.1"
    app = Host(FindingsScreen(rollups, TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
    chosen = parse_filter(app.result).apply(list_actions(database), TODAY)
    assert [row.ref for row in chosen] == ["1.2.1.1", "1.2.1.2"]


async def test_a_finding_citing_nothing_in_the_plan_stays_with_a_reason(tmp_path) -> None:
    from plantui.store.board import rolled_up_findings
    from plantui.store.opening import open_database
    from plantui.store.plans import load_document

    plan = mini_plan()
    plan = replace(plan, findings=[*plan.findings, FindingDoc("Appendix B", "Leadership", ["9.9"])])
    database = open_database(tmp_path / "findings.db")
    try:
        load_document(database, plan)
        app = Host(FindingsScreen(rolled_up_findings(database, TODAY), TODAY))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("r")  # at risk only: all three are
            await pilot.pause()
            assert len(options(app, "#findings-list")) == 3
            await pilot.press("down", "down", "enter")
            await pilot.pause()
            assert isinstance(app.screen, FindingsScreen)
            assert "finding 3 cites nothing that names a part of the plan" in shown(app, "#findings-problem")
            await pilot.press("escape")
            await pilot.pause()
        assert app.result is None
    finally:
        database.close()


# -- changes ---------------------------------------------------------------------------------------


def _history(database: Database) -> int:
    from plantui.store.changes import add_note, set_status
    from plantui.store.meetings import end_meeting, start_meeting

    set_status(database, "1.1.1.2", "some_issues", author="Ann", at=datetime(2022, 9, 20, 9))
    meeting = start_meeting(database, "October Board", "plan", author="Ann", at=AT)
    set_status(database, "1.1.1.2", "on_track", note="Posts filled", author="Ann", at=AT)
    set_status(
        database,
        "2.1.1.1",
        "off_track",
        author="Bob",
        at=datetime(2022, 10, 5, 14, 20),
    )
    end_meeting(database, at=datetime(2022, 10, 5, 15))
    add_note(database, "1.2.1.2", "Framework [draft] shared", author="Cy", at=datetime(2022, 10, 20, 11))
    return meeting.id


async def test_changes_since_a_day_are_listed_newest_first(database) -> None:
    from plantui.store.as_at import changes_since, resolve_since

    _history(database)
    since = resolve_since(database, date(2022, 10, 1))
    app = Host(ChangesScreen(changes_since(database, since), since.label))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        heading = shown(app, "#changes-heading")
        assert heading.startswith("Changes since 2022-10-01  ·  3 changes to 3 actions")
        assert "2 status: ↑ 1 better, ↓ 1 worse" in heading
        body = shown(app, "#changes-list")
        lines = [line for line in body.splitlines() if line.startswith("2022-")]
        assert [line.split("  ")[2].split()[0] for line in lines] == ["1.2.1.2", "2.1.1.1", "1.1.1.2"]
        assert "Cy  1.2.1.2 Refresh the QA framework" in body
        assert "“Framework [draft] shared”" in body
        assert "○ – Not started -> ✖ R Off track  ↓ worse" in body
        assert "▲ A Some issues -> ● G On track  ↑ better" in body
        assert "in meeting" in body
        assert "2022-09-20" not in body  # before the day asked for
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


async def test_nothing_since_says_so() -> None:
    app = Host(ChangesScreen([], "since 2022-10-30"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert shown(app, "#changes-list") == "No changes since 2022-10-30."


async def test_since_dialog_offers_the_last_meeting_or_a_checked_date(database) -> None:
    from plantui.store.meetings import last_meeting

    _history(database)
    app = Host(ChangesSinceDialog(TODAY, last_meeting(database)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert options(app, "#since-choice") == ["The last meeting: October Board (2022-10-05)"]
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == "last-meeting"

    app = Host(ChangesSinceDialog(TODAY, None))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"2022-02-30", "enter")
        await pilot.pause()
        assert "✖ since: '2022-02-30' is not a date" in shown(app, "#since-problem")
        app.screen.query_one("#since-date", Input).value = "2022-10-01"
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == "2022-10-01"


# -- as at -----------------------------------------------------------------------------------------


async def test_as_at_dialog_refuses_a_bad_or_future_date_and_returns_a_good_one() -> None:
    app = Host(AsAtDialog(TODAY, earliest=date(2022, 1, 1)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#as-at-date", Input)
        for typed, reason in [
            ("2022-13-01", "✖ as at: '2022-13-01' is not a date; write YYYY-MM-DD, e.g. 2022-10-01"),
            ("", "✖ as at: type a date as YYYY-MM-DD"),
            ("2022-12-01", "✖ as at: 2022-12-01 is after today (2022-11-01)"),
            ("2021-06-01", "✖ as at: 2021-06-01 is before the plan's history starts (2022-01-01)"),
        ]:
            field.value = typed
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, AsAtDialog)
            assert shown(app, "#as-at-problem").startswith(reason)
        field.value = "2022-10-01"
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == date(2022, 10, 1)


# -- the board report ------------------------------------------------------------------------------


class ReportHost(App[None]):
    """Pushes the report dialog and writes what it chose in a thread worker, as the main app will."""

    def __init__(self, database: Database, folder: Path) -> None:
        super().__init__()
        self.database, self.folder = database, folder
        self.choice: object = UNSET
        self.written: Path | None = None

    def on_mount(self) -> None:
        from plantui.store.meetings import last_meeting

        self.push_screen(ReportDialog(TODAY, last_meeting(self.database), folder=self.folder), self.chosen)

    def chosen(self, choice: ReportChoice | None) -> None:
        self.choice = choice
        if choice is not None:
            self.run_worker(lambda: self.write(choice), thread=True)

    def write(self, choice: ReportChoice) -> None:
        self.written = write_board_report(self.database, choice, TODAY)


async def test_report_dialog_writes_markdown_since_the_last_meeting(database, tmp_path) -> None:
    _history(database)
    app = ReportHost(database, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        file_name = app.screen.query_one("#report-file", Input)
        assert file_name.value == "board-report-2022-11-01.html"
        await pilot.click("#format-md")
        await pilot.pause()
        assert file_name.value == default_name(TODAY, "md") == "board-report-2022-11-01.md"
        # the chosen format shows without colour: ● inside the pressed button, nothing in the other
        assert "●" in app.screen.query_one("#format-md", RadioButton).render().plain
        assert "●" not in app.screen.query_one("#format-html", RadioButton).render().plain
        await pilot.click("#report-write")
        await wait_for_workers(pilot.app)
        await pilot.pause()
    assert app.choice == ReportChoice("md", "last-meeting", tmp_path / "board-report-2022-11-01.md")
    text = (tmp_path / "board-report-2022-11-01.md").read_text(encoding="utf-8")
    assert app.written == tmp_path / "board-report-2022-11-01.md"
    assert "## Movement since the last meeting, 'October Board' (2022-10-05)" in text
    moved = [line for line in text.splitlines() if line.startswith(("| 1.1.1.2 |", "| 2.1.1.1 |"))]
    assert any("↑ better" in line and "Posts filled" in line for line in moved)
    assert any("↓ worse" in line for line in moved)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
async def test_report_dialog_writes_the_board_papers_as_word_and_pdf(database, tmp_path, fmt) -> None:
    import io

    _history(database)
    app = ReportHost(database, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.click(f"#format-{fmt}")
        await pilot.pause()
        file_name = app.screen.query_one("#report-file", Input)
        assert file_name.value == f"board-report-2022-11-01.{fmt}"
        await pilot.click("#report-write")
        await wait_for_workers(pilot.app)
        await pilot.pause()
    written = (tmp_path / f"board-report-2022-11-01.{fmt}").read_bytes()
    if fmt == "docx":
        import docx

        headings = [
            p.text
            for p in docx.Document(io.BytesIO(written)).paragraphs
            if p.style.name.startswith("Heading")
        ]
        assert "Headline" in headings
    else:
        assert written.startswith(b"%PDF-")


async def test_report_dialog_checks_the_since_date_and_asks_before_replacing(database, tmp_path) -> None:
    _history(database)
    target = tmp_path / "board.html"
    target.write_text("old", encoding="utf-8")
    app = ReportHost(database, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#since-date-choice")
        app.screen.query_one("#report-since-date", Input).value = "2022-10-40"
        app.screen.query_one("#report-file", Input).value = "board.html"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "✖ since: '2022-10-40' is not a date" in shown(app, "#report-problem")
        app.screen.query_one("#report-since-date", Input).value = "2022-10-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "board.html exists: Write again to replace it" in shown(app, "#report-problem")
        assert app.choice is UNSET
        await pilot.press("ctrl+s")
        await wait_for_workers(pilot.app)
        await pilot.pause()
    assert app.choice == ReportChoice("html", "2022-10-01", target)
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") or html.lower().startswith("<!doctype html>")
    assert "since 2022-10-01" in html and "Posts filled" in html


async def test_report_dialog_refuses_a_missing_folder(database, tmp_path) -> None:
    app = ReportHost(database, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#report-file", Input).value = "no/such/folder/r.html"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert shown(app, "#report-problem").startswith("✖ file: the folder")
        assert "does not exist" in shown(app, "#report-problem")
        await pilot.press("escape")
        await pilot.pause()
    assert app.choice is None
