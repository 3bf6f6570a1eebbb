"""Property tests for the readers a spreadsheet cell goes through: any text gives a value or a clear
`InputError`, never another exception."""

from __future__ import annotations

from datetime import date

from hypothesis import example, given, settings
from hypothesis import strategies as st

from plantui.domain.errors import InputError
from plantui.domain.milestones import milestone_from_date, parse_milestone
from plantui.domain.status_reader import StatusReader, parse_status_option
from plantui.domain.statuses import STATUS_CODES, STATUSES
from plantui.io.spreadsheets.columns import column_letter, find_header, header_key

READER = StatusReader({"needs attention": "some_issues"})
SPELLINGS = {
    "complete": ["complete", "Completed", "DONE", "blue", "b", "✔ Complete", "Action complete"],
    "on_track": ["on track", "Green ", "g", "On-Track", "● On track", "on_track"],
    "some_issues": ["some issues", "AMBER", "a", "Amber - some issues", "needs attention"],
    "off_track": ["off track", "not on track", "Red", " r", "✖ Off track"],
    "not_started": ["not started", "grey", "Not Started.", "○ Not started"],
    "bau": ["BAU", "business as usual", "Business As Usual Activity", "∞ BAU"],
}


def test_every_listed_spelling_is_read() -> None:
    for code, words in SPELLINGS.items():
        for word in words:
            assert READER.read(word) == code, word


@given(st.text(max_size=40))
@example("")
@example("red/amber")
@example("\x00")
@example("–")
def test_status_reader_gives_a_code_or_a_clear_error(text: str) -> None:
    try:
        code = READER.read(text)
    except InputError as error:
        assert "is not a status" in str(error)
        assert "\n" not in str(error)
    else:
        assert code in STATUS_CODES


@given(st.sampled_from(STATUSES), st.sampled_from(["{}", " {} ", "{}.", "{} ", "({})"]), st.booleans())
def test_status_words_survive_case_spacing_and_punctuation(status, pattern: str, upper: bool) -> None:
    for words in (status.short, status.code, status.label):
        text = pattern.format(words.upper() if upper else words)
        assert READER.read(text) == status.code


@given(st.text(max_size=30))
def test_status_option_gives_a_pair_or_a_clear_error(text: str) -> None:
    try:
        words, code = parse_status_option(text)
    except InputError as error:
        assert str(error).startswith("--status")
    else:
        assert code in STATUS_CODES and words == " ".join(words.split())


@given(st.text(max_size=40))
@example("31/02/2023")
@example("September 0")
@example("0000-01-01")
@example("13/13/13")
def test_milestone_reader_gives_a_value_or_a_clear_error(text: str) -> None:
    try:
        milestone = parse_milestone(text)
    except InputError as error:
        assert "\n" not in str(error)
    else:
        assert milestone.label == text
        assert milestone.due is None or isinstance(milestone.due, date)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)), st.booleans())
def test_date_cells_read_back_as_the_label_says(day: date, month_only: bool) -> None:
    milestone = milestone_from_date(day, month_only=month_only)
    again = parse_milestone(milestone.label)
    assert again.due == milestone.due
    if not month_only:
        assert milestone.due == day and milestone.label == day.strftime("%d/%m/%Y")
    else:
        assert (milestone.due.year, milestone.due.month) == (day.year, day.month)


@given(st.lists(st.lists(st.one_of(st.none(), st.text(max_size=12)), max_size=6), max_size=8))
def test_header_search_never_fails_on_odd_rows(rows) -> None:
    found = find_header(rows, {})
    if found is not None:
        assert "action" in found.columns
        assert header_key(rows[found.header_row][found.columns["action"]])


def test_column_letters() -> None:
    assert [column_letter(n) for n in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


HEADER_NAMES = [
    "Ref",
    "Action",
    "Lead",
    "Status",
    "Milestone",
    "Theme",
    "Objective",
    "Area",
    "Notes",
    "Budget",
]
CELLS = st.one_of(
    st.none(),
    st.sampled_from(
        ["1", "1.1", "1.1.1", "1.1.1.1", "2.1.1.2", "green", "Amber", "Ongoing", "Dec 2022", "x.1"]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=8),
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(HEADER_NAMES), min_size=2, max_size=6, unique=True),
    st.lists(st.lists(CELLS, max_size=6), max_size=8),
)
def test_any_sheet_reads_or_fails_clearly(tmp_path_factory, headers: list[str], rows) -> None:
    import csv

    from plantui.io.spreadsheets.importer import read_table

    path = tmp_path_factory.mktemp("fuzz") / "sheet.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows([["" if c is None else c for c in row] for row in rows])
    try:
        result = read_table(path)
    except InputError as error:
        assert str(error).strip()
    else:
        refs = [a.ref for a in result.document.actions()]
        assert len(refs) == len(set(refs))
        assert all(ref.count(".") == 3 for ref in refs)


@given(st.text(alphabet="0123456789abcdefABCDEFxyz#", max_size=8))
@example("FF0000")
@example("ffffff")
def test_fill_colours_give_a_status_or_none(rgb: str) -> None:
    from plantui.domain.status_reader import status_for_colour

    code = status_for_colour(rgb)
    assert code is None or code in STATUS_CODES
