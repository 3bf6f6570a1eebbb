"""What a board meeting covers: the whole plan, one theme, area or objective, or a filter.

Written as text so it can be stored with the meeting and typed on the command line:

    plan               every action
    theme:4            everything under theme 4 (likewise area:1.2, objective:1.2.1)
    filter:EXPR        the actions a filter expression picks, e.g. `filter:rag:red` or
                       `filter:not rag:complete` (see `plantui.domain.filters`)

The level word must match the ref (`theme:1.2` is refused: 1.2 is an area).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from plantui.domain.errors import InputError
from plantui.domain.filters import Filter, parse_filter
from plantui.domain.refs import is_ref, level, within
from plantui.domain.views import ActionRow

_LEVEL_WORDS = ("theme", "area", "objective", "action")


@dataclass(frozen=True, slots=True)
class Scope:
    kind: str  # "plan", "theme", "area", "objective", "action" or "filter"
    value: str = ""  # the ref, or the filter expression

    @property
    def text(self) -> str:
        """The scope as stored and typed: `plan`, `theme:4`, `filter:rag:red`."""
        return self.kind if self.kind == "plan" else f"{self.kind}:{self.value}"

    @property
    def label(self) -> str:
        """The scope in words for a heading: `the whole plan`, `theme 4`, `filter rag:red`."""
        if self.kind == "plan":
            return "the whole plan"
        return f"{self.kind} {self.value}"

    def selects(
        self, rows: list[ActionRow], today: date, owed: Iterable[str] | None = None
    ) -> list[ActionRow]:
        """The actions this scope covers, in the order given. `owed` are the refs a filter's `owing`
        picks (the open update round's unreturned actions; see `needs_owed`)."""
        if self.kind == "plan":
            return list(rows)
        if self.kind == "filter":
            wanted = self.filter()
            if wanted.needs_owed:
                wanted = wanted.with_owed(owed or ())
            return wanted.apply(rows, today)
        return [row for row in rows if within(row.ref, self.value)]

    @property
    def needs_owed(self) -> bool:
        """Whether the scope is a filter saying `owing`, so the caller must give the owed refs."""
        return self.kind == "filter" and self.filter().needs_owed

    def filter(self) -> Filter:
        return parse_filter(self.value) if self.kind == "filter" else Filter()


PLAN = Scope("plan")


def parse_scope(text: str | None) -> Scope:
    """Read a scope; an empty one is the whole plan. Raises `InputError` naming what is wrong."""
    text = (text or "").strip()
    if not text or text.lower() in {"plan", "all", "whole plan"}:
        return PLAN
    kind, colon, value = text.partition(":")
    kind = kind.strip().lower()
    value = value.strip()
    if not colon:
        if is_ref(text.rstrip(".")):  # a bare ref: `4`, `1.2`
            ref = text.rstrip(".")
            return Scope(level(ref), ref)
        raise InputError(f"scope {text!r}: write plan, theme:REF, area:REF, objective:REF or filter:EXPR")
    if kind == "filter":
        if not value:
            raise InputError("scope filter: needs an expression after the colon, e.g. filter:rag:red")
        parse_filter(value)  # refuses a term it cannot read, naming it
        return Scope("filter", value)
    if kind in _LEVEL_WORDS or kind == "ref":
        ref = value.rstrip(".")
        if not is_ref(ref):
            raise InputError(f"scope {text!r}: {value!r} is not a ref like 4 or 1.2")
        if kind != "ref" and level(ref) != kind:
            raise InputError(f"scope {text!r}: {ref} is {_article(level(ref))} {level(ref)}, not {kind}")
        return Scope(level(ref), ref)
    raise InputError(f"scope {text!r}: write plan, theme:REF, area:REF, objective:REF or filter:EXPR")


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"
