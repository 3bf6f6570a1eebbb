"""The plan as a tree of plain values: what plan files are read into and written from.

`plantui.io` turns plan files and spreadsheets into a `PlanDocument`; `plantui.store` writes one
into the database and reads one back. Neither side needs to know the other's format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from plantui.domain.carried import Carried


@dataclass(slots=True)
class HistoryEntryDoc:
    at: datetime
    author: str
    field: str  # "status", "milestone" or "note"
    old: str | None
    new: str | None
    note: str = ""
    undoes: int | None = None  # position (0-based) in the same action's history of the entry undone
    meeting: int | None = None  # position (0-based) in `PlanDocument.meetings` of the meeting it was made in


@dataclass(slots=True)
class ActionDoc:
    ref: str
    title: str
    success_measures: str = ""
    leads: list[str] = field(default_factory=list)
    rag: str = "not_started"
    milestone: str = ""
    due: date | None = None
    baseline: str | None = None  # the first milestone label; None means "same as milestone"
    baseline_due: date | None = None
    detailed_plan: str = ""
    history: list[HistoryEntryDoc] = field(default_factory=list)
    # The fields whose value was filled in from the row above, in field order.
    carried: list[Carried] = field(default_factory=list)
    objective_statement: str = ""  # the objective statement printed beside this action, if its own
    commentary: str = ""  # the commentary the plan came with: the last note while the history has none


@dataclass(slots=True)
class ObjectiveDoc:
    ref: str
    text: str
    actions: list[ActionDoc] = field(default_factory=list)


@dataclass(slots=True)
class AreaDoc:
    ref: str
    title: str
    outcomes: str = ""
    objectives: list[ObjectiveDoc] = field(default_factory=list)


@dataclass(slots=True)
class ThemeDoc:
    ref: str
    title: str
    aim: str = ""
    areas: list[AreaDoc] = field(default_factory=list)


@dataclass(slots=True)
class FindingDoc:
    source: str
    text: str
    refs: list[str] = field(default_factory=list)


@dataclass(slots=True)
class MeetingDoc:
    """A board meeting; the history entries made in it point at it by position."""

    title: str
    scope: str
    started_at: datetime
    ended_at: datetime | None
    recorded_by: str


@dataclass(slots=True)
class LeadDoc:
    """Who holds a lead's role, and their e-mail: for the update round's requests."""

    role: str  # the lead as the plan's actions name it
    person: str = ""
    email: str = ""


@dataclass(slots=True)
class PlanDocument:
    title: str
    organisation: str = ""
    phase: str = ""
    foreword: str = ""
    status_date: date | None = None
    themes: list[ThemeDoc] = field(default_factory=list)
    findings: list[FindingDoc] = field(default_factory=list)
    meetings: list[MeetingDoc] = field(default_factory=list)  # oldest first
    people: list[LeadDoc] = field(default_factory=list)  # leads with a person or e-mail, by role

    def actions(self) -> list[ActionDoc]:
        return [
            action
            for theme in self.themes
            for area in theme.areas
            for objective in area.objectives
            for action in objective.actions
        ]
