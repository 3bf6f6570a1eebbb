"""Measures in the store: definitions, links and values go in and come back whole (SQLite and
PostgreSQL); a correction is a new row and the newest value of a period stands; as-at reads the
values as they stood; `plantui copy` carries them."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from plantui.domain.document import MeasureChangeDoc, MeasureDoc, MeasureValueDoc, PlanDocument
from plantui.domain.errors import InputError, NotFoundError
from plantui.domain.measures import standing_values
from plantui.store import measures as store_measures
from plantui.store.as_at import document_as_at
from plantui.store.opening import open_database
from plantui.store.plans import dump_document, load_document
from tests.conftest import mini_plan, run_cli

HOSTILE = "[bold]x[/] \u202e 🧑‍🤝‍🧑"


def measured_plan() -> PlanDocument:
    plan = mini_plan(markup=True)
    plan.measures = [
        MeasureDoc(
            ref="M1",
            name=f"Re-referrals within 12 months {HOSTILE}",
            unit="%",
            direction="lower",
            target=22.0,
            tolerance=3.0,
            frequency="monthly",
            owner="Head of Front Door",
            objectives=["1.1.1"],
            actions=["1.1.1.2", "1.1.1.1"],
            findings=[1, 0],
            values=[
                MeasureValueDoc("2022-09", 27.5, datetime(2022, 10, 3, 9), "Ann", "from the return"),
                MeasureValueDoc("2022-10", 24.0, datetime(2022, 11, 2, 9), "Ann"),
                MeasureValueDoc("2022-10", 23.25, datetime(2022, 11, 9, 9), "Ben", f"corrected {HOSTILE}"),
            ],
            changes=[
                MeasureChangeDoc(datetime(2022, 9, 1, 9), "Ann", "added", None, "M1"),
                MeasureChangeDoc(datetime(2022, 10, 1, 9), "Ann", "target", "20", "22"),
            ],
        ),
        MeasureDoc(ref="M2", name="Visits on time", frequency="quarterly"),  # no target, no values
    ]
    return plan


def test_measures_links_and_every_value_come_back_whole(db_target: str) -> None:
    db = open_database(db_target)
    try:
        load_document(db, measured_plan())
        assert dump_document(db).measures == measured_plan().measures
    finally:
        db.close()


def test_a_correction_adds_a_value_and_the_newest_of_a_period_stands(db_target: str) -> None:
    db = open_database(db_target)
    try:
        load_document(db, measured_plan())
        store_measures.record_value(
            db, "m1", "2022-10", 22.5, author="Cy", note="audited", at=datetime(2022, 11, 20)
        )
        store_measures.record_value(db, "M2", "2022-Q3", 91, author="Cy")
        [m1, m2] = dump_document(db).measures
        assert [v.value for v in m1.values] == [27.5, 24.0, 23.25, 22.5]  # nothing overwritten
        standing = standing_values(m1.values)
        assert list(standing) == ["2022-09", "2022-10"]
        assert standing["2022-10"].value == 22.5 and standing["2022-10"].note == "audited"
        assert [(v.period, v.value) for v in m2.values] == [("2022-Q3", 91.0)]
    finally:
        db.close()


@pytest.mark.parametrize(
    ("ref", "period", "value", "error"),
    [
        ("M9", "2022-10", 1.0, NotFoundError),
        ("M1", "Oct 2022", 1.0, InputError),
        ("M1", "2022-13", 1.0, InputError),
        ("M1", "2022-10", float("nan"), InputError),
        ("M1", "2022-10", float("inf"), InputError),
    ],
)
def test_a_value_that_cannot_be_recorded_changes_nothing(db_path: Path, ref, period, value, error) -> None:
    db = open_database(db_path)
    try:
        load_document(db, measured_plan())
        with pytest.raises(error):
            store_measures.record_value(db, ref, period, value, author="Cy")
        assert dump_document(db).measures == measured_plan().measures
    finally:
        db.close()


def test_as_at_reads_the_values_as_they_stood(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        load_document(db, measured_plan())
        before_correction = document_as_at(db, datetime(2022, 11, 5))
        [m1, m2] = before_correction.measures
        assert [v.value for v in m1.values] == [27.5, 24.0]
        assert standing_values(m1.values)["2022-10"].value == 24.0
        assert m2.values == []
        assert [v.value for v in document_as_at(db, date(2022, 10, 1)).measures[0].values] == []
        assert document_as_at(db, date(2022, 12, 1)).measures == measured_plan().measures
    finally:
        db.close()


def test_a_link_to_something_the_plan_does_not_hold_is_refused_by_name(db_path: Path) -> None:
    plan = measured_plan()
    plan.measures[0].actions.append("9.9.9.9")
    db = open_database(db_path)
    try:
        with pytest.raises(InputError, match="measure M1 is linked to 9.9.9.9"):
            load_document(db, plan)
    finally:
        db.close()


def test_copy_carries_measures_there_and_back(tmp_path: Path, db_target: str) -> None:
    laptop = tmp_path / "laptop.db"
    db = open_database(laptop)
    load_document(db, measured_plan())
    db.close()
    original = run_cli("--db", str(laptop), "export").stdout
    run_cli("copy", "--from", str(laptop), "--to", db_target)
    assert run_cli("--db", db_target, "export").stdout == original
    back = tmp_path / "back.db"
    run_cli("--db", db_target, "copy", "--to", str(back))
    assert run_cli("--db", str(back), "export").stdout == original
    assert '"format": "plantui-plan/2"' in original and "Re-referrals" in original
