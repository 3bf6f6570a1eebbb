"""Importing the spreadsheets people already have: messy headers, merged cells, odd status words."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from plantui.cli.main import cli
from plantui.domain.errors import InputError, NotFoundError
from plantui.io.spreadsheets.importer import ImportSettings, read_table

HEADERS = [
    "Nos",
    "Actions we are taking ",
    "How we will know it has worked",
    "Responsible Lead Officer(s)",
    "RAG Rating",
    "Milestone",
    "Detailed Action Plan",
    "Budget £",
]


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output + result.stderr
    return result


def workbook(
    path: Path, rows: list[list], *, title: str = "Plan", before: list[list] | None = None, build=None
):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = title
    for row in before or []:
        ws.append(row)
    for row in rows:
        ws.append(row)
    if build is not None:
        build(ws)
    book.save(path)
    return path


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    """Header on row 4 under a merged title, merged lead cells, blank and repeated header rows,
    trailing spaces, statuses in many spellings, Excel date cells (one shown as a month)."""
    rows = [
        HEADERS,
        ["1.1.1", "There is adequate capacity in the workforce"],
        [
            None,
            "Develop a workforce strategy  ",
            "More staff trained ",
            "AD Safeguarding; HR Lead",
            "Green",
            "Dec 2022",
            "People Strategy",
        ],
        [
            None,
            "Recruit senior leaders",
            "A permanent team",
            None,
            "completed ",
            datetime(2022, 12, 31),
            None,
            5000,
        ],
        [],
        [None, None, None, None, None, None, None],
        HEADERS,
        ["1.2.1.1", "Audit practice monthly", "Audits improve", "Head of QA", " AMBER", "Ongoing", "QA plan"],
        ["1.2.1.2", "Refresh the QA framework", "A new framework", None, "a", datetime(2023, 3, 1), None],
        [
            None,
            "Train staff on the framework",
            "Staff trained",
            "Practice Lead",
            "Not Started",
            "April 2023 onwards",
        ],
        [
            "2.1.1.1",
            "Replace the case system",
            "Staff use it",
            "Chief Digital Officer",
            "R",
            "31/03/2023",
            "Digital plan",
        ],
        [
            "2.1.1.2",
            "Keep the out-of-hours rota",
            "Cover every night",
            "Duty manager",
            "Business as usual",
            "Ongoing",
        ],
        [
            "2.1.1.3",
            "Close the old system",
            "Switched off",
            "Chief Digital Officer",
            "done",
            datetime(2023, 6, 1),
        ],
    ]

    def build(ws) -> None:
        ws.merge_cells("A1:H1")
        ws.merge_cells("D6:D7")  # the lead of 1.1.1's two actions, merged as the source plan prints it
        ws["F16"].number_format = "mmm-yy"  # typed "Jun 23", stored as 1 June 2023

    return workbook(
        tmp_path / "messy.xlsx",
        rows,
        title="Plan 2022",
        before=[["Anytown Children's Services Improvement Plan"], ["Position at October 2022"], []],
        build=build,
    )


def actions_by_ref(result) -> dict:
    return {action.ref: action for action in result.document.actions()}


def test_messy_workbook(messy: Path) -> None:
    result = read_table(messy)
    assert result.header_row == 4
    assert result.document.title == "Anytown Children's Services Improvement Plan"
    actions = actions_by_ref(result)
    assert list(actions) == [
        "1.1.1.1",
        "1.1.1.2",
        "1.2.1.1",
        "1.2.1.2",
        "1.2.1.3",
        "2.1.1.1",
        "2.1.1.2",
        "2.1.1.3",
    ]
    first, second = actions["1.1.1.1"], actions["1.1.1.2"]
    assert (
        result.document.themes[0].areas[0].objectives[0].text == "There is adequate capacity in the workforce"
    )
    assert first.title == "Develop a workforce strategy"  # trailing spaces trimmed
    assert first.success_measures == "More staff trained"
    assert first.leads == ["AD Safeguarding", "HR Lead"]
    assert second.leads == ["AD Safeguarding", "HR Lead"]  # from the merged cell
    assert (first.milestone, first.due) == ("Dec 2022", date(2022, 12, 31))
    assert (second.milestone, second.due) == ("31/12/2022", date(2022, 12, 31))  # an Excel date cell
    assert second.detailed_plan == "People Strategy"  # carried down within the objective
    assert [a.rag for a in actions.values()] == [
        "on_track",
        "complete",
        "some_issues",
        "some_issues",
        "not_started",
        "off_track",
        "bau",
        "complete",
    ]
    assert (actions["1.2.1.2"].milestone, actions["1.2.1.2"].due) == ("01/03/2023", date(2023, 3, 1))
    assert actions["1.2.1.2"].leads == ["Head of QA"]  # carried: blank under a filled lead
    assert actions["1.2.1.3"].detailed_plan == "QA plan"
    assert (actions["1.2.1.3"].milestone, actions["1.2.1.3"].due) == ("April 2023 onwards", date(2023, 4, 30))
    assert (actions["2.1.1.3"].milestone, actions["2.1.1.3"].due) == ("June 2023", date(2023, 6, 30))
    assert actions["2.1.1.2"].detailed_plan == "Digital plan"
    warnings = "\n".join(result.warnings)
    assert "columns not imported: H ('Budget £')" in warnings
    assert "header repeated on row 10: skipped" in warnings
    assert "blank lead (column D) taken from the action above in its objective: row 12" in warnings
    assert "3 actions had no ref: numbered by objective and position (row 6 is 1.1.1.1)" in warnings
    assert [r.row for r in result.rows] == [6, 7, 11, 12, 13, 14, 15, 16]


def test_column_named_only_through_option_and_extra_status_words(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "other.xlsx",
        [
            ["Ref", "Task description", "Owner", "Progress", "Due"],
            ["1.1.1.1", "Write the strategy", "Ann", "Needs attention", "March 2023"],
            ["1.1.1.2", "Publish it", "Bo", "On target", "April 2023"],
        ],
    )
    with pytest.raises(InputError, match="no header row found"):
        read_table(path)
    settings = ImportSettings(
        columns={"action": "taskdescription", "status": "progress"},
        statuses={"needs attention": "some_issues", "on target": "on_track"},
    )
    actions = actions_by_ref(read_table(path, settings))
    assert [(a.title, a.rag, a.leads) for a in actions.values()] == [
        ("Write the strategy", "some_issues", ["Ann"]),
        ("Publish it", "on_track", ["Bo"]),
    ]


def test_unknown_status_words_list_every_row_and_import_nothing(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "bad.xlsx",
        [
            ["Action", "Status"],
            ["One", "Greenish"],
            ["Two", "green"],
            ["Three", "red/amber"],
        ],
    )
    db = tmp_path / "bad.db"
    result = run("--db", str(db), "import", str(path), code=2)
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"plantui: {path}: sheet 'Plan': row 2, column B ('Status'): 'Greenish' is not a status "
        "(add it with --status 'WORDS=CODE')",
        f"{path}: sheet 'Plan': row 4, column B ('Status'): 'red/amber' is not a status "
        "(add it with --status 'WORDS=CODE')",
        f"{path}: sheet 'Plan': 2 problems; nothing was imported",
    ]
    assert not db.exists()
    result = run(
        "--db", str(db), "import", str(path), "--status", "Greenish=G", "--status", "red/amber=amber"
    )
    assert "3 actions" in result.stdout


def test_dry_run_prints_and_changes_nothing(messy: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    db = tmp_path / "dry.db"
    result = run("--db", str(db), "import", str(messy), "--dry-run")
    out = result.stdout
    assert f"Would import {messy}, sheet 'Plan 2022' (header on row 4)" in out
    assert "2 themes, 3 areas, 3 objectives, 8 actions, 0 findings" in out
    assert (
        "  1   Theme 1" in out
        and "  5 actions: 1 ✔ Complete, 1 ● On track, 2 ▲ Some issues, 1 ○ Not started" in out
    )
    assert "  row 6    1.1.1.1   ● On track    Dec 2022         AD Safeguarding; HR Lead Develop a" in out
    assert "Warnings (" in out and "header repeated on row 10" in out
    assert out.rstrip().endswith("Dry run: nothing was changed.")
    assert not db.exists()
    run("--db", str(db), "demo")
    before = db.read_bytes()
    run("--db", str(db), "import", str(messy), "--dry-run")
    assert db.read_bytes() == before


def test_dry_run_shows_how_the_columns_were_read_beside_the_problems(tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_text(
        "Ref,Action,Lead,Status,RAG,Milestone\n"
        "1.1.1.1,Recruit,Jo,Started,green,March 2023\n"
        "1.1.1.2,Train,Al,Started,red,April 2023\n",
        encoding="utf-8",
    )
    db = tmp_path / "dry.db"
    result = run("--db", str(db), "import", str(path), "--dry-run", code=2)
    assert result.stdout.splitlines() == [
        f"Would not import {path} (header on row 1): see the problems below",
        "Columns:",
        "  A   'Ref'       -> ref",
        "  B   'Action'    -> action",
        "  C   'Lead'      -> leads",
        "  D   'Status'    -> status",
        "  F   'Milestone' -> milestone",
        "Dry run: nothing was changed.",
    ]
    assert "row 2, column D ('Status'): 'Started' is not a status" in result.stderr
    assert not db.exists()
    without = run("--db", str(db), "import", str(path), code=2)  # not a dry run: the problems alone
    assert without.stdout == "" and "nothing was imported" in without.stderr
    path.write_text("Ref,Action,RAG\n1.1.1.1,Recruit,green\n", encoding="utf-8")
    assert "   1 action: 1 ● On track" in run("--db", str(db), "import", str(path), "--dry-run").stdout


def test_import_refuses_a_plan_over_a_plan_without_force(messy: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    run("--db", db, "demo")
    result = run("--db", db, "import", str(messy), code=1)
    assert "already holds a plan: use --force" in result.stderr
    result = run("--db", db, "import", str(messy), "--force")
    assert "8 actions" in result.stdout
    assert "warning:" in result.stderr
    listing = run("--db", db, "--today", "2022-11-01", "list", "--json").stdout
    assert "Keep the out-of-hours rota" in listing and "Recruit a Participation Officer" not in listing


def test_hierarchy_from_theme_and_objective_columns(tmp_path: Path) -> None:
    path = tmp_path / "themes.csv"
    path.write_text(
        "Priority,Objective,What,Who,Current status,Deadline\n"
        "1 Improving Quality,Staff are supported,Run supervision audits,Head of QA,G,Dec 2022\n"
        ",,Publish caseload data,,A,\n"
        "Improving Tools,Systems work,Replace the case system,CDO,red,2023-03-31\n"
        ",Data is used,Build dashboards,BI lead,blue,March 2023\n",
        encoding="utf-8",
    )
    result = read_table(path)
    themes = result.document.themes
    assert [(t.ref, t.title) for t in themes] == [("1", "Improving Quality"), ("2", "Improving Tools")]
    assert [o.text for a in themes[1].areas for o in a.objectives] == ["Systems work", "Data is used"]
    actions = actions_by_ref(result)
    assert list(actions) == ["1.1.1.1", "1.1.1.2", "2.1.1.1", "2.1.2.1"]
    assert actions["1.1.1.2"].leads == ["Head of QA"] and actions["1.1.1.2"].milestone == "Dec 2022"
    assert actions["2.1.1.1"].due == date(2023, 3, 31)
    assert any("no area column" in w for w in result.warnings)


def test_a_sheet_with_no_hierarchy_is_one_theme_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "flat.csv"
    path.write_text("Action;Lead;Status\nDo a thing;Ann;green\nDo another;Bob;Amber\n", encoding="utf-8")
    result = read_table(path)
    assert [t.ref for t in result.document.themes] == ["1"]
    assert list(actions_by_ref(result)) == ["1.1.1.1", "1.1.1.2"]
    assert result.document.title == "Flat"
    assert any("every action goes under one theme and one objective (1.1.1)" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("data", "notice"),
    [
        ("\ufeffAction,Status\nCafé visits,green\n".encode(), None),
        ("Action,Status\nCafé visits,green\n".encode("cp1252"), "read as Windows-1252"),
        ("Action\tStatus\nCafé visits\tgreen\n".encode("utf-16"), None),
        ("Action,Status\nCafé visits,green\n".encode("utf-16-le"), None),
        ('Action,Status\r\n"Café\r\nvisits",green\r\n'.encode(), None),
    ],
    ids=["utf8-bom", "cp1252", "utf16-tabs", "utf16-no-bom", "crlf-quoted-newline"],
)
def test_csv_variants(tmp_path: Path, data: bytes, notice: str | None) -> None:
    path = tmp_path / "v.csv"
    path.write_bytes(data)
    result = read_table(path)
    action = result.document.actions()[0]
    assert action.title.replace("\n", " ") == "Café visits"
    assert action.rag == "on_track"
    assert (
        any(notice in w for w in result.warnings) if notice else not any("1252" in w for w in result.warnings)
    )


def test_continuation_rows_add_to_the_action_above(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "long.xlsx",
        [
            ["Ref", "Action", "Success measures", "Lead", "Status", "Milestone"],
            ["1.1.1.1", "Write the strategy", "Measure one", "Ann", "green", "March 2023"],
            [None, None, "Measure two", "Bo", None, None],
            ["1.1.1.2", "Publish it", "Read by staff", "Cy", "green", "April 2023"],
        ],
    )
    result = read_table(path)
    first = actions_by_ref(result)["1.1.1.1"]
    assert first.success_measures == "Measure one\nMeasure two"
    assert first.leads == ["Ann", "Bo"]
    assert any(
        "row 3 has no action text: read as more lines of the action above" in w for w in result.warnings
    )


def test_notes_column_becomes_history(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "notes.xlsx",
        [
            ["Action", "Status", "Commentary", "Last updated"],
            ["Write it", "amber", "Waiting for sign-off", datetime(2022, 10, 5, 14, 3)],
            ["Send it", "green", None, None],
        ],
    )
    db = tmp_path / "n.db"
    run("--db", str(db), "--author", "Ann", "import", str(path))
    history = run("--db", str(db), "history", "1.1.1.1", "--json").stdout
    assert "Waiting for sign-off" in history and "Ann" in history and "2022-10-05" in history


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b"PK\x03\x04 broken zip"), "not a readable Excel workbook"),
        (lambda p: p.write_text("Action,Status\nx,green\n"), "not a readable Excel workbook"),
    ],
    ids=["corrupt-zip", "csv-named-xlsx"],
)
def test_corrupt_workbooks(tmp_path: Path, make, message: str) -> None:
    path = tmp_path / "bad.xlsx"
    make(path)
    result = run("--db", str(tmp_path / "x.db"), "import", str(path), code=2)
    assert result.stderr.startswith(f"plantui: {path}: {message}")
    assert "Traceback" not in result.output + result.stderr


def test_failures_name_the_file_sheet_row_and_column(tmp_path: Path, messy: Path) -> None:
    empty = workbook(tmp_path / "empty.xlsx", [])
    with pytest.raises(InputError, match=r"empty.xlsx: sheet 'Plan': the sheet is empty"):
        read_table(empty)
    with pytest.raises(InputError, match=r"no sheet named 'Actions': the sheets are 'Plan 2022'"):
        read_table(messy, ImportSettings(sheet="Actions"))
    assert read_table(messy, ImportSettings(sheet="plan 2022")).header_row == 4
    with pytest.raises(NotFoundError, match="no such file"):
        read_table(tmp_path / "nope.xlsx")
    with pytest.raises(InputError, match="old-style .xls"):
        read_table(tmp_path / "old.xls")
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(InputError, match="empty.csv: the file is empty"):
        read_table(tmp_path / "empty.csv")
    (tmp_path / "bin.csv").write_bytes(b"\x00\x01\x02")
    with pytest.raises(InputError, match="not a text file"):
        read_table(tmp_path / "bin.csv")
    with pytest.raises(InputError, match=r"--column status: no column headed like 'progress'"):
        read_table(messy, ImportSettings(columns={"status": "progress"}))
    bad = workbook(
        tmp_path / "refs.xlsx",
        [
            ["Ref", "Action", "Objective ref", "Status"],
            ["1.1.1.1", "Fine", "1.1.1", "green"],
            ["1.1.x", "Bad ref", None, "green"],
            ["1.1.1.1", "Twice", None, "green"],
            ["1.2.1.1", "Wrong objective", "1.1.1", "green"],
        ],
    )
    with pytest.raises(InputError) as caught:
        read_table(bad)
    assert str(caught.value).splitlines() == [
        f"{bad}: sheet 'Plan': row 3, column A ('Ref'): '1.1.x' is not a ref like 1.2.3.4",
        f"{bad}: sheet 'Plan': row 4, column A ('Ref'): action 1.1.1.1 is also on row 2",
        f"{bad}: sheet 'Plan': row 5, column A ('Ref'): 1.2.1.1 does not lie under objective 1.1.1 "
        "given on the same row",
        f"{bad}: sheet 'Plan': 3 problems; nothing was imported",
    ]


def test_bad_options_are_clear(tmp_path: Path, messy: Path) -> None:
    db = str(tmp_path / "o.db")
    result = run("--db", db, "import", str(messy), "--column", "colour=RAG", code=2)
    assert "--column 'colour=RAG': not a field plantui imports" in result.stderr
    result = run("--db", db, "import", str(messy), "--status", "Fine=purple-ish", code=2)
    assert "'purple-ish' is not a status" in result.stderr
    result = run("--db", db, "import", str(messy), "--status", "nothing", code=2)
    assert "write WORDS=CODE" in result.stderr
    plan = tmp_path / "p.json"
    plan.write_text("{}", encoding="utf-8")
    result = run("--db", db, "import", str(plan), "--sheet", "x", code=2)
    assert "are for .csv and .xlsx files" in result.stderr


def test_cover_sheet_is_passed_over_for_the_first_sheet_with_a_header(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Cover"
    book.active["A1"] = "Read me first"
    ws = book.create_sheet("Actions")
    ws.append(["Action", "RAG"])
    ws.append(["Do it", "B"])
    book.save(tmp_path / "cover.xlsx")
    result = read_table(tmp_path / "cover.xlsx")
    assert result.source.endswith("sheet 'Actions'")
    assert result.document.actions()[0].rag == "complete"


def test_keys_footnotes_and_totals_below_the_table_are_skipped(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "key.xlsx",
        [
            ["Ref", "Key actions", "Lead", "RAG", "Cost"],
            ["1.1.1.1", "Write it", "Ann", "G", 100],
            [None, None, None, None, 100],
            ["Key: B = complete, G = on track", None, None, None, None],
        ],
    )
    result = read_table(path)
    assert [a.title for a in result.document.actions()] == ["Write it"]
    warnings = "\n".join(result.warnings)
    assert "row 3 has nothing in the imported columns: skipped" in warnings
    assert "row 4 holds only text that is not a ref in column A (a key or a footnote?): skipped" in warnings


def test_password_protected_workbook(tmp_path: Path) -> None:
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(60))
    with pytest.raises(InputError, match="password-protected workbook or an old .xls file"):
        read_table(path)


def test_dry_run_of_a_json_plan_file(tmp_path: Path) -> None:
    from plantui.io.plan_json import dumps_plan
    from tests.conftest import mini_plan

    plan = tmp_path / "plan.json"
    plan.write_text(dumps_plan(mini_plan()), encoding="utf-8")
    out = run("--db", str(tmp_path / "j.db"), "import", str(plan), "--dry-run").stdout
    assert "2 themes, 3 areas, 3 objectives, 7 actions, 2 findings" in out
    assert "'Spring' cannot be read as a date" in out
    assert not (tmp_path / "j.db").exists()


def test_status_shown_by_colour_alone_is_read_from_the_fill(tmp_path: Path) -> None:
    from openpyxl.styles import PatternFill

    def build(ws) -> None:
        for row, colour in zip(
            range(2, 8), ["FF0000", "FFC000", "00B050", "0070C0", "D9D9D9", "C6EFCE"], strict=True
        ):
            ws.cell(row, 2).fill = PatternFill("solid", fgColor=colour)
        ws.cell(8, 2).fill = PatternFill("solid", fgColor="FF0000")  # words win over the colour

    path = workbook(
        tmp_path / "colours.xlsx",
        [
            ["Action", "RAG"],
            *[[f"Action {n}", None] for n in range(1, 7)],
            ["Action 7", "Green"],
            ["Action 8", None],
        ],
        build=build,
    )
    result = read_table(path)
    assert [a.rag for a in result.document.actions()] == [
        "off_track",
        "some_issues",
        "on_track",
        "complete",
        "not_started",
        "on_track",
        "on_track",
        "not_started",
    ]
    warnings = "\n".join(result.warnings)
    assert "no status words on rows 2, 3, 4, 5, 6, 7: read from the cell's colour" in warnings
    assert "no status on row 9: recorded as not started" in warnings


def test_carry_down_can_be_turned_off(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("Objective,Action,Lead,Milestone\nO1,First,Ann,March 2023\n,Second,,\n", encoding="utf-8")
    assert read_table(path).document.actions()[1].leads == ["Ann"]
    second = read_table(path, ImportSettings(carry_down=False)).document.actions()[1]
    assert (second.leads, second.milestone) == ([], "")


def test_a_year_is_not_taken_for_a_theme_ref(tmp_path: Path) -> None:
    path = tmp_path / "y.csv"
    path.write_text("Theme,Action\n2022 Priorities,Do it\n3 Tools,Fix it\n", encoding="utf-8")
    themes = read_table(path).document.themes
    assert [(t.ref, t.title) for t in themes] == [("1", "2022 Priorities"), ("3", "Tools")]
