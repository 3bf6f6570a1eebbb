"""The board report as a PDF: the HTML report laid out on A4 by WeasyPrint, with the plan and the
day in the footer and page numbers, its fonts embedded (as subsets) and its headings tagged for
screen readers. The charts are the same inline SVG, drawn by WeasyPrint itself. Like the Word
paper, it lists the first `model.PAPER_LIST_LIMIT` actions of each long list and says where the rest
are (`BoardReport.papers`).

WeasyPrint needs Pango from the system. When it is missing the import fails with an OSError; that
becomes one line saying what to install, and the other formats still work.
"""

from __future__ import annotations

from plantui.domain.errors import PlantuiError
from plantui.domain.wording import day_text
from plantui.io.reports.html import render_html
from plantui.io.reports.model import BoardReport
from plantui.io.reports.words import one_line

PANGO_HINT = (
    "PDF board papers need the Pango library, which this system lacks: install it "
    "(Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0; macOS: brew install pango), "
    "or use --format html, md or docx"
)


_MARGIN_TEXT = 'font-family: "Segoe UI", Arial, Helvetica, sans-serif; font-size: 8pt; color: #333;'


class MissingLibraryError(PlantuiError):
    """A format needs a system library this machine does not have."""


def css_string(text: str) -> str:
    """User text as a CSS string's contents: one line, quotes and backslashes escaped."""
    return "".join(f"\\{ord(ch):x} " if ch in '"\\' or ord(ch) < 0x20 else ch for ch in one_line(text))


def _page_css(report: BoardReport) -> str:
    footer = f"{report.title}: Improvement Board report, plan as at {day_text(report.as_at)}"
    return (
        "@page { size: A4; margin: 14mm 12mm 18mm 12mm;"
        f' @bottom-left {{ content: "{css_string(footer)}"; {_MARGIN_TEXT} }}'
        f' @bottom-right {{ content: "Page " counter(page) " of " counter(pages); {_MARGIN_TEXT} }} }}'
        " table.trend { break-inside: avoid; }"
        " body { max-width: none; padding: 0; }"
    )


def _weasyprint():
    try:
        import weasyprint
    except OSError as error:  # Pango (or GObject) not found by cffi
        raise MissingLibraryError(PANGO_HINT) from error
    return weasyprint


def render_pdf(report: BoardReport) -> bytes:
    weasyprint = _weasyprint()
    document = weasyprint.HTML(string=render_html(report.papers()))
    pdf = document.write_pdf(stylesheets=[weasyprint.CSS(string=_page_css(report))], pdf_tags=True)
    assert pdf is not None
    return pdf
