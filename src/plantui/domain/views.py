"""Read-only values the store hands to the CLI, the TUI and the reports.

They are plain, immutable and cheap: the TUI keeps thousands of them in memory and filters them
without going back to the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from plantui.domain.carried import Carried
from plantui.domain.due import DueState, Slippage, due_state, slippage, slipped_days


class ActionRow(NamedTuple):
    """One action as the table, the detail pane and the reports show it.

    A named tuple rather than a frozen dataclass: just as immutable, but made about seven times
    faster, and the workbench makes 10,000 of them before its first frame on a large plan (a frozen
    dataclass sets each of its 16 fields through `object.__setattr__`). Change one with `_replace`.
    """

    id: int
    ref: str
    title: str
    leads: tuple[str, ...]
    status: str
    milestone: str
    due: date | None
    baseline: str
    baseline_due: date | None
    detailed_plan: str
    success_measures: str
    updated_at: datetime | None
    last_note: str
    objective_ref: str
    area_ref: str
    theme_ref: str
    carried: tuple[Carried, ...] = ()  # fields filled in from the row above (`plantui.domain.carried`)
    objective_statement: str = ""  # the objective statement printed beside this action, if its own
    commentary: str = ""  # the commentary the plan came with (`last_note` falls back to it)
    impact: bool = False  # its impact is evidenced (`plantui.domain.evidence`), apart from its status
    evidence: int = 0  # how many pieces of evidence stand in its history

    def carried_words(self, field: str) -> str:
        """The words "carried down from 1.1.1.5" when `field` was filled in from the row above, else ""."""
        return next((mark.words for mark in self.carried if mark.field == field), "")

    def due_state(self, today: date) -> DueState:
        return due_state(self.status, self.due, today)

    @property
    def slipped_days(self) -> int | None:
        return slipped_days(self.baseline_due, self.due)

    @property
    def slipped(self) -> bool:
        return self.slipped_days is not None

    @property
    def slippage(self) -> Slippage | None:
        """How far it slipped past its baseline, or None if it has not (`wording.slip_words` says it)."""
        return slippage(self.baseline_due, self.due)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    id: int
    action_ref: str
    at: datetime
    author: str
    field: str  # "status", "milestone", "note", "evidence", "impact", or one of `action_text.TEXT_FIELDS`
    old: str | None
    new: str | None
    note: str
    undoes_id: int | None
    meeting_id: int | None = None  # the board meeting it was made in, if any
    action_title: str = ""
    uid: str = ""  # the entry's identity in every copy of the plan
    origin: str = ""  # the uid of the store (a replica, its upstream) that made it; "" if not known


@dataclass(frozen=True, slots=True)
class NodeInfo:
    """A theme, area or objective: its ref, its title, and the plan text that describes it."""

    ref: str
    kind: str  # "theme", "area" or "objective"
    title: str
    text: str  # the theme's aim, the area's outcomes, or the objective's full wording


@dataclass(frozen=True, slots=True)
class PlanInfo:
    id: int
    title: str
    organisation: str
    phase: str
    foreword: str
    status_date: date | None


@dataclass(frozen=True, slots=True)
class Finding:
    id: int
    source: str
    text: str
    refs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Meeting:
    """A board meeting as stored: open while `ended_at` is None."""

    id: int
    title: str
    scope: str  # as stored: "plan", "theme:4", "filter:rag:red" (see `plantui.domain.scopes`)
    started_at: datetime  # UTC, naive
    ended_at: datetime | None
    recorded_by: str

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def name(self) -> str:
        """The title, or the day it started when it has none."""
        return self.title or f"Meeting of {self.started_at:%Y-%m-%d}"
