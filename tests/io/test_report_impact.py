"""The board report counts the delivered and the impact evidenced apart, in its headline, in
Markdown, HTML and Word; a report as at a past day counts the marks as they stood then."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import docx

from plantui.io.reports import render, render_bytes
from plantui.io.reports.model import gather_report
from plantui.store.changes import add_evidence, set_impact

TODAY = date(2022, 11, 1)


def evidenced(database):
    """1.1.1.1 (complete) and 1.1.1.3 (on track) evidenced on 14 October, marked on 20 October
    (in the order of the days: as-at follows the order changes were committed in)."""
    refs = ("1.1.1.1", "1.1.1.3")
    for ref in refs:
        add_evidence(database, ref, "Audit [bold]x[/]", day=date(2022, 10, 14), author="Ann",
                     at=datetime(2022, 10, 14, 9))  # fmt: skip
    for ref in refs:
        set_impact(database, ref, True, author="Ann", at=datetime(2022, 10, 20, 9))
    return database


def test_the_headline_counts_delivered_and_impact_evidenced_apart_in_every_format(database) -> None:
    report = gather_report(evidenced(database), today=TODAY)
    head = report.headline
    assert (head.delivered, head.impact_evidenced) == (1, 2)
    markdown = render(report, "md")
    headline = markdown.split("## Headline", 1)[1].split("\n## ", 1)[0]
    assert "✔ **1** delivered · ◆ **2** impact evidenced" in headline
    html = render(report, "html")
    figures = dict(re.findall(r'data-figure="(\w+)">([^<]*)<', html))
    assert (figures["delivered"], figures["impact_evidenced"]) == ("1", "2")
    paper = docx.Document(io.BytesIO(render_bytes(report, "docx")))
    assert any(p.text.startswith("✔ 1 delivered · ◆ 2 impact evidenced") for p in paper.paragraphs)


def test_a_report_as_at_a_past_day_counts_the_marks_as_they_stood(database) -> None:
    evidenced(database)
    assert gather_report(database, today=TODAY, as_at=date(2022, 10, 15)).headline.impact_evidenced == 0
    assert gather_report(database, today=TODAY, as_at=date(2022, 10, 21)).headline.impact_evidenced == 2
