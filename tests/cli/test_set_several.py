"""`plantui set` on several actions: named refs or a `--where` filter, one status and/or milestone on
them all as one step, a count of what changed and what already was; one ref still works as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli, stored_plan


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(stored_plan(tmp_path / "plan.db"))


def statuses(db: str) -> dict[str, str]:
    listed = json.loads(run_cli("--db", db, "--today", "2022-11-01", "list", "--json").output)
    return {row["ref"]: row["rag"] for row in listed}


def test_several_refs_are_set_as_one_step_with_a_count(db: str) -> None:
    result = run_cli("--db", db, "--author", "Ann", "set", "1.1.1.1", "1.1.1.2", "1.1.1.3", "--rag", "red")
    first = result.stdout.splitlines()[0]
    assert first.startswith("Saved: 2 actions set to ✖ Off track; 1 already was (history #1 onwards")
    assert "1.1.1.1" in result.stdout and "1.1.1.3" in result.stdout
    assert [statuses(db)[ref] for ref in ("1.1.1.1", "1.1.1.2", "1.1.1.3")] == ["off_track"] * 3

    undone = run_cli("--db", db, "--author", "Ann", "undo")  # one undo takes back both
    assert undone.stdout.count("Undone:") == 2
    assert [statuses(db)[ref] for ref in ("1.1.1.1", "1.1.1.2", "1.1.1.3")] == [
        "complete",
        "off_track",
        "on_track",
    ]


def test_where_picks_the_actions_with_the_filter_language_of_list(db: str) -> None:
    result = run_cli(
        "--db", db, "--author", "Ann", "--today", "2022-11-01",
        "set", "--where", "rag:red", "--rag", "amber", "--note", "Board review",
    )  # fmt: skip
    assert result.stdout.startswith("Saved: 2 actions set to ▲ Some issues (history #1 onwards")
    now = statuses(db)
    assert now["1.1.1.2"] == now["2.1.1.2"] == "some_issues"
    assert now["1.2.1.2"] == "some_issues" and now["1.1.1.3"] == "on_track"  # the others as they were


def test_a_milestone_on_several_actions(db: str) -> None:
    result = run_cli(
        "--db", db, "--author", "Ann", "set", "1.1.1.2", "1.1.1.3", "--milestone", "June 2023"
    )  # fmt: skip
    assert result.stdout.startswith("Saved: 2 actions moved to milestone June 2023")


def test_all_already_as_asked_says_nothing_changed_and_one_ref_keeps_its_own_output(db: str) -> None:
    result = run_cli("--db", db, "--author", "Ann", "set", "1.1.1.2", "2.1.1.2", "--rag", "off_track")
    assert result.stdout == "0 actions set to ✖ Off track; 2 already were; nothing changed\n"
    result = run_cli("--db", db, "--author", "Ann", "set", "1.1.1.3", "--rag", "off_track")
    assert result.stdout == "Saved 1.1.1.3: ● On track -> ✖ Off track (history #1)\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("1.1.1.1", "9.9.9.9", "--rag", "G"), "no action with ref 9.9.9.9"),
        (("1.1.1.1", "1.1.1.3", "--milestone", "Smarch"), "milestone 'Smarch' is not a date"),
        (("1.1.1.1", "1.1.1.3", "--note", "x"), "--rag CODE and/or --milestone LABEL"),
        (("1.1.1.1", "1.1.1.3", "--rag", "G", "--expect", "C"), "--expect goes with one ref"),
        (("1.1.1.1", "--where", "rag:red", "--rag", "G"), "not both"),
        (("--where", "rag:foo", "--rag", "G"), "'foo' is not a status"),
        (("--where", "theme:9", "--rag", "G"), "nothing numbered 9"),
        (("--where", "rag:bau lead:director", "--rag", "G"), "picks no action"),
        (("--where", " ", "--rag", "G"), "the filter is empty"),
        (("--rag", "G"), "say which action"),
    ],
)
def test_a_bad_request_is_one_line_and_changes_nothing(db: str, args: tuple[str, ...], message: str) -> None:
    before = statuses(db)
    result = run_cli("--db", db, "--author", "Ann", "set", *args, ok=False)
    assert result.exit_code != 0
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert message in line
    assert statuses(db) == before
