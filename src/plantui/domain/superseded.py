"""Telling someone that their change was replaced: which of my changes a later one by someone else
has superseded, from the history rows a window polls for (`store.queries.changes_after`).

The other half (telling the person who made the later change) is `store.changes.Superseded`, returned
by the change itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from plantui.domain.action_text import TEXT_FIELDS, field_words
from plantui.domain.views import HistoryEntry
from plantui.domain.wording import clip_words, leads_words

# Notes add to each other; they never replace one another. Every other field holds one value.
FIELDS = ("status", "milestone", *TEXT_FIELDS)


@dataclass(frozen=True, slots=True)
class Replaced:
    mine: HistoryEntry  # a change I made
    theirs: HistoryEntry  # the later change, by someone else, to the same action and field

    def describe(self, show=str) -> str:
        """One sentence for the person whose change was replaced; `show` renders a value."""
        if self.theirs.field == "leads":
            show = leads_words
        elif self.theirs.field in TEXT_FIELDS:
            show = lambda value: repr(clip_words(value or "", 40))  # noqa: E731
        return (
            f"{self.theirs.author} changed the {field_words(self.theirs.field)} of "
            f"{self.theirs.action_ref} to "
            f"{show(self.theirs.new)} (history #{self.theirs.id}) after you set it to {show(self.mine.new)} "
            f"(#{self.mine.id}); theirs is current and both are in the history"
        )


def replaced_changes(own: Iterable[HistoryEntry], new: Iterable[HistoryEntry]) -> list[Replaced]:
    """My changes (`own`, e.g. the entries my window saved) that a change in `new` by someone else
    replaced: a later status or milestone change to the same action. Each of mine is reported once,
    against the first change that replaced it."""
    latest_mine: dict[tuple[str, str], HistoryEntry] = {}
    for entry in sorted(own, key=lambda e: e.id):
        if entry.field in FIELDS:
            latest_mine[(entry.action_ref, entry.field)] = entry
    replaced: list[Replaced] = []
    for theirs in sorted(new, key=lambda e: e.id):
        key = (theirs.action_ref, theirs.field)
        mine = latest_mine.get(key)
        if mine is None or theirs.id <= mine.id:
            continue
        if theirs.author != mine.author:
            replaced.append(Replaced(mine, theirs))
        del latest_mine[key]  # reported, or replaced by myself: either way no longer current
    return replaced
