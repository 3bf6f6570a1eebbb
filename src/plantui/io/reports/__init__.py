"""The board report: `model.gather_report()` collects what it holds once; `render(report, fmt)` lays
it out as Markdown (`markdown.render_markdown`) or HTML (`html.render_html`), in the words of
`plantui.domain.wording`. See docs/board-report.md."""

from __future__ import annotations

FORMATS = ("md", "html")


def render(report, fmt: str) -> str:  # report: BoardReport
    """The report in `fmt` ("md" or "html")."""
    if fmt == "html":
        from plantui.io.reports.html import render_html

        return render_html(report)
    from plantui.io.reports.markdown import render_markdown

    return render_markdown(report)
