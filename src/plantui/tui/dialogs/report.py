"""The board report from the workbench: a dialog choosing what to write, and the helper that writes it.

`ReportDialog(today, last_meeting=None, folder=None)` chooses the format (HTML, PDF, Word or Markdown), the
movement to show (since the last meeting, since a date, or none) and the file (by default
`board-report-YYYY-MM-DD.html` in `folder`, the current folder when None; the extension follows the
format until the name is edited). It dismisses with a `ReportChoice`, or None. An existing file is
replaced only when Write is pressed a second time.

`write_board_report(database, choice, today)` gathers the report (`io.reports.model.gather_report`),
renders it (`io.reports.render`) and writes the file whole or not at all (`io.atomic.write_file`),
returning the path. It does database and file work: the host runs it in a thread worker and shows
the path in a notice, or the one-line `PlantuiError` it raises.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from plantui.domain.errors import InputError
from plantui.domain.text import visible
from plantui.domain.views import Meeting
from plantui.store.database import Database
from plantui.tui.day_input import read_day
from plantui.tui.styles import sheet
from plantui.tui.widgets.marked_list import MarkedRadioButton

LAST_MEETING = "last-meeting"
EXTENSIONS = {"html": ".html", "pdf": ".pdf", "docx": ".docx", "md": ".md"}


@dataclass(frozen=True, slots=True)
class ReportChoice:
    fmt: str  # "html", "pdf", "docx" or "md"
    since: str | None  # "last-meeting", an ISO date, or None for no movement section
    path: Path


def default_name(today: date, fmt: str) -> str:
    return f"board-report-{today.isoformat()}{EXTENSIONS[fmt]}"


def write_board_report(database: Database, choice: ReportChoice, today: date) -> Path:
    """Write the board report the dialog chose; return where it went. Raises `PlantuiError` on failure."""
    from plantui.io.atomic import write_file
    from plantui.io.reports import render_bytes
    from plantui.io.reports.model import gather_report

    report = gather_report(database, today=today, since=choice.since)
    write_file(choice.path, render_bytes(report, choice.fmt))
    return choice.path


class ReportDialog(ModalScreen[ReportChoice | None]):
    """Choose the report's format, movement and file. Dismisses with a `ReportChoice`, or None."""

    CSS_PATH = sheet("report.tcss")
    BINDINGS: ClassVar = [
        Binding("escape", "cancel", "Cancel", id="report.cancel"),
        Binding("ctrl+s", "write", "Write", id="report.write"),
    ]

    def __init__(
        self,
        today: date,
        last_meeting: Meeting | None = None,
        *,
        folder: Path | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(name=name)
        self.today = today
        self.last_meeting = last_meeting
        self.folder = folder
        self.fmt = "html"
        self._confirm_replace: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="report-dialog", classes="dialog"):
            yield Static(Text("Write the board report", style="bold"), id="report-heading")
            with Horizontal(id="report-choices"):
                with Vertical():
                    yield Label("Format")
                    with RadioSet(id="report-format"):
                        yield MarkedRadioButton("HTML (one file, prints on A4)", value=True, id="format-html")
                        yield MarkedRadioButton("PDF (A4, for tablets)", id="format-pdf")
                        yield MarkedRadioButton("Word (.docx, editable)", id="format-docx")
                        yield MarkedRadioButton("Markdown", id="format-md")
                with Vertical():
                    yield Label("Movement since")
                    with RadioSet(id="report-since"):
                        if self.last_meeting is not None:
                            meeting = self.last_meeting
                            yield MarkedRadioButton(
                                Text(f"the last meeting ({meeting.started_at:%Y-%m-%d})"),
                                value=True,
                                id="since-meeting",
                            )
                        else:
                            yield MarkedRadioButton(
                                "the last meeting (none yet)", disabled=True, id="since-meeting"
                            )
                        yield MarkedRadioButton("a date", id="since-date-choice")
                        yield MarkedRadioButton(
                            "no movement section", value=self.last_meeting is None, id="since-none"
                        )
            yield Label("Since date (YYYY-MM-DD), when “a date” is chosen")
            yield Input(placeholder=f"e.g. {self.today.replace(day=1).isoformat()}", id="report-since-date")
            where = f"File, in {visible(str(self.folder))}" if self.folder else "File"
            yield Label(Text(where), id="report-file-label")
            yield Input(value=default_name(self.today, self.fmt), id="report-file")
            yield Static(id="report-problem")
            with Horizontal(id="report-buttons"):
                yield Button("Write report", variant="primary", id="report-write")
                yield Button("Cancel", id="report-cancel")
            yield Static(
                Text("Tab moves · Enter or Ctrl+S writes · Esc cancels", style="dim"), id="report-help"
            )

    def on_mount(self) -> None:
        self.query_one("#report-format", RadioSet).focus()

    @on(RadioSet.Changed, "#report-format")
    def format_changed(self, event: RadioSet.Changed) -> None:
        fmt = (event.pressed.id or "format-html").removeprefix("format-")
        file_input = self.query_one("#report-file", Input)
        if file_input.value == default_name(self.today, self.fmt):  # not edited: follow the format
            file_input.value = default_name(self.today, fmt)
        self.fmt = fmt

    @on(RadioSet.Changed, "#report-since")
    def since_changed(self, event: RadioSet.Changed) -> None:
        if event.pressed.id == "since-date-choice":
            self.query_one("#report-since-date", Input).focus()

    @on(Input.Changed, "#report-since-date")
    def since_typed(self, event: Input.Changed) -> None:
        if event.value.strip():
            self.query_one("#since-date-choice", RadioButton).value = True

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_write()

    @on(Button.Pressed, "#report-write")
    def write_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_write()

    @on(Button.Pressed, "#report-cancel")
    def cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def choice(self) -> ReportChoice:
        """What the dialog says now; an `InputError` naming the field when something is wrong."""
        pressed = self.query_one("#report-since", RadioSet).pressed_button
        since: str | None
        if pressed is None or pressed.id == "since-none":
            since = None
        elif pressed.id == "since-meeting":
            since = LAST_MEETING
        else:
            typed = self.query_one("#report-since-date", Input).value
            since = read_day(typed, field="since", latest=self.today).isoformat()
        name = self.query_one("#report-file", Input).value.strip()
        if not name:
            raise InputError("file: type a file name, e.g. " + default_name(self.today, self.fmt))
        path = Path(name).expanduser()
        if not path.is_absolute():
            path = (self.folder or Path.cwd()) / path
        if path.is_dir():
            raise InputError(f"file: {path} is a folder; add a file name")
        if not path.parent.is_dir():
            raise InputError(f"file: the folder {path.parent} does not exist")
        return ReportChoice(self.fmt, since, path)

    def _problem(self, text: str) -> None:
        self.query_one("#report-problem", Static).update(Text(text))

    def action_write(self) -> None:
        try:
            choice = self.choice()
        except InputError as error:
            self._problem(f"✖ {error}")
            return
        if choice.path.exists() and self._confirm_replace != choice.path:
            self._confirm_replace = choice.path
            self._problem(f"⚠ {visible(str(choice.path))} exists: Write again to replace it")
            return
        self.dismiss(choice)

    def action_cancel(self) -> None:
        self.dismiss(None)
