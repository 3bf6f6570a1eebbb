"""Values carried down from the row above keep their mark through plan files and workbooks:
`carried`/`doubtful` in JSON, a cell comment "carried down from 1.1.1.5" in the xlsx export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from plantui.cli.main import cli
from plantui.domain.carried import Carried
from plantui.domain.errors import InputError
from plantui.io.plan_json import dumps_plan, parse_plan
from plantui.io.sample import sample_path


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def actions_of(plan: dict) -> dict[str, dict]:
    return {
        action["ref"]: action
        for theme in plan["themes"]
        for area in theme["areas"]
        for objective in area["objectives"]
        for action in objective["actions"]
    }


def sample_with(**changes) -> dict:
    plan = json.loads(sample_path().read_text(encoding="utf-8"))
    action = actions_of(plan)["1.1.1.6"]
    action.update(changes)
    return plan


def test_json_reads_carried_and_doubtful_marks_in_field_order() -> None:
    plan = sample_with(carried={"detailed_plan": "1.1.1.1", "leads": "1.1.1.5"}, doubtful=["leads"])
    action = next(a for a in parse_plan(plan).actions() if a.ref == "1.1.1.6")
    assert action.carried == [Carried("leads", "1.1.1.5", True), Carried("detailed_plan", "1.1.1.1")]
    written = actions_of(json.loads(dumps_plan(parse_plan(plan))))["1.1.1.6"]
    assert list(written)[-3:] == ["carried", "doubtful", "history"]
    assert written["carried"] == {"leads": "1.1.1.5", "detailed_plan": "1.1.1.1"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"carried": ["leads"]}, "action 1.1.1.6: carried: expected an object, found a list"),
        ({"carried": {"rag": "1.1.1.5"}}, "action 1.1.1.6: carried: 'rag' is not a field a value is carried"),
        (
            {"carried": {"leads": "1.1.1"}},
            "action 1.1.1.6: carried: leads: '1.1.1' is not the ref of an action",
        ),
        (
            {"carried": {"leads": 5}},
            "action 1.1.1.6: carried: leads: expected the ref of an action, found a number",
        ),
        (
            {"carried": {"leads": "1.1.1.5"}, "doubtful": ["detailed_plan"]},
            "action 1.1.1.6: doubtful: each entry must name one of the fields in 'carried'",
        ),
        ({"carried": {"leads": "1.1.1.5"}, "doubtful": [["leads"]]}, "action 1.1.1.6: doubtful: each entry"),
    ],
)
def test_a_bad_mark_is_refused_in_one_line_naming_the_action(changes: dict, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_plan(sample_with(**changes), "plan.json")
    assert str(caught.value).startswith(f"plan.json: {message}")
    assert "\n" not in str(caught.value)


def test_json_export_and_import_keep_every_mark(tmp_path: Path) -> None:
    first, second = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    run("--db", first, "demo")
    exported = tmp_path / "plan.json"
    run("--db", first, "export", "-o", str(exported))
    actions = actions_of(json.loads(exported.read_text(encoding="utf-8")))
    assert actions["1.1.1.6"]["carried"] == {"leads": "1.1.1.5", "detailed_plan": "1.1.1.1"}
    assert actions["4.1.1.9"]["doubtful"] == ["detailed_plan"]
    assert "carried" not in actions["1.1.1.1"]
    run("--db", second, "import", str(exported))
    assert run("--db", second, "export").encode("utf-8") == exported.read_bytes()


def test_xlsx_export_notes_each_carried_cell_and_import_reads_the_notes_back(tmp_path: Path) -> None:
    first, second = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    run("--db", first, "demo")
    book_path = tmp_path / "plan.xlsx"
    run("--db", first, "export", "-o", str(book_path))

    sheet = load_workbook(book_path)["Actions"]
    headers = [cell.value for cell in sheet[1]]
    rows = {row[headers.index("Action ref")].value: row for row in sheet.iter_rows(min_row=2)}
    leads, plan = headers.index("Leads"), headers.index("Detailed plan")
    assert rows["1.1.1.6"][leads].comment.text == "carried down from 1.1.1.5"
    assert rows["1.1.1.6"][plan].comment.text == "carried down from 1.1.1.1"
    assert rows["4.1.1.9"][plan].comment.text == "carried down from 4.1.1.2; may not fit this action"
    assert rows["1.1.1.1"][leads].comment is None and rows["1.1.1.1"][plan].comment is None
    commented = sum(row[column].comment is not None for row in rows.values() for column in (leads, plan))
    assert commented == 35 + 71
    # an action's own objective statement rides on its Objective cell; the plan's commentary is its note
    objective = headers.index("Objective")
    assert rows["4.3.2.2"][objective].comment.text.startswith("Printed beside this action: The recruitment")
    assert rows["4.1.1.7"][headers.index("Last note")].value == "annual monitoring"

    run("--db", second, "import", str(book_path))
    before = actions_of(json.loads(run("--db", first, "export", "--format", "json")))
    after = actions_of(json.loads(run("--db", second, "export", "--format", "json")))
    assert after == before


def test_a_comment_that_is_no_mark_is_not_read_as_one(tmp_path: Path) -> None:
    """A note a colleague typed on a cell of an exported workbook is not taken for a mark."""
    db, again = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    run("--db", db, "demo")
    book_path = tmp_path / "plan.xlsx"
    run("--db", db, "export", "-o", str(book_path))
    from openpyxl.comments import Comment

    book = load_workbook(book_path)
    sheet = book["Actions"]
    headers = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[headers.index("Action ref")].value == "1.1.1.6":
            row[headers.index("Leads")].comment = Comment("check with HR", "Ann")
    book.save(book_path)
    run("--db", again, "import", str(book_path))
    action = actions_of(json.loads(run("--db", again, "export", "--format", "json")))["1.1.1.6"]
    assert action["carried"] == {"detailed_plan": "1.1.1.1"}
