"""The command line, through click's runner; a few through a real process to see exit codes and
that no traceback ever reaches the user."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from plantui.io.plan_json import dumps_plan
from tests.conftest import mini_plan, run_cli


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(dumps_plan(mini_plan(markup=True)), encoding="utf-8")
    return path


@pytest.fixture
def loaded(db_target: str, plan_file: Path) -> str:
    """The test plan imported into a SQLite file or a PostgreSQL database (the test runs on both)."""
    run_cli("--db", db_target, "import", str(plan_file))
    return db_target


def test_export_import_export_is_lossless(loaded: str, tmp_path: Path) -> None:
    run_cli(
        "--db",
        str(loaded),
        "set",
        "1.1.1.2",
        "--rag",
        "on_track",
        "--note",
        "[draft] ok",
        "--author",
        "Ann",
    )
    first = tmp_path / "first.json"
    run_cli("--db", str(loaded), "export", "--format", "json", "-o", str(first))
    again = tmp_path / "again.db"
    run_cli("--db", str(again), "import", str(first))
    second = run_cli("--db", str(again), "export", "--format", "json").stdout
    assert second.encode("utf-8") == first.read_bytes()
    data = json.loads(second)
    assert data["plan"]["title"].endswith("[bold]x[/] [link=y] [")
    assert data["themes"][0]["areas"][0]["objectives"][0]["actions"][0]["due"] == "2022-09-30"


def test_export_to_a_file(loaded: str, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    run_cli("--db", str(loaded), "export", "-o", str(out))
    assert json.loads(out.read_text())["format"] == "plantui-plan/1"


def test_import_refuses_a_plan_over_a_plan_then_force(loaded: str, plan_file: Path) -> None:
    result = run_cli("--db", str(loaded), "import", str(plan_file), ok=False)
    assert result.exit_code != 0
    assert "already holds a plan: use --force" in result.stderr
    run_cli("--db", str(loaded), "import", "--force", str(plan_file))


def test_import_warns_about_unreadable_milestones(db_path: Path, plan_file: Path) -> None:
    result = run_cli("--db", str(db_path), "import", str(plan_file))
    assert "action 2.1.1.2: milestone 'Spring' cannot be read" in result.stderr


def test_set_then_history_then_undo(loaded: str) -> None:
    db = str(loaded)
    result = run_cli(
        "--db",
        db,
        "set",
        "1.1.1.2",
        "--rag",
        "some_issues",
        "--note",
        "Posts [filled]",
        "--author",
        "Ann",
    )
    assert "1.1.1.2: ✖ Off track -> ▲ Some issues" in result.stdout
    history = run_cli("--db", db, "history", "1.1.1.2").stdout
    assert "Ann" in history and "Posts [filled]" in history and "✖ Off track -> ▲ Some issues" in history
    undo = run_cli("--db", db, "--author", "Ann", "undo").stdout
    assert "undo of #1" in undo
    entries = json.loads(run_cli("--db", db, "history", "1.1.1.2", "--json").stdout)
    assert [(e["from"], e["to"], e["author"], e["undoes"]) for e in entries] == [
        ("some_issues", "off_track", "Ann", 1),
        ("off_track", "some_issues", "Ann", None),
    ]
    rows = json.loads(run_cli("--db", db, "list", "--json").stdout)
    assert next(r for r in rows if r["ref"] == "1.1.1.2")["rag"] == "off_track"


def test_set_a_note_only(loaded: str) -> None:
    result = run_cli("--db", str(loaded), "set", "2.1.1.1", "--note", "Supplier chosen")
    assert "Saved a note on 2.1.1.1" in result.stdout


@pytest.mark.sqlite_only  # on a server the default author is the database user (tests/store/test_postgres.py)
def test_author_falls_back_to_saved_setting_then_login(loaded: str, isolated_home: Path) -> None:
    from plantui.io.settings import save_setting

    save_setting("author", "Improvement Lead")
    run_cli("--db", str(loaded), "set", "2.1.1.1", "--note", "x")
    [entry] = json.loads(run_cli("--db", str(loaded), "history", "2.1.1.1", "--json").stdout)
    assert entry["author"] == "Improvement Lead"


@pytest.mark.parametrize(
    ("args", "refs"),
    [
        ((), ["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.2.1.1", "1.2.1.2", "2.1.1.1", "2.1.1.2"]),
        (("--rag", "off_track"), ["1.1.1.2", "2.1.1.2"]),
        (("--rag", "off_track", "--rag", "bau"), ["1.1.1.2", "1.2.1.1", "2.1.1.2"]),
        (("--lead", "quality assurance"), ["1.2.1.1", "1.2.1.2"]),
        (("--theme", "1.1"), ["1.1.1.1", "1.1.1.2", "1.1.1.3"]),
        (("--overdue", "--today", "2022-11-01"), ["1.1.1.2", "1.2.1.2"]),
        (("--overdue", "--today", "2022-09-01"), []),
        (("--filter", "rag:red theme:2"), ["2.1.1.2"]),
    ],
)
def test_list_filters(loaded: str, args: tuple[str, ...], refs: list[str]) -> None:
    rows = json.loads(run_cli("--db", str(loaded), "list", "--json", *args).stdout)
    assert [r["ref"] for r in rows] == refs


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--theme", "9"), "plantui: filter term 'theme:9': the plan has nothing numbered 9"),
        (("--filter", "-theme:1.9"), "plantui: filter term 'theme:1.9': the plan has nothing numbered 1.9"),
        (("--lead", "nobody"), "plantui: filter term 'lead:nobody': no lead's name contains 'nobody'"),
    ],
)
def test_list_says_a_filter_names_nothing_in_the_plan(loaded: str, args: tuple[str, ...], said: str) -> None:
    result = run_cli("--db", str(loaded), "list", *args, ok=False)
    assert result.exit_code == 2
    assert result.stderr.strip() == said and result.stdout == ""


def test_list_exceptions_are_the_ones_the_workbench_shows(loaded: str) -> None:
    rows = json.loads(
        run_cli(
            "--db", str(loaded), "--today", "2022-11-01", "list", "--json", "--filter", "exceptions"
        ).stdout
    )
    assert [r["ref"] for r in rows] == ["1.1.1.2", "1.2.1.2", "2.1.1.2"]  # off track, overdue, some issues


def test_list_as_a_table_shows_symbols_and_words(loaded: str) -> None:
    out = run_cli("--db", str(loaded), "--today", "2022-11-01", "list").stdout
    line = next(line for line in out.splitlines() if line.startswith("1.1.1.2"))
    assert "✖ Off track" in line and "overdue" in line and "September 2022" in line


def test_check_reports_the_plans_problems(loaded: str) -> None:
    result = run_cli("--db", str(loaded), "check", "--today", "2022-11-01", ok=False)
    assert result.exit_code == 1
    out = result.stdout
    assert "cites 1.2.2, which names nothing in the plan" in out
    assert "cites 2.1," not in out  # an area is something
    assert "action 2.1.1.2 has no lead officer" in out
    assert "action 2.1.1.2: milestone 'Spring' cannot be read" in out
    assert "action 1.1.1.2 is overdue" in out
    assert "action 1.1.1.1 is overdue" not in out  # complete
    assert "action 1.2.1.1 is overdue" not in out  # BAU, Ongoing
    problems = json.loads(
        run_cli("--db", str(loaded), "check", "--json", "--today", "2022-11-01", ok=False).stdout
    )
    assert {p["kind"] for p in problems} == {
        "dangling-ref",
        "no-lead",
        "unreadable-milestone",
        "overdue",
        "no-impact-evidence",  # 1.1.1.1 is complete, with no evidence yet
    }


# --- errors a user can cause: one line, non-zero, never a traceback ---------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("set", "1.1.1.2", "--rag", "purplish"), "unknown status 'purplish'"),
        (("set", "9.9.9.9", "--rag", "on_track"), "no action with ref 9.9.9.9"),
        (("set", "1.1.1.2"), "say what to change"),
        (("history", "7.7"), "no action with ref 7.7"),
        (("list", "--rag", "purplish"), "--rag: unknown status 'purplish'"),
        (("list", "--filter", "due:whenever"), "filter term 'due:whenever'"),
    ],
)
def test_user_errors_are_one_line(loaded: str, args: tuple[str, ...], message: str) -> None:
    result = run_cli("--db", str(loaded), *args, ok=False)
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith("plantui: ")


def test_export_of_a_missing_database(tmp_path: Path) -> None:
    result = run_cli("--db", str(tmp_path / "none.db"), "export", ok=False)
    assert result.exit_code != 0 and "none.db does not exist" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_empty_database_says_what_to_do(db_path: Path) -> None:
    from plantui.store.opening import open_database

    open_database(db_path).close()
    result = run_cli("--db", str(db_path), "list", ok=False)
    assert "has no plan yet: run `plantui demo`" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "is empty (zero bytes)"), (b"\x89PNG\r\n\x1a\nrandom", "is not a SQLite database")],
)
def test_a_file_that_is_not_a_database(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.db"
    path.write_bytes(content)
    proc = subprocess.run(
        [sys.executable, "-m", "plantui", "--db", str(path), "list"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert (
        proc.stderr.strip()
        == f"plantui: {path} {message}, so it is not a plantui database; nothing was changed"
    )
    assert path.read_bytes() == content


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "line 1, column 2: not valid JSON"),
        (
            '{"format": "plantui-plan/1", "plan": {"title": "x"}, "themes": [{"ref": "1"}]}',
            "'title' is missing",
        ),
    ],
)
def test_a_bad_plan_file_changes_nothing(tmp_path: Path, loaded: str, content: str, message: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    before = run_cli("--db", str(loaded), "export").stdout
    proc = subprocess.run(
        [sys.executable, "-m", "plantui", "--db", str(loaded), "import", "--force", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert message in proc.stderr and str(bad) in proc.stderr
    assert run_cli("--db", str(loaded), "export").stdout == before


def test_import_of_an_unknown_kind_of_file(tmp_path: Path, db_path: Path) -> None:
    other = tmp_path / "plan.docx"
    other.write_bytes(b"PK")
    result = run_cli("--db", str(db_path), "import", str(other), ok=False)
    assert "cannot import a .docx" in result.stderr


def test_db_from_the_environment(loaded: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANTUI_DB", str(loaded))
    rows = json.loads(run_cli("list", "--json").stdout)
    assert len(rows) == 7


def test_set_reads_status_words_as_people_type_them(loaded: Path) -> None:
    result = run_cli("--db", str(loaded), "set", "1.1.1.2", "--rag", "amber", "--author", "Ann")
    assert "✖ Off track -> ▲ Some issues" in result.stdout
    result = run_cli("--db", str(loaded), "set", "1.1.1.2", "--rag", "On track", "--author", "Ann")
    assert "▲ Some issues -> ● On track" in result.stdout


def test_every_command_is_found_where_the_group_looks_for_it() -> None:
    import importlib
    import pkgutil

    import plantui.cli
    from plantui.cli.main import COMMAND_MODULES

    found = {}
    for module in pkgutil.iter_modules(plantui.cli.__path__):
        commands = getattr(importlib.import_module(f"plantui.cli.{module.name}"), "COMMANDS", ())
        found.update({command.name: module.name for command in commands})
    assert found == COMMAND_MODULES


def test_the_workbench_alone_imports_no_command_module() -> None:
    import subprocess
    import sys

    code = (
        "import sys, plantui.cli.main, plantui.cli.open_tui; "
        "print(sorted(m for m in sys.modules if m.endswith(('_commands', '_command'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
