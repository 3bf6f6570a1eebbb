"""The keyboard cursor shared by the workbench's line-API widgets (the action table, the theme tree).

A widget that mixes this in keeps one cursor line among `line_count()` lines and moves it with
`_move(line, center=...)`, which repaints what it needs and reports the move; this supplies the keys
(up, down, page up and down, home, end, and vim's G, ctrl+d and ctrl+u) and keeps the cursor in
view without animating. (vim's gg is not offered: g is the workbench's go-to.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.binding import Binding

if TYPE_CHECKING:
    from textual.scroll_view import ScrollView


# The keys `LineCursor` acts on. Textual collects BINDINGS only from widget classes, not from a mixin,
# so each widget puts these in its own list.
CURSOR_BINDINGS = [
    Binding("up,k", "cursor_up", "Up", show=False),
    Binding("down,j", "cursor_down", "Down", show=False),
    Binding("pageup", "page_up", "Page up", show=False),
    Binding("pagedown", "page_down", "Page down", show=False),
    Binding("home", "first", "First", show=False),
    Binding("end,G", "last", "Last", show=False),
    Binding("ctrl+d", "half_page(1)", "Half a page down", show=False),
    Binding("ctrl+u", "half_page(-1)", "Half a page up", show=False),
]


def scroll_target(top: int, in_view: int, line: int, *, center: bool = False) -> int | None:
    """Where to scroll so that `line` is in view (None when it already is): just far enough, or with
    the line in the middle when `center`."""
    if top <= line < top + in_view:
        return None
    if center:
        return max(line - in_view // 2, 0)
    return line if line < top else line - in_view + 1


class LineCursor:
    """Cursor keys for a line-API widget; see the module's docstring for what the widget provides."""

    def cursor_at(self) -> int:
        raise NotImplementedError

    def line_count(self) -> int:
        raise NotImplementedError

    def _move(self, line: int, *, center: bool = False) -> None:
        raise NotImplementedError

    def _rows_in_view(self) -> int:
        raise NotImplementedError

    def _scroll_to_cursor(self, center: bool = False) -> None:
        widget = cast("ScrollView", self)
        target = scroll_target(round(widget.scroll_y), self._rows_in_view(), self.cursor_at(), center=center)
        if target is not None:
            widget.scroll_to(y=target, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        self._move(self.cursor_at() - 1)

    def action_cursor_down(self) -> None:
        self._move(self.cursor_at() + 1)

    def action_page_up(self) -> None:
        self._move(self.cursor_at() - self._rows_in_view())

    def action_page_down(self) -> None:
        self._move(self.cursor_at() + self._rows_in_view())

    def action_half_page(self, direction: int) -> None:
        self._move(self.cursor_at() + direction * max(self._rows_in_view() // 2, 1))

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(self.line_count() - 1)
