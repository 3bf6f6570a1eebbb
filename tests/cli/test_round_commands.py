"""`plantui round ...` from the shell: start, list, show, end (requests and collect have their own tests)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli, stored_plan


def test_round_start_list_show_end(tmp_path: Path) -> None:
    db = str(stored_plan(tmp_path / "plan.db"))
    base = ("--db", db, "--today", "2022-11-01", "--author", "Lead")
    started = run_cli(*base, "round", "start", "--due", "2022-11-15", "--scope", "theme:1")
    assert started.stdout.startswith(
        "Started update round 1 over theme:1, issued 2022-11-01, due 2022-11-15:"
    )
    assert "4 actions for 3 leads" in started.stdout
    listed = json.loads(run_cli(*base, "round", "list", "--json").stdout)
    assert [(r["id"], r["due"], r["leads"], r["returned"], r["ended_at"]) for r in listed] == [
        (1, "2022-11-15", 3, 0, None)
    ]
    shown = run_cli(*base, "round", "show").stdout.splitlines()
    assert "Head of Service: 1 action, not returned" in shown
    assert "  1.1.1.3    ● On track  March 2023" in shown
    twice = run_cli(*base, "round", "start", "--due", "2022-11-15", ok=False)
    assert twice.exit_code == 2 and twice.stderr.count("\n") == 1 and "still open" in twice.stderr
    assert "0 of 3 leads returned" in run_cli(*base, "round", "end").stdout
    bad_day = run_cli(*base, "round", "start", "--due", "15/11/2022", ok=False)
    assert bad_day.exit_code == 2 and "--due" in bad_day.stderr and "Traceback" not in bad_day.output


def test_round_requests_writes_a_file_and_a_draft_per_lead(tmp_path: Path) -> None:
    db = str(stored_plan(tmp_path / "plan.db"))
    base = ("--db", db, "--today", "2022-11-01", "--author", "Lead")
    none_open = run_cli(*base, "round", "requests", "-o", str(tmp_path / "out"), ok=False)
    assert none_open.exit_code == 3 and "no update round is open" in none_open.stderr
    run_cli(*base, "round", "start", "--due", "2022-11-15", "--scope", "theme:1")
    made = run_cli(*base, "round", "requests", "-o", str(tmp_path / "out"), "--format", "csv")
    assert made.stderr.strip().endswith(f"3 requests written to {tmp_path / 'out'}")
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir()) == [".csv"] * 3 + [".eml"] * 3


def test_round_collect_checks_every_file_first_then_applies_each(tmp_path: Path) -> None:
    import openpyxl

    db = str(stored_plan(tmp_path / "plan.db"))
    base = ("--db", db, "--today", "2022-11-01", "--author", "Lead")
    run_cli(*base, "lead", "set", "Head of Service", "--person", "Sam Lee")
    run_cli(*base, "round", "start", "--due", "2022-11-15", "--scope", "theme:1")
    run_cli(*base, "round", "requests", "-o", str(tmp_path / "out"))
    run_cli(*base, "set", "1.2.1.2", "--rag", "off_track")  # changed after the request was issued
    good = tmp_path / "out" / "Head of Service - update request 1.xlsx"
    book = openpyxl.load_workbook(good)
    book.active["G4"], book.active["H4"] = "Complete", "Appointed"
    book.save(good)
    qa = tmp_path / "out" / "Head of Quality Assurance - update request 1.xlsx"
    book = openpyxl.load_workbook(qa)
    book.active["G5"] = "Complete"  # 1.2.1.2: held for review
    book.active["G4"] = "Maybe later"  # 1.2.1.1: not a status
    book.save(qa)

    refused = run_cli(*base, "round", "collect", str(good), str(qa), ok=False)
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    assert refused.stderr.splitlines() == [
        f"plantui: {qa}: sheet 'Update request': row 4, column G (New status): 'Maybe later' is not a "
        "status: use one of Complete, On track, Some issues, Off track, Not started, BAU",
        "Nothing was collected.",
    ]
    assert "not returned" in run_cli(*base, "round", "show").stdout

    book = openpyxl.load_workbook(qa)
    book.active["G4"] = None
    book.save(qa)
    dry = run_cli(*base, "round", "collect", "--dry-run", str(good), str(qa)).stdout
    assert "would apply 1 update, 0 for review" in dry and "would apply 0 updates, 1 for review" in dry
    done = run_cli(*base, "round", "collect", str(good), str(qa)).stdout.splitlines()
    assert done[0].endswith(
        "applied 1 update, 0 for review, 0 unchanged (one undo step, by Sam Lee via return)"
    )
    assert done[1] == "  1.1.1.3    status ● On track -> ✔ Complete; note 'Appointed'"
    assert any("for review: 1.2.1.2: Head of Quality Assurance proposes status ✔ Complete" in x for x in done)
    again = run_cli(*base, "round", "collect", str(good)).stdout
    assert "already collected" in again and "nothing changed" in again
    history = run_cli(*base, "history", "1.1.1.3").stdout
    assert "Sam Lee via return" in history


def test_round_status_says_who_returned_and_who_is_overdue(tmp_path: Path) -> None:
    import openpyxl

    db = str(stored_plan(tmp_path / "plan.db"))
    base = ("--db", db, "--today", "2022-11-01", "--author", "Lead")
    run_cli(*base, "round", "start", "--due", "2022-11-15", "--scope", "theme:1")
    run_cli(*base, "round", "requests", "-o", str(tmp_path / "out"))
    path = tmp_path / "out" / "Head of Service - update request 1.xlsx"
    book = openpyxl.load_workbook(path)
    book.active["H4"] = "Recruited"
    book.save(path)
    run_cli(*base, "round", "collect", str(path))
    late = ("--db", db, "--today", "2022-11-16")
    shown = run_cli(*late, "round", "status").stdout.splitlines()
    assert shown[0].endswith("1 of 3 leads returned")
    assert "  Head of Quality Assurance: 2 actions, OVERDUE, not returned" in shown
    assert any(x.startswith("  Head of Service: 1 action, returned ") for x in shown)
    data = json.loads(run_cli(*late, "round", "status", "--json").stdout)
    assert [(x["role"], len(x["returned"]), x["overdue"]) for x in data["leads"]] == [
        ("Assistant Director Safeguarding", 0, True),
        ("Head of Quality Assurance", 0, True),
        ("Head of Service", 1, False),
    ]
    on_time = json.loads(run_cli(*base, "round", "status", "--json").stdout)
    assert not any(x["overdue"] for x in on_time["leads"])


def test_the_owing_filter_term_picks_what_the_open_round_still_waits_for(tmp_path: Path) -> None:
    import openpyxl

    db = str(stored_plan(tmp_path / "plan.db"))
    base = ("--db", db, "--today", "2022-11-01", "--author", "Lead")
    assert run_cli(*base, "list", "--filter", "owing").stderr.strip() == "0 actions"  # no round open
    run_cli(*base, "round", "start", "--due", "2022-11-15", "--scope", "theme:1")
    owing = json.loads(run_cli(*base, "list", "--filter", "owing", "--json").stdout)
    assert [a["ref"] for a in owing] == ["1.1.1.2", "1.1.1.3", "1.2.1.1", "1.2.1.2"]
    run_cli(*base, "round", "requests", "-o", str(tmp_path / "out"))
    path = tmp_path / "out" / "Head of Service - update request 1.xlsx"
    book = openpyxl.load_workbook(path)
    book.active["H4"] = "Recruited"
    book.save(path)
    run_cli(*base, "round", "collect", str(path))
    owing = json.loads(run_cli(*base, "list", "--filter", "owing", "--json").stdout)
    assert [a["ref"] for a in owing] == ["1.1.1.2", "1.2.1.1", "1.2.1.2"]
    rest = json.loads(run_cli(*base, "list", "--filter", "theme:1 -owing", "--json").stdout)
    assert [a["ref"] for a in rest] == ["1.1.1.1", "1.1.1.3"]
