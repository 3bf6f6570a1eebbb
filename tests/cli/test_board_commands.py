"""The board's commands from the shell: meetings, changes since, the report, and --as-at."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from plantui.cli.main import cli
from plantui.domain.wording import day_text


def run(db: Path, *args: str, ok: bool = True, today: str = "2022-11-01"):
    result = CliRunner().invoke(cli, ["--db", str(db), "--today", today, "--author", "Lead", *args])
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


@pytest.fixture
def sample(db_path: Path) -> Path:
    run(db_path, "demo")
    return db_path


def test_a_meeting_from_the_shell_records_set_and_undo_and_sums_up(sample: Path) -> None:
    started = run(sample, "meeting", "start", "--title", "Board [Nov]", "--scope", "theme:4")
    assert "Started meeting 1 'Board [Nov]' over theme:4" in started.stdout
    saved = run(sample, "set", "4.2.1.1", "--rag", "some_issues", "--note", "Scrutineer appointed")
    assert saved.stdout.strip().endswith("in meeting 'Board [Nov]'")
    run(sample, "set", "4.1.1.2", "--rag", "off_track", "--note", "Governing body not formed")
    run(sample, "set", "4.5.1.1", "--rag", "complete", "--note", "Strategy launched")
    run(sample, "set", "4.3.1.1", "--rag", "off_track")
    undone = run(sample, "undo")
    assert "undo of #4" in undone.stdout and "[meeting 1]" in undone.stdout
    again = run(sample, "meeting", "start", ok=False)
    assert again.exit_code == 2 and "is still open: end it first" in again.stderr

    ended = run(sample, "meeting", "end").stdout.splitlines()
    assert ended[0].startswith("Meeting 1 'Board [Nov]' over theme:4")
    assert ended[1] == "5 changes:"
    assert "  4.2.1.1    ✖ Off track -> ▲ Some issues — Scrutineer appointed (Lead)" in ended
    assert any(line.startswith("  4.3.1.1") and line.endswith("(undone) (Lead)") for line in ended)
    assert ended[ended.index("Moved:") + 1 :] == [
        "  4.1.1.2    ▲ Some issues -> ✖ Off track  ↓ worse",
        "  4.2.1.1    ✖ Off track -> ▲ Some issues  ↑ better",
        "  4.5.1.1    ● On track -> ✔ Complete  ↑ better",
    ]
    outside = run(sample, "set", "1.1.1.1", "--note", "after the board")
    assert "in meeting" not in outside.stdout

    listed = json.loads(run(sample, "meeting", "list", "--json").stdout)
    assert [(m["id"], m["title"], m["scope"], m["changes"]) for m in listed] == [
        (1, "Board [Nov]", "theme:4", 5)
    ]
    assert listed[0]["ended_at"] is not None and listed[0]["recorded_by"] == "Lead"
    assert "Board [Nov]" in run(sample, "meeting", "list").stdout
    run(sample, "meeting", "start", "--title", "One change", "--scope", "plan")
    run(sample, "set", "1.1.1.2", "--note", "the only one")
    run(sample, "meeting", "end")
    [one, five] = run(sample, "meeting", "list").stdout.splitlines()
    assert "    1 change   plan" in one and "    5 changes  theme:4" in five
    assert run(sample, "meeting", "show", "1").stdout.splitlines()[1:] == ended[1:]


def test_meeting_end_writes_minutes_of_the_decisions_that_stand_beside_the_plan(sample: Path) -> None:
    run(sample, "meeting", "start", "--title", "Board <Nov> *draft*", "--scope", "theme:4")
    run(sample, "set", "4.2.1.1", "--rag", "some_issues", "--note", "# not a heading | [x](y)")
    run(sample, "set", "4.3.1.1", "--rag", "off_track")
    run(sample, "undo")  # the mis-key on 4.3.1.1, taken back: not a decision
    run(sample, "set", "4.5.1.1", "--milestone", "March 2023")
    ended = run(sample, "meeting", "end")
    (minutes,) = (sample.parent / "minutes").iterdir()
    assert ended.stderr == f"Minutes (the decisions that stand) written to {minutes}\n"
    assert minutes.name == f"{sample.stem}-meeting-1-{minutes.name.split('-meeting-1-')[1]}"
    assert minutes.stat().st_mode & 0o777 == 0o600
    text = minutes.read_text(encoding="utf-8")
    assert text.startswith("# Minutes: Board \\<Nov\\> \\*draft\\*\n")
    rows = [line for line in text.split("## Status moves")[0].splitlines() if line.startswith("| ")][1:]
    assert [row.split(" | ")[1].split()[0] for row in rows] == ["4.2.1.1", "4.5.1.1"]
    assert "✖ R Off track → ▲ A Some issues" in rows[0]
    assert "\\# not a heading \\| \\[x\\](y)" in rows[0]
    assert "milestone" in rows[1] and "March 2023" in rows[1]
    assert "1 change was made and then undone" in text


def test_ending_without_an_open_meeting_is_one_line(sample: Path) -> None:
    result = run(sample, "meeting", "end", ok=False)
    assert result.exit_code == 3
    assert result.stderr == "plantui: no meeting is open: start one with `plantui meeting start`\n"
    bad = run(sample, "meeting", "start", "--scope", "theme:9", ok=False)
    assert bad.exit_code == 3 and "there is no theme 9 in the plan" in bad.stderr


def test_changes_since_a_day_and_the_last_meeting(sample: Path) -> None:
    none_yet = run(sample, "changes", "--since", "last-meeting", ok=False)
    assert none_yet.exit_code == 3 and "no board meeting has been recorded yet" in none_yet.stderr
    run(sample, "set", "1.1.1.1", "--note", "before the meeting")
    run(sample, "meeting", "start", "--title", "Board")
    run(sample, "set", "4.2.1.1", "--rag", "some_issues", "--note", "x | <y>")
    run(sample, "meeting", "end")
    since_meeting = json.loads(run(sample, "changes", "--since", "last-meeting", "--json").stdout)
    assert [(c["ref"], c["field"], c["from"], c["to"], c["meeting"]) for c in since_meeting] == [
        ("4.2.1.1", "status", "off_track", "some_issues", 1)
    ]
    assert since_meeting[0]["title"] == "Review the effectiveness of partnership arrangements."
    assert since_meeting[0]["note"] == "x | <y>"
    since_day = run(sample, "changes", "--since", "2000-01-01")
    lines = since_day.stdout.splitlines()
    assert len(lines) == 2 and "2 changes since 2000-01-01" in since_day.stderr
    assert "  Lead  1.1.1.1 Develop and agree Children’s Social Car…  note — before the meeting" in lines[0]
    assert lines[1].endswith("status ✖ Off track -> ▲ Some issues — x | <y> [meeting 1]")
    assert run(sample, "changes", "--since", "2099-01-01").stdout == ""
    bad = run(sample, "changes", "--since", "yesterday", ok=False)
    assert bad.exit_code == 2 and "write a date (YYYY-MM-DD) or last-meeting" in bad.stderr


def test_report_to_a_file_in_both_formats(sample: Path, tmp_path: Path) -> None:
    run(sample, "meeting", "start", "--scope", "theme:4")
    run(sample, "set", "4.2.1.1", "--rag", "some_issues", "--note", "better")
    run(sample, "meeting", "end")
    html = tmp_path / "r.html"
    wrote = run(sample, "report", "--format", "html", "--since", "last-meeting", "-o", str(html))
    assert "1 moved, 1 off track, 12 overdue, 20 findings at risk" in wrote.stderr
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'data-ref="4.2.1.1" data-direction="better"' in page
    markdown = run(sample, "report", "--since", "last-meeting").stdout
    assert markdown.startswith("# Children’s Improvement Plan: Improvement Board report")
    assert "| 4.2.1.1 | Review the effectiveness of partnership arrangements. | ✖ R Off track |" in markdown
    guessed = tmp_path / "board.HTML"
    run(sample, "report", "-o", str(guessed))
    assert guessed.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    plain = tmp_path / "board.md"
    run(sample, "report", "-o", str(plain))
    assert plain.read_text(encoding="utf-8").startswith("# ")
    bad = run(sample, "report", "--since", "soon", ok=False)
    assert bad.exit_code == 2


def test_as_at_shows_the_plan_then_and_refuses_changes(sample: Path) -> None:
    from datetime import date, timedelta

    run(sample, "set", "4.2.1.1", "--rag", "complete", "--note", "done")
    day_before = date.today() - timedelta(days=1)
    yesterday = day_before.isoformat()
    then = json.loads(run(sample, "--as-at", yesterday, "list", "--json", "--theme", "4.2").stdout)
    now = json.loads(run(sample, "list", "--json", "--theme", "4.2").stdout)
    assert then[0]["rag"] == "off_track" and now[0]["rag"] == "complete"
    refused = run(sample, "--as-at", yesterday, "set", "4.2.1.1", "--rag", "on_track", ok=False)
    assert refused.exit_code == 2 and "shows the plan as it stood then and cannot change it" in refused.stderr
    report = run(sample, "--as-at", yesterday, "report").stdout
    assert f"plan as at **{day_text(day_before)}**" in report and "rebuilt from its change history" in report
    assert "| 4.2.1.1 |" in report.split("### ▲ A Some issues")[0]  # still off track then
