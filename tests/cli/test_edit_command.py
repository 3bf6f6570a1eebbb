"""`plantui edit REF`: an action's title, success measures, detailed plan and leads changed as one
step, printed as what changed; bad text refused in one line naming the field; `history`, `undo` and
`redo` read the new rows. On SQLite and PostgreSQL (`loaded` runs on both)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from plantui.cli.main import cli
from plantui.io.plan_json import dumps_plan
from tests.conftest import mini_plan, stored_plan

NAME = "Head of Service (Safeguarding) & QA / PSW, Jane"


def run(*args: str, ok: bool = True, stdin: str | None = None):
    result = CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


@pytest.fixture
def loaded(db_target: str, tmp_path: Path) -> str:
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(dumps_plan(mini_plan()), encoding="utf-8")
    run("--db", db_target, "import", str(plan_file))
    return db_target


def action(db: str, ref: str) -> dict:
    rows = json.loads(run("--db", db, "list", "--json").stdout)
    return next(row for row in rows if row["ref"] == ref)


def test_edit_changes_every_text_as_one_step_and_says_what_changed(loaded: str) -> None:
    db = loaded
    out = run(
        "--db", db, "--author", "Ann", "edit", "1.1.1.2",
        "--title", "Recruit a [bold]permanent[/] team",
        "--measures", "-",
        "--lead", NAME, "--lead", "HR Lead",
        "--note", "agreed",
        stdin="Line one\nLine two\n",
    ).stdout  # fmt: skip
    assert out.splitlines() == [
        "Saved 1.1.1.2: title 'Recruit senior leaders' -> 'Recruit a [bold]permanent[/] team' (history #1)",
        "Saved 1.1.1.2: success measures 'A permanent team' -> 'Line one Line two' (history #2)",
        f"Saved 1.1.1.2: leads Assistant Director Safeguarding -> {NAME}; HR Lead (history #3)",
    ]
    row = action(db, "1.1.1.2")
    assert row["title"] == "Recruit a [bold]permanent[/] team"
    assert row["success_measures"] == "Line one\nLine two"
    assert row["leads"] == [NAME, "HR Lead"]
    history = run("--db", db, "history", "1.1.1.2").stdout
    assert "title 'Recruit senior leaders' -> 'Recruit a [bold]permanent[/] team'" in history

    undone = run("--db", db, "--author", "Ann", "undo").stdout
    assert "Undone" in undone
    row = action(db, "1.1.1.2")
    assert (row["title"], row["leads"]) == ("Recruit senior leaders", ["Assistant Director Safeguarding"])
    run("--db", db, "--author", "Ann", "redo")
    assert action(db, "1.1.1.2")["leads"] == [NAME, "HR Lead"]


def test_add_and_remove_a_lead(loaded: str) -> None:
    db = loaded
    run("--db", db, "--author", "Ann", "edit", "1.1.1.1", "--remove-lead", "HR Lead", "--add-lead", NAME)
    assert action(db, "1.1.1.1")["leads"] == ["Assistant Director Safeguarding", NAME]


CONTROL = "plantui: title: holds a control character (U+001B); type the text again without it"
NOT_A_LEAD = "plantui: --remove-lead: 'Nobody' is not a lead of this action (its leads: {})"
ALREADY = "plantui: --add-lead: 'Assistant Director Safeguarding' is already a lead of this action"
BOTH = "plantui: --lead gives the whole list of leads: use it without --add-lead or --remove-lead"
NOTHING = "plantui: say what to change: --title, --measures, --plan, --lead, --add-lead and/or --remove-lead"
TWICE = "plantui: --plan -: standard input is already read for --measures; give one of them as text"


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("--title", "  "), "plantui: title: an action's title cannot be empty"),
        (("--title", "x\x1b[2Jy"), CONTROL),
        (("--remove-lead", "Nobody"), NOT_A_LEAD.format("Assistant Director Safeguarding")),
        (("--add-lead", "Assistant Director Safeguarding"), ALREADY),
        (("--lead", "A", "--add-lead", "B"), BOTH),
        ((), NOTHING),
        (("--measures", "-", "--plan", "-"), TWICE),
    ],
)
def test_bad_edits_are_one_line_and_change_nothing(loaded: str, args, line) -> None:
    result = run("--db", loaded, "--author", "Ann", "edit", "1.1.1.2", *args, ok=False, stdin="")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [line]
    assert json.loads(run("--db", loaded, "history", "--json").stdout) == []


def test_an_unknown_ref_is_one_line(loaded: str) -> None:
    result = run("--db", loaded, "edit", "9.9.9.9", "--title", "x", ok=False)
    assert result.exit_code == 3
    assert result.stderr.startswith("plantui: no action with ref 9.9.9.9")


def test_the_same_text_again_changes_nothing(loaded: str) -> None:
    out = run("--db", loaded, "edit", "1.1.1.2", "--title", "Recruit senior leaders").stdout
    assert out == "1.1.1.2: nothing to change, the text is already as given\n"


def test_edit_reads_a_plan_from_standard_input_in_a_real_process(tmp_path: Path) -> None:
    db = stored_plan(tmp_path / "plan.db")
    text = "Week 1: advertise [roles] & interview\nWeek 4: appoint\n"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "plantui",
            "--db",
            str(db),
            "--author",
            "Ann",
            "edit",
            "1.1.1.3",
            "--plan",
            "-",
        ],
        input=text.encode("utf-8"),
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode().startswith("Saved 1.1.1.3: detailed plan '–' -> 'Week 1: advertise [roles]")
    shown = subprocess.run(
        [sys.executable, "-m", "plantui", "--db", str(db), "list", "--json"],
        capture_output=True,
        check=True,
        timeout=120,
    )
    row = next(r for r in json.loads(shown.stdout) if r["ref"] == "1.1.1.3")
    assert row["detailed_plan"] == text.rstrip("\n")
