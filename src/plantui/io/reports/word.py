"""The board report as a Word document (.docx) a committee officer can finish and file: real headings
(Title, Heading 1 and 2), tables with every status cell shaded in its colour and worded (symbol,
letter and words), the charts as PNG pictures (`raster.py`), A4 pages with the plan, the day and the
page number in the footer. Plan text goes in as text runs, so nothing in it becomes a field or markup.
"""

from __future__ import annotations

from io import BytesIO

from plantui.domain.statuses import STATUSES
from plantui.domain.views import ActionRow
from plantui.domain.wording import (
    action_due_words,
    action_slip_words,
    day_text,
    measure_status_words,
    plural,
    status_words_lettered,
    trend_words,
)
from plantui.io.reports.charts import plan_bars, trend_drawing
from plantui.io.reports.model import BoardReport, share_text
from plantui.io.reports.raster import to_png
from plantui.io.reports.trend import points_word
from plantui.io.reports.words import (
    COLOUR_NAMES,
    FURTHEST_SHORT_FIRST,
    board_movement_words,
    cut_list_words,
    latest_period_words,
    latest_words,
    leads_text,
    linked_words,
    measure_target_words,
    measures_headline_words,
    one_line,
    point_heading,
    recent_values_words,
    share_words,
    signed,
    update_line,
)

# Light tints of the legend's colours, so black text on them stays readable in print.
TINTS = {
    "complete": "DBEAFE",
    "on_track": "DCFCE7",
    "some_issues": "FEF3C7",
    "off_track": "FEE2E2",
    "not_started": "F3F4F6",
    "bau": "F3E8FF",
}
# A measure's status cell takes the tint of the action status that means the same (words say it too).
MEASURE_TINTS = {"met": "on_track", "within_tolerance": "some_issues", "off_target": "off_track"}


def _docx():
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt

    return docx, OxmlElement, qn, Cm, Mm, Pt


def render_docx(report: BoardReport) -> bytes:
    report = report.papers()  # the long lists cut short, as in the PDF
    docx, _, _, Cm, Mm, Pt = _docx()
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(15)
    section.top_margin, section.bottom_margin = Mm(15), Mm(18)
    document.styles["Normal"].font.size = Pt(10)
    document.core_properties.title = one_line(f"{report.title}: Improvement Board report")
    _footer(document, report)

    document.add_heading(one_line(f"{report.title}: Improvement Board report"), level=0)
    facts = [one_line(x) for x in (report.organisation, report.phase) if x]
    facts.append(f"plan as at {day_text(report.as_at)}")
    if report.today != report.as_at:
        facts.append(f"due dates judged as at {day_text(report.today)}")
    document.add_paragraph(" · ".join(facts))
    if report.historical:
        document.add_paragraph(
            f"The plan as it stood at the end of {day_text(report.as_at)}, rebuilt from its change history. "
            "Later changes are not shown."
        )
    # The sections in reading order, as in the HTML; a new section is one more call here.
    _headline(document, report)
    _pictures(document, report, Cm)
    _summary(document, report)
    if report.measures:
        _scorecard(document, report)
    if report.updates is not None:
        _updates(document, report.updates)
    if report.movement is not None:
        _movement(document, report)
    _exceptions(document, report)
    _findings(document, report)
    _key(document)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _footer(document, report: BoardReport) -> None:
    _, OxmlElement, qn, *_ = _docx()
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.add_run(
        one_line(f"{report.title}: Improvement Board report, plan as at {day_text(report.as_at)}")
    )
    paragraph.add_run(" · page ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind is not None:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
        else:
            field = OxmlElement("w:instrText")
            field.set(qn("xml:space"), "preserve")
            field.text = text
        run._r.append(field)


def _shade(cell, code: str) -> None:
    _, OxmlElement, qn, *_ = _docx()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), TINTS[code])
    cell._tc.get_or_add_tcPr().append(shading)


def _table(document, header: list[str], rows: list[list[str]], statuses: dict[int, int] | None = None):
    """A table with a bold header row repeated on each page; `statuses` maps a column to shade by the
    status code at that position of `codes` (see `_status_cells`)."""
    _, OxmlElement, qn, *_ = _docx()
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    return table


def _status_column(table, column: int, codes: list[str]) -> None:
    """Shade each body cell of `column` in the colour of its row's status (its words are already in it)."""
    for row, code in zip(table.rows[1:], codes, strict=True):
        _shade(row.cells[column], code)


def _headline(document, report: BoardReport) -> None:
    head = report.headline
    share, base = share_words(head.plan)
    document.add_heading("Headline", level=1)
    lead = document.add_paragraph()
    lead.add_run(f"{share} on track or complete").bold = True
    lead.add_run(f" ({base}). {plural(head.plan.total, 'action')} in all.")
    table = _table(
        document,
        [status_words_lettered(s.code) for s in STATUSES],
        [[str(head.plan[s.code]) for s in STATUSES]],
    )
    for index, s in enumerate(STATUSES):
        _shade(table.rows[0].cells[index], s.code)
    document.add_paragraph(one_line(board_movement_words(head.since_board, report.as_at)))
    late = f"{head.overdue} overdue · {head.slipped} slipped · {head.findings_at_risk} of "
    late += f"{plural(head.findings, 'finding')} at risk"
    if head.measures:
        late += f" · {measures_headline_words(head.measures_off_target, head.measures)}"
    document.add_paragraph(f"{late}.")
    document.add_paragraph(
        f"✔ {head.delivered} delivered · ◆ {head.impact_evidenced} impact evidenced (delivered says it was "
        "done; impact evidenced, that it made a difference)."
    )


def _scorecard(document, report: BoardReport) -> None:
    """Every measure where it stands, its status in words (shaded too) and its last 12 values."""
    document.add_heading("Scorecard", level=1)
    document.add_paragraph(
        f"Each measure's latest value recorded by the end of {day_text(report.as_at)}, against its target; "
        "the trend compares it with the period before. Last 12 periods oldest first, – for a period "
        "without a value."
    )
    rows = [
        [one_line(row.measure.ref), one_line(row.measure.name), one_line(latest_words(row)),
         latest_period_words(row), one_line(measure_target_words(row)),
         measure_status_words(row.standing.status), trend_words(row.standing.trend), recent_values_words(row)]
        for row in report.listed_measures(report.measures)
    ]  # fmt: skip
    header = ["Ref", "Measure", "Latest", "Period", "Target", "Status", "Trend", "Last 12 periods"]
    table = _table(document, header, rows)
    for row, measured in zip(table.rows[1:], report.listed_measures(report.measures), strict=True):
        like = MEASURE_TINTS.get(measured.standing.status)
        if like is not None:
            _shade(row.cells[5], like)
    _cut_note(document, len(rows), len(report.measures), "measures")


def _off_target(document, report: BoardReport) -> None:
    rows = report.off_target_measures
    document.add_heading(f"✖ Measures off target ({len(rows)})", level=2)
    document.add_paragraph("Measures whose latest value is off target, the furthest short first.")
    if not rows:
        document.add_paragraph("None.")
        return
    _table(
        document,
        ["Ref", "Measure", "Owner", "Latest", "Period", "Target", "Trend", "Evidences"],
        [
            [one_line(row.measure.ref), one_line(row.measure.name), one_line(row.measure.owner) or "–",
             one_line(latest_words(row)), latest_period_words(row), one_line(measure_target_words(row)),
             trend_words(row.standing.trend), one_line(linked_words(row))]
            for row in report.listed(rows)
        ],
    )  # fmt: skip
    _cut_note(document, len(report.listed(rows)), len(rows), "measures off target", FURTHEST_SHORT_FIRST)


def _pictures(document, report: BoardReport, Cm) -> None:
    document.add_heading("Where the plan stands", level=1)
    document.add_picture(BytesIO(to_png(plan_bars(report))), width=Cm(18))
    document.add_paragraph(
        "Each theme's actions by status (letters in the bars, counts beneath); on the right the share on "
        "track or complete."
    )
    document.add_picture(BytesIO(to_png(trend_drawing(report.trend))), width=Cm(18))
    document.add_paragraph(
        f"The number of actions in each status at the end of {points_word(report.trend)}, rebuilt from the "
        f"change history, and as at {day_text(report.as_at)}."
    )
    header = ["Status", *(f"{one_line(name)}, {day}" for name, day in map(point_heading, report.trend))]
    rows = [[status_words_lettered(s.code), *(str(p.counts[s.code]) for p in report.trend)] for s in STATUSES]
    _status_column(_table(document, header, rows), 0, [s.code for s in STATUSES])


def _summary(document, report: BoardReport) -> None:
    document.add_heading("Summary by theme and area", level=1)
    header = [
        "Ref",
        "Theme / area",
        *(status_words_lettered(s.code) for s in STATUSES),
        "Total",
        "On track or complete¹",
    ]
    rows = []
    for theme in report.themes:
        for section in (theme.theme, *theme.areas):
            c = section.counts
            rows.append(
                [
                    section.ref,
                    one_line(section.title),
                    *(str(c[s.code]) for s in STATUSES),
                    str(c.total),
                    share_text(c),
                ]
            )
    plan = report.plan
    rows.append(["", "Whole plan", *(str(plan[s.code]) for s in STATUSES), str(plan.total), share_text(plan)])
    table = _table(document, header, rows)
    for index, s in enumerate(STATUSES):
        _shade(table.rows[0].cells[index + 2], s.code)
    document.add_paragraph(f"¹ The {report.share_note}.")


def _updates(document, updates) -> None:
    """The update round: how many leads returned by the due day, then who has not, and who was late."""
    document.add_heading("Updates from the leads", level=1)
    state = "open" if updates.is_open else "ended"
    paragraph = document.add_paragraph()
    paragraph.add_run(update_line(updates)).bold = True
    paragraph.add_run(f" (round {updates.number} over {one_line(updates.scope)}, {state}).")
    for heading, names in (
        ("Not returned", updates.not_returned),
        ("Returned after the due date", updates.late),
    ):
        if names:
            document.add_paragraph(f"{heading} ({len(names)}):")
            for who in names:
                document.add_paragraph(one_line(who), style="List Bullet")


def _movement(document, report: BoardReport) -> None:
    movement = report.movement
    assert movement is not None
    t = movement.tally
    document.add_heading(one_line(f"Movement {movement.label}"), level=1)
    document.add_paragraph(
        f"{plural(len(movement.moved), 'action')} changed status: {t.better} better ↑, {t.worse} worse ↓, "
        f"{t.sideways} no change in risk →. {plural(movement.changes, 'change')} recorded in the period "
        f"({movement.in_meetings} in board meetings)."
    )
    rows = [
        [status_words_lettered(s.code), str(t.before[s.code]), str(t.after[s.code]), signed(t.change(s.code))]
        for s in STATUSES
    ]
    _status_column(
        _table(document, ["Status", "Before", "Now", "Change"], rows), 0, [s.code for s in STATUSES]
    )
    if movement.moved:
        rows = []
        listed = report.listed(movement.moved)
        for item in listed:
            move = item.move
            said = one_line(item.note)
            if item.author:
                said = f"{said} — {one_line(item.author)}" if said else one_line(item.author)
            was, now = status_words_lettered(move.old), status_words_lettered(move.new)
            rows.append(
                [
                    move.ref,
                    one_line(move.title),
                    was,
                    now,
                    f"{move.direction.arrow} {move.direction.words}",
                    said,
                ]
            )
        table = _table(document, ["Ref", "Action", "Was", "Now", "Moved", "Commentary"], rows)
        _status_column(table, 2, [i.move.old for i in listed])
        _status_column(table, 3, [i.move.new for i in listed])
        _cut_note(document, len(listed), len(movement.moved), "actions that changed status")


def _cut_note(document, shown: int, total: int, what: str, order: str = "in plan order") -> None:
    """The line saying a list stops short, and where the rest are (nothing when it does not)."""
    words = cut_list_words(shown, total, what, order)
    if words:
        document.add_paragraph(words)


def _actions(
    document, report: BoardReport, rows: tuple[ActionRow, ...], what: str, header: list[str], cells,
    status_at: int | None,
) -> None:  # fmt: skip
    if not rows:
        document.add_paragraph("None.")
        return
    listed = report.listed(rows)
    table = _table(document, header, [cells(r) for r in listed])
    if status_at is not None:
        _status_column(table, status_at, [r.status for r in listed])
    _cut_note(document, len(listed), len(rows), what)


def _exceptions(document, report: BoardReport) -> None:
    today = report.today
    document.add_page_break()
    document.add_heading("Exceptions", level=1)
    for code, rows, what in (
        ("off_track", report.off_track, "off-track actions"),
        ("some_issues", report.some_issues, "actions with some issues"),
    ):
        document.add_heading(f"{status_words_lettered(code)} ({len(rows)})", level=2)
        _actions(document, report, rows, what,
                 ["Ref", "Action", "Lead(s)", "Milestone", "Due", "Latest commentary"],
                 lambda r: [r.ref, one_line(r.title), one_line(leads_text(r)), one_line(r.milestone) or "–",
                            action_due_words(r, today), one_line(r.last_note) or "–"], None)  # fmt: skip
    document.add_heading(f"⚠ Overdue ({len(report.overdue)})", level=2)
    document.add_paragraph(f"Due before {day_text(today)} and neither complete nor business as usual.")
    _actions(document, report, report.overdue, "overdue actions",
             ["Ref", "Action", "Lead(s)", "Milestone", "Status", "Due"],
             lambda r: [r.ref, one_line(r.title), one_line(leads_text(r)), one_line(r.milestone) or "–",
                        status_words_lettered(r.status), action_due_words(r, today)], 4)  # fmt: skip
    document.add_heading(f"↷ Slipped ({len(report.slipped)})", level=2)
    document.add_paragraph("Due later than the milestone first agreed.")
    _actions(document, report, report.slipped, "slipped actions",
             ["Ref", "Action", "Lead(s)", "Status", "First milestone", "Milestone now", "Slipped"],
             lambda r: [r.ref, one_line(r.title), one_line(leads_text(r)), status_words_lettered(r.status),
                        one_line(r.baseline), one_line(r.milestone), one_line(action_slip_words(r))],
             3)  # fmt: skip
    if report.measures:
        _off_target(document, report)


def _findings(document, report: BoardReport) -> None:
    at_risk = report.findings_at_risk
    document.add_page_break()
    document.add_heading("Inspection findings", level=1)
    document.add_paragraph(
        f"{plural(len(report.findings), 'finding')}; {len(at_risk)} at risk: an action under a cited ref is "
        f"off track or overdue as at {day_text(report.today)}, or a cited ref names nothing in the plan."
    )
    document.add_heading(f"⚠ Findings at risk ({len(at_risk)})", level=2)
    for rollup in report.listed(at_risk):
        item = document.add_paragraph(style="List Bullet")
        item.add_run(f"Finding {rollup.number}").bold = True
        item.add_run(one_line(f" ({rollup.finding.source}): {rollup.finding.text}"))
        item.add_run("\n⚠ " + one_line("; ".join(rollup.reasons)))
    _cut_note(document, len(report.listed(at_risk)), len(at_risk), "findings at risk")
    if not at_risk:
        document.add_paragraph("None.")
    document.add_heading("All findings", level=2)
    rows = [
        [str(r.number), one_line(r.finding.text),
         "; ".join(f"⚠ {c.ref} (names nothing in the plan)" if c.names_nothing else f"{c.ref} ({c.kind})"
                   for c in r.refs) or "none",
         str(r.counts.total), share_text(r.counts), "⚠ at risk" if r.at_risk else "no"]
        for r in report.listed(report.findings)
    ]  # fmt: skip
    _table(document, ["#", "Finding", "Refs cited", "Actions", "On track or complete¹", "At risk"], rows)
    _cut_note(document, len(rows), len(report.findings), "findings")
    document.add_paragraph(f"¹ The {report.share_note}.")


def _key(document) -> None:
    document.add_heading("Status key", level=1)
    rows = [
        [status_words_lettered(s.code), s.symbol, s.letter, COLOUR_NAMES[s.code], s.label] for s in STATUSES
    ]
    table = _table(document, ["Status", "Symbol", "Letter", "Colour", "Meaning in the plan"], rows)
    _status_column(table, 0, [s.code for s in STATUSES])
