"""The fields two copies of the plan both changed between syncs, to review (a replica's `conflicts`).

Each conflict shows the action, the field, the value that stands (the later change, by whom and
when) and the value it replaced. `k` keeps what stands; `r` re-applies the replaced value as a new
change, through the same change path as any edit (it is saved, with its history row, as one undo
step); either marks the conflict reviewed, and the next sync carries that to everyone. `s` syncs.
The store work runs in a worker through `plantui.store.replicas`, the same functions as
`plantui conflicts keep|reapply`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from plantui.domain.errors import PlantuiError
from plantui.domain.text import visible
from plantui.domain.wording import clip_words, plural
from plantui.store.clock import local_text
from plantui.tui.messages import ReplicaStateChanged
from plantui.tui.styles import sheet
from plantui.tui.widgets.marked_list import MarkedOptionList
from plantui.tui.widgets.plan_footer import PlanFooter

if TYPE_CHECKING:
    from plantui.store.replicas import ConflictView


def _value(field: str, value: str | None) -> str:
    if field == "leads":
        from plantui.domain.action_text import decode_leads

        try:
            return ", ".join(decode_leads(value or "[]")) or "no leads"
        except ValueError:
            pass
    from plantui.tui.presentation import status_words

    if field == "status" and value:
        return status_words(value)
    return repr(clip_words(value or "", 60))


def conflict_text(conflict: ConflictView) -> Text:
    """A conflict as three lines: action and field; what stands; what it replaced."""
    text = Text(f"{visible(conflict.ref)}  {conflict.field_words}", style="bold")
    text.append(f"  ·  {visible(clip_words(conflict.title, 70))}")
    text.append("\n  stands:   ")
    text.append(visible(_value(conflict.field, conflict.standing)), style="bold")
    text.append(f"  by {visible(conflict.standing_by)}, {local_text(conflict.standing_at)}")
    text.append("\n  replaced: ")
    text.append(visible(_value(conflict.field, conflict.replaced)))
    text.append(f"  by {visible(conflict.replaced_by)}, {local_text(conflict.replaced_at)}")
    return text


class ConflictsScreen(Screen[None]):
    """The conflicts to review; keep what stands or re-apply what it replaced."""

    CSS_PATH = sheet("conflicts.tcss")
    AUTO_FOCUS = "#conflicts-list"
    BINDINGS: ClassVar = [
        Binding("k", "keep", "Keep what stands", id="conflicts.keep"),
        Binding("r", "reapply", "Re-apply the replaced", id="conflicts.reapply"),
        Binding("s", "sync", "Sync", id="conflicts.sync"),
        Binding("escape", "close", "Back", id="conflicts.close"),
    ]

    def __init__(self, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.conflicts: tuple[ConflictView, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(Text("Sync conflicts", style="bold"), id="conflicts-heading")
        yield MarkedOptionList(id="conflicts-list")
        yield Static(id="conflicts-status")
        yield PlanFooter()

    def on_mount(self) -> None:
        self.load()

    @on(ReplicaStateChanged)
    def _replica_changed(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="conflicts")
    def load(self) -> None:
        from plantui.store.replicas import list_conflicts

        try:
            found = tuple(list_conflicts(self.app.database))
        except PlantuiError as error:
            self.app.call_from_thread(self._say, f"Cannot read the conflicts: {error}")
            return
        self.app.call_from_thread(self._fill, found)

    def _fill(self, found: tuple[ConflictView, ...]) -> None:
        self.conflicts = found
        heading = Text("Sync conflicts", style="bold")
        heading.append(
            f"  ·  {plural(len(found), 'field')} changed on both sides since a sync: the later stands. "
            "k keeps it, r re-applies the one it replaced."
        )
        self.query_one("#conflicts-heading", Static).update(heading)
        listing = self.query_one("#conflicts-list", OptionList)
        keep = listing.highlighted or 0
        listing.clear_options()
        if not found:
            listing.add_option(Option(Text("No conflicts to review.", style="italic"), disabled=True))
            return
        options: list[Option | None] = []
        for index, conflict in enumerate(found):
            if options:
                options.append(None)
            options.append(Option(conflict_text(conflict), id=f"conflict-{index}"))
        listing.add_options(options)
        listing.highlighted = min(keep, len(found) - 1) * 2  # the rules between count as options

    def _say(self, words: str) -> None:
        self.query_one("#conflicts-status", Static).update(Text(words))

    def _chosen(self) -> ConflictView | None:
        listing = self.query_one("#conflicts-list", OptionList)
        if listing.highlighted is None or not self.conflicts:
            return None
        option = listing.get_option_at_index(listing.highlighted)
        if not option.id:
            return None
        return self.conflicts[int(option.id.removeprefix("conflict-"))]

    def action_keep(self) -> None:
        self._review(reapply=False)

    def action_reapply(self) -> None:
        self._review(reapply=True)

    def _review(self, *, reapply: bool) -> None:
        conflict = self._chosen()
        if conflict is None or self.app.refuse_if_read_only():
            return
        self._say(f"Saving {conflict.ref} {conflict.field_words}…")
        self._run_review(conflict.ref, conflict.field, reapply)

    @work(thread=True, group="conflicts-review")
    def _run_review(self, ref: str, field: str, reapply: bool) -> None:
        from plantui.store.replicas import review_conflict

        try:
            review_conflict(self.app.database, ref, field, reapply=reapply, author=self.app.author)
        except PlantuiError as error:
            self.app.call_from_thread(self._say, f"Not saved: {error}")
            return
        done = "re-applied the replaced value" if reapply else "kept what stands"
        self.app.call_from_thread(self._reviewed, f"Saved: {ref} {field}: {done}")

    def _reviewed(self, words: str) -> None:
        self._say(words)
        self.app.load_plan()  # a re-applied value changed the action
        self.app.session.read_replica()

    def action_sync(self) -> None:
        self.app.sync_now()

    def action_close(self) -> None:
        self.dismiss(None)
