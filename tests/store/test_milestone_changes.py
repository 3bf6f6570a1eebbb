"""Moving milestones and seeing the slip: the store's combined change, `plantui set --milestone` and
`plantui list --slipped`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plantui.domain.errors import InputError, NotFoundError
from plantui.domain.wording import slip_words
from plantui.io.plan_json import dumps_plan
from plantui.store import changes, queries
from tests.conftest import AT, mini_plan, run_cli


def test_status_and_milestone_together_are_one_entry_each(database) -> None:
    result = changes.change_action(
        database,
        "1.1.1.2",
        code="some_issues",
        milestone="March 2023",
        note="Agency cover",
        author="Ann",
        at=AT,
    )
    assert [(e.field, e.old, e.new, e.note) for e in result.entries] == [
        ("status", "off_track", "some_issues", "Agency cover"),
        ("milestone", "September 2022", "March 2023", "Agency cover"),
    ]
    assert result.before.status == "off_track"
    assert result.action.status == "some_issues" and result.action.milestone == "March 2023"
    assert result.action.baseline == "September 2022"
    assert slip_words(result.action.slippage) == "slipped 6 months"
    # one save is one step: one undo takes both back, newest first
    undone = changes.undo_step(database, author="Ann")
    assert [(e.field, e.new) for e in undone.entries] == [
        ("milestone", "September 2022"),
        ("status", "off_track"),
    ]
    assert (undone.action.status, undone.action.milestone) == ("off_track", "September 2022")


def test_nothing_to_change_records_only_a_note(database) -> None:
    result = changes.change_action(database, "1.1.1.3", code="on_track", milestone="March 2023", author="Ann")
    assert result.entries == ()
    result = changes.change_action(database, "1.1.1.3", code="on_track", note="Still fine", author="Ann")
    assert [(e.field, e.note) for e in result.entries] == [("note", "Still fine")]


def test_a_bad_half_refuses_the_whole_change(database) -> None:
    with pytest.raises(InputError, match="'Spring' is not a date"):
        changes.change_action(database, "1.1.1.2", code="on_track", milestone="Spring", author="Ann")
    with pytest.raises(InputError, match="unknown status"):
        changes.change_action(database, "1.1.1.2", code="green", milestone="March 2023", author="Ann")
    with pytest.raises(NotFoundError):
        changes.change_action(database, "9.9.9.9", milestone="March 2023", author="Ann")
    assert queries.plan_history(database) == []
    assert queries.get_action(database, "1.1.1.2").status == "off_track"


def test_baseline_is_the_first_milestone_through_several_moves(database) -> None:
    changes.set_milestone(database, "1.1.1.3", "June 2023", author="Ann", at=AT)
    changes.set_milestone(database, "1.1.1.3", "Ongoing", author="Ann", at=AT)
    row = queries.get_action(database, "1.1.1.3")
    assert row.baseline == "March 2023" and slip_words(row.slippage) == "slipped to no date"
    changes.set_milestone(database, "1.1.1.3", "January 2023", author="Ann", at=AT)
    row = queries.get_action(database, "1.1.1.3")
    assert row.baseline == "March 2023" and row.slippage is None  # earlier than baseline: not slipped


# --- the command line ---------------------------------------------------------------------------------


@pytest.fixture
def db(db_path: Path, tmp_path: Path) -> str:
    plan = tmp_path / "plan.json"
    plan.write_text(dumps_plan(mini_plan()), encoding="utf-8")
    run_cli("--db", str(db_path), "import", str(plan))
    return str(db_path)


def test_set_milestone_saves_it_with_the_slip(db: str) -> None:
    out = run_cli(
        "--db", db, "--author", "Ann", "set", "1.1.1.2", "--milestone", "March 2023", "--note", "Posts [Q3]"
    ).stdout
    assert out.startswith("Saved 1.1.1.2: milestone 'September 2022' -> 'March 2023'")
    assert "(due 31 Mar 2023, slipped 6 months from September 2022)" in out
    [entry] = json.loads(run_cli("--db", db, "history", "1.1.1.2", "--json").stdout)
    assert (entry["field"], entry["from"], entry["to"], entry["note"], entry["author"]) == (
        "milestone",
        "September 2022",
        "March 2023",
        "Posts [Q3]",
        "Ann",
    )
    [row] = [r for r in json.loads(run_cli("--db", db, "list", "--json").stdout) if r["ref"] == "1.1.1.2"]
    assert (row["milestone"], row["due"], row["baseline"]) == ("March 2023", "2023-03-31", "September 2022")


def test_set_milestone_refuses_an_unreadable_label_and_writes_nothing(db: str) -> None:
    result = run_cli("--db", db, "set", "1.1.1.2", "--rag", "on_track", "--milestone", "Spring", ok=False)
    assert result.exit_code != 0
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("plantui: milestone 'Spring' is not a date: write e.g. 'March 2023'")
    assert result.stdout == ""
    assert "No changes recorded" in run_cli("--db", db, "history").stdout
    [row] = [r for r in json.loads(run_cli("--db", db, "list", "--json").stdout) if r["ref"] == "1.1.1.2"]
    assert (row["rag"], row["milestone"]) == ("off_track", "September 2022")


def test_set_rag_and_milestone_together(db: str) -> None:
    out = run_cli("--db", db, "set", "1.1.1.3", "--rag", "some_issues", "--milestone", "Ongoing").stdout
    lines = out.splitlines()
    assert lines[0].startswith("Saved 1.1.1.3: ● On track -> ▲ Some issues (history #1)")
    assert lines[1] == (
        "Saved 1.1.1.3: milestone 'March 2023' -> 'Ongoing' "
        "(no due date, slipped to no date from March 2023) (history #2)"
    )
    again = run_cli("--db", db, "set", "1.1.1.3", "--rag", "some_issues", "--milestone", "Ongoing").stdout
    assert again.strip() == "1.1.1.3 is already ▲ Some issues, milestone 'Ongoing'; nothing changed"


def test_list_slipped_shows_how_far(db: str) -> None:
    assert json.loads(run_cli("--db", db, "list", "--slipped", "--json").stdout) == []
    run_cli("--db", db, "set", "1.1.1.2", "--milestone", "March 2023")
    run_cli("--db", db, "set", "1.2.1.2", "--milestone", "Ongoing")
    run_cli("--db", db, "set", "2.1.1.1", "--milestone", "January 2023")  # earlier: not a slip
    rows = json.loads(run_cli("--db", db, "list", "--slipped", "--json").stdout)
    assert [(r["ref"], r["slipped"], r["slipped_months"]) for r in rows] == [
        ("1.1.1.2", "slipped 6 months", 6),
        ("1.2.1.2", "slipped to no date", None),
    ]
    table = run_cli("--db", db, "--today", "2022-11-01", "list", "--slipped").stdout.splitlines()
    assert table[0].split()[:6] == ["Ref", "Status", "Milestone", "Due", "Slip", "Lead(s)"]
    assert [line.split()[0] for line in table[1:]] == ["1.1.1.2", "1.2.1.2"]
    assert "slipped 6 months" in table[1] and "slipped to no date" in table[2]
    # --slipped combines with other filters, and the filter word works alike
    red = json.loads(run_cli("--db", db, "list", "--slipped", "--rag", "off_track", "--json").stdout)
    assert [r["ref"] for r in red] == ["1.1.1.2"]
    same = json.loads(run_cli("--db", db, "list", "--filter", "slipped", "--json").stdout)
    assert [r["ref"] for r in same] == ["1.1.1.2", "1.2.1.2"]
