"""The board report's pictures: stacked bars per theme and a trend at the last boards, drawn as inline
SVG from the same counts the tables show, lettered so they read in black and white, and rebuilt with
as-at for the trend."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime

import pytest

from plantui.domain.rollup import StatusCounts
from plantui.io.reports import render
from plantui.io.reports.model import gather_report
from plantui.store.as_at import plan_as_at
from plantui.store.changes import set_status
from plantui.store.meetings import end_meeting, start_meeting
from plantui.store.opening import open_database
from plantui.store.plans import load_document
from tests.conftest import mini_plan

TODAY = date(2022, 11, 1)
HOSTILE = '</svg><script>alert(1)</script> & [b] "q"'


@pytest.fixture
def sample_db(db_path):
    from plantui.io.sample import load_sample

    db = open_database(db_path)
    load_document(db, load_sample())
    yield db
    db.close()


def svg_of(html: str, element_id: str) -> ET.Element:
    """The inline `<svg id=…>` parsed as XML: it must be well formed on its own."""
    match = re.search(rf'<svg id="{element_id}".*?</svg>', html, flags=re.S)
    assert match, element_id
    return ET.fromstring(match.group(0))


def texts(svg: ET.Element) -> list[str]:
    return [t.text or "" for t in svg.iter("text")]


def boards(db, count: int) -> list[tuple[str, datetime]]:
    """`count` boards a month apart, each moving one more action of theme 4 to off track."""
    refs = ["4.1.1.1", "4.1.1.2", "4.1.1.4", "4.1.1.10", "4.1.1.13", "4.1.1.14", "4.2.2.1", "4.3.1.1"]
    held = []
    for n in range(count):
        start = datetime(2022, 3 + n, 10, 10)
        start_meeting(db, f"Board {n + 1} <&>", "plan", author="Lead", at=start)
        set_status(db, refs[n], "off_track", author="Lead", at=start.replace(minute=5))
        end = start.replace(hour=12)
        end_meeting(db, at=end)
        held.append((f"Board {n + 1} <&>", end))
    return held


def test_the_bars_draw_each_theme_and_the_whole_plan_from_the_summary_counts(sample_db) -> None:
    report = gather_report(sample_db, today=TODAY)
    html = render(report, "html")
    svg = svg_of(html, "bars-chart")
    rows = [*(t.theme for t in report.themes), None]
    bar_room = 680 - 200 - 70
    rects = [r for r in svg.iter("rect")]
    fills = {s.colour: s for s in report.statuses}
    # each row's segments, in order, are as wide as its counts' share of the bar
    y_rows = sorted({float(r.get("y")) for r in rects})
    assert len(y_rows) == len(rows)
    for y, section in zip(y_rows, rows, strict=True):
        counts: StatusCounts = section.counts if section is not None else report.plan
        segments = [r for r in rects if float(r.get("y")) == y]
        drawn = {fills[r.get("fill")].code: float(r.get("width")) for r in segments}
        assert drawn == pytest.approx(
            {code: bar_room * n / counts.total for code, n in counts.items() if n}, abs=0.1
        )
    # read without colour: every count is written out, letter and number, and the letters sit in the bars
    words = texts(svg)
    plan = report.plan
    assert " · ".join(f"{s.letter} {plan[s.code]}" for s in report.statuses if plan[s.code]) in words
    assert {"B", "G", "A", "BAU"} <= set(words)
    assert words.count(f"{plan.share_on_track:.0%}") >= 1
    assert svg.find("title").text.startswith("Status of each theme and the whole plan as at 1 Nov 2022")


def test_the_trend_shows_the_last_six_boards_as_they_left_the_plan(sample_db) -> None:
    held = boards(sample_db, 8)
    report = gather_report(sample_db, today=TODAY)
    points = report.trend
    assert [p.name for p in points] == [name for name, _ in held[-6:]] + ["as at"]
    for point, (_, ended) in zip(points, held[-6:], strict=False):
        then = plan_as_at(sample_db, ended)
        assert point.counts == StatusCounts.of(r.status for r in then)
    offs = [p.counts["off_track"] for p in points]
    assert offs == sorted(offs) and offs[-1] - offs[0] == 5  # one more off track at each board

    html = render(report, "html")
    svg = svg_of(html, "trend-chart")
    words = texts(svg)
    assert "Board 8 <&>" in words and "Board 2 <&>" not in words  # only the last six, titles as text
    strip = words[words.index("R Off track") + 1 : words.index("R Off track") + 1 + len(points)]
    assert strip == [str(n) for n in offs]  # every count written, whatever the bar's height
    assert "Board 8 &lt;&amp;&gt;" in html and "Board 8 <&>" not in html
    table = md_trend(render(report, "md"))
    names = [f"Board {n} \\<&\\>" for n in range(3, 9)]
    days = _days(held[-6:])
    assert table[0][1:] == [f"{name}, {day}" for name, day in zip(names, days, strict=True)] + [
        "as at, 1 Nov 2022"
    ]


def _days(held) -> list[str]:
    from plantui.domain.wording import day_text

    return [day_text(ended.date()) for _, ended in held]


def md_trend(text: str) -> list[list[str]]:
    section = text.split("## Trend", 1)[1].split("\n## ", 1)[0]
    return [
        [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        for line in section.splitlines()
        if line.startswith("|") and not line.startswith("| ---")
    ]


def test_without_boards_the_trend_takes_the_last_six_month_ends(sample_db) -> None:
    report = gather_report(sample_db, today=TODAY, as_at=date(2022, 10, 15))
    assert [(p.kind, p.day) for p in report.trend] == [
        *(("month end", date(2022, m, d)) for m, d in ((4, 30), (5, 31), (6, 30), (7, 31), (8, 31), (9, 30))),
        ("as at", date(2022, 10, 15)),
    ]
    assert "at the end of the last 6 month ends" in render(report, "md")


def test_plan_text_in_the_pictures_stays_text(db_path) -> None:
    plan = mini_plan()
    plan.themes[0].title = HOSTILE
    db = open_database(db_path)
    try:
        load_document(db, plan)
        start_meeting(db, HOSTILE, "plan", author="Lead", at=datetime(2022, 10, 3, 10))
        end_meeting(db, at=datetime(2022, 10, 3, 11))
        html = render(gather_report(db, today=TODAY), "html")
    finally:
        db.close()
    bars, trend = svg_of(html, "bars-chart"), svg_of(html, "trend-chart")  # both still well formed
    assert "<script>" not in html and "</svg><script>" not in html
    assert any(w.startswith("1 </svg><script>") for w in texts(bars))  # cut to fit, but as written
    assert any(w.startswith("</svg><script>") for w in texts(trend))
    assert HOSTILE in (trend.find("desc").text or "")
