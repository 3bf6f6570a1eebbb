"""The board report as one self-contained HTML file: inline CSS, no scripts, fonts, images or links.

It prints on A4 (margins, headers repeated on each page, rows kept whole, the exceptions and the
findings each starting a page), and reads in black and white: every status shows its symbol, letter
and words beside its colour, and every movement its arrow and the word "better" or "worse". The
scorecard's sparklines are inline SVG in black ink, each measure's status in symbol and words beside
them. All plan text is escaped; nothing in a plan can become markup.
"""

from __future__ import annotations

from html import escape

from plantui.domain.rollup import StatusCounts
from plantui.domain.scorecard import ScorecardRow
from plantui.domain.statuses import STATUSES
from plantui.domain.views import ActionRow
from plantui.domain.wording import (
    action_due_words,
    action_slip_words,
    day_text,
    measure_status_words,
    plural,
    status_mark,
    status_words_lettered,
    trend_words,
)
from plantui.io.reports.charts import plan_bars, to_svg, trend_drawing
from plantui.io.reports.model import BoardReport, MovementSection, Section
from plantui.io.reports.trend import points_word
from plantui.io.reports.words import (
    COLOUR_NAMES,
    FULL_LIST_COMMANDS,
    FURTHEST_SHORT_FIRST,
    board_movement_words,
    cut_list_words,
    latest_period_words,
    latest_words,
    leads_text,
    linked_words,
    measure_target_words,
    one_line,
    point_heading,
    recent_values_words,
    share_words,
    signed,
)

_CSS = """
@page { size: A4; margin: 14mm 12mm 16mm 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Segoe UI", Arial, Helvetica, sans-serif; font-size: 10pt; line-height: 1.35;
       color: #111; margin: 0 auto; max-width: 190mm; padding: 6mm 0; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 1.5pt solid #111; padding-bottom: 1mm;
     break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11pt; margin: 5mm 0 1.5mm; break-after: avoid; page-break-after: avoid; }
p { margin: 1.5mm 0; }
.facts { font-size: 11pt; }
.note { border-left: 3pt solid #555; padding: 1mm 3mm; background: #f3f3f3; }
.small { font-size: 8.5pt; color: #333; }
.newpage { break-before: page; page-break-before: always; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 2mm; font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.75pt solid #777; padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
th { background: #e6e6e6; font-weight: 600; }
td.n, th.n { text-align: right; white-space: nowrap; }
th.cnt { text-align: center; width: 11mm; white-space: normal; }
th.wide { width: 38%; }
#movement { break-inside: avoid; page-break-inside: avoid; }
th.share, td.share { width: 17mm; white-space: normal; }
td.counts .st { margin: 0 0 0.8mm; }
th.cnt .small { font-weight: 400; }
tr.theme td { font-weight: 700; background: #f1f1f1; }
tr.area td:nth-child(2) { padding-left: 5mm; }
tr.total td { font-weight: 700; border-top: 1.5pt solid #111; }
.ref { white-space: nowrap; font-variant-numeric: tabular-nums; }
.st { display: inline-block; white-space: nowrap; padding: 0 1.2mm; border-radius: 1mm;
      border: 0.75pt solid #444; border-left-width: 3pt; font-weight: 600; }
.st-complete { border-left-color: #3b82f6; background: #dbeafe; }
.st-on_track { border-left-color: #22c55e; background: #dcfce7; }
.st-some_issues { border-left-color: #f59e0b; background: #fef3c7; }
.st-off_track { border-left-color: #ef4444; background: #fee2e2; }
.st-not_started { border-left-color: #9ca3af; background: #f3f4f6; }
.st-bau { border-left-color: #a855f7; background: #f3e8ff; }
.swatch { display: inline-block; width: 8mm; height: 3.5mm; border: 0.75pt solid #444;
          vertical-align: middle; }
.mv { white-space: nowrap; font-weight: 700; }
.mv-better { color: #166534; }
.mv-worse { color: #991b1b; }
.risk { font-weight: 700; }
td .risk { white-space: nowrap; }
.risk::before { content: "\\26A0\\FE0E  "; }
.dangling { font-weight: 700; text-decoration: underline; }
ul.risks { padding-left: 5mm; margin: 1mm 0; }
ul.risks li { margin-bottom: 1.5mm; break-inside: avoid; page-break-inside: avoid; }
footer { margin-top: 8mm; }
#headline { border: 1.5pt solid #111; padding: 1mm 4mm 2mm; margin: 4mm 0; break-inside: avoid;
            page-break-inside: avoid; }
#headline h2 { border: 0; margin-top: 2mm; }
#headline .lead { font-size: 13pt; }
#headline .lead .figure { font-size: 20pt; }
#headline ul.counts { list-style: none; padding: 0; margin: 1.5mm 0; }
#headline ul.counts li { display: inline-block; margin: 0 3mm 1mm 0; }
#headline .moved, #headline .late, #headline .impact { font-size: 11pt; }
figure { margin: 2mm 0; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; width: 100%; height: auto; }
figcaption { font-size: 8.5pt; color: #333; }
table.trend { font-size: 8.5pt; }
#key { break-inside: avoid; page-break-inside: avoid; }
code.cmd { white-space: nowrap; font-size: 9pt; }
.ms { display: inline-block; white-space: nowrap; padding: 0 1.2mm; border-radius: 1mm;
      border: 0.75pt solid #444; border-left-width: 3pt; font-weight: 600; }
.ms-met { border-left-color: #22c55e; background: #dcfce7; }
.ms-within_tolerance { border-left-color: #f59e0b; background: #fef3c7; }
.ms-off_target { border-left-color: #ef4444; background: #fee2e2; }
.ms-no_data, .ms-no_target { border-left-color: #9ca3af; background: #f3f4f6; font-weight: 400; }
td.spark { width: 30mm; }
table.scorecard td.n { white-space: normal; }
/* Fixed layout: the widths below are kept, not weighed against each cell's content, so a long status
   badge cannot take the room the measure's name needs. They add up to 100%. */
table.scorecard { table-layout: fixed; width: 100%; }
table.scorecard th:nth-child(1) { width: 6%; }
table.scorecard th:nth-child(2) { width: 24%; }
table.scorecard th:nth-child(3) { width: 9%; }
table.scorecard th:nth-child(4) { width: 8%; }
table.scorecard th:nth-child(5) { width: 11%; }
table.scorecard th:nth-child(6) { width: 18%; }
table.scorecard .ms { white-space: normal; }  /* "Within tolerance" wraps inside its cell */
table.scorecard th:nth-child(7) { width: 7%; }
table.scorecard th:nth-child(8) { width: 17%; }
td.spark svg { display: block; width: 30mm; height: 8mm; }
"""


def e(text: str) -> str:
    """Plan text, on one line, escaped for HTML (quotes too, so it is safe in attributes)."""
    return escape(one_line(text), quote=True)


def badge(code: str) -> str:
    return f'<span class="st st-{code}">{escape(status_words_lettered(code))}</span>'


def _share_cell(counts: StatusCounts) -> str:
    share = counts.share_on_track
    if share is None:
        return '<td class="n share">–</td>'
    return (
        f'<td class="n share">{share:.0%}<br>'
        f'<span class="small">{counts.on_track_or_complete} of {counts.base}</span></td>'
    )


def _count_badges(counts: StatusCounts) -> str:
    """Only the statuses present, each as a badge with its count: `✔ B 9  ● G 6  ✖ R 1`."""
    present = [
        f'<span class="st st-{s.code}" title="{escape(s.short)}">{escape(status_mark(s.code))} '
        f"{counts[s.code]}</span>"
        for s in STATUSES
        if counts[s.code]
    ]
    return " ".join(present) or "none"


def _counts_cells(counts: StatusCounts) -> str:
    return "".join(f'<td class="n">{counts[s.code]}</td>' for s in STATUSES)


def _status_headers() -> str:
    """Narrow count columns: the symbol and letter in the status colour, its words small beneath."""
    return "".join(
        f'<th class="n cnt"><span class="st st-{s.code}">{escape(status_mark(s.code))}</span>'
        f'<br><span class="small">{escape(s.short)}</span></th>'
        for s in STATUSES
    )


def sections(report: BoardReport) -> list[str]:
    """The report's sections in reading order: the headline first, the status key last. A new
    section (an update round's returns, a scorecard) is one more builder in this list."""
    out = [_header(report), _headline(report), _pictures(report), _summary(report)]
    if report.measures:
        out.append(_scorecard(report))
    if report.updates is not None:
        out.append(_updates(report.updates))
    if report.movement is not None:
        out.append(_movement(report.movement, report))
    out += [_exceptions(report), _findings(report), _key()]
    return out


def render_html(report: BoardReport) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(report.title)}: Improvement Board report, {day_text(report.as_at)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        *sections(report),
        '<footer class="small">',
        "<p>Produced by plantui from the plan's change history. Statuses are shown as symbol, letter "
        "and words as well as colour.</p>",
        "</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _header(report: BoardReport) -> str:
    facts = [f"<strong>{e(report.organisation)}</strong>"] if report.organisation else []
    if report.phase:
        facts.append(e(report.phase))
    facts.append(f'plan as at <strong class="as-at">{day_text(report.as_at)}</strong>')
    if report.today != report.as_at:
        facts.append(f"due dates judged as at {day_text(report.today)}")
    out = [
        "<header>",
        f"<h1>{e(report.title)}: Improvement Board report</h1>",
        f'<p class="facts">{" · ".join(facts)}</p>',
    ]
    if report.historical:
        out.append(
            f'<p class="note">The plan as it stood at the end of {day_text(report.as_at)}, rebuilt from '
            "its change history. Later changes are not shown.</p>"
        )
    out.append("</header>")
    return "\n".join(out)


def _figure(name: str, value: int | str) -> str:
    return f'<strong class="figure" data-figure="{name}">{value}</strong>'


def _headline(report: BoardReport) -> str:
    """What a board member reads first: the share, counts by status, movement, lateness, findings."""
    head = report.headline
    share, base = share_words(head.plan)
    counts = "".join(
        f'<li data-status="{s.code}">{badge(s.code)} {_figure(s.code, head.plan[s.code])}</li>'
        for s in STATUSES
    )
    return "\n".join(
        [
            '<section id="headline"><h2>Headline</h2>',
            f'<p class="lead">{_figure("share", share)} on track or complete '
            f'<span class="small">({escape(base)})</span>. '
            f"{plural(head.plan.total, 'action')} in all.</p>",
            f'<ul class="counts">{counts}</ul>',
            f'<p class="moved">{e(board_movement_words(head.since_board, report.as_at))}</p>',
            f'<p class="late">{_figure("overdue", head.overdue)} overdue · '
            f"{_figure('slipped', head.slipped)} slipped · "
            f"{_figure('findings_at_risk', head.findings_at_risk)} of {plural(head.findings, 'finding')} "
            "at risk"
            + (
                f" · {_figure('measures_off_target', head.measures_off_target)} of "
                f"{plural(head.measures, 'measure')} off target.</p>"
                if head.measures
                else ".</p>"
            ),
            f'<p class="impact">✔ {_figure("delivered", head.delivered)} delivered · '
            f"◆ {_figure('impact_evidenced', head.impact_evidenced)} impact evidenced "
            '<span class="small">(delivered says it was done; impact evidenced, that it made a difference)'
            "</span></p>",
            "</section>",
        ]
    )


def _pictures(report: BoardReport) -> str:
    """The stacked bars and the trend, drawn inline, with the trend's numbers in a table beneath."""
    points = report.trend
    head = "".join(
        f'<th class="n">{e(name)}<br><span class="small">{day}</span></th>'
        for name, day in map(point_heading, points)
    )
    rows = "\n".join(
        f'<tr data-status="{s.code}"><td>{badge(s.code)}</td>'
        + "".join(f'<td class="n">{p.counts[s.code]}</td>' for p in points)
        + "</tr>"
        for s in STATUSES
    )
    return "\n".join(
        [
            '<section id="pictures"><h2>Where the plan stands</h2>',
            f'<figure id="status-bars">{to_svg(plan_bars(report), "bars-chart")}'
            "<figcaption>Each theme's actions by status (letters in the bars, counts beneath); "
            "on the right the share on track or complete.</figcaption></figure>",
            f'<figure id="status-trend">{to_svg(trend_drawing(points), "trend-chart")}'
            f"<figcaption>The number of actions in each status at the end of {points_word(points)}, rebuilt "
            f"from the change history, and as at {day_text(report.as_at)}.</figcaption></figure>",
            f'<table class="trend"><thead><tr><th>Status</th>{head}</tr></thead>',
            f"<tbody>\n{rows}\n</tbody></table>",
            "</section>",
        ]
    )


def _key() -> str:
    rows = "\n".join(
        f'<tr data-status="{s.code}"><td>{badge(s.code)}</td><td>{escape(s.symbol)}</td>'
        f"<td>{escape(s.letter)}</td>"
        f'<td><span class="swatch" style="background:{s.colour}"></span> {COLOUR_NAMES[s.code]}</td>'
        f"<td>{escape(s.label)}</td></tr>"
        for s in STATUSES
    )
    return (
        '<section id="key" class="keep"><h2>Status key</h2>\n<table><thead><tr><th>Status</th><th>Symbol</th>'
        "<th>Letter</th><th>Colour</th><th>Meaning in the plan</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody></table></section>"
    )


def _section_row(section: Section) -> str:
    counts = section.counts
    return (
        f'<tr class="{section.kind}" data-ref="{escape(section.ref)}" data-kind="{section.kind}">'
        f'<td class="ref">{escape(section.ref)}</td><td>{e(section.title)}</td>{_counts_cells(counts)}'
        f'<td class="n">{counts.total}</td>{_share_cell(counts)}</tr>'
    )


def _summary(report: BoardReport) -> str:
    plan = report.plan
    rows = []
    for theme in report.themes:
        rows.append(_section_row(theme.theme))
        rows += [_section_row(area) for area in theme.areas]
    rows.append(
        f'<tr class="total" data-kind="plan"><td></td><td>Whole plan</td>{_counts_cells(plan)}'
        f'<td class="n">{plan.total}</td>{_share_cell(plan)}</tr>'
    )
    return (
        '<section id="summary"><h2>Summary by theme and area</h2>\n'
        f'<table><thead><tr><th>Ref</th><th class="wide">Theme / area</th>{_status_headers()}'
        '<th class="n">Total</th>'
        '<th class="n share">On track or complete¹</th></tr></thead>\n<tbody>\n'
        + "\n".join(rows)
        + f'\n</tbody></table>\n<p class="small">¹ The {escape(report.share_note)}.</p></section>'
    )


def _updates(updates) -> str:
    from plantui.io.reports.words import update_line

    state = "open" if updates.is_open else "ended"
    out = [
        '<section id="updates"><h2>Updates from the leads</h2>',
        f"<p><strong>{e(update_line(updates))}</strong> (round {updates.number} over {e(updates.scope)}, "
        f"{state}).</p>",
    ]
    for heading, names in (
        ("Not returned", updates.not_returned),
        ("Returned after the due date", updates.late),
    ):
        if names:
            out.append(f"<p>{heading} ({len(names)}):</p><ul>")
            out += [f"<li>{e(who)}</li>" for who in names]
            out.append("</ul>")
    out.append("</section>")
    return "\n".join(out)


def _cut_note(shown: int, total: int, what: str, order: str = "in plan order") -> str:
    """The line saying a list in the papers stops short, and where the rest are ("" when it does not)."""
    words = cut_list_words(shown, total, what, order)
    if not words:
        return ""
    text = e(words)
    for command in FULL_LIST_COMMANDS:  # never broken between its two hyphens
        text = text.replace(command, f'<code class="cmd">{command}</code>')
    return f'<p class="cut">{text}</p>'


def _movement(movement: MovementSection, report: BoardReport) -> str:
    t = movement.tally
    moved = len(movement.moved)
    counts = "\n".join(
        f'<tr data-status="{s.code}"><td>{badge(s.code)}</td><td class="n">{t.before[s.code]}</td>'
        f'<td class="n">{t.after[s.code]}</td><td class="n">{signed(t.change(s.code))}</td></tr>'
        for s in STATUSES
    )
    out = [
        f'<section id="movement"><h2>Movement {e(movement.label)}</h2>',
        f"<p><strong>{plural(moved, 'action')} changed status</strong>: "
        f'<span class="mv mv-better">{t.better} better ↑</span>, '
        f'<span class="mv mv-worse">{t.worse} worse ↓</span>, '
        f'<span class="mv">{t.sideways} no change in risk →</span>. '
        f"{plural(movement.changes, 'change')} recorded in the period "
        f"({movement.in_meetings} in board meetings).</p>",
        '<table class="moved-counts"><thead><tr><th>Status</th><th class="n">Before</th>'
        '<th class="n">Now</th><th class="n">Change</th></tr></thead>',
        f"<tbody>\n{counts}\n</tbody></table>",
    ]
    if movement.moved:
        rows = []
        listed = report.listed(movement.moved)
        for item in listed:
            move = item.move
            said = e(item.note)
            if item.author:
                said = f"{said} <span class='small'>— {e(item.author)}</span>" if said else e(item.author)
            d = move.direction
            rows.append(
                f'<tr data-ref="{escape(move.ref)}" data-direction="{d.value}">'
                f'<td class="ref">{escape(move.ref)}</td><td>{e(move.title)}</td>'
                f"<td>{badge(move.old)}</td><td>{badge(move.new)}</td>"
                f'<td><span class="mv mv-{d.value}">{d.arrow} {d.words}</span></td><td>{said}</td></tr>'
            )
        out += [
            '<table class="moves"><thead><tr><th>Ref</th><th>Action</th><th>Was</th><th>Now</th>'
            "<th>Moved</th><th>Commentary</th></tr></thead>",
            "<tbody>\n" + "\n".join(rows) + "\n</tbody></table>",
            _cut_note(len(listed), moved, "actions that changed status"),
        ]
    out.append("</section>")
    return "\n".join(out)


def _action_table(
    report: BoardReport, rows: tuple[ActionRow, ...], columns: list[str], cells, section_id: str, what: str
) -> str:
    """The rows the report lists (all, or the papers' first few and a line saying so) as a table."""
    if not rows:
        return "<p>None.</p>"
    total, rows = len(rows), report.listed(rows)
    head = "".join(f"<th>{c}</th>" for c in columns)
    body = "\n".join(
        f'<tr data-ref="{escape(r.ref)}" data-status="{r.status}">'
        + "".join(f"<td>{cell}</td>" for cell in cells(r))
        + "</tr>"
        for r in rows
    )
    table = f'<table class="{section_id}"><thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody></table>'
    return table + _cut_note(len(rows), total, what)


def _exceptions(report: BoardReport) -> str:
    today = report.today

    def main_cells(r: ActionRow) -> list[str]:
        return [
            f'<span class="ref">{escape(r.ref)}</span>',
            e(r.title),
            e(leads_text(r)),
            e(r.milestone) or "–",
            escape(action_due_words(r, today)),
            e(r.last_note) or "–",
        ]

    main_columns = ["Ref", "Action", "Lead(s)", "Milestone", "Due", "Latest commentary"]
    out = ['<section id="exceptions" class="newpage"><h2>Exceptions</h2>']
    for code, rows, anchor, what in (
        ("off_track", report.off_track, "off-track", "off-track actions"),
        ("some_issues", report.some_issues, "some-issues", "actions with some issues"),
    ):
        out.append(f'<section id="{anchor}"><h3>{badge(code)} ({len(rows)})</h3>')
        out.append(_action_table(report, rows, main_columns, main_cells, anchor, what))
        out.append("</section>")
    out.append(f'<section id="overdue"><h3>⚠ Overdue ({len(report.overdue)})</h3>')
    out.append(f"<p>Due before {day_text(today)} and neither complete nor business as usual.</p>")
    out.append(
        _action_table(
            report,
            report.overdue,
            ["Ref", "Action", "Lead(s)", "Milestone", "Status", "Due"],
            lambda r: [
                f'<span class="ref">{escape(r.ref)}</span>',
                e(r.title),
                e(leads_text(r)),
                e(r.milestone) or "–",
                badge(r.status),
                escape(action_due_words(r, today)),
            ],
            "overdue",
            "overdue actions",
        )
    )
    out.append("</section>")
    out.append(f'<section id="slipped"><h3>↷ Slipped ({len(report.slipped)})</h3>')
    out.append("<p>Due later than the milestone first agreed.</p>")
    out.append(
        _action_table(
            report,
            report.slipped,
            ["Ref", "Action", "Lead(s)", "Status", "First milestone", "Milestone now", "Slipped"],
            lambda r: [
                f'<span class="ref">{escape(r.ref)}</span>',
                e(r.title),
                e(leads_text(r)),
                badge(r.status),
                e(r.baseline),
                e(r.milestone),
                e(action_slip_words(r)),
            ],
            "slipped",
            "slipped actions",
        )
    )
    out.append("</section>")
    if report.measures:
        out.append(_off_target(report))
    out.append("</section>")
    return "\n".join(out)


def _refs_html(rollup) -> str:
    parts = []
    for cited in rollup.refs:
        if cited.names_nothing:
            parts.append(f'<span class="dangling">⚠ {escape(cited.ref)} names nothing in the plan</span>')
        else:
            parts.append(
                f'<span class="ref">{escape(cited.ref)}</span> <span class="small">{cited.kind}</span>'
            )
    return "; ".join(parts) or "none"


def _findings(report: BoardReport) -> str:
    at_risk = report.findings_at_risk
    out = [
        '<section id="findings" class="newpage"><h2>Inspection findings</h2>',
        f"<p>{plural(len(report.findings), 'finding')}; <strong>{len(at_risk)} at risk</strong>: "
        "an action under a "
        f"cited ref is off track or overdue as at {day_text(report.today)}, or a cited ref names "
        "nothing in the plan.</p>",
        f'<section id="findings-at-risk"><h3>⚠ Findings at risk ({len(at_risk)})</h3>',
    ]
    if at_risk:
        items = "\n".join(
            f'<li data-finding="{r.number}"><strong>Finding {r.number}</strong> '
            f'<span class="small">({e(r.finding.source)})</span>: {e(r.finding.text)}<br>'
            f'<span class="risk">{e("; ".join(r.reasons))}</span></li>'
            for r in report.listed(at_risk)
        )
        out.append(f'<ul class="risks">\n{items}\n</ul>')
        out.append(_cut_note(len(report.listed(at_risk)), len(at_risk), "findings at risk"))
    else:
        out.append("<p>None.</p>")
    out.append("</section>")
    rows = "\n".join(
        f'<tr data-finding="{r.number}" data-at-risk="{"yes" if r.at_risk else "no"}">'
        f'<td class="n">{r.number}</td><td>{e(r.finding.text)}<br><span class="small">{e(r.finding.source)}'
        f'</span></td><td>{_refs_html(r)}</td><td class="n">{r.counts.total}</td>'
        f'<td class="counts">{_count_badges(r.counts)}</td>{_share_cell(r.counts)}'
        f"<td>{'<span class=risk>at risk</span>' if r.at_risk else 'no'}</td></tr>"
        for r in report.listed(report.findings)
    )
    out += [
        '<section id="all-findings"><h3>All findings</h3>',
        '<table class="findings"><thead><tr><th class="n">#</th><th class="wide">Finding</th>'
        "<th>Refs cited</th>"
        '<th class="n">Actions</th><th>Their status</th><th class="n share">On track or complete¹</th>'
        "<th>At risk</th></tr></thead>",
        f"<tbody>\n{rows}\n</tbody></table>",
        _cut_note(len(report.listed(report.findings)), len(report.findings), "findings"),
        f'<p class="small">¹ The {escape(report.share_note)}.</p>',
        "</section></section>",
    ]
    return "\n".join(out)


# --- the scorecard ------------------------------------------------------------------------------------

SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 120, 32, 4


def sparkline_svg(row: ScorecardRow) -> str:
    """The last 12 periods as a small inline SVG: a line through each period's value (broken where a
    period has none), a dot on the latest, and the target dashed when it falls in range. Black ink
    only, so it prints in black and white; its <title> says the values in words."""
    values = row.recent
    shown = [v for v in values if v is not None]
    words = f"{row.measure.ref}, last {len(values)} periods: {recent_values_words(row)}"
    if not shown:
        return ""
    target = row.measure.target
    low, high = min(shown), max(shown)
    if target is not None and low - (high - low) * 0.5 <= target <= high + (high - low) * 0.5:
        low, high = min(low, target), max(high, target)
    span = (high - low) or 1.0
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / max(len(values) - 1, 1)

    def xy(index: int, value: float) -> tuple[float, float]:
        y = SPARK_HEIGHT - SPARK_PAD - (value - low) / span * (SPARK_HEIGHT - 2 * SPARK_PAD)
        if high == low:
            y = SPARK_HEIGHT / 2
        return round(SPARK_PAD + index * step, 1), round(y, 1)

    runs: list[list[tuple[float, float]]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append(xy(index, value))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" '
        f'role="img" class="sparkline" data-measure="{e(row.measure.ref)}">',
        f"<title>{e(words)}</title>",
    ]
    if target is not None and low <= target <= high:
        _, y = xy(0, target)
        parts.append(
            f'<line x1="{SPARK_PAD}" y1="{y}" x2="{SPARK_WIDTH - SPARK_PAD}" y2="{y}" stroke="#111" '
            'stroke-width="0.8" stroke-dasharray="3 2"/>'
        )
    for run in runs:
        if len(run) > 1:
            points = " ".join(f"{x},{y}" for x, y in run)
            parts.append(f'<polyline points="{points}" fill="none" stroke="#111" stroke-width="1.5"/>')
        for x, y in run:
            parts.append(f'<circle cx="{x}" cy="{y}" r="1.3" fill="#111"/>')
    last = next((i for i in range(len(values) - 1, -1, -1) if values[i] is not None), None)
    if last is not None:
        x, y = xy(last, values[last])  # type: ignore[arg-type]
        parts.append(f'<circle cx="{x}" cy="{y}" r="3" fill="#fff" stroke="#111" stroke-width="1.5"/>')
    parts.append("</svg>")
    return "".join(parts)


def measure_badge(code: str) -> str:
    return f'<span class="ms ms-{code}">{escape(measure_status_words(code))}</span>'


def _measure_rows(rows, cells) -> str:
    return "\n".join(
        f'<tr data-measure="{e(row.measure.ref)}" data-status="{row.standing.status}">'
        + "".join(f"<td{cls}>{cell}</td>" for cls, cell in cells(row))
        + "</tr>"
        for row in rows
    )


def _scorecard(report: BoardReport) -> str:
    """Every measure where it stands at the report's day, with a sparkline of its last 12 periods."""

    def cells(row: ScorecardRow) -> list[tuple[str, str]]:
        return [
            ("", f'<span class="ref">{e(row.measure.ref)}</span>'),
            ("", e(row.measure.name)),
            (' class="n"', e(latest_words(row))),
            ("", escape(latest_period_words(row))),
            ("", e(measure_target_words(row))),
            ("", measure_badge(row.standing.status)),
            ("", escape(trend_words(row.standing.trend))),
            (' class="spark"', sparkline_svg(row) or "no values"),
        ]

    head = "".join(
        f"<th>{c}</th>"
        for c in ("Ref", "Measure", "Latest", "Period", "Target", "Status", "Trend", "Last 12 periods")
    )
    return "\n".join(
        [
            '<section id="scorecard" class="newpage"><h2>Scorecard</h2>',
            f"<p>Each measure's latest value recorded by the end of {day_text(report.as_at)}, against its "
            "target; the trend compares it with the period before. The line shows the last 12 periods, "
            "the ringed dot the latest, the dashed line the target.</p>",
            f'<table class="scorecard"><thead><tr>{head}</tr></thead>\n<tbody>',
            _measure_rows(report.listed_measures(report.measures), cells),
            "</tbody></table>",
            _cut_note(len(report.listed_measures(report.measures)), len(report.measures), "measures"),
            "</section>",
        ]
    )


def _off_target(report: BoardReport) -> str:
    rows = report.off_target_measures
    out = [
        f'<section id="measures-off-target"><h3>{measure_badge("off_target")} measures ({len(rows)})</h3>',
        "<p>Measures whose latest value is off target, the furthest short first.</p>",
    ]
    if not rows:
        out.append("<p>None.</p></section>")
        return "\n".join(out)

    def cells(row: ScorecardRow) -> list[tuple[str, str]]:
        return [
            ("", f'<span class="ref">{e(row.measure.ref)}</span>'),
            ("", e(row.measure.name)),
            ("", e(row.measure.owner) or "–"),
            (' class="n"', e(latest_words(row))),
            ("", escape(latest_period_words(row))),
            ("", e(measure_target_words(row))),
            ("", escape(trend_words(row.standing.trend))),
            ("", e(linked_words(row))),
        ]

    head = "".join(
        f"<th>{c}</th>"
        for c in ("Ref", "Measure", "Owner", "Latest", "Period", "Target", "Trend", "Evidences")
    )
    out.append(f'<table class="measures-off-target"><thead><tr>{head}</tr></thead>\n<tbody>')
    out.append(_measure_rows(report.listed(rows), cells))
    out.append("</tbody></table>")
    out.append(_cut_note(len(report.listed(rows)), len(rows), "measures off target", FURTHEST_SHORT_FIRST))
    out.append("</section>")
    return "\n".join(out)
