"""Finding actions and plan nodes by words: what `g` and the command palette offer as you type.

Every word typed must start a word of the ref, title or leads ("recr part" finds "Recruit a
Participation Officer"), or failing that appear inside one; case is ignored. Matches are ranked by
how many typed words start a word of the title, then by plan order, so the first hit is the one a
lead most likely meant. `SearchIndex` folds every text once, so each keystroke over 10,000 actions
costs a substring test per action and a closer look only at the few that pass it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from plantui.domain.refs import sort_key
from plantui.domain.views import ActionRow, NodeInfo

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Found:
    """One match: the ref to go to, what to show for it, and how well it matched (higher is better)."""

    ref: str
    kind: str  # "action", "theme", "area" or "objective"
    title: str
    score: int


def _fold(text: str) -> str:
    return text.lower().replace("’", "'")


@dataclass(frozen=True, slots=True)
class _Entry:
    ref: str
    kind: str
    title: str
    haystack: str  # ref, title and the rest, folded
    title_words: tuple[str, ...]
    words: tuple[str, ...]  # every word of the haystack


def _entry(ref: str, kind: str, title: str, others: str) -> _Entry:
    folded_title = _fold(title)
    haystack = f"{ref} {folded_title} {_fold(others)}"
    return _Entry(
        ref, kind, title, haystack, tuple(_WORD.findall(folded_title)), tuple(_WORD.findall(haystack))
    )


class SearchIndex:
    """The plan's nodes and actions, folded once for searching."""

    def __init__(self, rows: Iterable[ActionRow], nodes: Iterable[NodeInfo] = ()) -> None:
        self._entries = [_entry(node.ref, node.kind, node.title, node.text) for node in nodes]
        self._entries += [_entry(row.ref, "action", row.title, " ".join(row.leads)) for row in rows]

    def search(self, query: str, limit: int = 50) -> list[Found]:
        """The best matches for `query`, best first, at most `limit`."""
        words = _fold(query).split()
        if not words:
            return []
        found = []
        for entry in self._entries:
            if all(word in entry.haystack for word in words):
                score = _score(words, entry)
                if score:
                    found.append(Found(entry.ref, entry.kind, entry.title, score))
        found.sort(key=lambda f: (-f.score, sort_key(f.ref)))
        return found[:limit]


def _score(words: list[str], entry: _Entry) -> int:
    """More for each word that starts a word of the title, less for one that starts another word, least
    for one found inside a word; every word is known to be in the haystack."""
    score = 1
    for word in words:
        if any(w.startswith(word) for w in entry.title_words):
            score += 3
        elif entry.ref.startswith(word) or any(w.startswith(word) for w in entry.words):
            score += 2
        else:
            score += 1
    return score


def search(
    query: str, rows: Iterable[ActionRow], nodes: Iterable[NodeInfo] = (), limit: int = 50
) -> list[Found]:
    """One search without keeping an index (the CLI's, or a test's)."""
    return SearchIndex(rows, nodes).search(query, limit)
