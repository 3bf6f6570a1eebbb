"""Help (`?`, F1): every key of the pane that had focus, of the screen and of the app, by name.

It is built from the live bindings, so it never disagrees with the Footer, and it ends with the
status keys and the filter language.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from plantui.domain.statuses import STATUSES
from plantui.tui.styles import sheet
from plantui.tui.widgets.plan_footer import PlanFooter

PANE_NAMES = {
    "tree": "Theme tree",
    "table": "Action table",
    "detail": "Selected action",
    "filter": "Filter box",
    "meeting-card": "Action card",
}

# Inherited scrolling sideways means nothing in these panes, and copying is the terminal's own.
HIDDEN_ACTIONS = frozenset({"scroll_left", "scroll_right", "page_left", "page_right", "screen.copy_text"})

FILTER_HELP = """\
free words      every word is in the title, leads or success measures; a ref (2.1) picks it and all under it
rag:CODE        a status by code, letter, colour or words (rag:red, rag:off_track, rag:r); or rag:red,amber
lead:WORDS      a lead's name contains the words (lead:"Head of Service")
theme:REF       under a theme, area or objective (theme:1.2)
due:overdue     past due and neither complete nor BAU; also due:soon (30 days), due:none, due:2022-11
slipped         due later than its first (baseline) milestone
exceptions      off track, overdue, some issues, not started but due, or slipped (! shows them worst first)
stale:DAYS      not complete and not updated for DAYS days or more, or never (stale:30)
owing           asked about in the open update round by a lead who has not returned yet
-TERM           leaves out what the term picks: -rag:complete,bau  -theme:4  -slipped  -lead:smith"""


def _key_names(binding: Binding, app) -> str:
    if binding.key_display:
        return binding.key_display
    return app.get_key_display(binding)


def _section(text: Text, heading: str, rows: list[tuple[str, str]]) -> None:
    if not rows:
        return
    text.append(f"{heading}\n", style=Style(bold=True, underline=True))
    width = max(len(key) for key, _ in rows)
    for key, description in rows:
        text.append(f"  {key:<{width}}  ", style=Style(bold=True))
        text.append(f"{description}\n")
    text.append("\n")


def _is_status_key(binding: Binding) -> bool:
    """One of the six status keys (of the main screen or the meeting), listed one by one in help."""
    return bool(binding.id) and binding.id.startswith(("status.", "meeting.status."))


def _pane_name(pane: DOMNode) -> str:
    """What help calls a pane: its name for people, never a widget class name."""
    if pane.id in PANE_NAMES:
        return PANE_NAMES[pane.id]
    title = getattr(pane, "border_title", None)
    return str(title) if title else "This pane"


def _describe(binding: Binding) -> str:
    if _is_status_key(binding):
        return f"Set the selected action's status: {binding.tooltip.partition(': ')[2]}"
    if binding.tooltip and binding.description and binding.tooltip != binding.description:
        return f"{binding.description}: {binding.tooltip}"
    return binding.tooltip or binding.description or binding.action


class HelpScreen(ModalScreen[None]):
    CSS_PATH = sheet("help.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "Close", key_display="esc"),
        Binding("j,down", "scroll('down')", "Down", show=False),
        Binding("k,up", "scroll('up')", "Up", show=False),
    ]

    def __init__(self, body: Text) -> None:
        super().__init__()
        self.body = body

    @classmethod
    def for_screen(cls, screen: Screen) -> HelpScreen:
        """Help for what is on `screen` now: its focused pane first, then the screen, then the app."""
        app = screen.app
        focused = screen.focused
        keys: dict[DOMNode, dict[str, list[str]]] = {}
        words: dict[tuple[DOMNode, str], str] = {}
        for _key, active in screen.active_bindings.items():
            binding = active.binding
            if binding.action in HIDDEN_ACTIONS or binding.action.startswith("app.command_palette"):
                continue
            label = binding.key if _is_status_key(binding) else _key_names(binding, app)
            listed = keys.setdefault(active.node, {}).setdefault(binding.action, [])
            if label not in listed:
                listed.append(label)
            words.setdefault((active.node, binding.action), _describe(binding))
        groups = {
            node: [(" ".join(labels), words[(node, action)]) for action, labels in actions.items()]
            for node, actions in keys.items()
        }
        text = Text(end="")
        pane = focused
        while pane is not None and pane is not screen and pane not in groups:
            pane = pane.parent
        if pane is not None and pane in groups and pane is not screen:
            _section(text, f"{_pane_name(pane)} (where you are)", groups.pop(pane))
        for node, rows in groups.items():
            if node is app:
                continue
            if node is screen:
                _section(text, "On this screen", rows)
            else:
                _section(text, _pane_name(node), rows)
        app_rows = groups.get(app, [])
        app_rows.append(("ctrl+p", "Command palette: every command by name"))
        app_rows.append(("tab / shift+tab", "Next / previous pane"))
        _section(text, "Everywhere", app_rows)
        statuses = [(s.key, f"{s.symbol} {s.short} ({s.letter}): {s.label}") for s in STATUSES]
        _section(text, "Status keys, in the plan's legend order", statuses)
        marking = [
            (
                "space",
                "mark or unmark the selected row (◆ marked, ◈ marked under the cursor), then move down",
            ),
            ("V", "mark a range: V where it starts, move, then V or space"),
            ("1-6, e", "with rows marked: their status, or their milestone, all as one change (u undoes it)"),
            ("esc", "clear the marks (then, pressed again, the filter)"),
        ]
        _section(text, "Acting on several actions", marking)
        text.append(
            "Filter (/ opens it, Enter keeps it, Escape clears it)\n", style=Style(bold=True, underline=True)
        )
        text.append(FILTER_HELP + "\n")
        text.append("\nEvery change is saved as you make it, with who and when, in the history. ")
        mouse = "The mouse works too: click a node, a row, or a column header to sort."
        text.append(mouse, style=Style(dim=True))
        return cls(text)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self.body, id="help-body")
        yield PlanFooter()

    def on_mount(self) -> None:
        box = self.query_one("#help-box")
        box.border_title = "Keys"
        box.border_subtitle = "esc closes"
        self.set_focus(box)

    def action_scroll(self, direction: str) -> None:
        box = self.query_one("#help-box", VerticalScroll)
        if direction == "down":
            box.scroll_down(animate=False)
        else:
            box.scroll_up(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
