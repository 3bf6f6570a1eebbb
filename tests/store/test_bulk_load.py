"""Loading whole plans fast: the bulk insert writes what Core would, and the quick reading of history
entries gives what the checked reading gives, falling back to it (and its messages) on anything odd."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from plantui.domain.document import HistoryEntryDoc, MeetingDoc
from plantui.domain.errors import InputError
from plantui.io.plan_json import dumps_plan, parse_plan
from plantui.store import tables as T
from plantui.store.bulk import insert_rows
from plantui.store.opening import open_database
from plantui.store.plans import dump_document, load_document
from plantui.store.queries import plan_history
from tests.conftest import mini_plan


def test_bulk_rows_are_stored_exactly_as_core_stores_them(tmp_path: Path) -> None:
    db = open_database(tmp_path / "bulk.db")
    try:
        load_document(db, mini_plan())
        with db.write() as conn:
            action_id = conn.execute(select(T.action.c.id).limit(1)).scalar_one()
            moments = [datetime(2022, 10, 5, 14, 3), datetime(2023, 1, 2, 3, 4, 5, 67)]
            columns = ("action_id", "at", "author", "field", "old", "new", "note", "undoes_id")
            core = [(action_id, at, "Core", "note", None, None, "[x]", None) for at in moments]
            conn.execute(insert(T.history), [dict(zip(columns, row, strict=True)) for row in core])
            insert_rows(conn, T.history, columns, [(*row[:2], "Bulk", *row[3:]) for row in core])
            stored = conn.exec_driver_sql("SELECT author, at, note FROM history ORDER BY id").all()
        assert [(at, note) for author, at, note in stored if author == "Core"] == [
            (at, note) for author, at, note in stored if author == "Bulk"
        ]
        assert stored[-1][1] == "2023-01-02 03:04:05.000067"
    finally:
        db.close()


def test_a_loaded_history_keeps_its_undo_links_meetings_and_order(db_target: str) -> None:
    doc = mini_plan()
    doc.meetings = [
        MeetingDoc("January board", "plan", datetime(2022, 1, 1, 8), datetime(2022, 1, 1, 11), "Ann"),
        MeetingDoc("May board", "1.1", datetime(2022, 5, 1, 8), datetime(2022, 5, 1, 10), "Cy"),
    ]
    first, second = doc.actions()[0], doc.actions()[1]
    first.history = [
        HistoryEntryDoc(datetime(2022, 1, 1, 9), "Ann", "status", "on_track", "complete", "Done", meeting=0),
        HistoryEntryDoc(datetime(2022, 3, 1, 9), "Ann", "note", None, None, "Checked"),
        HistoryEntryDoc(datetime(2022, 4, 1, 9), "Ben", "note", None, None, "", undoes=1),
    ]
    second.history = [
        HistoryEntryDoc(datetime(2022, 2, 1, 9), "Cy", "status", "on_track", "off_track", ""),
        HistoryEntryDoc(
            datetime(2022, 5, 1, 9), "Cy", "status", "off_track", "on_track", "", undoes=0, meeting=1
        ),
    ]
    db = open_database(db_target)
    try:
        load_document(db, doc)
        newest_first = plan_history(db)
        assert [(e.action_ref, e.at.month) for e in newest_first] == [
            ("1.1.1.2", 5), ("1.1.1.1", 4), ("1.1.1.1", 3), ("1.1.1.2", 2), ("1.1.1.1", 1),
        ]  # fmt: skip
        by_month = {e.at.month: e for e in newest_first}
        assert by_month[5].undoes_id == by_month[2].id
        assert by_month[4].undoes_id == by_month[3].id
        assert by_month[1].meeting_id is not None and by_month[5].meeting_id is not None
        assert by_month[1].meeting_id != by_month[5].meeting_id
        assert by_month[2].meeting_id is None
        dumped = dump_document(db)
        assert (dumped.actions()[0].history, dumped.actions()[1].history) == (first.history, second.history)
        assert dumped.meetings == doc.meetings
    finally:
        db.close()


def _plan_with_history(entries: list[dict]) -> dict:
    data = json.loads(dumps_plan(mini_plan()))
    data["themes"][0]["areas"][0]["objectives"][0]["actions"][0]["history"] = entries
    return data


def test_quick_and_checked_reading_of_history_agree() -> None:
    entries = [
        {"at": "2022-10-05T14:03:00Z", "author": "Ann", "field": "status", "from": "on_track",
         "to": "complete", "note": "Signed off [Q3]", "undoes": None},
        # An offset other than Z takes the checked path; it must read the same moment.
        {"at": "2022-10-06T15:03:00+01:00", "author": "Ann", "field": "status", "from": "complete",
         "to": "on_track", "note": None, "undoes": 0},
        {"at": "2022-10-07T09:00:00.250000Z", "author": "", "field": "note", "from": None, "to": None},
        {"at": "2022-10-08T10:00:00Z", "author": "Cy", "field": "note", "from": None, "to": None,
         "note": "In the board", "meeting": 0},
        # An offset other than Z takes the checked path, which must read the meeting the same way.
        {"at": "2022-10-08T11:00:00+00:00", "author": "Cy", "field": "note", "from": None, "to": None,
         "note": "Also", "meeting": 0},
    ]  # fmt: skip
    data = _plan_with_history(entries)
    data["meetings"] = [{"title": "Board", "scope": "plan", "started_at": "2022-10-08T09:00:00Z",
                         "ended_at": "2022-10-08T12:00:00Z", "recorded_by": "Cy"}]  # fmt: skip
    history = parse_plan(data).actions()[0].history
    assert history == [
        HistoryEntryDoc(
            datetime(2022, 10, 5, 14, 3), "Ann", "status", "on_track", "complete", "Signed off [Q3]"
        ),
        HistoryEntryDoc(datetime(2022, 10, 6, 14, 3), "Ann", "status", "complete", "on_track", "", 0),
        HistoryEntryDoc(datetime(2022, 10, 7, 9, 0, 0, 250000), "", "note", None, None, ""),
        HistoryEntryDoc(datetime(2022, 10, 8, 10), "Cy", "note", None, None, "In the board", meeting=0),
        HistoryEntryDoc(datetime(2022, 10, 8, 11), "Cy", "note", None, None, "Also", meeting=0),
    ]
    assert date(2022, 10, 5) == history[0].at.date()


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            {"field": "status", "from": "on_track", "to": "purple"},
            "history\\[0\\]: to: unknown status 'purple'",
        ),
        ({"undoes": 0}, "history\\[0\\]: undoes: expected the index of an earlier entry"),
        ({"undoes": True}, "history\\[0\\]: undoes"),
        ({"note": 7}, "history\\[0\\]: note: expected text"),
        (
            {"at": "2022-13-01T00:00:00Z"},
            "history\\[0\\]: at: '2022-13-01T00:00:00Z' is not an ISO timestamp",
        ),
        ({"author": None}, "history\\[0\\]: 'author' is missing"),
        ({"field": "rag"}, "history\\[0\\]: field: expected one of status, milestone, note"),
        ({"meeting": 0}, "history\\[0\\]: meeting: expected the index of an entry of the top-level"),
        ({"meeting": True}, "history\\[0\\]: meeting: expected the index"),
    ],
)
def test_odd_history_entries_still_get_the_checked_message(entry: dict, message: str) -> None:
    good = {"at": "2022-10-05T14:03:00Z", "author": "Ann", "field": "note", "from": None, "to": None,
            "note": "x", "undoes": None}  # fmt: skip
    with pytest.raises(InputError, match=f"plan.json: action 1.1.1.1: {message}"):
        parse_plan(_plan_with_history([{**good, **entry}]), "plan.json")


def test_history_indexes_are_there_after_a_load(tmp_path: Path) -> None:
    doc = mini_plan()
    doc.actions()[0].history = [HistoryEntryDoc(datetime(2022, 1, 1, 9), "Ann", "note", None, None, "Hi")]
    db = open_database(tmp_path / "indexed.db")
    try:
        load_document(db, doc)
        load_document(db, doc, replace=True)  # the old plan's rows go first, then the indexes are rebuilt
        with db.read() as conn:
            names = set(
                conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE tbl_name = 'history'").scalars()
            )
        assert {"ix_history_action_id_id", "ix_history_at"} <= names
        assert len(plan_history(db)) == 1
    finally:
        db.close()


def test_the_page_cache_is_back_to_its_size_after_a_load(tmp_path: Path) -> None:
    db = open_database(tmp_path / "cache.db")
    try:
        with db.read() as conn:
            before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        load_document(db, mini_plan())
        with db.read() as conn:
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == before
    finally:
        db.close()


def test_plan_files_are_written_exactly_as_json_dumps_writes_them() -> None:
    from plantui.domain.text import escape_json_controls
    from plantui.io.plan_json.writer import _emit_indented, plan_to_data

    doc = mini_plan(markup=True)
    doc.actions()[
        0
    ].title = (
        'Quotes " and \\ backslashes, tabs\t, new\nlines, \x01, “curly”, é, 🚸, \u2028, \x7f, \x9b, \u202e'
    )
    doc.actions()[0].history = [
        HistoryEntryDoc(datetime(2022, 1, 1, 9), "Ann", "note", None, None, "", undoes=None)
    ]
    doc.actions()[1].leads = []
    expected = escape_json_controls(json.dumps(plan_to_data(doc), ensure_ascii=False, indent=2)) + "\n"
    assert dumps_plan(doc) == expected
    assert "\\u009b" in expected and "\x9b" not in expected  # the terminal-safe escaping is kept
    odd = {"a": [], "b": {}, "c": [1.5, -0.0, True, False, None, 10**20, [[]], {"d": [{}]}], "": "x"}
    out: list[str] = []
    _emit_indented(odd, "", out)
    assert "".join(out) == json.dumps(odd, ensure_ascii=False, indent=2)


def test_escaping_controls_line_by_line_gives_what_escaping_every_character_gives() -> None:
    from plantui.domain.text import _is_hidden, escape_json_controls

    def every_character(text: str) -> str:
        return "".join(f"\\u{ord(c):04x}" if _is_hidden(c) and ord(c) > 0x1F else c for c in text)

    lines = ["plain", "tab\tand\rreturn", "DEL\x7f", "CSI\x9b[2J", "bidi\u202eevil", "nbsp\xa0", "zwj\u200d"]
    lines.append("")
    for first in lines:
        for second in lines:
            text = f'{first}\n{second}\n  "{second}"'
            assert escape_json_controls(text) == every_character(text), repr(text)
    assert escape_json_controls("a\x7f\nb") == "a\\u007f\nb"


def journal_mode(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()


def test_a_new_files_first_load_skips_the_wal_and_leaves_the_file_in_wal(tmp_path: Path, monkeypatch) -> None:
    """The load into a file just created is written once, with a rollback journal; then WAL is on."""
    from plantui.store import plans

    seen: list[str] = []
    insert_findings = plans._insert_findings

    def recording(conn, *args):
        seen.append(conn.exec_driver_sql("PRAGMA journal_mode").scalar())
        insert_findings(conn, *args)

    monkeypatch.setattr(plans, "_insert_findings", recording)
    path = tmp_path / "new.db"
    db = open_database(path)
    try:
        load_document(db, mini_plan())
    finally:
        db.close()
    assert journal_mode(path) == "wal"
    db = open_database(path)  # an existing file: a replacing load runs in WAL as every change does
    try:
        load_document(db, mini_plan(), replace=True)
    finally:
        db.close()
    assert seen == ["delete", "wal"]
    assert journal_mode(path) == "wal"
    assert not path.with_name("new.db-journal").exists()


def test_a_new_files_load_that_fails_at_its_last_row_leaves_no_plan(tmp_path: Path) -> None:
    """A row the database refuses at the very end (the last finding) rolls the whole load back."""
    from sqlalchemy.exc import IntegrityError

    from plantui.store.plans import is_empty

    document = mini_plan()
    document.findings[-1].text = None  # type: ignore[assignment]  # NOT NULL: refused by SQLite itself
    path = tmp_path / "new.db"
    db = open_database(path)
    try:
        with pytest.raises(IntegrityError):
            load_document(db, document)
        assert is_empty(db)
        with db.read() as conn:
            for table in (T.plan, T.theme, T.action, T.history, T.officer, T.action_lead, T.finding):
                assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 0
    finally:
        db.close()
    assert journal_mode(path) == "wal"
    assert not path.with_name("new.db-journal").exists()
    db = open_database(path)
    try:
        load_document(db, mini_plan())  # and the file takes a good plan afterwards
        assert [a.ref for a in dump_document(db).actions()] == [a.ref for a in mini_plan().actions()]
    finally:
        db.close()


def test_a_new_file_another_connection_holds_keeps_wal_for_its_load(tmp_path: Path) -> None:
    """SQLite will not leave WAL while another connection has the file open: the load goes on in WAL."""
    path = tmp_path / "new.db"
    db = open_database(path)
    other = sqlite3.connect(path)
    try:
        other.execute("SELECT count(*) FROM plan").fetchone()
        load_document(db, mini_plan())
        assert other.execute("SELECT count(*) FROM action").fetchone()[0] == len(mini_plan().actions())
    finally:
        other.close()
        db.close()
    assert journal_mode(path) == "wal"


def test_an_undo_stamped_before_the_entry_it_undoes_still_links_to_it(db_target: str) -> None:
    """An action's rows go in in the order listed, so here (a hand-written file listing the undo first)
    the undo goes in first and points at a row not yet there."""
    doc = mini_plan()
    action = doc.actions()[0]
    action.history = [
        HistoryEntryDoc(datetime(2022, 1, 1, 9), "Ben", "status", "off_track", "on_track", "", undoes=1),
        HistoryEntryDoc(datetime(2022, 3, 1, 9), "Ann", "status", "on_track", "off_track", "Slipping"),
    ]
    db = open_database(db_target)
    try:
        for replace in (False, True):  # into an empty history, then replacing the plan
            load_document(db, doc, replace=replace)
            undo, undone = sorted(plan_history(db), key=lambda e: e.at)
            assert undo.author == "Ben" and undone.author == "Ann"
            assert undo.undoes_id == undone.id and undo.id < undone.id
    finally:
        db.close()


def test_a_loaded_plans_rows_get_uids_that_sort_as_their_ids_and_say_this_store_made_them(
    tmp_path: Path,
) -> None:
    """Loaded history, measure values and definition changes get uids in the order the rows go in (as
    their ids), all different, each stamped with the uid of the store that loaded them."""
    from plantui.domain.document import MeasureValueDoc
    from tests.conftest import scored_plan

    document = scored_plan()
    for n, action in enumerate(list(document.actions())[:4]):
        action.history = [
            HistoryEntryDoc(datetime(2022, 9, 1 + n, 9, minute), "Ann", "note", None, None, f"note {minute}")
            for minute in range(3)
        ]
    document.measures[0].values = [
        MeasureValueDoc(f"2022-{month:02d}", 70.0 + month, datetime(2022, month, 28, 9), "Ann")
        for month in range(1, 7)
    ]
    db = open_database(tmp_path / "loaded.db")
    try:
        load_document(db, document)
        with db.read() as conn:
            store = conn.execute(select(T.store_identity.c.uid)).scalar_one()
            for table in (T.history, T.measure_value, T.measure_change):
                rows = conn.execute(select(table.c.uid, table.c.origin).order_by(table.c.id)).all()
                uids = [uid for uid, _ in rows]
                assert len(uids) > 1, table.name
                assert uids == sorted(uids) and len(set(uids)) == len(uids), table.name
                assert {origin for _, origin in rows} == {store}, table.name
    finally:
        db.close()


def test_an_actions_history_out_of_clock_order_loads_in_the_order_listed(tmp_path: Path) -> None:
    """A plan file lists each action's history in the order it was recorded; the clock may disagree (a
    sync puts the upstream's order first, a server's clock steps back). The load keeps the listed
    order, undo links included, so the plan reads back, copies and checks out as it was."""
    document = mini_plan()
    first, second = list(document.actions())[:2]
    first.history = [
        HistoryEntryDoc(datetime(2022, 9, 2, 9), "Ben", "status", "on_track", "off_track", "synced first"),
        HistoryEntryDoc(datetime(2022, 9, 1, 9), "Ann", "status", "off_track", "complete", "earlier clock"),
        HistoryEntryDoc(datetime(2022, 9, 1, 8), "Ann", "status", "complete", "off_track", "", undoes=1),
    ]
    second.history = [HistoryEntryDoc(datetime(2022, 9, 1, 12), "Cy", "note", None, None, "between")]
    db = open_database(tmp_path / "loaded.db")
    try:
        load_document(db, document)
        back = dump_document(db)
        assert {a.ref: a.history for a in back.actions()} == {a.ref: a.history for a in document.actions()}
        [action] = [a for a in back.actions() if a.ref == first.ref]
        assert [(h.note, h.undoes) for h in action.history] == [
            ("synced first", None),
            ("earlier clock", None),
            ("", 1),
        ]
    finally:
        db.close()
