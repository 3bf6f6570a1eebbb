"""One clear line, never a traceback: hostile values given to the real `plantui` command.

Each test runs `python -m plantui` in a subprocess over a real database file, the way a user (or a
script) would: a plan file with numbers or times no plan can hold, a database holding values plantui
never writes (a time with no local time, a status that is no code), argument bytes that are not
UTF-8, filter text full of regex and escape characters, days at the ends of the calendar. Every
refusal is one line on stderr naming the option, file or action, with a non-zero exit, and leaves
the plan as it was; everything that can be read is read.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # every test starts plantui processes

STATUS_CODES = "complete, on_track, some_issues, off_track, not_started, bau"


def plantui(*args: str | bytes, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run the real command; arguments may be bytes (POSIX argv is bytes, not always UTF-8)."""
    command = [os.fsencode(sys.executable), b"-m", b"plantui", *(os.fsencode(a) for a in args)]
    return subprocess.run(command, capture_output=True, env=env, check=False, timeout=120)


def one_line(result: subprocess.CompletedProcess[bytes]) -> str:
    """The single stderr line of a refusal (asserting there is exactly one and no traceback)."""
    err = result.stderr.decode("utf-8", "backslashreplace")
    assert result.returncode != 0, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("plantui: ")
    return lines[0]


def ok(result: subprocess.CompletedProcess[bytes]) -> str:
    err = result.stderr.decode("utf-8", "backslashreplace")
    assert result.returncode == 0, err
    assert "Traceback" not in err
    return result.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A demo plan with a little history, and its export as a plan file (made once for the module)."""
    folder = tmp_path_factory.mktemp("demo")
    db = folder / "plan.db"
    ok(plantui("--db", str(db), "--today", "2022-11-01", "demo"))
    ok(plantui("--db", str(db), "--author", "Ann", "set", "1.1.1.1", "--rag", "off_track", "--note", "Late"))
    ok(plantui("--db", str(db), "--author", "Ann", "set", "1.1.1.2", "--note", "Signed off"))
    plan = folder / "plan.json"
    ok(plantui("--db", str(db), "export", "--format", "json", "-o", str(plan)))
    return {"db": db, "plan": plan}


@pytest.fixture
def db(demo: dict[str, Path], tmp_path: Path) -> Path:
    """A fresh copy of the demo database for one test."""
    path = tmp_path / "plan.db"
    shutil.copyfile(demo["db"], path)
    return path


def history_count(db: Path) -> int:
    with sqlite3.connect(db) as raw:
        count = raw.execute("SELECT count(*) FROM history").fetchone()[0]
    raw.close()
    return count


def write_raw(db: Path, sql: str, *params: object) -> None:
    """Change the database behind plantui's back, as a hand edit or another tool would."""
    with sqlite3.connect(db) as raw:
        raw.execute(sql, params)
    raw.close()


def holds_no_plan(db: Path) -> bool:
    if not db.exists():
        return True
    with sqlite3.connect(db) as raw:
        tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        actions = raw.execute("SELECT count(*) FROM action").fetchone()[0] if "action" in tables else 0
    raw.close()
    return actions == 0


# --- 1. numbers no plan can hold -----------------------------------------------------------------


def _with_junk(text: str, number: str) -> str:
    return text.replace('"format"', f'"junk": {number}, "format"', 1)


def _in_undoes(text: str, number: str) -> str:
    assert '"undoes": null' in text
    return text.replace('"undoes": null', f'"undoes": {number}', 1)


@pytest.mark.parametrize(
    ("edit", "number", "place"),
    [
        (_with_junk, "9" * 5000, "junk: a number of 5,000 characters"),
        (_in_undoes, "1" * 5000, "history[0].undoes: a number of 5,000 characters"),
        (_with_junk, "0." + "9" * 5000, "junk: a number of 5,002 characters"),
        (_with_junk, "-1e999999999", "junk: the number -1e999999999"),
        (_with_junk, "NaN", "junk: the number NaN"),
    ],
    ids=["int-anywhere", "int-in-a-field", "float-digits", "huge-exponent", "nan"],
)
def test_a_number_no_plan_holds_is_one_line_and_nothing_is_imported(
    demo, tmp_path: Path, edit, number, place
):
    plan = tmp_path / "plan.json"
    plan.write_text(edit(demo["plan"].read_text(encoding="utf-8"), number), encoding="utf-8")
    target = tmp_path / "new.db"
    line = one_line(plantui("--db", str(target), "import", str(plan)))
    assert line.startswith(f"plantui: {plan}: ") and place in line and "cannot be part of a plan" in line
    assert len(line) < 300
    assert holds_no_plan(target)


@pytest.mark.parametrize(
    ("escape", "place"),
    [("\\ud800", "plan.title"), ("\\udce9", "themes[0].areas[0].objectives[0].actions[0].history[0].author")],
)
def test_a_text_escape_that_is_no_character_is_one_line(demo, tmp_path: Path, escape: str, place: str):
    data = json.loads(demo["plan"].read_text(encoding="utf-8"))
    data["plan"]["title"] = "ok"
    action = data["themes"][0]["areas"][0]["objectives"][0]["actions"][0]
    target_text = "Ann"
    if place == "plan.title":
        data["plan"]["title"] = "PLACEHOLDER"
    else:
        action["history"][0]["author"] = "PLACEHOLDER"
    text = json.dumps(data, ensure_ascii=False).replace("PLACEHOLDER", f"{target_text}{escape}")
    plan = tmp_path / "plan.json"
    plan.write_text(text, encoding="utf-8")
    target = tmp_path / "new.db"
    line = one_line(plantui("--db", str(target), "import", str(plan)))
    assert line.startswith(f"plantui: {plan}: {place}: holds a \\uD800-\\uDFFF escape with no partner")
    assert holds_no_plan(target)


# --- 2. times with no local time -----------------------------------------------------------------


@pytest.mark.parametrize(
    "moment",
    ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1969-12-31T23:59:59Z", "0001-01-01T00:30:00+01:00"],
)
def test_history_times_a_plan_cannot_have_are_refused_on_import(demo, tmp_path: Path, moment: str):
    data = json.loads(demo["plan"].read_text(encoding="utf-8"))
    action = data["themes"][0]["areas"][0]["objectives"][0]["actions"][0]
    assert action["ref"] == "1.1.1.1" and action["history"]
    action["history"][0]["at"] = moment
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(data), encoding="utf-8")
    target = tmp_path / "new.db"
    line = one_line(plantui("--db", str(target), "import", str(plan), env=_zone("Pacific/Kiritimati")))
    assert line == (
        f"plantui: {plan}: action 1.1.1.1: history[0]: at: {moment!r} is outside the years 1970 to 2999 "
        "a plan's times can have"
    )
    assert holds_no_plan(target)


def test_meeting_times_a_plan_cannot_have_are_refused_on_import(demo, tmp_path: Path):
    data = json.loads(demo["plan"].read_text(encoding="utf-8"))
    data["meetings"] = [
        {
            "title": "Board",
            "scope": "plan",
            "started_at": "9999-12-31T23:00:00Z",
            "ended_at": None,
            "recorded_by": "Ann",
        }
    ]
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(data), encoding="utf-8")
    line = one_line(plantui("--db", str(tmp_path / "new.db"), "import", str(plan)))
    assert line.startswith(f"plantui: {plan}: meetings[0]: started_at: '9999-12-31T23:00:00Z' is outside")


def _zone(zone: str) -> dict[str, str]:
    return {**os.environ, "TZ": zone}


@pytest.mark.parametrize(
    ("stored", "zone", "shown"),
    [
        ("0001-01-01 00:00:00.000000", "Pacific/Kiritimati", "0001-01-01 00:00 UTC"),
        ("0001-01-01 00:00:00.000000", "America/Adak", "0001-01-01"),
        ("9999-12-31 23:59:59.000000", "Pacific/Kiritimati", "9999-12-31 23:59 UTC"),
    ],
)
def test_stored_times_with_no_local_time_are_read_not_crashed_on(
    db: Path, stored: str, zone: str, shown: str
):
    write_raw(db, "UPDATE history SET at = ?", stored)
    write_raw(db, "UPDATE action SET updated_at = ? WHERE updated_at IS NOT NULL", stored)
    env = _zone(zone)
    history = ok(plantui("--db", str(db), "history", env=env))
    assert shown in history and "Late" in history
    assert shown in ok(plantui("--db", str(db), "history", "1.1.1.1", env=env))
    assert "Signed off" in ok(plantui("--db", str(db), "export", "--format", "csv", env=env))
    changes = plantui("--db", str(db), "changes", "--since", "2022-01-01", env=env)
    ok(changes)
    assert "changes since 2022-01-01" in changes.stderr.decode()
    ok(plantui("--db", str(db), "report", "--since", "2022-01-01", env=env))
    ok(plantui("--db", str(db), "--as-at", "2022-10-01", "list", env=env))


# --- 3. bytes that are not UTF-8 -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "named"),
    [
        ([b"set", b"1.1.1.3", b"--note", b"caf\xe9"], "--note"),
        ([b"--author", b"Jos\xe9", b"set", b"1.1.1.3", b"--note", b"x"], "--author"),
        ([b"set", b"1.1.1.3", b"--author", b"Jos\xe9", b"--rag", b"complete"], "--author"),
        ([b"meeting", b"start", b"--title", b"Board \xff"], "--title"),
        ([b"list", b"--lead", b"caf\xe9"], "--lead"),
        ([b"list", b"--filter", b"lead:caf\xe9"], "--filter"),
        ([b"history", b"1.1\xe9"], "REF"),
    ],
    ids=["note", "global-author", "set-author", "meeting-title", "lead", "filter", "ref"],
)
def test_text_that_is_not_utf8_is_refused_naming_the_option(db: Path, args: list[bytes], named: str):
    before = history_count(db)
    line = one_line(plantui(b"--db", os.fsencode(db), *args))
    assert line.startswith(f"plantui: {named} is not valid UTF-8 text (byte 0x")
    assert history_count(db) == before


def test_a_path_that_is_not_utf8_is_refused_before_anything_is_written(tmp_path: Path):
    folder = os.fsencode(tmp_path)
    path = folder + b"/caf\xe9.db"
    line = one_line(plantui(b"--db", path, b"demo"))
    assert line.startswith("plantui: --db: the path '") and "caf\\xe9.db' is not valid UTF-8" in line
    assert os.listdir(folder) == []
    from_env = plantui("list", env={**os.environ, "PLANTUI_DB": os.fsdecode(path)})
    assert one_line(from_env).startswith("plantui: --db: the path ")
    plan = one_line(plantui(b"--db", folder + b"/plan.db", b"export", b"-o", folder + b"/\xff.json"))
    assert plan.startswith("plantui: --output: the path ")
    assert os.listdir(folder) == []


# --- 4. regex and escape characters in --lead and --filter ---------------------------------------


@pytest.fixture
def odd_leads(demo, tmp_path: Path) -> Path:
    """The demo plan with leads whose names hold a backslash, an apostrophe and brackets."""
    data = json.loads(demo["plan"].read_text(encoding="utf-8"))
    actions = data["themes"][0]["areas"][0]["objectives"][0]["actions"]
    actions[0]["leads"] = ["Head of IT\\Digital"]
    actions[1]["leads"] = ["Ms O'Brien (Interim) [Acting]"]
    plan = tmp_path / "odd.json"
    plan.write_text(json.dumps(data), encoding="utf-8")
    db = tmp_path / "odd.db"
    ok(plantui("--db", str(db), "import", str(plan)))
    return db


def _refs(output: str) -> list[str]:
    return [line.split()[0] for line in output.splitlines()[1:]]


@pytest.mark.parametrize(
    ("args", "refs"),
    [
        (["--lead", "\\"], ["1.1.1.1"]),
        (["--filter", "lead:'O'Brien (Interim)'"], ["1.1.1.2"]),
        (["--filter", "\\N"], []),
        (["--filter", "it\\digital"], ["1.1.1.1"]),
    ],
)
def test_lead_and_filter_text_is_matched_as_written(odd_leads: Path, args: list[str], refs: list[str]):
    assert _refs(ok(plantui("--db", str(odd_leads), "list", *args))) == refs


def test_a_lead_no_ones_name_contains_is_said_in_one_line_as_written(odd_leads: Path):
    refused = plantui("--db", str(odd_leads), "list", "--lead", '"')
    assert refused.returncode == 2
    assert one_line(refused) == "plantui: filter term 'lead:\"': no lead's name contains '\"'"


def test_an_empty_lead_is_one_line(odd_leads: Path):
    assert one_line(plantui("--db", str(odd_leads), "list", "--lead", " ")) == (
        "plantui: --lead: give some of a lead's name"
    )


# --- 5. a stored status that is not a code -------------------------------------------------------


def _unknown(code: str, where: str) -> str:
    return (
        f"plantui: the database holds an unknown status {code!r} for {where} (a status is one of "
        f"{STATUS_CODES}): restore a backup or correct the database"
    )


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["history", "1.1.1.4"],
        ["export", "--format", "csv"],
        ["export", "--format", "json"],
        ["report"],
        ["check"],
        ["--as-at", "2022-10-01", "list"],
        ["set", "1.1.1.4", "--rag", "complete"],
    ],
)
def test_an_unknown_stored_status_is_the_database_s_fault(db: Path, command: list[str]):
    write_raw(db, "UPDATE action SET status = 'green' WHERE ref = '1.1.1.4'")
    before = history_count(db)
    result = plantui("--db", str(db), *command)
    assert one_line(result) == _unknown("green", "action 1.1.1.4")
    assert result.returncode == 4  # a store problem, not bad input
    assert result.stdout == b""
    assert history_count(db) == before


@pytest.mark.parametrize(
    "command", [["history"], ["history", "1.1.1.1"], ["changes", "--since", "2020-01-01"]]
)
def test_an_unknown_status_in_history_is_the_database_s_fault(db: Path, command: list[str]):
    write_raw(db, "UPDATE history SET old = 'green' WHERE field = 'status'")
    line = one_line(plantui("--db", str(db), *command))
    assert line.startswith(
        "plantui: the database holds an unknown status 'green' for action 1.1.1.1 in history #"
    )


def test_undo_never_puts_back_an_unknown_status(db: Path):
    write_raw(db, "UPDATE history SET old = 'green' WHERE field = 'status'")
    write_raw(
        db,
        "DELETE FROM history WHERE field = 'note'",  # the status change of 1.1.1.1 is the one undone
    )
    before = history_count(db)
    line = one_line(plantui("--db", str(db), "--author", "Ann", "undo"))
    assert line.startswith(
        "plantui: the database holds an unknown status 'green' for action 1.1.1.1 in history #"
    )
    assert history_count(db) == before


# --- more found by feeding hostile values to every option ----------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--today", "9999-12-31", "list"],
            "plantui: --today: 9999-12-31 is outside the days plantui works with",
        ),
        (
            ["--as-at", "9999-12-31", "list"],
            "plantui: --as-at: 9999-12-31 is outside the days plantui works with",
        ),
        (["list", "--today", "2022-02-30"], "plantui: --today: '2022-02-30' is not a date: write YYYY-MM-DD"),
        (["export", "-o", ""], "plantui: --output: the name is empty; give a file name"),
        (["export", "-o", "é" * 200 + ".json"], "cannot write (file name too long)"),
        (["copy", "--to", "x" * 300 + ".db"], "File name too long"),
    ],
)
def test_hostile_option_values_are_one_line(db: Path, tmp_path: Path, args: list[str], expected: str):
    result = plantui(
        "--db", str(db), *[a if not a.startswith(("é", "x" * 10)) else str(tmp_path / a) for a in args]
    )
    line = one_line(result)
    assert line.startswith(expected) or expected in line
    assert len(line) < 500  # one line, never the whole of a long name echoed back


def test_a_meeting_id_past_the_store_s_integers_is_refused(db: Path):
    result = plantui("--db", str(db), "meeting", "show", "9" * 30)
    err = result.stderr.decode()
    assert result.returncode == 2 and "Traceback" not in err and "MEETING_ID" in err


@pytest.mark.parametrize(
    ("typed", "terms"),
    [
        ("\\", ["\\"]),
        ("a\\", ["a\\"]),
        ("\\N (", ["\\N", "("]),
        ("lead:O'Brien", ["lead:O'Brien"]),
        ("'Children's Services' x", ["Children's Services", "x"]),
        ('lead:"Assistant Director" rag:red', ["lead:Assistant Director", "rag:red"]),
        ("lead:'a b' -lead:'c d'", ["lead:a b", "-lead:c d"]),
        ('"recruit', ["recruit"]),
        ("'", []),
        ('""', []),
    ],
)
def test_filter_text_splits_without_shell_rules(typed: str, terms: list[str]):
    from plantui.domain.filters import split_terms

    assert split_terms(typed) == terms


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full, a device every write to fails")
@pytest.mark.parametrize("command", [["list"], ["history"], ["report"], ["check"], ["backup", "--list"]])
def test_output_onto_a_full_disk_is_one_line(db: Path, command: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "plantui", "--db", str(db), "--today", "2022-11-01", *command],
            stdout=full,
            stderr=subprocess.PIPE,
            check=False,
            timeout=120,
        )
    assert one_line(result) == "plantui: cannot write the output: disk full"
