"""The tables, declared once in SQLAlchemy Core: for Alembic's comparison, for readers of the schema, and
for the services, which work with Core rows rather than ORM objects.

Plain Core keeps pydantic and SQLModel out of every command: importing them cost more than importing
SQLAlchemy itself (0.17-0.21 s of each `plantui import` of the 10,000-action plan, and of every
command that opens the store), and nothing used them but these declarations.

Any change here needs an Alembic revision in `plantui/store/migrations/versions`; a test compares the
migrated database with these tables.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()


def _id() -> Column:
    return Column("id", Integer, primary_key=True)


def _parent(name: str, parent: str, **options) -> Column:
    """A required link to a parent row that goes when the parent goes."""
    return Column(name, Integer, ForeignKey(f"{parent}.id", ondelete="CASCADE"), nullable=False, **options)


def _text(name: str, *, default: str | None = None) -> Column:
    """Required text; a `default` is what an insert that leaves the column out writes."""
    return Column(name, Text, nullable=False, default=default)


plan = Table(
    "plan",
    metadata,
    _id(),
    _text("title"),
    _text("organisation", default=""),
    _text("phase", default=""),
    _text("foreword", default=""),
    Column("status_date", Date, nullable=True),
    Column("created_at", DateTime, nullable=False),  # UTC, naive
)

theme = Table(
    "theme",
    metadata,
    _id(),
    _parent("plan_id", "plan"),
    _text("ref"),
    Column("position", Integer, nullable=False),
    _text("title"),
    _text("aim", default=""),
    UniqueConstraint("plan_id", "ref"),
)

area = Table(
    "area",
    metadata,
    _id(),
    _parent("theme_id", "theme"),
    _text("ref"),
    Column("position", Integer, nullable=False),
    _text("title"),
    _text("outcomes", default=""),
    UniqueConstraint("theme_id", "ref"),
)

objective = Table(
    "objective",
    metadata,
    _id(),
    _parent("area_id", "area"),
    _text("ref"),
    Column("position", Integer, nullable=False),
    _text("text"),
    UniqueConstraint("area_id", "ref"),
)

action = Table(
    "action",
    metadata,
    _id(),
    _parent("plan_id", "plan"),
    _parent("objective_id", "objective", index=True),
    _text("ref"),
    Column("position", Integer, nullable=False),
    _text("title"),
    _text("success_measures", default=""),
    _text("detailed_plan", default=""),
    _text("status"),
    _text("milestone", default=""),
    Column("due", Date, nullable=True),
    _text("baseline", default=""),
    Column("baseline_due", Date, nullable=True),
    # Denormalised from history so the action table needs no join: when it last changed, and the
    # newest commentary. Written in the same transaction as the history row.
    Column("updated_at", DateTime, nullable=True),  # UTC, naive
    _text("last_note", default=""),
    # As printed: the objective statement beside this action, where one numbered objective prints
    # several (each action keeps its own); and the commentary the plan came with ("annual monitoring"),
    # the last note when its history has none.
    Column("objective_statement", Text, nullable=False, default="", server_default=""),
    Column("commentary", Text, nullable=False, default="", server_default=""),
    UniqueConstraint("plan_id", "ref"),
)

# A field of an action whose value was not printed in its own row but carried down from the row above
# (`plantui.domain.carried`): which field, from which action, and whether it looks wrong for this one.
carried_value = Table(
    "carried_value",
    metadata,
    Column("action_id", Integer, ForeignKey("action.id", ondelete="CASCADE"), primary_key=True),
    Column("field", Text, primary_key=True),
    _text("from_ref"),
    Column("doubtful", Boolean, nullable=False, default=False),
)

officer = Table(
    "officer",
    metadata,
    _id(),
    Column("name", Text, nullable=False, unique=True),
)

action_lead = Table(
    "action_lead",
    metadata,
    Column("action_id", Integer, ForeignKey("action.id", ondelete="CASCADE"), primary_key=True),
    Column("officer_id", Integer, ForeignKey("officer.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("position", Integer, nullable=False),
)

# Append-only: one row per change to an action. Undo adds a row; nothing is ever deleted.
history = Table(
    "history",
    metadata,
    _id(),
    _parent("action_id", "action"),
    Column("at", DateTime, nullable=False),  # UTC, naive
    _text("author"),
    _text("field"),  # "status", "milestone" or "note"
    Column("old", Text, nullable=True),
    Column("new", Text, nullable=True),
    _text("note", default=""),
    Column("undoes_id", Integer, ForeignKey("history.id"), nullable=True),
    # The board meeting the change was made in, if any (undo rows made in a meeting carry it too).
    Column("meeting_id", Integer, ForeignKey("meeting.id"), nullable=True, index=True),
    # One user action is one undo step: its first row has no group_id, the others carry that row's id.
    Column("group_id", Integer, ForeignKey("history.id"), nullable=True, index=True),
    # A redo records an undone change again, pointing at the undo row it reverses.
    Column("redoes_id", Integer, ForeignKey("history.id"), nullable=True),
    Index("ix_history_action_id_id", "action_id", "id"),
    Index("ix_history_at", "at"),
)

# An Improvement Board meeting: when it ran, over what, and who recorded it. The changes made in it
# are the history rows that carry its id. A meeting whose `ended_at` is NULL is open; plantui keeps
# at most one open at a time (see `plantui.store.meetings`).
meeting = Table(
    "meeting",
    metadata,
    _id(),
    _parent("plan_id", "plan"),
    _text("title", default=""),
    _text("scope", default="plan"),  # "plan", "theme:4", "area:1.2", "filter:rag:red"
    Column("started_at", DateTime, nullable=False),  # UTC, naive
    Column("ended_at", DateTime, nullable=True),  # UTC, naive; NULL while open
    _text("recorded_by"),
)

finding = Table(
    "finding",
    metadata,
    _id(),
    _parent("plan_id", "plan"),
    Column("position", Integer, nullable=False),
    _text("source"),
    _text("text"),
)

# A ref a finding cites, exactly as printed: it may name nothing in the plan.
finding_ref = Table(
    "finding_ref",
    metadata,
    Column("finding_id", Integer, ForeignKey("finding.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True, autoincrement=False),
    _text("ref"),
)
