"""A plan file's measure values are stored in the order they were recorded across all measures, so
the values as at a moment (every row up to the newest recorded before it) are those recorded by then,
whichever measure the file lists first."""

from __future__ import annotations

from datetime import datetime

from plantui.domain.document import MeasureDoc, MeasureValueDoc
from plantui.store.as_at import document_as_at
from tests.conftest import mini_plan


def test_values_as_at_a_day_are_those_recorded_by_then_across_measures(tmp_path) -> None:
    from plantui.store.opening import open_database
    from plantui.store.plans import dump_document, load_document

    doc = mini_plan()
    doc.measures = [
        MeasureDoc("M1", "Visits", "%", "higher", 80, None, values=[
            MeasureValueDoc("2022-09", 70, datetime(2022, 10, 5), "Team"),
            MeasureValueDoc("2022-10", 90, datetime(2022, 11, 5), "Team"),
        ]),
        MeasureDoc("M2", "Caseload", "cases", "lower", 18, None, values=[
            MeasureValueDoc("2022-09", 20, datetime(2022, 10, 6), "Team"),
        ]),
    ]  # fmt: skip
    database = open_database(tmp_path / "plan.db")
    try:
        load_document(database, doc)
        then = {
            m.ref: [v.value for v in m.values]
            for m in document_as_at(database, datetime(2022, 10, 20)).measures
        }
        assert then == {"M1": [70], "M2": [20]}  # M1's October value came after the day
        now = {m.ref: [v.value for v in m.values] for m in dump_document(database).measures}
        assert now == {"M1": [70, 90], "M2": [20]}
    finally:
        database.close()
