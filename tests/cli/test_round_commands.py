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


def test_round_requests_makes_a_missing_folder_private_and_its_files_owner_only(tmp_path: Path) -> None:
    import os
    import stat

    db = str(stored_plan(tmp_path / "plan.db"))
    base = ("--db", db, "--today", "2022-11-01", "--author", "Lead")
    run_cli(*base, "lead", "set", "Head of Service", "--person", "Sam Lee", "--email", "sam@example.org")
    run_cli(*base, "round", "start", "--due", "2022-11-15", "--scope", "theme:1")
    folder = tmp_path / "made" / "requests"
    old_umask = os.umask(0o022)  # the usual umask, which would leave a plain mkdir at 0755
    try:
        run_cli(*base, "round", "requests", "-o", str(folder))
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = list(folder.iterdir())
    assert len(files) == 6 and {stat.S_IMODE(f.stat().st_mode) for f in files} == {0o600}
    in_a_file = run_cli(
        *base, "round", "requests", "-o", str(folder / "Head of Service - update request 1.eml"), ok=False
    )
    assert in_a_file.exit_code == 2 and in_a_file.stderr.count("\n") == 1 and "is a file" in in_a_file.stderr


def test_a_return_counts_by_the_due_date_on_the_calendar_today_gives(tmp_path: Path) -> None:
    """The round was issued and is due on --today's calendar; the return collected on 10 Nov 2022 (as
    --today says) came in by 15 Nov, whatever the machine's clock says."""
    import openpyxl

    db = str(stored_plan(tmp_path / "plan.db"))
    base = ("--db", db, "--author", "Lead")
    run_cli(*base, "--today", "2022-11-01", "round", "start", "--due", "2022-11-15", "--scope", "theme:1")
    run_cli(*base, "--today", "2022-11-01", "round", "requests", "-o", str(tmp_path / "out"))
    path = tmp_path / "out" / "Head of Service - update request 1.xlsx"
    book = openpyxl.load_workbook(path)
    book.active["G4"] = "Complete"
    book.save(path)
    run_cli(*base, "--today", "2022-11-10", "round", "collect", str(path))
    shown = run_cli(*base, "--today", "2022-11-20", "round", "status", "--json").stdout
    returned = next(lead for lead in json.loads(shown)["leads"] if lead["role"] == "Head of Service")
    assert returned["returned"][0]["at"].startswith("2022-11-10")
    report = run_cli(*base, "--today", "2022-11-20", "report").stdout
    assert "Updates this round: 1 of 3 leads returned by the due date, 15 Nov 2022" in report
    assert "returned after the due date" not in report.lower()


def test_a_round_over_filter_owing_asks_again_what_the_last_round_is_owed(tmp_path: Path) -> None:
    import openpyxl

    db = str(stored_plan(tmp_path / "plan.db"))
    base = ("--db", db, "--today", "2022-11-01", "--author", "Lead")
    never = run_cli(*base, "round", "start", "--due", "2022-11-15", "--scope", "filter:owing", ok=False)
    assert never.exit_code == 2 and never.stderr.count("\n") == 1
    assert (
        "owing means what the last update round is still owed, and there has been no round yet"
        in never.stderr
    )
    run_cli(*base, "round", "start", "--due", "2022-11-15", "--scope", "theme:1")
    run_cli(*base, "round", "requests", "-o", str(tmp_path / "out"))
    path = tmp_path / "out" / "Head of Service - update request 1.xlsx"
    book = openpyxl.load_workbook(path)
    book.active["H4"] = "Interviews booked"
    book.save(path)
    run_cli(*base, "round", "collect", str(path))
    still_open = run_cli(*base, "round", "start", "--due", "2022-11-30", "--scope", "filter:owing", ok=False)
    assert still_open.exit_code == 2 and "is still open" in still_open.stderr
    run_cli(*base, "round", "end")
    chase = run_cli(*base, "round", "start", "--due", "2022-11-30", "--scope", "filter:owing")
    assert "3 actions for 2 leads" in chase.stdout  # theme 1's 4 actions, less Head of Service's one
    shown = run_cli(*base, "round", "show").stdout
    assert "Head of Service" not in shown and "1.1.1.3" not in shown
    assert "Update round 2 over filter:owing" in shown


def test_a_meeting_over_filter_owing_covers_what_the_open_round_still_waits_for(tmp_path: Path) -> None:
    """A board meeting called on the leads who owe their returns steps through those actions."""
    from plantui.store.board import actions_in_scope
    from plantui.store.opening import open_database
    from tests.conftest import TODAY

    db = stored_plan(tmp_path / "plan.db")
    base = ("--db", str(db), "--today", "2022-11-01", "--author", "Lead")
    run_cli(*base, "round", "start", "--due", "2022-11-15", "--scope", "theme:1")
    run_cli(*base, "meeting", "start", "--title", "Who owes", "--scope", "filter:owing")
    database = open_database(db, daily_backup=False)
    try:
        covered = [row.ref for row in actions_in_scope(database, "filter:owing", TODAY)]
        outside = [row.ref for row in actions_in_scope(database, "filter:-owing rag:complete", TODAY)]
    finally:
        database.close()
    assert covered == ["1.1.1.2", "1.1.1.3", "1.2.1.1", "1.2.1.2"]
    assert "1.1.1.2" not in outside
