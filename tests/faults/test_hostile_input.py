"""Hostile and malformed input. Property tests over every reader a user feeds (plan JSON, status
words, milestone labels, filter expressions, refs): any input gives a value or one clear
`PlantuiError` line, never another exception and never a partial import. Then text that looks like
markup, drives terminals, runs right to left or is very long: stored exactly, exported exactly, and
shown literally and safely by every CLI output.

Readers still to come (CSV/XLSX cells) join by adding a case to TEXT_READERS, or a property test
like `test_plan_json_*` below for a whole-file reader.
"""

from __future__ import annotations

import json
import shutil
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plantui.cli.main import cli
from plantui.domain.errors import PlantuiError
from plantui.domain.filters import Filter, parse_filter, status_code_for
from plantui.domain.milestones import Milestone, due_from_label, parse_milestone, readable
from plantui.domain.refs import is_ref, normalise_ref
from plantui.domain.statuses import STATUS_CODES
from plantui.io.plan_json import dumps_plan, parse_plan, plan_to_data, read_plan_file
from plantui.store import queries
from plantui.store.opening import open_database
from plantui.store.plans import dump_document, is_empty, load_document
from tests.conftest import mini_plan
from tests.faults.hostile_text import HOSTILE, hostile_plan

TODAY = date(2022, 11, 1)
QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

hostile_text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))


def assert_one_line_error(error: PlantuiError) -> None:
    message = str(error)
    assert message and "\n" not in message and "\r" not in message, repr(message)
    assert "Traceback" not in message


def unsafe_characters(output: str) -> list[str]:
    """Characters that would reach the terminal raw and could drive it (newlines are fine)."""
    return [
        c for c in output if c != "\n" and unicodedata.category(c) in {"Cc", "Cf"} and c not in "\u200d\u200c"
    ]


# --- readers of short text ------------------------------------------------------------------------


@given(st.text())
def test_status_words_give_a_status_or_none(word: str) -> None:
    assert status_code_for(word) in (*STATUS_CODES, None)


@given(
    st.one_of(
        st.text(), st.sampled_from(["June 2023", "30/06/2023", "2023-06", "Sept 22 onwards", "Ongoing"])
    )
)
def test_milestone_labels_give_a_milestone_or_one_line(label: str) -> None:
    try:
        milestone = parse_milestone(label)
    except PlantuiError as error:
        assert_one_line_error(error)
        assert not readable(label)
    else:
        assert isinstance(milestone, Milestone) and readable(label)
        assert due_from_label(label) == milestone.due


@given(
    st.lists(st.one_of(st.text(max_size=12), st.sampled_from(["rag:", "due:", "lead:", "theme:", '"', ":"])))
)
def test_filter_expressions_give_a_filter_or_one_line(parts: list[str]) -> None:
    expression = "".join(parts)
    try:
        selection = parse_filter(expression)
    except PlantuiError as error:
        assert_one_line_error(error)
    else:
        assert isinstance(selection, Filter)
        assert _ROWS  # real rows from the hostile plan (fixture at the end of this file)
        selection.apply(_ROWS, TODAY)  # applying never fails either


@given(st.one_of(st.text(), st.from_regex(r"\A\s*\d{1,3}(\.\d{1,3}){0,4}\.?\s*\Z")))
def test_refs_give_a_ref_or_one_line(text: str) -> None:
    try:
        ref = normalise_ref(text)
    except PlantuiError as error:
        assert_one_line_error(error)
    else:
        assert is_ref(ref) and normalise_ref(ref) == ref


# Readers of one cell or word, for the test below; spreadsheet cell readers belong here too.
TEXT_READERS = {
    "status word": status_code_for,
    "milestone": parse_milestone,
    "filter": parse_filter,
    "ref": normalise_ref,
}


@pytest.mark.parametrize("reader", TEXT_READERS.values(), ids=TEXT_READERS.keys())
@pytest.mark.parametrize("text", HOSTILE)
def test_every_text_reader_takes_hostile_text(reader, text: str) -> None:
    try:
        reader(text)
    except PlantuiError as error:
        assert_one_line_error(error)


# --- plan JSON ------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | hostile_text,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
_VALID = plan_to_data(mini_plan())


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*path, index))


_PATHS = list(_paths(_VALID))


def _replaced(data, path, new):
    if not path:
        return new
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _replaced(data[path[0]], path[1:], new)
    return copy


mutated_plans = st.builds(_replaced, st.just(_VALID), st.sampled_from(_PATHS), json_values)


@QUICK
@given(st.one_of(json_values, mutated_plans))
def test_plan_json_gives_a_plan_or_one_line(data) -> None:
    try:
        document = parse_plan(data, "plan.json")
    except PlantuiError as error:
        assert_one_line_error(error)
        assert "plan.json" in str(error)
    else:
        assert dumps_plan(document)  # what was read can be written back


@QUICK
@given(st.one_of(st.binary(max_size=200), mutated_plans.map(lambda d: json.dumps(d).encode())))
def test_plan_files_of_any_bytes_give_a_plan_or_one_line(tmp_path_factory, raw: bytes) -> None:
    path = tmp_path_factory.mktemp("files") / "plan.json"
    path.write_bytes(raw)
    try:
        read_plan_file(path)
    except PlantuiError as error:
        assert_one_line_error(error)
        assert str(path) in str(error)


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "empty.db"
    open_database(path).close()
    return path


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated_plans)
def test_an_import_is_whole_or_nothing(empty_store: Path, tmp_path: Path, data) -> None:
    try:
        document = parse_plan(data, "plan.json")
    except PlantuiError:
        return  # refused before the store is touched
    path = tmp_path / "try.db"
    shutil.copy(empty_store, path)
    database = open_database(path)
    try:
        try:
            load_document(database, document)
        except PlantuiError as error:
            assert_one_line_error(error)
            assert is_empty(database)  # not a partial import
        else:
            stored = dump_document(database)  # the whole plan: every node, text and finding
            assert [(a.ref, a.title, a.leads, a.rag, a.milestone) for a in stored.actions()] == [
                (a.ref, a.title, a.leads, a.rag, " ".join(a.milestone.split())) for a in document.actions()
            ]  # labels are stored with their spacing tidied
            assert [(f.text, f.refs) for f in stored.findings] == [
                (f.text, f.refs) for f in document.findings
            ]
    finally:
        database.close()
        path.unlink()


# --- hostile text, end to end ------------------------------------------------------------------------


def all_text(document) -> list[str]:
    """Every text a plan document holds, in order: what must survive the store exactly."""
    out = [document.title, document.organisation, document.phase, document.foreword]
    for theme in document.themes:
        out += [theme.title, theme.aim]
        for area in theme.areas:
            out += [area.title, area.outcomes]
            for objective in area.objectives:
                out.append(objective.text)
                for action in objective.actions:
                    out += [action.title, action.success_measures, action.detailed_plan, *action.leads]
                    out.append(" ".join(action.milestone.split()))  # stored with its spacing tidied
    return out + [text for f in document.findings for text in (f.source, f.text)]


@pytest.fixture
def hostile_db(db_path: Path) -> Path:
    database = open_database(db_path)
    load_document(database, hostile_plan())
    database.close()
    return db_path


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output + result.stderr
    assert unsafe_characters(result.stdout) == [], f"raw control characters in the output of {args}"
    assert unsafe_characters(result.stderr) == [], f"raw control characters in the errors of {args}"
    return result


def test_hostile_text_is_stored_exactly(hostile_db: Path) -> None:
    database = open_database(hostile_db)
    try:
        assert all_text(dump_document(database)) == all_text(hostile_plan())
        rows = queries.list_actions(database)
        assert {text for row in rows for text in (row.title, *row.leads)} <= set(HOSTILE)
    finally:
        database.close()


def test_hostile_changes_are_stored_exactly(hostile_db: Path) -> None:
    for text in HOSTILE:
        run("--db", str(hostile_db), "set", "1.1.1.2", "--note", text, "--author", text)
    history = json.loads(run("--db", str(hostile_db), "history", "1.1.1.2", "--json").stdout)
    stored = [(h["author"], h["note"]) for h in reversed(history)]
    # a note and an author are trimmed at their ends (as typed), nothing else changes
    assert stored == [(t.strip(), t.strip()) for t in HOSTILE]


def test_hostile_text_exports_byte_identically(hostile_db: Path, tmp_path: Path) -> None:
    run("--db", str(hostile_db), "set", "1.1.1.2", "--note", HOSTILE[5], "--author", HOSTILE[10])
    first = tmp_path / "first.json"
    run("--db", str(hostile_db), "export", "-o", str(first))
    again = tmp_path / "again.db"
    run("--db", str(again), "import", str(first))
    second = run("--db", str(again), "export").stdout
    assert second.encode("utf-8") == first.read_bytes()
    assert unsafe_characters(second) == []  # the file itself is safe to print
    assert json.loads(second)["plan"]["title"] == HOSTILE[0]


@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        ("list", "--json"),
        ("list", "--filter", "[bold]"),
        ("history",),
        ("history", "--json"),
        ("history", "1.1.1.2"),
        ("export",),
        ("backup", "--list"),
    ],
)
def test_every_cli_output_shows_hostile_text_literally_and_safely(hostile_db: Path, args) -> None:
    run(
        "--db",
        str(hostile_db),
        "set",
        "1.1.1.2",
        "--rag",
        "on_track",
        "--note",
        HOSTILE[5],
        "--author",
        HOSTILE[6],
    )
    run("--db", str(hostile_db), "set", "1.1.1.3", "--note", HOSTILE[0], "--author", HOSTILE[0])
    result = run("--db", str(hostile_db), *args)
    assert result.stdout


def test_list_and_history_show_markup_as_written(hostile_db: Path) -> None:
    run("--db", str(hostile_db), "set", "1.1.1.3", "--note", "[bold]x[/] [link=y]", "--author", "Ann")
    listed = run("--db", str(hostile_db), "list").stdout
    assert "[bold]x[/]" in listed and "\\x1b[31mred\\x1b[0m" in listed  # escapes shown, not obeyed
    assert "🧑‍🤝‍🧑" in listed and "שלום עולם" in listed
    assert "— [bold]x[/] [link=y]" in run("--db", str(hostile_db), "history").stdout


def test_check_and_undo_show_hostile_text_safely(hostile_db: Path) -> None:
    run("--db", str(hostile_db), "set", "1.1.1.2", "--note", HOSTILE[6], "--author", HOSTILE[7])
    run("--db", str(hostile_db), "check", "--today", "2022-11-01", code=1)
    undone = run("--db", str(hostile_db), "undo", "--author", HOSTILE[7]).stdout
    assert "\\x1b[2J\\x1b[H  1.1.1.2  undo of #" in undone  # who undid it, shown not obeyed


@pytest.mark.parametrize(
    "args",
    [
        ("set", "\x1b[31m1.1", "--rag", "on_track"),
        ("set", "1.1.1.2", "--rag", "\x1b]0;x\x07red"),
        ("list", "--filter", "rag:\x1b[2J"),
        ("list", "--filter", "due:\u202eevil"),
        ("history", "\x9b1.1.1.2"),
        ("import", "/nonexistent/\x1b[31mplan.json"),
    ],
)
def test_errors_that_echo_user_input_are_one_safe_line(hostile_db: Path, args) -> None:
    result = CliRunner().invoke(cli, ["--db", str(hostile_db), *args], catch_exceptions=False)
    assert result.exit_code != 0
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("plantui: ")
    assert unsafe_characters(result.stderr) == []


def test_a_database_path_with_escapes_is_shown_safely(tmp_path: Path) -> None:
    odd = tmp_path / "plan\x1b[31m.db"
    database = open_database(odd)
    load_document(database, mini_plan())
    database.close()
    assert "plan\\x1b[31m.db" in run("--db", str(odd), "backup").stdout
    assert "backups/plan\\x1b[31m-" in run("--db", str(odd), "backup", "--list").stdout
    odd.write_bytes(b"")
    assert "plan\\x1b[31m.db" in run("--db", str(odd), "list", code=4).stderr


_ROWS = []


@pytest.fixture(autouse=True, scope="module")
def _rows_for_filters(tmp_path_factory: pytest.TempPathFactory):
    """Real rows (from the hostile plan) for the filter property test to apply its filters to."""
    path = tmp_path_factory.mktemp("rows") / "rows.db"
    database = open_database(path)
    load_document(database, hostile_plan())
    _ROWS[:] = queries.list_actions(database)
    database.close()
    yield


def test_a_number_under_a_key_with_a_line_break_is_still_one_line(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_bytes(b'{"\\n":Infinity}')  # the case the property test above found
    with pytest.raises(PlantuiError) as caught:
        read_plan_file(plan)
    assert_one_line_error(caught.value)
