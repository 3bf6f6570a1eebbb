"""The plan as a tree of plain values: what plan files are read into and written from.

`plantui.io` turns plan files and spreadsheets into a `PlanDocument`; `plantui.store` writes one
into the database and reads one back. Neither side needs to know the other's format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from plantui.domain.carried import Carried
from plantui.domain.saved_views import SavedView


@dataclass(slots=True)
class HistoryEntryDoc:
    at: datetime
    author: str
    field: str  # "status", "milestone", "note", "evidence", "impact", or one of `action_text.TEXT_FIELDS`
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
    impact: bool = False  # its impact is evidenced (`plantui.domain.evidence`); its evidence is history


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
    # The plan's saved views; None when the source says nothing of them (a file from before views,
    # a spreadsheet), and then the plan gets the views every new plan starts with.
    views: list[SavedView] | None = None
    measures: list[MeasureDoc] = field(default_factory=list)  # in the plan's order
    people: list[LeadDoc] = field(default_factory=list)  # leads with a person or e-mail, by role

    def actions(self) -> list[ActionDoc]:
        return [
            action
            for theme in self.themes
            for area in theme.areas
            for objective in area.objectives
            for action in objective.actions
        ]


@dataclass(slots=True)
class MeasureValueDoc:
    """A value recorded for one period. Values are never overwritten: a correction is a later entry
    for the same period, and the newest entry for a period is the one that stands."""

    period: str  # canonical: "2022-10" (a month) or "2022-Q3" (a calendar quarter)
    value: float
    at: datetime  # UTC, naive
    author: str
    note: str = ""


@dataclass(slots=True)
class MeasureChangeDoc:
    """A change to a measure's definition or links: who, when, which field, from what to what."""

    at: datetime  # UTC, naive
    author: str
    field: str  # "added", a definition field ("target", "name"), or a link: "action", "objective", "finding"
    old: str | None
    new: str | None


@dataclass(slots=True)
class MeasureDoc:
    """A measure of impact: what is counted, which way is better, the target, and the golden thread
    to the objectives, actions and findings it evidences."""

    ref: str  # e.g. "M12"
    name: str
    unit: str = ""
    direction: str = "higher"  # "higher" or "lower": which way is better
    target: float | None = None
    tolerance: float | None = None  # how far short of target still counts as "within tolerance"
    frequency: str = "monthly"  # "monthly" or "quarterly"
    owner: str = ""  # a lead's name
    objectives: list[str] = field(default_factory=list)  # refs
    actions: list[str] = field(default_factory=list)  # refs
    findings: list[int] = field(default_factory=list)  # positions (0-based) in `PlanDocument.findings`
    values: list[MeasureValueDoc] = field(default_factory=list)  # in the order they were recorded
    changes: list[MeasureChangeDoc] = field(default_factory=list)  # its definition's history, oldest first
