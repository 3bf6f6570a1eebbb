"""`plantui view save|list|show|delete` and `plantui list --view`, on SQLite and PostgreSQL: views are
kept with the plan, listed in order, refused in one line naming the field, and list their actions
in their own order as at --today."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from plantui.io.plan_json import dumps_plan
from tests.conftest import mini_plan, run_cli


@pytest.fixture
def loaded(db_target: str, tmp_path: Path) -> str:
    plan = tmp_path / "plan.json"
    plan.write_text(dumps_plan(mini_plan(markup=True)), encoding="utf-8")
    run_cli("--db", db_target, "import", str(plan))
    return db_target


def refs(db: str, *args: str) -> list[str]:
    return [row["ref"] for row in json.loads(run_cli("--db", db, *args, "--json").stdout)]


def test_every_plan_lists_exceptions_and_due_this_month(loaded: str) -> None:
    out = run_cli("--db", loaded, "view", "list").stdout
    assert out.splitlines() == [
        " 1  Exceptions  ·  exceptions · whole plan · worst first",
        " 2  Due this month  ·  due:month -rag:complete · whole plan · by due",
    ]


def test_the_first_two_views_list_their_actions_as_at_today(loaded: str) -> None:
    assert refs(loaded, "--today", "2022-11-01", "list", "--view", "exceptions") == [
        "1.1.1.2",  # off track and overdue
        "2.1.1.2",  # off track
        "1.2.1.2",  # some issues
    ]
    # "this month" follows --today: September's incomplete action, not the complete one beside it
    assert refs(loaded, "--today", "2022-09-10", "list", "--view", "Due this month") == ["1.1.1.2"]
    assert refs(loaded, "--today", "2023-03-05", "list", "--view", "due this month") == ["1.1.1.3"]


def test_a_saved_view_lists_its_node_filter_and_sort_and_other_options_narrow_it(loaded: str) -> None:
    out = run_cli(
        "--db", loaded, "view", "save", "Quality [x]", "-rag:complete", "--node", "1", "--sort", "status:desc"
    ).stdout
    assert out == "Saved view 'Quality [x]': -rag:complete · in 1 · by status (reversed)\n"
    # status worst first, reversed: on track, then some issues, off track last; 1.2.1.1 (BAU) before on track
    assert refs(loaded, "list", "--view", "quality [X]") == ["1.2.1.1", "1.1.1.3", "1.2.1.2", "1.1.1.2"]
    assert refs(loaded, "list", "--view", "quality [x]", "--rag", "red") == ["1.1.1.2"]
    shown = run_cli("--db", loaded, "view", "show", "QUALITY [X]").stdout.splitlines()
    assert shown == [
        "name    Quality [x]",
        "filter  -rag:complete",
        "node    1",
        "sort    by status (reversed)",
    ]
    assert json.loads(run_cli("--db", loaded, "view", "list", "--json").stdout)[-1] == {
        "name": "Quality [x]",
        "filter": "-rag:complete",
        "node": "1",
        "sort": "status:desc",
    }


def test_saving_over_a_name_needs_replace_and_delete_takes_any_case(loaded: str) -> None:
    taken = run_cli("--db", loaded, "view", "save", "EXCEPTIONS", "rag:red", ok=False)
    assert taken.exit_code == 2
    assert taken.stderr == (
        "plantui: view 'EXCEPTIONS': the plan already has a view called 'Exceptions' "
        "(--replace to replace it)\n"
    )
    out = run_cli("--db", loaded, "view", "save", "EXCEPTIONS", "rag:red", "--replace").stdout
    assert out.startswith("Replaced view 'EXCEPTIONS'")
    assert refs(loaded, "list", "--view", "exceptions") == ["1.1.1.2", "2.1.1.2"]
    assert run_cli("--db", loaded, "view", "delete", "exceptions").stdout == "Deleted view 'EXCEPTIONS'\n"
    assert [v["name"] for v in json.loads(run_cli("--db", loaded, "view", "list", "--json").stdout)] == [
        "Due this month"
    ]


@pytest.mark.parametrize(
    ("args", "line", "code"),
    [
        (("view", "save", "x", "rag:foo"), "plantui: filter term 'rag:foo': 'foo' is not a status", 2),
        (
            ("view", "save", "x", "theme:9"),
            "plantui: filter term 'theme:9': the plan has nothing numbered 9",
            2,
        ),
        (("view", "save", "x", "--node", "7"), "plantui: view node '7': the plan has no theme, area or", 2),
        (("view", "save", "x", "--sort", "size"), "plantui: sort 'size': not a sort key (use one of ref,", 2),
        (("view", "save", ""), "plantui: view name: give the view a name", 2),
        (("view", "delete", "nope"), "plantui: view 'nope': no view of that name (the plan's views:", 3),
        (("view", "show", "nope"), "plantui: view 'nope': no view of that name", 3),
        (("list", "--view", "nope"), "plantui: view 'nope': no view of that name", 3),
    ],
)
def test_a_bad_view_is_one_line_naming_the_field(loaded: str, args, line: str, code: int) -> None:
    result = run_cli("--db", loaded, *args, ok=False)
    assert result.exit_code == code
    assert result.stderr.startswith(line) and result.stderr.count("\n") == 1


@pytest.mark.sqlite_only
def test_a_view_cannot_be_saved_as_at_a_day_and_no_traceback_reaches_the_user(loaded: str) -> None:
    as_at = run_cli("--db", loaded, "--as-at", "2022-10-01", "view", "save", "x", ok=False)
    assert as_at.exit_code != 0 and "view save" in as_at.stderr and as_at.stderr.count("\n") == 1
    process = subprocess.run(
        [sys.executable, "-m", "plantui", "--db", loaded, "view", "save", "x", "lead:"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == 2
    assert process.stderr == "plantui: filter term 'lead:' needs a value after the colon\n"


@pytest.mark.sqlite_only
def test_two_processes_saving_one_name_at_once_keep_one_view_and_tell_the_other(loaded: str) -> None:
    command = [sys.executable, "-m", "plantui", "--db", loaded, "view", "save"]
    names = ("same name", "SAME NAME", "Same Name", "same NAME")
    processes = [
        subprocess.Popen(
            [*command, name, f"rag:{code}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for name, code in zip(names, ("red", "amber", "green", "blue"), strict=True)
    ]
    results = [(p.wait(timeout=60), p.stdout.read(), p.stderr.read()) for p in processes]
    for process in processes:
        process.stdout.close()
        process.stderr.close()
    assert sorted(code for code, _out, _err in results) == [0, 2, 2, 2]
    for code, _out, err in results:
        if code:
            assert "already has a view called 'same name'" in err.lower() and err.count("\n") == 1
    views = json.loads(run_cli("--db", loaded, "view", "list", "--json").stdout)
    assert [v["name"].lower() for v in views] == ["exceptions", "due this month", "same name"]
