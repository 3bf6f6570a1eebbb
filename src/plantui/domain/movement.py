"""Whether a change of status is better or worse, and the net moves between two states of the plan.

Statuses are ranked by the risk to implementation that the plan's legend describes:

    off_track  <  some_issues  <  on_track = not_started  <  complete
    (risk)        (issues, with      (no risk              (done)
                   plans to recover)  anticipated)

- A move up this order is *better* (↑), a move down it is *worse* (↓).
- `not_started` ranks with `on_track`: the legend says a not-started action carries "no risk to
  implementation currently anticipated", so starting it on track is no change in risk, while
  starting it with issues or off track is worse and completing it is better.
- `bau` (business as usual) stands outside the order, as it stands outside the share on track:
  moving into or out of BAU is a reclassification, shown as *sideways* (→), neither better nor worse.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from plantui.domain.refs import sort_key
from plantui.domain.rollup import StatusCounts

# Higher is better; statuses not listed (BAU) are unranked.
GOODNESS: dict[str, int] = {
    "off_track": 0,
    "some_issues": 1,
    "not_started": 2,
    "on_track": 2,
    "complete": 3,
}


class Direction(StrEnum):
    BETTER = "better"
    WORSE = "worse"
    SIDEWAYS = "sideways"

    @property
    def arrow(self) -> str:
        return {"better": "↑", "worse": "↓", "sideways": "→"}[self.value]

    @property
    def words(self) -> str:
        return {"better": "better", "worse": "worse", "sideways": "no change in risk"}[self.value]


def direction(old: str, new: str) -> Direction:
    """Better, worse or sideways for a move from status `old` to status `new`."""
    before, after = GOODNESS.get(old), GOODNESS.get(new)
    if before is None or after is None or before == after:
        return Direction.SIDEWAYS
    return Direction.BETTER if after > before else Direction.WORSE


@dataclass(frozen=True, slots=True)
class Move:
    """One action whose status differs between two moments (its net move, not each step)."""

    ref: str
    title: str
    old: str
    new: str

    @property
    def direction(self) -> Direction:
        return direction(self.old, self.new)


def net_moves(before: Mapping[str, str], after: Mapping[str, str], titles: Mapping[str, str]) -> list[Move]:
    """Actions whose status in `after` differs from `before` (both map ref -> status), in ref order.

    An action that moved and moved back in between has no net move and is not listed.
    """
    moves = [
        Move(ref, titles.get(ref, ""), before[ref], status)
        for ref, status in after.items()
        if ref in before and before[ref] != status
    ]
    return sorted(moves, key=lambda move: sort_key(move.ref))


@dataclass(frozen=True, slots=True)
class MovementTally:
    """What moved between two moments: the counts by status at each, and how many moved which way."""

    before: StatusCounts
    after: StatusCounts
    better: int
    worse: int
    sideways: int

    def change(self, code: str) -> int:
        """How much the count of `code` went up (positive) or down (negative)."""
        return self.after[code] - self.before[code]


def tally(before: Iterable[str], after: Iterable[str], moves: Iterable[Move]) -> MovementTally:
    directions = [move.direction for move in moves]
    return MovementTally(
        StatusCounts.of(before),
        StatusCounts.of(after),
        directions.count(Direction.BETTER),
        directions.count(Direction.WORSE),
        directions.count(Direction.SIDEWAYS),
    )
