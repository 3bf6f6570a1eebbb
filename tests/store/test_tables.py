"""The tables are declared once, as SQLModel classes in `plantui.store.tables`; the Core handles the
services use are those classes' tables, and the classes read the rows the services write."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from plantui.domain.document import ActionDoc, AreaDoc, ObjectiveDoc, PlanDocument, ThemeDoc

ALL_TABLES = {
    "plan",
    "theme",
    "area",
    "objective",
    "action",
    "action_lead",
    "carried_value",
    "officer",
    "finding",
    "finding_ref",
    "history",
    "meeting",
    "saved_view",
    "measure",
    "measure_objective",
    "measure_action",
    "measure_finding",
    "measure_value",
    "measure_change",
    "update_round",
    "round_item",
    "round_return",
    "round_review",
    "replica_state",
    "sync_conflict",
    "plan_log",
    "store_identity",
}


def test_every_table_is_one_sqlmodel_class_and_its_handle_is_that_class_table() -> None:
    from sqlmodel import SQLModel

    from plantui.store import tables as T

    classes = {
        value.__tablename__: value
        for value in vars(T).values()
        if isinstance(value, type) and issubclass(value, SQLModel) and value is not SQLModel
    }
    assert set(classes) == ALL_TABLES
    assert T.metadata is SQLModel.metadata and set(T.metadata.tables) == ALL_TABLES
    for name, model in classes.items():
        assert getattr(T, name) is model.__table__ is T.metadata.tables[name]


def test_a_plan_the_services_stored_reads_back_through_the_classes(tmp_path: Path) -> None:
    from sqlmodel import Session, select

    from plantui.store.opening import open_database
    from plantui.store.plans import load_document
    from plantui.store.tables import Action, ActionLead, Officer, Plan

    action_doc = ActionDoc(
        "1.1.1.2", "Recruit senior leaders", "A permanent team", ["Assistant Director Safeguarding"],
        "off_track", "September  2022",
    )  # fmt: skip
    objective = ObjectiveDoc("1.1.1", "There is adequate capacity", actions=[action_doc])
    area = AreaDoc("1.1", "The Workforce", "A skilled workforce.", objectives=[objective])
    document = PlanDocument(
        title="Test Improvement Plan",
        organisation="Test Council",
        themes=[ThemeDoc("1", "Improving Quality", "The right staff.", areas=[area])],
    )
    database = open_database(tmp_path / "plan.db")
    try:
        load_document(database, document)
        with Session(database.engine) as session:
            plan = session.exec(select(Plan)).one()
            action = session.exec(select(Action).where(Action.ref == "1.1.1.2")).one()
            leads = session.exec(
                select(Officer.name)
                .join(ActionLead, ActionLead.officer_id == Officer.id)
                .where(ActionLead.action_id == action.id)
            ).all()
    finally:
        database.close()
    assert (plan.title, plan.organisation) == ("Test Improvement Plan", "Test Council")
    assert (action.plan_id, action.status, action.milestone) == (plan.id, "off_track", "September 2022")
    assert action.due == date(2022, 9, 30) and action.last_note == ""
    assert leads == ["Assistant Director Safeguarding"]
