"""The board report, checked by parsing what it says (Markdown tables, HTML rows), not by eye."""

from __future__ import annotations

import re
from datetime import date, datetime
from html.parser import HTMLParser

import pytest

from plantui.io.reports import render, render_bytes
from plantui.io.reports.model import gather_report
from plantui.store.changes import add_note, set_status
from plantui.store.meetings import end_meeting, start_meeting
from plantui.store.queries import list_actions
from tests.conftest import mini_plan

TODAY = date(2022, 11, 1)
MEETING_MOVES = {  # ref: (from, to, direction)
    "4.2.1.1": ("off_track", "some_issues", "better"),
    "4.1.1.2": ("some_issues", "off_track", "worse"),
    "4.5.1.1": ("on_track", "complete", "better"),
}
MARKUP = "<b>bold</b> | *star* [link](x) `tick` & &amp; <script>alert(1)</script>"


@pytest.fixture
def sample_db(db_path):
    from plantui.io.sample import load_sample
    from plantui.store.opening import open_database
    from plantui.store.plans import load_document

    db = open_database(db_path)
    load_document(db, load_sample())
    yield db
    db.close()


@pytest.fixture
def after_meeting(sample_db):
    """A board over theme 4 that moved three actions, with commentary, the day before TODAY."""
    start_meeting(sample_db, "October Board", "theme:4", author="Lead", at=datetime(2022, 10, 31, 10))
    for minute, (ref, (_, new, _)) in enumerate(MEETING_MOVES.items()):
        set_status(sample_db, ref, new, note=f"{ref}: {MARKUP}", author="Lead",
                   at=datetime(2022, 10, 31, 10, minute + 1))  # fmt: skip
    end_meeting(sample_db, at=datetime(2022, 10, 31, 12))
    return sample_db


# -- Markdown ---------------------------------------------------------------------------------------


def md_sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## ", text, flags=re.M)
    return {part.split("\n", 1)[0]: part for part in parts[1:]}


def md_tables(section: str) -> list[list[list[str]]]:
    """Each table in a section as rows of cells (header and rule rows dropped), escapes kept."""
    tables, current = [], []
    for line in [*section.splitlines(), ""]:
        if line.startswith("|"):
            current.append([c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]])
        elif current:
            tables.append(current[2:])
            current = []
    return tables


def test_markdown_summary_counts_add_up_and_leave_bau_out(after_meeting) -> None:
    text = render(gather_report(after_meeting, today=TODAY), "md")
    summary = md_sections(text)["Summary by theme and area"]
    assert "BAU actions are left out of the base" in summary
    (table,) = md_tables(summary)
    themes = [row for row in table if row[0].startswith("**")]
    areas = [row for row in table if re.fullmatch(r"\d+\.\d+", row[0])]
    whole = table[-1]
    assert whole[1] == "**Whole plan**"
    numbers = lambda row: [int(c) for c in row[2:9]]  # noqa: E731 - six statuses and the total
    assert sum(numbers(row)[6] for row in themes) == numbers(whole)[6] == 124
    for i in range(7):
        assert sum(numbers(row)[i] for row in themes) == numbers(whole)[i]
    for theme in themes:
        ref = theme[0].strip("*")
        mine = [row for row in areas if row[0].split(".")[0] == ref]
        assert [sum(numbers(row)[i] for row in mine) for i in range(7)] == numbers(theme)
    actions = list_actions(after_meeting)
    complete_or_on_track = sum(a.status in {"complete", "on_track"} for a in actions)
    not_bau = sum(a.status != "bau" for a in actions)
    assert whole[9] == f"{round(100 * complete_or_on_track / not_bau)}% ({complete_or_on_track} of {not_bau})"
    assert not_bau < 124  # the sample has BAU actions, so the base really is smaller


def test_markdown_movement_since_the_last_meeting(after_meeting) -> None:
    text = render(gather_report(after_meeting, today=TODAY, since="last-meeting"), "md")
    (title,) = [name for name in md_sections(text) if name.startswith("Movement")]
    section = md_sections(text)[title]
    assert "October Board" in title
    assert "3 actions changed status: 2 better ↑, 1 worse ↓" in section
    counts, moves = md_tables(section)
    assert {row[0]: row[3] for row in counts}["✔ B Complete"] == "+1"
    assert {row[0]: row[3] for row in counts}["● G On track"] == "−1"
    assert {row[0]: row[3] for row in counts}["✖ R Off track"] == "±0"
    assert {row[0] for row in moves} == set(MEETING_MOVES)
    for row in moves:
        old, _, way = MEETING_MOVES[row[0]]
        assert row[4] == {"better": "↑ better", "worse": "↓ worse"}[way]
        assert row[2].endswith(
            {"off_track": "Off track", "some_issues": "Some issues", "on_track": "On track"}[old]
        )
        assert row[5].startswith(f"{row[0]}: \\<b\\>bold\\</b\\> \\| \\*star\\*")
        assert row[5].endswith("— Lead")


def test_markdown_exceptions_list_every_off_track_action_with_lead_and_commentary(after_meeting) -> None:
    text = render(gather_report(after_meeting, today=TODAY), "md")
    exceptions = md_sections(text)["Exceptions"]
    off_track_part = exceptions.split("### ")[1]
    assert off_track_part.startswith("✖ R Off track (")
    (table,) = md_tables(off_track_part)
    off = [a for a in list_actions(after_meeting) if a.status == "off_track"]
    assert [row[0] for row in table] == [a.ref for a in off]
    by_ref = {row[0]: row for row in table}
    assert by_ref["4.1.1.2"][2] == "Executive Director of Children’s Services"
    assert by_ref["4.1.1.2"][3] == "April 2023"
    assert by_ref["4.1.1.2"][5].startswith("4.1.1.2: \\<b\\>")
    overdue = exceptions.split("### ")[3]
    assert overdue.startswith("⚠ Overdue (12)")
    assert "1.1.1.11" in overdue and "overdue by 246 days" in overdue


def test_markdown_findings_flag_the_one_citing_1_2_2(after_meeting) -> None:
    text = render(gather_report(after_meeting, today=TODAY), "md")
    findings = md_sections(text)["Inspection findings"]
    at_risk_part, all_part = findings.split("### ")[1:3]
    assert re.search(
        r"\*\*Finding 3\*\* .*\n  ⚠ .*cites 1\.2\.2, which names nothing in the plan", at_risk_part
    )
    (table,) = md_tables(all_part)
    assert len(table) == 22
    row = table[2]
    assert row[0] == "3" and "⚠ 1.2.2 \\(names nothing" not in row[2] and "⚠ 1.2.2 (names nothing" in row[2]
    assert row[-1] == "⚠ at risk"
    assert table[4][-1] == "no"  # finding 5: one complete action, one BAU, nothing late


def test_markdown_escapes_markup_in_every_user_field(db_path) -> None:
    from plantui.store.opening import open_database
    from plantui.store.plans import load_document

    db = open_database(db_path)
    try:
        load_document(db, mini_plan(markup=True))
        set_status(db, "1.1.1.2", "off_track", note="ok", author="A")
        add_note(db, "1.1.1.2", "x | y <i>z</i> [a](b)", author="A")
        text = render(gather_report(db, today=TODAY), "md")
    finally:
        db.close()
    assert "[bold]x[/]" not in text and "\\[bold\\]x\\[/\\]" in text
    assert "x \\| y \\<i\\>z\\</i\\> \\[a\\](b)" in text
    for section in md_sections(text).values():
        for table in md_tables(section):
            assert len({len(row) for row in table}) == 1  # no cell split by a | in the text


# -- HTML -------------------------------------------------------------------------------------------


class ReportParser(HTMLParser):
    """Collects what the tests check: references out of the file, tags, and table rows by section."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.references: list[str] = []
        self.tags: set[str] = set()
        self.sections: list[str] = []
        self.rows: list[tuple[tuple[str, ...], dict, list[str]]] = []
        self.items: list[tuple[dict, str]] = []
        self._row: tuple[dict, list[str]] | None = None
        self._cell: list[str] | None = None
        self._item: tuple[dict, list[str]] | None = None
        self._in_style = False
        self.text: list[str] = []
        self.styles: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        for name, value in attrs.items():
            if name in {"src", "href", "srcset", "action", "poster", "data", "xlink:href", "background"}:
                self.references.append(f"{tag}[{name}]={value}")
            if name == "style" and value:
                self.styles.append(value)
        if tag == "section":
            self.sections.append(attrs.get("id", ""))
        elif tag == "tr":
            self._row = (attrs, [])
        elif tag in {"td", "th"}:
            self._cell = []
        elif tag == "li":
            self._item = (attrs, [])
        elif tag == "style":
            self._in_style = True

    def handle_endtag(self, tag):
        if tag == "section":
            self.sections.pop()
        elif tag in {"td", "th"} and self._row is not None and self._cell is not None:
            self._row[1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append((tuple(self.sections), *self._row))
            self._row = None
        elif tag == "li" and self._item is not None:
            self.items.append((self._item[0], " ".join("".join(self._item[1]).split())))
            self._item = None
        elif tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._item is not None:
            self._item[1].append(data)

    def in_section(self, section: str) -> list[tuple[dict, list[str]]]:
        return [(attrs, cells) for sections, attrs, cells in self.rows if section in sections and cells]


def parse(html: str) -> ReportParser:
    parser = ReportParser()
    parser.feed(html)
    parser.close()
    return parser


def test_html_is_self_contained(after_meeting) -> None:
    html = render(gather_report(after_meeting, today=TODAY, since="last-meeting"), "html")
    page = parse(html)
    assert page.references == []
    assert not page.tags & {
        "script",
        "link",
        "img",
        "iframe",
        "object",
        "embed",
        "base",
        "image",
        "use",
        "foreignobject",
        "video",
        "audio",
    }
    css = "\n".join(page.styles)
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    assert not re.search(r"(?i)\b(?:https?|ftp|file|data):", css + html)
    assert "@page { size: A4" in css
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html


def test_html_holds_the_summary_movement_exceptions_and_findings(after_meeting) -> None:
    page = parse(render(gather_report(after_meeting, today=TODAY, since="last-meeting"), "html"))
    summary = page.in_section("summary")
    themes = [cells for attrs, cells in summary if attrs.get("data-kind") == "theme"]
    (whole,) = [cells for attrs, cells in summary if attrs.get("data-kind") == "plan"]
    assert sum(int(cells[8]) for cells in themes) == int(whole[8]) == 124
    assert "BAU actions are left out of the base" in " ".join(page.text)

    moving = page.in_section("movement")
    moves = {
        attrs["data-ref"]: (attrs["data-direction"], cells) for attrs, cells in moving if "data-ref" in attrs
    }
    assert set(moves) == set(MEETING_MOVES)
    for ref, (way, cells) in moves.items():
        assert way == MEETING_MOVES[ref][2]
        assert cells[4] == {"better": "↑ better", "worse": "↓ worse"}[way]
        assert cells[5].startswith(f"{ref}: {MARKUP}")  # shown as the text it is

    off_track = [attrs["data-ref"] for attrs, _ in page.in_section("off-track") if "data-ref" in attrs]
    assert off_track == [a.ref for a in list_actions(after_meeting) if a.status == "off_track"]
    some = [attrs["data-ref"] for attrs, _ in page.in_section("some-issues") if "data-ref" in attrs]
    assert some == [a.ref for a in list_actions(after_meeting) if a.status == "some_issues"]

    risky = {attrs["data-finding"]: text for attrs, text in page.items if "data-finding" in attrs}
    assert "3" in risky and "1.2.2, which names nothing in the plan" in risky["3"]
    findings = {attrs["data-finding"]: attrs["data-at-risk"] for attrs, _ in page.in_section("all-findings")
                if "data-finding" in attrs}  # fmt: skip
    assert len(findings) == 22 and findings["3"] == "yes" and findings["5"] == "no"
    assert set(risky) == {number for number, flag in findings.items() if flag == "yes"}


def test_html_shows_each_status_in_words_and_symbols_as_well_as_colour(after_meeting) -> None:
    page = parse(render(gather_report(after_meeting, today=TODAY), "html"))
    key = {attrs["data-status"]: cells for attrs, cells in page.in_section("key") if "data-status" in attrs}
    assert key["off_track"][:3] == ["✖ R Off track", "✖", "R"]
    assert key["bau"][0] == "∞ BAU" and "purple" in key["bau"][3]
    leads = {a.ref: "; ".join(a.leads) for a in list_actions(after_meeting)}
    rows = [(attrs, cells) for attrs, cells in page.in_section("overdue") if "data-ref" in attrs]
    assert len(rows) == 12
    for attrs, cells in rows:
        assert cells[2] == leads[attrs["data-ref"]]
        assert cells[4] in {"● G On track", "▲ A Some issues", "✖ R Off track", "○ – Not started"}
        assert cells[5].startswith("overdue by ")


def test_html_escapes_markup_in_every_user_field(db_path) -> None:
    from plantui.store.opening import open_database
    from plantui.store.plans import load_document

    db = open_database(db_path)
    try:
        load_document(db, mini_plan(markup=True))
        add_note(db, "1.1.1.2", MARKUP, author='"><script>x</script>')
        set_status(db, "1.1.1.2", "some_issues", note=MARKUP, author="A")
        html = render(gather_report(db, today=TODAY, since=date(2022, 1, 1)), "html")
    finally:
        db.close()
    page = parse(html)
    assert "script" not in page.tags and "b" not in page.tags and "i" not in page.tags
    text = " ".join(page.text)
    assert "[bold]x[/] [link=y] [" in text
    assert MARKUP in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_as_at_a_past_day_shows_the_plan_then(after_meeting) -> None:
    before = gather_report(after_meeting, today=TODAY, as_at=date(2022, 10, 30))
    assert before.historical and before.as_at == date(2022, 10, 30)
    assert [a.ref for a in before.off_track] == ["4.2.1.1", "4.2.1.2"]
    now = gather_report(after_meeting, today=TODAY)
    assert [a.ref for a in now.off_track] == ["4.1.1.2", "4.2.1.2"]
    text = render(before, "md")
    assert "rebuilt from its change history" in text and "plan as at **30 Oct 2022**" in text


def test_movement_since_a_day_before_as_at_is_refused_the_wrong_way_round(after_meeting) -> None:
    from plantui.domain.errors import InputError

    with pytest.raises(InputError, match="not before the end of 2022-10-01"):
        gather_report(after_meeting, today=TODAY, as_at=date(2022, 10, 1), since=date(2022, 10, 5))


def test_markdown_renders_as_tables_with_plan_text_kept_as_text(db_path) -> None:
    """Rendered as a code-hosting site does (CommonMark with tables), markup in plan text stays text."""
    from markdown_it import MarkdownIt

    from plantui.store.opening import open_database
    from plantui.store.plans import load_document

    db = open_database(db_path)
    try:
        load_document(db, mini_plan(markup=True))
        set_status(db, "1.1.1.3", "off_track", note=f"{MARKUP} ~~gone~~ _under_", author="A*B",
                   at=datetime(2022, 10, 20))  # fmt: skip
        text = render(gather_report(db, today=TODAY, since=date(2022, 10, 1)), "md")
    finally:
        db.close()
    html = MarkdownIt("commonmark").enable("table").enable("strikethrough").render(text)
    page = parse(html)
    assert page.references == []  # no link, image or autolink came out of plan text
    assert not page.tags & {"script", "b", "em", "s", "del", "code", "a", "img"}
    assert len(re.findall(r"^## ", text, flags=re.M)) == html.count("<h2>") == 7
    assert html.count("<table>") == len(re.findall(r"^\| --- ", text, flags=re.M))
    for table in html.split("<table>")[1:]:  # every row has the header's cells: none split or swallowed
        table = table.split("</table>")[0]
        header = len(re.findall(r"<th[ >]", table.split("</thead>")[0]))
        rows = table.split("</thead>")[1].split("</tr>")[:-1]
        assert rows and all(len(re.findall(r"<td[ >]", row)) == header for row in rows)
    body = " ".join(page.text)
    assert f"{MARKUP} ~~gone~~ _under_" in body
    assert "Test Improvement Plan[bold]x[/] [link=y] [" in body
    assert "A*B" in body


def test_movement_commentary_takes_a_note_written_after_the_status_change(db_path) -> None:
    """Meeting mode records the status key and the note (`n`) as two changes; the report joins them."""
    from plantui.store.opening import open_database
    from plantui.store.plans import load_document

    db = open_database(db_path)
    try:
        load_document(db, mini_plan())
        set_status(db, "1.1.1.2", "on_track", author="A", at=datetime(2022, 10, 10, 9))
        add_note(db, "1.1.1.2", "Two posts filled", author="A", at=datetime(2022, 10, 10, 9, 1))
        set_status(
            db, "1.1.1.3", "off_track", note="Post frozen", author="B", at=datetime(2022, 10, 10, 9, 2)
        )
        add_note(db, "1.1.1.3", "Said later", author="B", at=datetime(2022, 10, 10, 9, 3))
        add_note(db, "1.1.1.1", "Earlier word", author="C", at=datetime(2022, 10, 10, 9, 4))
        set_status(db, "1.1.1.1", "some_issues", author="C", at=datetime(2022, 10, 10, 9, 5))
        report = gather_report(db, today=TODAY, since=date(2022, 10, 1))
    finally:
        db.close()
    assert report.movement is not None
    said = {item.move.ref: item.note for item in report.movement.moved}
    assert said == {"1.1.1.1": "", "1.1.1.2": "Two posts filled", "1.1.1.3": "Post frozen"}


# -- the update round ---------------------------------------------------------------------------------


def test_the_report_says_how_many_leads_returned_by_the_due_date_and_who_has_not(db_path) -> None:
    from plantui.store.leads import set_lead
    from plantui.store.opening import open_database
    from plantui.store.plans import load_document
    from plantui.store.returns import ReturnUpdate, collect_return
    from plantui.store.rounds import start_round

    db = open_database(db_path)
    load_document(db, mini_plan())
    set_lead(db, "Assistant Director Safeguarding", person=MARKUP)
    assert gather_report(db, today=TODAY).updates is None  # no round yet: no section
    detail = start_round(db, due=date(2022, 11, 15), today=TODAY, scope="theme:1", author="Lead")
    officers = {r.lead.role: r.lead.id for r in detail.requests}
    for role, ref, day in (("Head of Service", "1.1.1.3", 10), ("Head of Quality Assurance", "1.2.1.1", 20)):
        collect_return(
            db, token=detail.round.token, officer_id=officers[role], digest=role, file_name=f"{role}.xlsx",
            where=role, updates=(ReturnUpdate(ref, None, None, "Noted", "r"),), collected_by="Lead",
            at=datetime(2022, 11, day, 9),
        )  # fmt: skip
    report = gather_report(db, today=date(2022, 11, 21))
    markdown = render(report, "md")
    section = md_sections(markdown)["Updates from the leads"]
    assert (
        "Updates this round: 1 of 3 leads returned by the due date, 15 Nov 2022 (round 1 over theme:1, open)."
        in section
    )
    assert section.index("Not returned (1):") < section.index("Returned after the due date (1):")
    assert "- Head of Quality Assurance\n" in section and "Head of Service\n" not in section
    assert "<script>" not in markdown
    html = render(report, "html")
    assert "<strong>Updates this round: 1 of 3 leads returned by the due date, 15 Nov 2022</strong>" in html
    assert "<script>alert" not in html and "Assistant Director Safeguarding (&lt;b&gt;bold" in html
    import io

    import docx

    paper = docx.Document(io.BytesIO(render_bytes(report, "docx")))
    words = [paragraph.text for paragraph in paper.paragraphs]
    at = words.index("Updates from the leads")
    assert words[at + 1].startswith("Updates this round: 1 of 3 leads returned by the due date, 15 Nov 2022")
    assert "Head of Quality Assurance" in words[at + 2 : at + 6]
    assert gather_report(db, today=TODAY, as_at=date(2022, 10, 31)).updates is None
    db.close()
