"""The board report: `model.gather_report()` collects what it holds once; `render(report, fmt)` lays
it out as Markdown (`markdown.render_markdown`), HTML (`html.render_html`), PDF (`pdf.render_pdf`,
the HTML on A4 by WeasyPrint) or Word (`word.render_docx`), in the words of
`plantui.domain.wording`. See docs/board-report.md."""

from __future__ import annotations

FORMATS = ("md", "html", "pdf", "docx")
BINARY_FORMATS = ("pdf", "docx")
SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx"}


def render(report, fmt: str) -> str:  # report: BoardReport
    """The report in a text format ("md" or "html")."""
    if fmt == "html":
        from plantui.io.reports.html import render_html

        return render_html(report)
    from plantui.io.reports.markdown import render_markdown

    return render_markdown(report)


def render_bytes(report, fmt: str) -> bytes:  # report: BoardReport
    """The report in any format as the bytes of its file; a missing system library a format needs
    is a `pdf.MissingLibraryError` (one line saying what to install)."""
    if fmt == "pdf":
        from plantui.io.reports.pdf import render_pdf

        return render_pdf(report)
    if fmt == "docx":
        from plantui.io.reports.word import render_docx

        return render_docx(report)
    return render(report, fmt).encode("utf-8")
