"""`plantui evidence add|list` and `plantui impact`: evidence recorded and listed exactly as typed,
the impact mark refused in one line without evidence, `undo` taking either back, `check` warning
about complete actions with neither evidence nor a met measure, and `--as-at` listing evidence as it
stood. On SQLite and PostgreSQL (`loaded` runs on both)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from plantui.cli.main import cli
from plantui.io.plan_json import dumps_plan
from tests.conftest import mini_plan

TEXT = "Audit [bold]found[/] fewer re-referrals [link=https://x]"
LINK = "S:\\QA\\[2022] audit.docx"


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


@pytest.fixture
def loaded(db_target: str, tmp_path: Path) -> str:
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(dumps_plan(mini_plan()), encoding="utf-8")
    run("--db", db_target, "import", str(plan_file))
    return db_target


def check_warnings(db: str) -> set[tuple[str, str]]:
    found = json.loads(run("--db", db, "check", "--json", "--today", "2022-11-01", ok=False).stdout)
    return {(p["kind"], p["ref"]) for p in found if p["kind"] in ("no-impact-evidence", "impact-unsupported")}


def test_evidence_is_recorded_and_listed_exactly_as_typed(loaded: str) -> None:
    db = ("--db", loaded, "--author", "Ann", "--today", "2022-11-01")
    out = run(*db, "evidence", "add", "1.1.1.1", TEXT, "--link", LINK, "--date", "2022-10-14").stdout
    assert out.startswith("Saved evidence on 1.1.1.1 (history #")
    run(*db, "evidence", "add", "1.1.1.1", "Survey")  # dated --today
    listed = run(*db, "evidence", "list", "1.1.1.1").stdout.splitlines()
    assert listed[0].startswith("1.1.1.1  ◇ Impact not yet evidenced  Develop a workforce strategy")
    assert listed[1:] == [f"    2022-10-14 Ann: {TEXT} ({LINK})", "    2022-11-01 Ann: Survey"]
    [entry] = json.loads(run(*db, "evidence", "list", "--json").stdout)
    assert entry["ref"] == "1.1.1.1" and entry["impact_evidenced"] is False
    assert [(e["text"], e["link"], e["date"], e["author"]) for e in entry["evidence"]] == [
        (TEXT, LINK, "2022-10-14", "Ann"),
        ("Survey", "", "2022-11-01", "Ann"),
    ]
    history = run(*db, "history", "1.1.1.1").stdout
    assert "evidence 'Audit [bold]found[/] fewer re-referrals…' (2022-10-14)" in history


def test_impact_needs_evidence_and_undo_takes_each_back(loaded: str) -> None:
    db = ("--db", loaded, "--author", "Ann", "--today", "2022-11-01")
    refused = run(*db, "impact", "1.1.1.1", "--yes", ok=False)
    assert refused.exit_code == 2 and refused.stdout == ""
    assert refused.stderr.splitlines() == [
        "plantui: 1.1.1.1: impact not marked evidenced: it has no evidence and no linked measure; "
        "add evidence first (plantui evidence add 1.1.1.1 TEXT)"
    ]
    assert check_warnings(loaded) == {("no-impact-evidence", "1.1.1.1")}
    run(*db, "evidence", "add", "1.1.1.1", TEXT)
    assert check_warnings(loaded) == set()
    assert "◆ Impact evidenced (history #" in run(*db, "impact", "1.1.1.1", "--yes").stdout
    assert "already ◆ Impact evidenced; nothing changed" in run(*db, "impact", "1.1.1.1", "--yes").stdout
    rows = json.loads(run(*db, "list", "--json").stdout)
    assert [(r["ref"], r["evidence"]) for r in rows if r["impact_evidenced"]] == [("1.1.1.1", 1)]
    assert "impact ◆ evidenced -> ◇ not evidenced" in run(*db, "undo").stdout
    assert "evidence taken back" in run(*db, "undo").stdout
    assert check_warnings(loaded) == {("no-impact-evidence", "1.1.1.1")}
    run(*db, "redo")  # the evidence
    assert check_warnings(loaded) == set()
    # Ben marks it; Ann takes her evidence back: the mark stays, and check says so
    run("--db", loaded, "--author", "Ben", "impact", "1.1.1.1", "--yes")
    run(*db, "undo")
    assert check_warnings(loaded) == {("impact-unsupported", "1.1.1.1")}


def test_as_at_lists_the_evidence_as_it_stood_and_refuses_changes(loaded: str) -> None:
    run("--db", loaded, "--author", "Ann", "evidence", "add", "1.1.1.1", TEXT)
    listed = run("--db", loaded, "--as-at", "2000-01-01", "evidence", "list", "1.1.1.1").stdout
    assert listed.splitlines()[1:] == ["    (no evidence)"]
    assert (
        "No evidence of impact yet" in run("--db", loaded, "--as-at", "2000-01-01", "evidence", "list").stdout
    )
    for args in (("evidence", "add", "1.1.1.1", "x"), ("impact", "1.1.1.1", "--yes")):
        refused = run("--db", loaded, "--as-at", "2000-01-01", *args, ok=False)
        assert refused.exit_code == 2 and "cannot change it" in refused.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("evidence", "add", "9.9.9.9", "x"), "no action with ref 9.9.9.9"),
        (("evidence", "add", "1.1.1.1", "   "), "evidence: say what the evidence is"),
        (("evidence", "add", "1.1.1.1", "x", "--date", "2022-13-01"), "--date: '2022-13-01' is not a date"),
        (("evidence", "add", "1.1.1.1", "x", "--link", "a\tb"), "link: holds a control character"),
        (("evidence", "list", "9.9.9.9"), "no action with ref 9.9.9.9"),
        (("impact", "1.1.1.1"), "say --yes (impact evidenced) or --no"),
        (("impact", "9.9.9.9", "--no"), "no action with ref 9.9.9.9"),
    ],
)
def test_errors_are_one_line(loaded: str, args, message: str) -> None:
    result = run("--db", loaded, *args, ok=False)
    assert result.exit_code != 0 and "Traceback" not in result.output
    [line] = result.stderr.splitlines()
    assert message in line


def test_the_real_command_adds_evidence_in_its_own_process(tmp_path: Path) -> None:
    db = tmp_path / "plan.db"
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(dumps_plan(mini_plan()), encoding="utf-8")
    command = [sys.executable, "-m", "plantui", "--db", str(db), "--author", "Ann"]
    subprocess.run([*command, "import", str(plan_file)], check=True, capture_output=True)
    subprocess.run([*command, "evidence", "add", "1.1.1.1", TEXT], check=True, capture_output=True)
    done = subprocess.run(
        [*command, "evidence", "list", "1.1.1.1"], check=True, capture_output=True, text=True
    )
    assert f"Ann: {TEXT}" in done.stdout


def test_copy_carries_evidence_and_the_mark_there_and_back(tmp_path: Path, db_target: str) -> None:
    laptop = str(tmp_path / "laptop.db")
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(dumps_plan(mini_plan()), encoding="utf-8")
    run("--db", laptop, "import", str(plan_file))
    run("--db", laptop, "--author", "Ann", "evidence", "add", "1.1.1.1", TEXT, "--link", LINK)
    run("--db", laptop, "--author", "Ann", "impact", "1.1.1.1", "--yes")
    original = run("--db", laptop, "export").stdout
    assert '"format": "plantui-plan/2"' in original and '"impact": true' in original
    run("copy", "--from", laptop, "--to", db_target)
    assert run("--db", db_target, "export").stdout == original
    listed = run("--db", db_target, "evidence", "list", "1.1.1.1").stdout
    assert listed.startswith("1.1.1.1  ◆ Impact evidenced") and f"Ann: {TEXT} ({LINK})" in listed
    back = str(tmp_path / "back.db")
    run("--db", db_target, "copy", "--to", back)
    assert run("--db", back, "export").stdout == original
    assert "impact ◆ evidenced -> ◇ not evidenced" in run("--db", back, "--author", "Ann", "undo").stdout
