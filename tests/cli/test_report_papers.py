"""Board papers as councils circulate them: `plantui report --format pdf` and `--format docx`, read
back as a member or an officer would meet them (the PDF's text and a page as a picture, the Word
document's headings, tables and pictures), and a missing system library said in one line."""

from __future__ import annotations

import ctypes.util
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from plantui.cli.main import cli

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="poppler-utils (pdftotext, pdftoppm) is not installed: `make test` installs it",
)


def run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db), "--today", "2022-11-01", "--author", "Lead", *args])
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("papers") / "plan.db"
    run(db, "demo")
    run(db, "meeting", "start", "--title", "Board [Nov] & <co>", "--scope", "plan")
    run(db, "set", "4.1.1.2", "--rag", "off_track", "--note", "Governing body <not> formed & [late]")
    run(db, "meeting", "end")
    return db


def plan_counts(db: Path) -> tuple[Counter, int]:
    every = json.loads(run(db, "list", "--json"))
    return Counter(r["rag"] for r in every), len(json.loads(run(db, "list", "--json", "--overdue")))


@needs_poppler
def test_the_pdf_opens_with_the_headline_on_page_one_and_draws_the_charts(
    sample: Path, tmp_path: Path
) -> None:
    pdf = tmp_path / "board.pdf"
    run(sample, "report", "-o", str(pdf))  # the format from the file's ending
    assert pdf.read_bytes().startswith(b"%PDF-")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info) and "Tagged:          yes" in info
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert all(" yes yes " in line for line in fonts.splitlines()[2:]) and len(fonts.splitlines()) > 2
    page_one = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    counts, overdue = plan_counts(sample)
    share = (counts["complete"] + counts["on_track"]) / (sum(counts.values()) - counts["bau"])
    assert f"{share:.0%} on track or complete" in page_one
    assert f"{overdue} overdue" in page_one
    assert re.search(rf"✖ R Off track\s+{counts['off_track']}\b", page_one)
    assert "Since the last board, 'Board [Nov] & <co>'" in page_one  # plan text as written
    assert "Where the plan stands" in page_one and "Whole plan" in page_one  # the bars' own labels
    assert re.search(
        r"Children’s Improvement Plan: Improvement Board report, plan as at 1 Nov 2022\s+Page 1 of \d+",
        page_one,
    )

    subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", "40", "-png", str(pdf), str(tmp_path / "p")], check=True
    )
    from PIL import Image

    (png,) = tmp_path.glob("p*.png")
    colours = {colour for _, colour in Image.open(png).convert("RGB").getcolors(1 << 20)}
    legend = {
        (0x3B, 0x82, 0xF6),
        (0x22, 0xC5, 0x5E),
        (0xF5, 0x9E, 0x0B),
        (0xA8, 0x55, 0xF7),
    }  # B, G, A, BAU fills
    assert legend <= colours  # the charts are drawn on page one, in the statuses' colours


def test_the_word_document_has_headings_worded_shaded_status_cells_and_the_charts(
    sample: Path, tmp_path: Path
) -> None:
    import docx

    path = tmp_path / "board.docx"
    run(sample, "report", "--format", "docx", "-o", str(path))
    document = docx.Document(str(path))
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[0] == ("Title", "Children’s Improvement Plan: Improvement Board report")
    assert [text for style, text in headings if style == "Heading 1"][:3] == [
        "Headline",
        "Where the plan stands",
        "Summary by theme and area",
    ]
    assert headings[-1] == ("Heading 1", "Status key")
    assert len(document.inline_shapes) == 2  # the bars and the trend
    for shape in document.inline_shapes:
        blob = document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        assert blob.startswith(b"\x89PNG")

    counts, overdue = plan_counts(sample)
    headline = document.tables[0]
    assert [c.text for c in headline.rows[0].cells][3] == "✖ R Off track"
    assert [int(c.text) for c in headline.rows[1].cells][3] == counts["off_track"]
    body = "\n".join(p.text for p in document.paragraphs)
    assert f"{overdue} overdue" in body

    off_track = next(t for t in document.tables if t.rows[0].cells[0].text == "Ref" and len(t.columns) == 6
                     and t.rows[0].cells[5].text == "Latest commentary")  # fmt: skip
    assert any(row.cells[5].text == "Governing body <not> formed & [late]" for row in off_track.rows[1:])
    overdue_table = next(
        t for t in document.tables if [c.text for c in t.rows[0].cells][4:] == ["Status", "Due"]
    )
    assert len(overdue_table.rows) - 1 == overdue
    for row in overdue_table.rows[1:]:
        cell = row.cells[4]
        shading = cell._tc.tcPr.xpath("./w:shd/@w:fill")
        assert cell.text in {"● G On track", "▲ A Some issues", "✖ R Off track", "○ – Not started"}
        assert shading == [{"● G On track": "DCFCE7", "▲ A Some issues": "FEF3C7", "✖ R Off track": "FEE2E2",
                            "○ – Not started": "F3F4F6"}[cell.text]]  # fmt: skip


def test_without_pango_the_pdf_says_what_to_install_and_word_still_works(
    sample: Path, tmp_path: Path
) -> None:
    """A real process whose `weasyprint` fails to import as it does when Pango is not installed."""
    broken = tmp_path / "no-pango"
    (broken / "weasyprint").mkdir(parents=True)
    (broken / "weasyprint" / "__init__.py").write_text(
        "raise OSError(\"cannot load library 'libpango-1.0-0': cannot open shared object file\")\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(broken), os.environ.get("PYTHONPATH", "")])}
    base = [sys.executable, "-m", "plantui", "--db", str(sample), "--today", "2022-11-01", "report"]
    pdf = subprocess.run([*base, "-o", str(tmp_path / "b.pdf")], capture_output=True, text=True, env=env)
    assert pdf.returncode != 0
    assert pdf.stderr.count("\n") == 1 and "Traceback" not in pdf.stderr
    assert "Pango" in pdf.stderr and "apt-get install libpango-1.0-0" in pdf.stderr
    assert not (tmp_path / "b.pdf").exists()
    word = subprocess.run([*base, "-o", str(tmp_path / "b.docx")], capture_output=True, text=True, env=env)
    assert word.returncode == 0 and (tmp_path / "b.docx").stat().st_size > 10_000


@pytest.fixture(scope="module")
def crowded(tmp_path_factory) -> Path:
    """A generated plan of 700 actions (at 1 Nov 2022, 57 off track, 97 with some issues, 189 overdue)
    and 120 measures."""
    folder = tmp_path_factory.mktemp("crowded")
    plan = folder / "plan.json"
    generator = Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"
    subprocess.run(
        [
            sys.executable,
            str(generator),
            "--actions",
            "700",
            "--history",
            "0",
            "--seed",
            "2",
            "--measures",
            "120",
            "-o",
            str(plan),
        ],
        check=True,
        capture_output=True,
    )
    db = folder / "plan.db"
    run(db, "import", str(plan))
    return db


def _cut_line(shown: int, total: int, what: str, order: str = "in plan order") -> str:
    return (
        f"The first {shown} of {total} {what}, {order}; the full list is in the HTML report "
        "(plantui report --format html) and in plantui export."
    )


def crowded_lists(db: Path) -> dict[str, int]:
    counts, overdue = plan_counts(db)
    lists = {"off-track actions": counts["off_track"], "actions with some issues": counts["some_issues"]}
    lists["overdue actions"] = overdue
    assert min(lists.values()) > 25  # every list is longer than the papers show
    return lists


def test_the_word_paper_lists_the_first_25_of_each_long_list_and_the_html_report_every_row(
    crowded: Path, tmp_path: Path
) -> None:
    import docx

    path = tmp_path / "board.docx"
    run(crowded, "report", "-o", str(path))
    document = docx.Document(str(path))
    body = [p.text for p in document.paragraphs]
    lists = crowded_lists(crowded)
    for what, total in lists.items():
        assert _cut_line(25, total, what) in body
    assert f"{lists['overdue actions']} overdue" in "\n".join(body)  # the headline still counts them all
    overdue_table = next(
        t for t in document.tables if [c.text for c in t.rows[0].cells][4:] == ["Status", "Due"]
    )
    assert len(overdue_table.rows) - 1 == 25
    # The HTML report, where the line sends the reader, and the Markdown keep every row.
    page = tmp_path / "board.html"
    run(crowded, "report", "-o", str(page))
    overdue = re.search(r'<table class="overdue">(.*?)</table>', page.read_text(encoding="utf-8"), re.S)
    assert overdue is not None and overdue.group(1).count("<tr data-ref=") == lists["overdue actions"]
    assert "The first" not in page.read_text(encoding="utf-8")
    assert "The first" not in run(crowded, "report", "--format", "md")


@needs_poppler
def test_the_pdf_paper_cuts_the_same_lists_with_the_same_words(crowded: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "board.pdf"
    run(crowded, "report", "-o", str(pdf))
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flowing = " ".join(text.split())
    for what, total in crowded_lists(crowded).items():
        assert _cut_line(25, total, what) in flowing
    assert "report -format" not in flowing  # the command is never broken between its hyphens


@needs_poppler
def test_the_pdf_embeds_font_subsets_made_by_harfbuzz(sample: Path, tmp_path: Path, caplog) -> None:
    """`make paper-libs` installs HarfBuzz's subsetter; without it WeasyPrint falls back to fontTools
    and warns that the fallback is going away."""
    assert ctypes.util.find_library("harfbuzz-subset"), (
        "libharfbuzz-subset0 is missing: run `make paper-libs`"
    )
    from plantui.io.reports import render_bytes
    from plantui.io.reports.model import gather_report
    from plantui.store.opening import open_database

    database = open_database(sample)
    try:
        report = gather_report(database, today=date(2022, 11, 1))
    finally:
        database.close()
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        (tmp_path / "board.pdf").write_bytes(render_bytes(report, "pdf"))
    assert not [r.getMessage() for r in caplog.records if "HarfBuzz" in r.getMessage()]
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "board.pdf")], capture_output=True, text=True, check=True
    )
    lines = fonts.stdout.splitlines()[2:]
    assert lines and all(re.match(r"[A-Z]{6}\+", line) and " yes yes " in line for line in lines)


def test_the_papers_scorecard_stops_at_50_measures_and_the_off_target_list_at_25(
    crowded: Path, tmp_path: Path
) -> None:
    """The papers' scorecard lists the first 50 measures and the off-target list the 25 furthest short,
    each saying so; the HTML report keeps all 120 and every off-target one."""
    import docx

    page = tmp_path / "board.html"
    run(crowded, "report", "-o", str(page))
    html = page.read_text(encoding="utf-8")
    scorecard = re.search(r'<table class="scorecard">(.*?)</table>', html, re.S)
    assert scorecard is not None and scorecard.group(1).count("<tr data-measure=") == 120
    off = re.search(r'<table class="measures-off-target">(.*?)</table>', html, re.S)
    assert off is not None
    off_target = off.group(1).count("<tr data-measure=")
    assert off_target > 25

    path = tmp_path / "board.docx"
    run(crowded, "report", "-o", str(path))
    document = docx.Document(str(path))
    body = [p.text for p in document.paragraphs]
    assert _cut_line(50, 120, "measures") in body
    assert _cut_line(25, off_target, "measures off target", "the furthest short first") in body
    heads = {tuple(c.text for c in t.rows[0].cells): len(t.rows) - 1 for t in document.tables}
    assert heads[("Ref", "Measure", "Latest", "Period", "Target", "Status", "Trend", "Last 12 periods")] == 50
    assert heads[("Ref", "Measure", "Owner", "Latest", "Period", "Target", "Trend", "Evidences")] == 25
