"""Saved views: a name for a filter, the tree node it is narrowed to, and a sort.

A view is what a lead looks at again and again ("Exceptions", "Due this month", "Sarah's actions
in 2.1"). It is kept in the plan's store (`plantui.store.saved_views`), so everyone sharing the plan
sees the same ones, and the CLI (`plantui view ...`, `plantui list --view NAME`) and the
workbench (`v`, the palette) read and write them through the same service.

    filter   the expression of the `/` box and `plantui list --filter` (plantui.domain.filters)
    node     a theme, area or objective ref the view is narrowed to; "" is the whole plan
    sort     a sort key (`SORTS`), with ":desc" to reverse it; "" is plan order

Every plan starts with `DEFAULT_VIEWS`; they are ordinary rows a user may replace or delete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from plantui.domain.errors import InputError
from plantui.domain.exceptions import status_worst_first, worst_first
from plantui.domain.filters import check_names, parse_filter
from plantui.domain.refs import is_ref, sort_key, within
from plantui.domain.text import visible
from plantui.domain.views import ActionRow

NAME_MAX = 60  # characters: a name reads whole in the picker and the palette
DESCENDING = "desc"

_DUE_ORDER = {"overdue": 0, "soon": 1, "later": 2, "ongoing": 3, "done": 4}


def _far(value: date | None) -> date:
    return value or date.max


# The sorts a view can keep: the workbench table's columns (same keys, same order) and the
# worst-first sort of the exceptions view. tests/tui checks the table sorts the same way.
SORTS: dict[str, Callable[[ActionRow, date], Any]] = {
    "ref": lambda r, _t: sort_key(r.ref),
    "title": lambda r, _t: r.title.lower(),
    "leads": lambda r, _t: ("; ".join(r.leads) or "~").lower(),
    "status": lambda r, _t: status_worst_first(r.status),
    "milestone": lambda r, _t: (_far(r.due), r.milestone.lower()),
    "due": lambda r, t: (_DUE_ORDER[r.due_state(t)], -(r.slipped_days or 0), _far(r.due)),
    "updated": lambda r, _t: r.updated_at.isoformat() if r.updated_at else "",
    "worst": worst_first,
}


@dataclass(frozen=True, slots=True)
class SavedView:
    name: str
    filter: str = ""
    node: str = ""  # "" is the whole plan
    sort: str = ""  # "" is plan order; "due", "status:desc", "worst"

    @property
    def sort_key(self) -> str | None:
        return parse_sort(self.sort)[0]

    @property
    def sort_reversed(self) -> bool:
        return parse_sort(self.sort)[1]

    def describe(self) -> str:
        """One line saying what the view shows: "exceptions · whole plan · worst first"."""
        sort = self.sort_key
        parts = [
            self.filter or "every action",
            f"in {self.node}" if self.node else "whole plan",
            "plan order" if sort is None else sort_words(sort, self.sort_reversed),
        ]
        return " · ".join(visible(part) for part in parts)


DEFAULT_VIEWS = (
    SavedView("Exceptions", "exceptions", "", "worst"),
    SavedView("Due this month", "due:month -rag:complete", "", "due"),
)


def sort_words(key: str, reverse: bool = False) -> str:
    words = "worst first" if key == "worst" else f"by {key}"
    return words + (" (reversed)" if reverse else "")


def sort_text(key: str | None, reverse: bool = False) -> str:
    """How a sort is kept: "" for plan order, "due", "status:desc"."""
    if key is None:
        return ""
    return f"{key}:{DESCENDING}" if reverse else key


def parse_sort(text: str) -> tuple[str | None, bool]:
    """(key, reversed) from "due", "status:desc", "ref:asc" or "" (plan order); an unknown key or
    direction is an `InputError` naming the sort."""
    written = text.strip()
    if not written:
        return None, False
    key, colon, direction = written.lower().partition(":")
    if key not in SORTS:
        raise InputError(f"sort '{visible(written)}': not a sort key (use one of {', '.join(SORTS)})")
    if colon and direction not in ("asc", DESCENDING):
        raise InputError(f"sort '{visible(written)}': the direction after the colon is asc or desc")
    return key, direction == DESCENDING


def name_key(name: str) -> str:
    """What makes two names the same view: case and spacing ignored."""
    return " ".join(name.split()).casefold()


def checked_name(name: str) -> str:
    """The name as kept (spaces tidied); an `InputError` for an empty, overlong or unreadable one."""
    tidy = " ".join(name.split())
    if not tidy:
        raise InputError("view name: give the view a name")
    if visible(tidy) != tidy:
        raise InputError(f"view name '{visible(tidy)}': control characters are not allowed")
    if len(tidy) > NAME_MAX:
        raise InputError(f"view name '{visible(tidy[:20])}'…: at most {NAME_MAX} characters")
    return tidy


def checked_view(view: SavedView, rows: Sequence[ActionRow], node_refs: Iterable[str]) -> SavedView:
    """The view as it will be kept, once every field is known to make sense for this plan: the name,
    the filter (as `/` reads it, `theme:` and `lead:` naming something), the node and the sort."""
    name = checked_name(view.name)
    query = parse_filter(view.filter)
    check_names(query, rows)
    node = view.node.strip().rstrip(".")
    if node:
        if not is_ref(node):
            raise InputError(
                f"view node '{visible(node)}': not a ref like 1.2 (leave it out for the whole plan)"
            )
        if node not in set(node_refs):
            raise InputError(f"view node {node!r}: the plan has no theme, area or objective numbered {node}")
    key, reverse = parse_sort(view.sort)
    return SavedView(name, " ".join(view.filter.split()), node, sort_text(key, reverse))


def view_rows(view: SavedView, rows: Sequence[ActionRow], today: date) -> list[ActionRow]:
    """The actions the view shows as at `today`, in its order: as the workbench's table shows them."""
    query = parse_filter(view.filter)
    picked = [row for row in query.apply(list(rows), today) if not view.node or within(row.ref, view.node)]
    picked.sort(key=lambda row: sort_key(row.ref))  # plan order, and the order of ties
    key, reverse = parse_sort(view.sort)
    if key is None:
        return picked
    order = SORTS[key]
    return sorted(picked, key=lambda row: order(row, today), reverse=reverse)
