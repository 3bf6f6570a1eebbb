"""The plan's tables, declared once as SQLModel classes, and the Core handles the services use.

Each class (`Action`, `History`, ...) is the one declaration of its table: Alembic compares the
migrated database with `metadata`, `schema.create_current` creates a new file from it, and a reader
finds every column, key and index here. The services read and write through SQLAlchemy Core over the
same tables, with the short handles at the bottom (`T.action` is `Action.__table__`): the bulk load,
the workbench's snapshot and a status key's transaction work with rows, and building a pydantic
object per row would cost them their speed.

Importing this module imports SQLModel and pydantic (about 0.15-0.2 s on top of SQLAlchemy; see
benchmarks/README.md), which only commands that open the store pay: the workbench's first frame is
drawn from `plantui.store.snapshot`, which never imports it.

Every `str` column is TEXT (`sa_type=Text`; SQLModel would make it VARCHAR), and a `default` is what
an insert that leaves the column out writes. Any change here needs an Alembic revision in
`plantui/store/migrations/versions`; a test compares the migrated database with these tables.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlmodel import Field, SQLModel

from plantui.domain.uids import new_uid
from plantui.store.identity import this_store


def _uid(*, unique: bool = True) -> Column:
    """A row's uid (`plantui.domain.uids`): the same in every copy of the plan, made at insert."""
    # The empty server default is only what migration 0008 needed to add the column in place.
    if not unique:
        return Column(Text, nullable=False, default=new_uid, server_default="")
    return Column(Text, nullable=False, default=new_uid, server_default="", unique=True, index=True)


def _this_store(context) -> str:
    """The uid of the store a row is being written in (`plantui.store.identity`)."""
    return this_store(context.connection)


def _origin() -> Column:
    """Which store made the row: the uid of its `store_identity`, carried with the row by a sync or a
    copy. Empty for rows made before plantui recorded it (migration 0010 knew no better)."""
    return Column(Text, nullable=False, default=_this_store, server_default="")


def _parent(parent: str, **options) -> Column:
    """A required link to a parent row that goes when the parent goes (the column takes the field's name)."""
    return Column(Integer, ForeignKey(f"{parent}.id", ondelete="CASCADE"), nullable=False, **options)


class Plan(SQLModel, table=True):
    __tablename__ = "plan"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(sa_type=Text)
    organisation: str = Field(default="", sa_type=Text)
    phase: str = Field(default="", sa_type=Text)
    foreword: str = Field(default="", sa_type=Text)
    status_date: date | None = None
    created_at: datetime = Field(sa_type=DateTime)  # UTC, naive
    # The plan's identity, the same in its replicas: a replica syncs only with its own plan.
    uid: str = Field(default_factory=new_uid, sa_column=_uid(unique=False))


class Theme(SQLModel, table=True):
    __tablename__ = "theme"
    __table_args__ = (UniqueConstraint("plan_id", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(sa_column=_parent("plan"))
    ref: str = Field(sa_type=Text)
    position: int
    title: str = Field(sa_type=Text)
    aim: str = Field(default="", sa_type=Text)


class Area(SQLModel, table=True):
    __tablename__ = "area"
    __table_args__ = (UniqueConstraint("theme_id", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    theme_id: int = Field(sa_column=_parent("theme"))
    ref: str = Field(sa_type=Text)
    position: int
    title: str = Field(sa_type=Text)
    outcomes: str = Field(default="", sa_type=Text)


class Objective(SQLModel, table=True):
    __tablename__ = "objective"
    __table_args__ = (UniqueConstraint("area_id", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    area_id: int = Field(sa_column=_parent("area"))
    ref: str = Field(sa_type=Text)
    position: int
    text: str = Field(sa_type=Text)


class Action(SQLModel, table=True):
    __tablename__ = "action"
    __table_args__ = (UniqueConstraint("plan_id", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(sa_column=_parent("plan"))
    objective_id: int = Field(sa_column=_parent("objective", index=True))
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
    # As printed: the objective statement beside this action, where one numbered objective prints
    # several (each action keeps its own); and the commentary the plan came with ("annual monitoring"),
    # the last note when its history has none.
    objective_statement: str = Field(default="", sa_type=Text, sa_column_kwargs={"server_default": ""})
    commentary: str = Field(default="", sa_type=Text, sa_column_kwargs={"server_default": ""})
    # Whether its impact is evidenced (`plantui.domain.evidence`), apart from its status (delivered or
    # not). Changed only with a history row (field "impact"), so undo and as-at see it.
    impact: bool = Field(default=False, sa_type=Boolean, sa_column_kwargs={"server_default": false()})


class CarriedValue(SQLModel, table=True):
    """A field of an action whose value was not printed in its own row but carried down from the row
    above (`plantui.domain.carried`): which field, from which action, and whether it looks wrong for
    this one."""

    __tablename__ = "carried_value"

    action_id: int = Field(
        sa_column=Column(Integer, ForeignKey("action.id", ondelete="CASCADE"), primary_key=True)
    )
    field: str = Field(sa_column=Column(Text, primary_key=True))
    from_ref: str = Field(sa_type=Text)
    doubtful: bool = Field(default=False, sa_type=Boolean)


class Officer(SQLModel, table=True):
    __tablename__ = "officer"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=Text, unique=True)  # the role, as the plan names the lead
    # The person who holds the role now, and their e-mail (for the update round's requests).
    person: str = Field(default="", sa_type=Text, sa_column_kwargs={"server_default": ""})
    email: str = Field(default="", sa_type=Text, sa_column_kwargs={"server_default": ""})


class ActionLead(SQLModel, table=True):
    """An action's leads, in the order the plan lists them."""

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
        # Only the evidence rows (a few among 100,000): counting each action's evidence for the first
        # frame reads these instead of every action's whole history (2 ms, not 150, on 10,000 actions).
        Index(
            "ix_history_evidence",
            "action_id",
            "id",
            sqlite_where=text("field = 'evidence'"),
            postgresql_where=text("field = 'evidence'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(sa_column=_parent("action"))
    at: datetime = Field(sa_type=DateTime)  # UTC, naive
    author: str = Field(sa_type=Text)
    # "status", "milestone", "note", "evidence", "impact", or a text: "title", "success_measures",
    # "detailed_plan", "leads"
    field: str = Field(sa_type=Text)
    old: str | None = Field(default=None, sa_type=Text)
    new: str | None = Field(default=None, sa_type=Text)
    note: str = Field(default="", sa_type=Text)
    undoes_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("history.id"), nullable=True)
    )
    # The board meeting the change was made in, if any (undo rows made in a meeting carry it too).
    meeting_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("meeting.id"), nullable=True, index=True)
    )
    # One user action is one undo step: its first row has no group_id, the others carry that row's id.
    group_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("history.id"), nullable=True, index=True)
    )
    # A redo records an undone change again, pointing at the undo row it reverses.
    redoes_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("history.id"), nullable=True)
    )
    # The entry's identity in every copy of the plan (a replica and its upstream number rows apart).
    uid: str = Field(default_factory=new_uid, sa_column=_uid())
    # The store (a replica, or the upstream) the entry was made in.
    origin: str = Field(default="", sa_column=_origin())


class Meeting(SQLModel, table=True):
    """An Improvement Board meeting: when it ran, over what, and who recorded it.

    The changes made in it are the history rows that carry its id. A meeting whose `ended_at` is
    NULL is open; plantui keeps at most one open at a time (see `plantui.store.meetings`).
    """

    __tablename__ = "meeting"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(sa_column=_parent("plan"))
    title: str = Field(default="", sa_type=Text)
    scope: str = Field(default="plan", sa_type=Text)  # "plan", "theme:4", "area:1.2", "filter:rag:red"
    started_at: datetime = Field(sa_type=DateTime)  # UTC, naive
    ended_at: datetime | None = Field(default=None, sa_type=DateTime)  # UTC, naive; NULL while open
    recorded_by: str = Field(sa_type=Text)
    uid: str = Field(default_factory=new_uid, sa_column=_uid())


class Finding(SQLModel, table=True):
    """An inspection finding the plan answers, in the order the plan lists them."""

    __tablename__ = "finding"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(sa_column=_parent("plan"))
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


class SavedView(SQLModel, table=True):
    """A named view of the plan (`plantui.domain.saved_views`): a filter, the tree node it is narrowed
    to and a sort. A name is one view per plan whatever its case: `name_key` is the name folded."""

    __tablename__ = "saved_view"
    __table_args__ = (UniqueConstraint("plan_id", "name_key"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(sa_column=_parent("plan"))
    name: str = Field(sa_type=Text)
    name_key: str = Field(sa_type=Text)
    expression: str = Field(default="", sa_type=Text)  # the filter, as the `/` box reads it
    node: str = Field(default="", sa_type=Text)  # a theme, area or objective ref; "" the whole plan
    sort: str = Field(default="", sa_type=Text)  # "", "due", "status:desc", "worst"


class Measure(SQLModel, table=True):
    """A measure of impact (`plantui.domain.measures`): what is counted, which way is better, the
    target and the tolerance around it, how often it is reported, and who owns it (a lead)."""

    __tablename__ = "measure"
    __table_args__ = (UniqueConstraint("plan_id", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(sa_column=_parent("plan"))
    ref: str = Field(sa_type=Text)
    position: int
    name: str = Field(sa_type=Text)
    unit: str = Field(default="", sa_type=Text)
    direction: str = Field(default="higher", sa_type=Text)  # "higher" or "lower" is better
    target: float | None = Field(default=None, sa_type=Float)
    tolerance: float | None = Field(default=None, sa_type=Float)
    frequency: str = Field(default="monthly", sa_type=Text)  # "monthly" or "quarterly"
    owner_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("officer.id", ondelete="SET NULL"), nullable=True),
    )


def _link(target: str) -> tuple[Column, Column]:
    return (
        Column(Integer, ForeignKey("measure.id", ondelete="CASCADE"), primary_key=True),
        Column(Integer, ForeignKey(f"{target}.id", ondelete="CASCADE"), primary_key=True, index=True),
    )


_objective_link = _link("objective")
_action_link = _link("action")
_finding_link = _link("finding")


class MeasureObjective(SQLModel, table=True):
    """The objectives a measure evidences, in the order they were linked."""

    __tablename__ = "measure_objective"

    measure_id: int = Field(sa_column=_objective_link[0])
    objective_id: int = Field(sa_column=_objective_link[1])
    position: int


class MeasureAction(SQLModel, table=True):
    """The actions a measure evidences, in the order they were linked."""

    __tablename__ = "measure_action"

    measure_id: int = Field(sa_column=_action_link[0])
    action_id: int = Field(sa_column=_action_link[1])
    position: int


class MeasureFinding(SQLModel, table=True):
    """The inspection findings a measure evidences, in the order they were linked."""

    __tablename__ = "measure_finding"

    measure_id: int = Field(sa_column=_finding_link[0])
    finding_id: int = Field(sa_column=_finding_link[1])
    position: int


class MeasureValue(SQLModel, table=True):
    """Append-only, like `history`: one row per value recorded for a measure and period. A correction
    is a new row; the newest row (highest id) of a period is the value that stands."""

    __tablename__ = "measure_value"
    __table_args__ = (Index("ix_measure_value_measure_id_period_id", "measure_id", "period", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    measure_id: int = Field(sa_column=_parent("measure"))
    period: str = Field(sa_type=Text)  # "2022-10" or "2022-Q3"
    value: float = Field(sa_type=Float)
    note: str = Field(default="", sa_type=Text)
    at: datetime = Field(sa_type=DateTime)  # UTC, naive
    author: str = Field(sa_type=Text)
    uid: str = Field(default_factory=new_uid, sa_column=_uid())
    origin: str = Field(default="", sa_column=_origin())


class MeasureChange(SQLModel, table=True):
    """Append-only, like `history`: one row per change to a measure's definition or links."""

    __tablename__ = "measure_change"

    id: int | None = Field(default=None, primary_key=True)
    measure_id: int = Field(sa_column=_parent("measure", index=True))
    at: datetime = Field(sa_type=DateTime)  # UTC, naive
    author: str = Field(sa_type=Text)
    field: str = Field(sa_type=Text)  # "added", a definition field, or "action"/"objective"/"finding"
    old: str | None = Field(default=None, sa_type=Text)
    new: str | None = Field(default=None, sa_type=Text)
    uid: str = Field(default_factory=new_uid, sa_column=_uid())
    origin: str = Field(default="", sa_column=_origin())


class UpdateRound(SQLModel, table=True):
    """A monthly update round: requests issued to the leads on a day, returns due by another.

    `token` is written into every request file, so a return is matched to its round (and a file from
    another round or another plan is told apart). A round whose `ended_at` is NULL is open; plantui
    keeps at most one open per plan (see `plantui.store.rounds`)."""

    __tablename__ = "update_round"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(sa_column=_parent("plan"))
    token: str = Field(sa_type=Text, unique=True)
    scope: str = Field(default="plan", sa_type=Text)
    include_complete: bool = Field(default=False, sa_type=Boolean)
    issued_on: date
    due: date
    started_at: datetime = Field(sa_type=DateTime)  # UTC, naive
    started_by: str = Field(sa_type=Text)
    ended_at: datetime | None = Field(default=None, sa_type=DateTime)  # UTC, naive; NULL while open


class RoundItem(SQLModel, table=True):
    """An action a lead was asked about in a round, with its status and milestone as issued."""

    __tablename__ = "round_item"

    round_id: int = Field(
        sa_column=Column(Integer, ForeignKey("update_round.id", ondelete="CASCADE"), primary_key=True)
    )
    officer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("officer.id", ondelete="CASCADE"), primary_key=True)
    )
    action_id: int = Field(
        sa_column=Column(Integer, ForeignKey("action.id", ondelete="CASCADE"), primary_key=True)
    )
    status: str = Field(sa_type=Text)
    milestone: str = Field(sa_type=Text)


class RoundReturn(SQLModel, table=True):
    """A return collected: which file (its name, and a digest so the same file is taken once), when,
    by whom, and the undo step its changes made (the first history row's id; None: nothing changed)."""

    __tablename__ = "round_return"
    __table_args__ = (UniqueConstraint("round_id", "digest"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(sa_column=_parent("update_round"))
    officer_id: int = Field(sa_column=_parent("officer"))
    file_name: str = Field(sa_type=Text)
    digest: str = Field(sa_type=Text)
    collected_at: datetime = Field(sa_type=DateTime)  # UTC, naive
    collected_by: str = Field(sa_type=Text)
    step_id: int | None = None


class RoundReview(SQLModel, table=True):
    """An update a return proposed but that was not applied: the field had changed since the request
    was issued. Kept for the lead to decide."""

    __tablename__ = "round_review"

    id: int | None = Field(default=None, primary_key=True)
    return_id: int = Field(sa_column=_parent("round_return"))
    action_id: int = Field(sa_column=_parent("action"))
    field: str = Field(sa_type=Text)  # "status" or "milestone"
    issued: str = Field(sa_type=Text)  # the value the request showed
    found: str = Field(sa_type=Text)  # the value when the return was collected
    proposed: str = Field(sa_type=Text)  # what the return asked for
    note: str = Field(default="", sa_type=Text)


class ReplicaState(SQLModel, table=True):
    """On a replica (`plantui checkout`), its one row: where its upstream is, the plan it is a replica
    of, and how far the last sync went on each side. The marks: the upstream's highest history and
    measure value ids taken in, and this file's ids they ended at (its own entries after those wait to
    be sent). A store that is no replica has no row."""

    __tablename__ = "replica_state"

    id: int | None = Field(default=None, primary_key=True)
    upstream: str = Field(sa_type=Text)  # a PostgreSQL URL (password kept) or a plantui file's path
    plan_uid: str = Field(sa_type=Text)
    upstream_history: int = 0
    local_history: int = 0
    upstream_values: int = 0
    local_values: int = 0
    checked_out_at: datetime = Field(sa_type=DateTime)  # UTC, naive
    synced_at: datetime | None = Field(default=None, sa_type=DateTime)  # UTC, naive
    # The same marks for measure definitions' history (`measure_change`) and the plan's log (`plan_log`).
    upstream_changes: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    local_changes: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    upstream_log: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    local_log: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class SyncConflict(SQLModel, table=True):
    """Two copies of the plan changed the same field of an action between syncs: the entry the
    upstream ordered first was replaced by the later one, which stands. Kept for someone to review:
    keep what stands, or re-apply the replaced value as a new change. Recorded on the upstream and
    carried to every replica by uid."""

    __tablename__ = "sync_conflict"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, sa_column=_uid())
    action_id: int = Field(sa_column=_parent("action", index=True))
    field: str = Field(sa_type=Text)
    replaced_uid: str = Field(sa_type=Text)  # the history entry that no longer stands
    standing_uid: str = Field(sa_type=Text)  # the history entry that replaced it
    found_at: datetime = Field(sa_type=DateTime)  # UTC, naive
    reviewed_at: datetime | None = Field(default=None, sa_type=DateTime)  # UTC, naive; NULL: to review
    reviewed_by: str = Field(default="", sa_type=Text)
    outcome: str = Field(default="", sa_type=Text)  # "", "kept" or "reapplied"


class PlanLog(SQLModel, table=True):
    """Append-only: one row per change to the plan outside its actions that every copy should share:
    a saved view saved or deleted (`kind` "view", `key` the view's case-folded name, `field` "view",
    `new` the view as JSON or NULL once deleted), the person or e-mail of a lead's role (`kind`
    "lead", `key` the role, `field` "person" or "email"). A sync carries the rows by uid, as it does
    history entries; the last row for a key and field, in the upstream's order, is what stands."""

    __tablename__ = "plan_log"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(sa_column=_parent("plan", index=True))
    at: datetime = Field(sa_type=DateTime)  # UTC, naive
    author: str = Field(sa_type=Text)
    kind: str = Field(sa_type=Text)
    key: str = Field(sa_type=Text)
    field: str = Field(sa_type=Text)
    old: str | None = Field(default=None, sa_type=Text)
    new: str | None = Field(default=None, sa_type=Text)
    uid: str = Field(default_factory=new_uid, sa_column=_uid())
    origin: str = Field(default="", sa_column=_origin())


class StoreIdentity(SQLModel, table=True):
    """This store's one row: its own uid, different in every copy of a plan (a replica, its upstream,
    a `plantui copy`), so each entry says which store made it (`origin`). A backup restored keeps it:
    it is the same store, set back."""

    __tablename__ = "store_identity"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, sa_type=Text)
    made_at: datetime = Field(sa_type=DateTime)  # UTC, naive


# Every table above: what Alembic compares against and `schema.create_current` creates.
metadata = SQLModel.metadata

# Core handles for the services (`from plantui.store import tables as T`; `T.action` reads better
# than `Action.__table__` in a statement).
plan: Table = Plan.__table__  # type: ignore[assignment]
theme: Table = Theme.__table__  # type: ignore[assignment]
area: Table = Area.__table__  # type: ignore[assignment]
objective: Table = Objective.__table__  # type: ignore[assignment]
action: Table = Action.__table__  # type: ignore[assignment]
carried_value: Table = CarriedValue.__table__  # type: ignore[assignment]
officer: Table = Officer.__table__  # type: ignore[assignment]
action_lead: Table = ActionLead.__table__  # type: ignore[assignment]
history: Table = History.__table__  # type: ignore[assignment]
meeting: Table = Meeting.__table__  # type: ignore[assignment]
finding: Table = Finding.__table__  # type: ignore[assignment]
finding_ref: Table = FindingRef.__table__  # type: ignore[assignment]
saved_view: Table = SavedView.__table__  # type: ignore[assignment]
measure: Table = Measure.__table__  # type: ignore[assignment]
measure_objective: Table = MeasureObjective.__table__  # type: ignore[assignment]
measure_action: Table = MeasureAction.__table__  # type: ignore[assignment]
measure_finding: Table = MeasureFinding.__table__  # type: ignore[assignment]
measure_value: Table = MeasureValue.__table__  # type: ignore[assignment]
measure_change: Table = MeasureChange.__table__  # type: ignore[assignment]
update_round: Table = UpdateRound.__table__  # type: ignore[assignment]
round_item: Table = RoundItem.__table__  # type: ignore[assignment]
round_return: Table = RoundReturn.__table__  # type: ignore[assignment]
round_review: Table = RoundReview.__table__  # type: ignore[assignment]
replica_state: Table = ReplicaState.__table__  # type: ignore[assignment]
sync_conflict: Table = SyncConflict.__table__  # type: ignore[assignment]
plan_log: Table = PlanLog.__table__  # type: ignore[assignment]
store_identity: Table = StoreIdentity.__table__  # type: ignore[assignment]
