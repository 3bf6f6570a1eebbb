"""Which actions the main screen has marked to act on together (`space`, `V`), as plain state.

Marks are kept by action id, whatever the filter or the tree shows, so a filter can hide marked rows
without unmarking them. A range (`V`) starts at an anchor and runs to the cursor until it is fixed
(a second `V`, or `space`) and its rows join the marks. The screen draws them and says how many;
this holds no widget and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from plantui.domain.views import ActionRow


class Marks:
    """The marked actions' ids, in the order marked, and the anchor of a range being drawn."""

    def __init__(self) -> None:
        self.ids: dict[int, None] = {}  # an ordered set
        self.anchor: int | None = None  # the action a range (V) started at, until it is fixed

    def __bool__(self) -> bool:
        return bool(self.ids) or self.anchor is not None

    def toggle(self, action_id: int) -> bool:
        """Mark the action, or unmark it when it was marked; True when it is now marked."""
        if action_id in self.ids:
            del self.ids[action_id]
            return False
        self.ids[action_id] = None
        return True

    def add(self, action_ids: Iterable[int]) -> None:
        for action_id in action_ids:
            self.ids[action_id] = None

    def clear(self) -> None:
        self.ids.clear()
        self.anchor = None

    def shown(self, in_range: Sequence[int]) -> frozenset[int]:
        """What to draw as marked: the marks and the rows of the range being drawn (`in_range`)."""
        return frozenset(self.ids).union(in_range)

    def rows(self, every_row: Sequence[ActionRow]) -> list[ActionRow]:
        """The marked actions among `every_row`, in that order (the plan's); marks of actions no
        longer in the plan are dropped."""
        rows = [row for row in every_row if row.id in self.ids]
        self.ids = {row.id: None for row in rows}
        return rows

    def restore(self, action_ids: Iterable[int]) -> None:
        """Mark these again (a change of the marked actions that was not saved)."""
        self.add(action_ids)
