"""The board report's scorecard, parsed from what each format says: the Markdown table, the HTML rows
and their inline SVG sparklines, the Word table's cells; off-target measures among the exceptions; the
headline's count; a finding at risk through its measure; as at a past day."""

from __future__ import annotations

import io
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from plantui.io.reports import render, render_bytes
from plantui.io.reports.model import gather_report
from plantui.store.opening import open_database
from tests.conftest import SCORED_NAME, TODAY, record_scores, scored_plan, stored_plan

HEADER = ["Ref", "Measure", "Latest", "Period", "Target", "Status", "Trend", "Last 12 periods"]


@pytest.fixture
def scored_db(tmp_path: Path):
    path = stored_plan(tmp_path / "plan.db", scored_plan())
    record_scores(path)
    database = open_database(path)
    yield database
    database.close()


def md_section(text: str, title: str) -> str:
    return next(part for part in re.split(r"^## ", text, flags=re.M) if part.startswith(title + "\n"))


def md_table(section: str) -> list[list[str]]:
    """The first table in `section` as rows of cells, the header first (the rule row dropped)."""
    lines = [line for line in section.splitlines() if line.startswith("|")]
    rows = [[c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]] for line in lines]
    return [rows[0], *rows[2:]]


def test_markdown_scorecard_has_every_measure_with_values_and_trend_words(scored_db) -> None:
    text = render(gather_report(scored_db, today=TODAY), "md")
    section = md_section(text, "Scorecard")
    header, *rows = md_table(section)
    assert header == HEADER
    by_ref = {row[0]: row for row in rows}
    assert [row[0] for row in rows] == ["M1", "M2", "M3", "M10", "M4"]  # plan order
    assert by_ref["M1"] == [
        "M1", SCORED_NAME.replace("[", "\\[").replace("]", "\\]"), "72%", "Oct 2022", "≥ 80% (within 5%)",
        "✖ Off target", "▼ worse", "– · – · 70 · 74 · 76 · 78 · 80 · 82 · 79 · 83 · 81 · 72",
    ]  # fmt: skip
    assert by_ref["M2"][5:7] == ["◐ Within tolerance", "▲ better"]
    assert by_ref["M3"][5] == "✔ Met"
    assert by_ref["M10"][2:] == ["–", "–", "≤ 15% (within 3%)", "? No data", "–", "–"]
    assert by_ref["M4"][3:6] == ["Jul–Sep 2022", "–", "– No target"]
    headline = md_section(text, "Headline")
    assert "**1** of 5 measures off target." in headline
    exceptions = md_section(text, "Exceptions")
    off = exceptions[exceptions.index("### ✖ Measures off target (1)") :]
    header, *rows = md_table(off)
    assert header[-1] == "Evidences"
    assert rows == [
        ["M1", SCORED_NAME.replace("[", "\\[").replace("]", "\\]"), "Jane Smith", "72%", "Oct 2022",
         "≥ 80% (within 5%)", "▼ worse", "1.1.1.2; 1.1.1; finding 1"],
    ]  # fmt: skip
    findings = md_section(text, "Inspection findings")
    assert re.search(r"\*\*Finding 1\*\* .*\n  ⚠ .*1 measure off target \(M1\)", findings)


class _Scorecard(HTMLParser):
    """The rows of the scorecard table: each row's data attributes, cell texts and any SVG in it."""

    def __init__(self, table_class: str) -> None:
        super().__init__()
        self.table_class = table_class
        self.inside = False
        self.rows: list[dict] = []
        self.figures: dict[str, str] = {}
        self._figure: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("class") == self.table_class:
            self.inside = True
        elif self.inside and tag == "tr" and "data-measure" in attrs:
            self.rows.append(
                {"measure": attrs["data-measure"], "status": attrs["data-status"], "cells": [], "svg": []}
            )
        elif self.inside and tag == "td":
            self._cell = []
        elif self.inside and self.rows and tag in ("polyline", "circle", "line", "title"):
            self.rows[-1]["svg"].append((tag, attrs))
        if tag == "strong" and "data-figure" in attrs:
            self._figure = attrs["data-figure"]

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif tag == "td" and self._cell is not None:
            self.rows[-1]["cells"].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._figure is not None:
            self.figures[self._figure] = data
            self._figure = None


def test_html_scorecard_rows_say_status_in_words_and_draw_inline_svg_sparklines(scored_db) -> None:
    html = render(gather_report(scored_db, today=TODAY), "html")
    parsed = _Scorecard("scorecard")
    parsed.feed(html)
    by_ref = {row["measure"]: row for row in parsed.rows}
    assert list(by_ref) == ["M1", "M2", "M3", "M10", "M4"]
    m1 = by_ref["M1"]
    assert m1["status"] == "off_target"
    assert m1["cells"][:7] == [
        "M1", SCORED_NAME, "72%", "Oct 2022", "≥ 80% (within 5%)", "✖ Off target", "▼ worse",
    ]  # fmt: skip
    tags = [tag for tag, _ in m1["svg"]]
    assert tags.count("polyline") == 1 and tags.count("line") == 1  # one run of values, the target dashed
    assert tags.count("circle") == 11  # a dot on each of the 10 values, and the ring on the latest
    assert "stroke-dasharray" in dict(m1["svg"][tags.index("line")][1])
    assert all(attrs.get("stroke", "#111") == "#111" for _, attrs in m1["svg"])  # black ink only
    assert by_ref["M10"]["cells"][-1] == "no values"
    assert parsed.figures["measures_off_target"] == "1"
    assert "<script" not in html and "[b]within[/b]" in html  # the name as data
    off = _Scorecard("measures-off-target")
    off.feed(html)
    assert [row["measure"] for row in off.rows] == ["M1"]


def test_word_scorecard_table_has_status_words_in_its_cells(scored_db) -> None:
    import docx

    paper = docx.Document(io.BytesIO(render_bytes(gather_report(scored_db, today=TODAY), "docx")))
    (table,) = [t for t in paper.tables if [c.text for c in t.rows[0].cells] == HEADER]
    cells = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows[1:]}
    assert cells["M1"][5:7] == ["✖ Off target", "▼ worse"]
    assert cells["M2"][5] == "◐ Within tolerance"
    assert cells["M10"][5] == "? No data"
    assert any("1 of 5 measures off target." in p.text for p in paper.paragraphs)


def test_as_at_a_past_day_the_scorecard_shows_values_as_they_stood(scored_db) -> None:
    report = gather_report(scored_db, today=TODAY, as_at=date(2022, 10, 20))
    by_ref = {row.measure.ref: row for row in report.measures}
    assert (by_ref["M1"].standing.value, by_ref["M1"].standing.status) == (85, "met")  # before the correction
    assert by_ref["M2"].standing.period == "2022-09"
    assert by_ref["M3"].standing.status == "off_target"  # September's 19 cases; October's 17 came later
    assert [row.measure.ref for row in report.off_target_measures] == ["M3"]
    assert "**1** of 5 measures off target." in render(report, "md")
