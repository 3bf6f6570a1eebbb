"""Choosing a meeting's scope and title, and starting it (or resuming the open one).

- `MeetingSetup(nodes, rows, today, current_filter=None, open_meeting=None)` is a dialog choosing the
  scope (the whole plan, a theme, an area, or the host's current filter) and an optional title. It
  dismisses with a `MeetingChoice`, or None. When a meeting is already open (`store.meetings
  .open_meeting`), starting another is refused by the store, so the dialog offers only to resume it:
  the choice then has `resume=True` and the open meeting's scope.
- `begin_meeting(database, choice, author, today)` starts (or finds the open) meeting and reads the
  actions in its scope; run it in a worker.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from plantui.domain.errors import InputError
from plantui.domain.scopes import parse_scope
from plantui.domain.text import visible
from plantui.domain.views import ActionRow, Meeting, NodeInfo
from plantui.domain.wording import plural
from plantui.store.database import Database
from plantui.tui.change_lines import local_time
from plantui.tui.styles import sheet
from plantui.tui.widgets.marked_list import MarkedOptionList


@dataclass(frozen=True, slots=True)
class MeetingChoice:
    scope: str  # as `plantui.domain.scopes` reads it: "plan", "theme:4", "area:1.2", "filter:EXPR"
    title: str = ""
    resume: bool = False  # resume the meeting that is already open rather than start one


def begin_meeting(
    database: Database, choice: MeetingChoice, author: str, today: date
) -> tuple[Meeting, list[ActionRow]]:
    """Start the chosen meeting (or find the open one to resume) and the actions in its scope."""
    from plantui.domain.errors import NotFoundError
    from plantui.store.board import actions_in_scope
    from plantui.store.meetings import open_meeting, start_meeting

    if choice.resume:
        meeting = open_meeting(database)
        if meeting is None:
            raise NotFoundError("the open meeting has been ended elsewhere: start a new one")
    else:
        meeting = start_meeting(database, choice.title, choice.scope, author=author)
    return meeting, actions_in_scope(database, meeting.scope, today)


def _scope_options(
    nodes: Iterable[NodeInfo],
    rows: Sequence[ActionRow],
    today: date,
    current_filter: str | None,
    owed: frozenset[str] = frozenset(),
) -> list[Option]:
    def count(scope: str) -> int:
        return len(parse_scope(scope).selects(list(rows), today, owed))

    def option(scope: str, label: Text) -> Option:
        n = count(scope)
        label.append(f"  ({plural(n, 'action')})", style="dim")
        return Option(label, id=scope, disabled=not n)  # nothing to step through

    options = [option("plan", Text("The whole plan", style="bold"))]
    if current_filter and current_filter.strip():
        expression = current_filter.strip()
        try:
            options.append(option(f"filter:{expression}", Text(f"The current filter: {visible(expression)}")))
        except InputError as error:
            options.append(Option(Text(f"The current filter cannot be read: {error}"), disabled=True))
    for node in nodes:
        if node.kind == "theme":
            options.append(
                option(f"theme:{node.ref}", Text.assemble(f"Theme {node.ref}  ", visible(node.title)))
            )
        elif node.kind == "area":
            options.append(
                option(f"area:{node.ref}", Text.assemble(f"   Area {node.ref}  ", visible(node.title)))
            )
    return options


class MeetingSetup(ModalScreen[MeetingChoice | None]):
    """Choose what the meeting covers and its title, or resume the open meeting."""

    CSS_PATH = sheet("meeting_setup.tcss")
    BINDINGS: ClassVar = [Binding("escape", "cancel", "Cancel", id="meeting_setup.cancel")]

    def __init__(
        self,
        nodes: Iterable[NodeInfo],
        rows: Sequence[ActionRow],
        today: date,
        *,
        current_filter: str | None = None,
        open_meeting: Meeting | None = None,
        owed: frozenset[str] = frozenset(),
        name: str | None = None,
    ) -> None:
        super().__init__(name=name)
        self.nodes = tuple(nodes)
        self.rows = tuple(rows)
        self.today = today
        self.current_filter = current_filter
        self.open_meeting = open_meeting
        self.owed = owed  # what a current filter saying `owing` picks

    def compose(self) -> ComposeResult:
        with Vertical(id="setup-dialog", classes="dialog"):
            if self.open_meeting is not None:
                meeting = self.open_meeting
                yield Static(Text("Resume the open board meeting", style="bold"), classes="dialog-heading")
                yield Static(
                    Text(
                        f"{visible(meeting.name)!r} over {parse_scope(meeting.scope).label}, started "
                        f"{local_time(meeting.started_at)} by {visible(meeting.recorded_by)}, is "
                        "still open. Only one meeting is open at a time: resume it, and end it from there."
                    )
                )
                yield MarkedOptionList(
                    Option(Text("Resume this meeting", style="bold"), id="resume"), id="setup-scope"
                )
            else:
                yield Static(Text("Start a board meeting", style="bold"), classes="dialog-heading")
                yield Label("Title (optional, e.g. November Improvement Board)")
                yield Input(placeholder="untitled: named by its date", id="setup-title")
                yield Label("What does it cover? Enter starts")
                yield MarkedOptionList(
                    *_scope_options(self.nodes, self.rows, self.today, self.current_filter, self.owed),
                    id="setup-scope",
                )
            yield Static(Text("Enter chooses · Tab moves · Esc cancels", style="dim"), classes="dialog-help")

    def on_mount(self) -> None:
        if self.open_meeting is not None:
            self.query_one("#setup-scope", OptionList).focus()
        else:
            self.query_one("#setup-title", Input).focus()
        self.query_one("#setup-scope", OptionList).highlighted = 0

    @on(Input.Submitted, "#setup-title")
    def title_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#setup-scope", OptionList).focus()

    @on(OptionList.OptionSelected, "#setup-scope")
    def scope_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.open_meeting is not None:
            meeting = self.open_meeting
            self.dismiss(MeetingChoice(meeting.scope, meeting.title, resume=True))
            return
        title = " ".join(self.query_one("#setup-title", Input).value.split())
        assert event.option.id is not None
        self.dismiss(MeetingChoice(event.option.id, title))

    def action_cancel(self) -> None:
        self.dismiss(None)
