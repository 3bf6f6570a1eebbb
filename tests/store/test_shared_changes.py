"""Two people on one plan: a change made on a stale view still applies but says whose change it
replaced, and another window finds out what changed by polling the history. Both backends."""

from __future__ import annotations

from datetime import datetime

import pytest
from click.testing import CliRunner

from plantui.cli.main import cli
from plantui.domain.errors import InputError
from plantui.store import changes, queries
from plantui.store.opening import open_database

AT = datetime(2022, 10, 5, 14, 3)


def test_a_change_on_a_stale_view_wins_and_names_the_change_it_replaced(database) -> None:
    # Ann's screen shows 1.1.1.2 as off track; before she saves, Ben sets it to some issues.
    changes.set_status(database, "1.1.1.2", "some_issues", note="Ben's view", author="Ben", at=AT)
    result = changes.set_status(
        database, "1.1.1.2", "on_track", note="Ann's view", author="Ann", expected="off_track"
    )
    assert result.action.status == "on_track"  # the later change is current
    superseded = result.superseded
    assert superseded is not None
    assert (superseded.field, superseded.expected, superseded.found) == ("status", "off_track", "some_issues")
    assert (superseded.by, superseded.at) == ("Ben", AT)
    history = queries.action_history(database, "1.1.1.2")
    assert [(h.author, h.old, h.new) for h in history] == [
        ("Ann", "some_issues", "on_track"),
        ("Ben", "off_track", "some_issues"),
    ]
    assert superseded.history_id == history[1].id
    text = superseded.describe()
    assert "the status was some_issues, not off_track as you saw it" in text.lower()
    assert f"Ben changed it at 2022-10-05 14:03 (history #{history[1].id})" in text
    assert "both are in the history" in text


def test_no_superseded_when_the_view_was_current(database) -> None:
    result = changes.set_status(database, "1.1.1.2", "on_track", author="Ann", expected="off_track")
    assert result.superseded is None and result.entry is not None
    result = changes.set_status(database, "1.1.1.3", "off_track", author="Ann")  # no expectation given
    assert result.superseded is None


def test_both_setting_the_same_status_changes_nothing_but_still_tells(database) -> None:
    changes.set_status(database, "1.1.1.2", "on_track", author="Ben", at=AT)
    result = changes.set_status(database, "1.1.1.2", "on_track", author="Ann", expected="off_track")
    assert result.entry is None
    assert result.superseded is not None and result.superseded.by == "Ben"
    assert result.superseded.describe().endswith("That is what you chose, so it stays as it is.")
    assert len(queries.action_history(database, "1.1.1.2")) == 1


def test_a_stale_milestone_is_superseded_too(database) -> None:
    changes.set_milestone(database, "1.1.1.3", "May 2023", author="Ben", at=AT)
    result = changes.set_milestone(database, "1.1.1.3", "June  2023", author="Ann", expected="March 2023")
    assert result.action.milestone == "June 2023"
    assert result.superseded is not None
    assert (result.superseded.found, result.superseded.by) == ("May 2023", "Ben")
    same = changes.set_milestone(database, "1.1.1.3", "July 2023", author="Ann", expected="June   2023")
    assert same.superseded is None  # spacing is not a change


def test_a_value_set_without_history_is_still_reported(database) -> None:
    result = changes.set_status(database, "1.1.1.1", "on_track", author="Ann", expected="off_track")
    assert result.superseded is not None
    assert (result.superseded.found, result.superseded.by) == ("complete", None)
    assert result.superseded.describe() == (
        "The status was complete, not off_track as you saw it. Your change replaced it."
    )


def test_an_unknown_expected_status_is_refused_before_writing(database) -> None:
    with pytest.raises(InputError, match="unknown status 'amber'"):
        changes.set_status(database, "1.1.1.2", "on_track", author="Ann", expected="amber")
    assert queries.plan_history(database) == []


def test_another_window_polls_what_changed(db_target: str, database) -> None:
    other = open_database(db_target)  # a second window or person on the same store
    try:
        seen = queries.latest_history_id(other)
        assert seen == 0 and queries.changes_after(other, seen) == []
        changes.set_status(database, "1.1.1.2", "on_track", author="Ann")
        changes.add_note(database, "2.1.1.1", "Supplier chosen", author="Ann")
        new = queries.changes_after(other, seen)
        assert [(e.action_ref, e.field) for e in new] == [("1.1.1.2", "status"), ("2.1.1.1", "note")]
        assert new[0].id < new[1].id  # oldest first, to apply in order
        assert queries.get_action(other, "1.1.1.2").status == "on_track"
        seen = new[-1].id
        assert queries.latest_history_id(other) == seen
        assert queries.changes_after(other, seen) == []
        undo = changes.undo_step(database, author="Ann")
        assert [e.id for e in queries.changes_after(other, seen)] == [undo.entry.id]
        assert [e.id for e in queries.changes_after(other, 0, limit=2)] == [e.id for e in new]
    finally:
        other.close()


def test_cli_set_tells_whose_change_was_replaced(db_target: str, database) -> None:
    database.close()
    runner = CliRunner()
    first = runner.invoke(
        cli, ["--db", db_target, "set", "1.1.1.2", "--rag", "some_issues", "--author", "Ben"]
    )
    assert first.exit_code == 0, first.output
    second = runner.invoke(
        cli,
        [
            "--db",
            db_target,
            "set",
            "1.1.1.2",
            "--rag",
            "on_track",
            "--expect",
            "off_track",
            "--author",
            "Ann",
        ],
    )
    assert second.exit_code == 0, second.output
    assert "status was ▲ Some issues, not ✖ Off track as you saw it: Ben changed it at" in second.stderr
    assert "Saved 1.1.1.2: ▲ Some issues -> ● On track" in second.stdout
    quiet = runner.invoke(
        cli,
        [
            "--db",
            db_target,
            "set",
            "1.1.1.2",
            "--rag",
            "off_track",
            "--expect",
            "on_track",
            "--author",
            "Ann",
        ],
    )
    assert quiet.exit_code == 0 and quiet.stderr == ""
    lonely = runner.invoke(cli, ["--db", db_target, "set", "1.1.1.2", "--expect", "on_track", "--note", "x"])
    assert lonely.exit_code != 0 and "--expect goes with --rag" in lonely.stderr


def test_the_person_whose_change_was_replaced_finds_out_by_polling(database) -> None:
    from plantui.domain.superseded import replaced_changes

    seen = queries.latest_history_id(database)
    mine = [
        changes.set_status(database, "1.1.1.2", "some_issues", author="Ann").entry,
        changes.set_milestone(database, "1.1.1.3", "June 2023", author="Ann").entry,
        changes.add_note(database, "2.1.1.1", "Ann's note", author="Ann").entry,
    ]
    changes.set_status(database, "1.1.1.2", "on_track", author="Ben", expected="off_track")
    changes.add_note(database, "2.1.1.1", "Ben's note", author="Ben")  # notes never replace
    changes.set_status(database, "1.1.1.2", "complete", author="Cy")
    changes.set_milestone(database, "1.1.1.3", "July 2023", author="Ann")  # replacing my own is not news
    new = queries.changes_after(database, seen)
    [replaced] = replaced_changes(mine, new)
    assert (replaced.mine.id, replaced.theirs.author, replaced.theirs.new) == (mine[0].id, "Ben", "on_track")
    assert replaced.describe().startswith("Ben changed the status of 1.1.1.2 to on_track (history #")
    assert "after you set it to some_issues" in replaced.describe()
    # The window forgets a change of its own once it has told about it; the next poll says nothing more.
    still_mine = [entry for entry in mine if entry.id != replaced.mine.id]
    assert replaced_changes(still_mine, queries.changes_after(database, replaced.theirs.id)) == []


def test_a_replaced_plan_shows_as_a_latest_id_below_the_one_seen(database, plan_doc) -> None:
    from plantui.store.plans import load_document

    for i in range(3):
        changes.add_note(database, "1.1.1.2", f"note {i}", author="Ann")
    seen = queries.latest_history_id(database)
    load_document(database, plan_doc, replace=True)
    changes.add_note(database, "1.1.1.2", "after the import", author="Ann")
    latest = queries.latest_history_id(database)
    # SQLite gives ids afresh, PostgreSQL's sequence carries on: either way the window can tell.
    if database.backend == "sqlite":
        assert latest < seen
    else:
        assert [e.note for e in queries.changes_after(database, seen)] == ["after the import"]


def test_a_watcher_wakes_when_someone_changes_the_plan(db_target: str, database) -> None:
    import threading
    import time

    from plantui.store.watch import HistoryWatcher

    other = open_database(db_target)
    try:
        with HistoryWatcher(other) as watcher:
            assert watcher.wait(0.05) is False  # nothing yet
            woke: list[tuple[bool, float]] = []
            timeout = 5.0

            def wait() -> None:
                started = time.monotonic()
                woke.append((watcher.wait(timeout), time.monotonic() - started))

            thread = threading.Thread(target=wait)
            thread.start()
            time.sleep(0.2)
            changes.set_status(database, "1.1.1.2", "on_track", author="Ann")
            thread.join(10)
            [(arrived, waited)] = woke
            # Woken by the change, not the timeout: PostgreSQL by its notification, SQLite by the
            # file's data version.
            assert arrived and waited < 4
            assert [e.action_ref for e in queries.changes_after(other, 0)] == ["1.1.1.2"]
    finally:
        other.close()
