"""Counting actions by status, and the share on track.

The share "on track" counts complete and on-track actions over every action except BAU: business as
usual has no end to be on track for, so it is left out of the base. Every screen or report that
shows the figure says so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from plantui.domain.statuses import STATUS_CODES

BAU_NOTE = "BAU actions are left out of the base"


@dataclass(frozen=True, slots=True)
class StatusCounts:
    counts: tuple[int, ...]  # in legend order

    @classmethod
    def of(cls, codes: Iterable[str]) -> StatusCounts:
        tally = Counter(codes)
        return cls(tuple(tally.get(code, 0) for code in STATUS_CODES))

    @classmethod
    def empty(cls) -> StatusCounts:
        return cls((0,) * len(STATUS_CODES))

    def __getitem__(self, code: str) -> int:
        return self.counts[STATUS_CODES.index(code)]

    def __add__(self, other: StatusCounts) -> StatusCounts:
        return StatusCounts(tuple(a + b for a, b in zip(self.counts, other.counts, strict=True)))

    def moved(self, old: str | None, new: str | None) -> StatusCounts:
        """These counts after one action moved from `old` to `new` (either may be None)."""
        counts = list(self.counts)
        if old is not None:
            counts[STATUS_CODES.index(old)] -= 1
        if new is not None:
            counts[STATUS_CODES.index(new)] += 1
        return StatusCounts(tuple(counts))

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def base(self) -> int:
        """Actions that count towards the share on track: all but BAU."""
        return self.total - self["bau"]

    @property
    def on_track_or_complete(self) -> int:
        return self["complete"] + self["on_track"]

    @property
    def share_on_track(self) -> float | None:
        """Complete or on track, over all but BAU; None when there is no base."""
        return self.on_track_or_complete / self.base if self.base else None

    def items(self) -> list[tuple[str, int]]:
        return list(zip(STATUS_CODES, self.counts, strict=True))
