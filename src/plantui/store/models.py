"""The tables. SQLModel declares them once for Alembic's comparison and for readers of the schema;
the services use SQLAlchemy Core against `Model.__table__` on hot paths (rows, not ORM objects).

Any change here needs an Alembic revision in `plantui/store/migrations/versions`; a test compares the
migrated database with these models.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Plan(SQLModel, table=True):
    __tablename__ = "plan"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(sa_type=Text)
    organisation: str = Field(default="", sa_type=Text)
    phase: str = Field(default="", sa_type=Text)
    foreword: str = Field(default="", sa_type=Text)
    status_date: date | None = None
    created_at: datetime = Field(sa_type=DateTime)  # UTC, naive


class Theme(SQLModel, table=True):
    __tablename__ = "theme"
    __table_args__ = (UniqueConstraint("plan_id", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(sa_column=Column(Integer, ForeignKey("plan.id", ondelete="CASCADE"), nullable=False))
    ref: str = Field(sa_type=Text)
    position: int
    title: str = Field(sa_type=Text)
    aim: str = Field(default="", sa_type=Text)


class Area(SQLModel, table=True):
    __tablename__ = "area"
    __table_args__ = (UniqueConstraint("theme_id", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    theme_id: int = Field(
        sa_column=Column(Integer, ForeignKey("theme.id", ondelete="CASCADE"), nullable=False)
    )
    ref: str = Field(sa_type=Text)
    position: int
    title: str = Field(sa_type=Text)
    outcomes: str = Field(default="", sa_type=Text)


class Objective(SQLModel, table=True):
    __tablename__ = "objective"
    __table_args__ = (UniqueConstraint("area_id", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    area_id: int = Field(sa_column=Column(Integer, ForeignKey("area.id", ondelete="CASCADE"), nullable=False))
    ref: str = Field(sa_type=Text)
    position: int
    text: str = Field(sa_type=Text)


class Action(SQLModel, table=True):
    __tablename__ = "action"
    __table_args__ = (UniqueConstraint("plan_id", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(sa_column=Column(Integer, ForeignKey("plan.id", ondelete="CASCADE"), nullable=False))
    objective_id: int = Field(
        sa_column=Column(Integer, ForeignKey("objective.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    ref: str = Field(sa_type=Text)
    position: int
    title: str = Field(sa_type=Text)
    success_measures: str = Field(default="", sa_type=Text)
    detailed_plan: str = Field(default="", sa_type=Text)
    status: str = Field(sa_type=Text)
    milestone: str = Field(default="", sa_type=Text)
    due: date | None = None
    baseline: str = Field(default="", sa_type=Text)
    baseline_due: date | None = None
    # Denormalised from history so the action table needs no join: when it last changed, and the
    # newest commentary. Written in the same transaction as the history row.
    updated_at: datetime | None = Field(default=None, sa_type=DateTime)  # UTC, naive
    last_note: str = Field(default="", sa_type=Text)


class Officer(SQLModel, table=True):
    __tablename__ = "officer"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=Text, unique=True)


class ActionLead(SQLModel, table=True):
    __tablename__ = "action_lead"

    action_id: int = Field(
        sa_column=Column(Integer, ForeignKey("action.id", ondelete="CASCADE"), primary_key=True)
    )
    officer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("officer.id", ondelete="CASCADE"), primary_key=True, index=True)
    )
    position: int


class History(SQLModel, table=True):
    """Append-only: one row per change to an action. Undo adds a row; nothing is ever deleted."""

    __tablename__ = "history"
    __table_args__ = (
        Index("ix_history_action_id_id", "action_id", "id"),
        Index("ix_history_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(
        sa_column=Column(Integer, ForeignKey("action.id", ondelete="CASCADE"), nullable=False)
    )
    at: datetime = Field(sa_type=DateTime)  # UTC, naive
    author: str = Field(sa_type=Text)
    field: str = Field(sa_type=Text)  # "status", "milestone" or "note"
    old: str | None = Field(default=None, sa_type=Text)
    new: str | None = Field(default=None, sa_type=Text)
    note: str = Field(default="", sa_type=Text)
    undoes_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("history.id"), nullable=True)
    )
    # The board meeting the change was made in, if any (undo rows made in a meeting carry it too).
    meeting_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("meeting.id"), nullable=True, index=True),
    )


class Meeting(SQLModel, table=True):
    """An Improvement Board meeting: when it ran, over what, and who recorded it.

    The changes made in it are the history rows that carry its id. A meeting whose `ended_at` is
    NULL is open; plantui keeps at most one open at a time (see `plantui.store.meetings`).
    """

    __tablename__ = "meeting"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(sa_column=Column(Integer, ForeignKey("plan.id", ondelete="CASCADE"), nullable=False))
    title: str = Field(default="", sa_type=Text)
    scope: str = Field(default="plan", sa_type=Text)  # "plan", "theme:4", "area:1.2", "filter:rag:red"
    started_at: datetime = Field(sa_type=DateTime)  # UTC, naive
    ended_at: datetime | None = Field(default=None, sa_type=DateTime)  # UTC, naive; NULL while open
    recorded_by: str = Field(sa_type=Text)


class Finding(SQLModel, table=True):
    __tablename__ = "finding"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(sa_column=Column(Integer, ForeignKey("plan.id", ondelete="CASCADE"), nullable=False))
    position: int
    source: str = Field(sa_type=Text)
    text: str = Field(sa_type=Text)


class FindingRef(SQLModel, table=True):
    """A ref a finding cites, exactly as printed: it may name nothing in the plan."""

    __tablename__ = "finding_ref"

    finding_id: int = Field(
        sa_column=Column(Integer, ForeignKey("finding.id", ondelete="CASCADE"), primary_key=True)
    )
    position: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    ref: str = Field(sa_type=Text)


metadata = SQLModel.metadata
