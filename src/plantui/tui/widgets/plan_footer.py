"""The key bar at the foot of every screen: Textual's Footer, there from the first frame and rebuilt
only when its keys change.

Textual's Footer stays empty until the screen first says its bindings changed, then throws away and
mounts all of its keys again after the next refresh, each time the screen says so; a screen says so
many times while it opens (focus settles, the table fills, the edit keys light up). On the workbench
that was six rebuilds of about 15 ms each, one after another, and the footer showed some 190 ms after
the rest of the first screen. This one fills in its keys at once the first time, keeps the keys it
last showed, and rebuilds only when what it would show differs.

Where the keys do not all fit (the main screen at 80 columns), it leaves out the command palette's
key rather than showing it cut in half: `ctrl+p` still opens the palette, and Help lists it. Where
they still do not fit (meeting mode at 80 columns), it draws them compact, with less space around.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # Textual's own key widget; not exported by name

PALETTE_ACTION = "command_palette"
COMPACT_SAVING = 2  # columns a key gives up when the footer draws it compact (Textual's padding)


class PlanFooter(Footer):
    """A Footer with its keys from the first frame, that skips rebuilds showing the same keys, and leaves
    out the palette's key, then goes compact, where the keys do not all fit."""

    def __init__(self, *, compact: bool = False, show_command_palette: bool = False) -> None:
        # The app's own ^p binding puts the command palette in the footer once; Textual's would repeat it.
        super().__init__(compact=compact, show_command_palette=show_command_palette)
        self._shown: tuple | None = None
        self._palette_left_out = False
        self._palette_width = 0  # as last laid out: whether it fits again when the footer widens
        self._compacted = False  # made compact here to fit (not asked for by the screen)

    def _keys_to_show(self) -> tuple | None:
        """Everything the footer's keys are drawn from; None before the screen's bindings are known."""
        if not self._bindings_ready:
            return None
        return (
            self.compact,
            self.show_command_palette,
            self._palette_left_out,
            tuple(
                (
                    binding.key,
                    binding.action,
                    binding.description,
                    binding.key_display,
                    binding.group,
                    enabled,
                    tip,
                )
                for _, binding, enabled, tip in self.screen.active_bindings.values()
                if binding.show or binding.action == PALETTE_ACTION
            ),
        )

    def bindings_changed(self, screen: Screen) -> None:
        if self._shown is None and self.is_attached and screen is self.screen and screen.is_mounted:
            # The first time after the screen has mounted (its own mount handler may move the focus
            # and fill the table, which changes the keys), fill in the keys straight away rather than
            # after the next refresh (Textual's way), which on opening comes several frames later.
            self._bindings_ready = True
            self.call_later(self.recompose)
        else:
            super().bindings_changed(screen)

    async def recompose(self) -> None:
        if not self.is_attached or self._pruning:
            return  # going with its screen (Textual's own recompose makes the same check first)
        keys = self._keys_to_show()
        if keys is not None and keys == self._shown:
            return
        self._shown = keys
        await super().recompose()
        self.call_after_refresh(self._fit)  # the new keys' widths are known after the next layout

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if not (
                self._palette_left_out and isinstance(widget, FooterKey) and widget.action == PALETTE_ACTION
            ):
                yield widget

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    async def _fit(self, attempt: int = 0) -> None:
        """Where the keys overflow the footer, leave out the palette's key, then draw the keys compact
        (less space around each); undo either when the footer widens and the keys fit again."""
        if not self.is_attached or not self.children or not self.size.width:
            return
        shown = [child for child in self.children if child.display]
        if any(child.outer_size.width == 0 for child in shown):
            if attempt < 5:  # keys just mounted and not laid out yet
                self.call_after_refresh(self._fit, attempt + 1)
            return
        widths = {child: _width(child) for child in shown}
        used = sum(widths.values())
        width = self.size.width
        palette = next((key for key in self.query_children(FooterKey) if key.action == PALETTE_ACTION), None)
        if palette is not None:
            self._palette_width = widths.get(palette, 0)
            left_out = used > width
        else:
            left_out = self._palette_left_out and used + self._palette_width > width
        if left_out != self._palette_left_out:
            self._palette_left_out = left_out
            await self.recompose()
            return
        keys = sum(isinstance(child, FooterKey) for child in shown)
        if not self.compact and used > width:
            self.compact = True  # each key then takes COMPACT_SAVING columns fewer
        elif self._compacted and self.compact and used + COMPACT_SAVING * keys <= width:
            self.compact = False
        else:
            return
        self._compacted = self.compact
        self.call_after_refresh(self._fit)


def _width(widget: Widget) -> int:
    """The columns a key takes in the footer's row: its own width and its margins."""
    margin = widget.styles.margin
    return widget.outer_size.width + margin.left + margin.right
