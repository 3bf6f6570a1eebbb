"""The command palette (ctrl+p): every command by name, built from the list the screen offers.

A screen that wants commands in the palette has `palette_commands()` returning `PaletteCommand`s;
the calendar, meeting and findings views add theirs the same way. Typing a ref ("1.3.4") also
offers to go straight there, and typing words offers the actions and nodes they find (as `g` does).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from plantui.domain.refs import is_ref
from plantui.domain.text import visible

PALETTE_MATCHES = 10  # actions and nodes found by their words, offered below the commands


@dataclass(frozen=True)
class PaletteCommand:
    name: str
    help: str
    run: Callable[[], object]
    discover: bool = True  # listed before anything is typed (leads and statuses only when searched)


class PlanCommands(Provider):
    def _commands(self) -> list[PaletteCommand]:
        offer = getattr(self.screen, "palette_commands", None)
        return list(offer()) if callable(offer) else []

    async def discover(self) -> Hits:
        for command in self._commands():
            if command.discover:
                yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        goto = getattr(self.screen, "go_to_ref", None)
        wanted = query.strip().rstrip(".")
        if callable(goto) and is_ref(wanted):
            jump = "Jump to this theme, area, objective or action"
            yield Hit(1.0, f"Go to {wanted}", partial(goto, wanted), help=jump)
        for command in self._commands():
            score = matcher.match(command.name)
            if score > 0:
                display = matcher.highlight(command.name)
                yield Hit(score, display, command.run, text=command.name, help=command.help)
        index = getattr(self.screen, "search_index", None)
        if callable(goto) and callable(index) and not is_ref(wanted) and len(wanted) >= 2:
            for found in index().search(wanted, limit=PALETTE_MATCHES):
                kind = "" if found.kind == "action" else f"{found.kind}: "
                title = " ".join(visible(found.title).split())
                name = f"Go to {found.ref}  {kind}{title if len(title) <= 90 else title[:89] + '…'}"
                # Scored as the palette scores a command's name, plus how well the words matched:
                # whole words found rank above a name that only has the letters in order.
                score = matcher.match(name) + found.score
                display = Text(name, end="")
                yield Hit(score, display, partial(goto, found.ref), text=name, help="found by its words")
