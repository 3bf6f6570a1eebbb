"""The key bar at the foot of every screen: Textual's Footer, there from the first frame and rebuilt
only when its keys change.

Textual's Footer stays empty until the screen first says its bindings changed, then throws away and
mounts all of its keys again after the next refresh, each time the screen says so; a screen says so
many times while it opens (focus settles, the table fills, the edit keys light up). On the workbench
that was six rebuilds of about 15 ms each, one after another, and the footer showed some 190 ms after
the rest of the first screen. This one fills in its keys at once the first time, keeps the keys it
last showed, and rebuilds only when what it would show differs.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class PlanFooter(Footer):
    """A Footer that skips rebuilds that would show the same keys."""

    def __init__(self, *, compact: bool = False, show_command_palette: bool = False) -> None:
        # The app's own ^p binding puts the command palette in the footer once; Textual's would repeat it.
        super().__init__(compact=compact, show_command_palette=show_command_palette)
        self._shown: tuple | None = None

    def _keys_to_show(self) -> tuple | None:
        """Everything the footer's keys are drawn from; None before the screen's bindings are known."""
        if not self._bindings_ready:
            return None
        return (
            self.compact,
            self.show_command_palette,
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
                if binding.show or binding.action == "command_palette"
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
