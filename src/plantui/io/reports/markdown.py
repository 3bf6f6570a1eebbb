"""The board report as Markdown that reads well raw and renders well on a code-hosting site.

Tables are GitHub-flavoured. User text is escaped so that nothing in a plan (`|`, `*`, `[draft]`,
`<b>`, backticks) can break a table or turn into formatting, links or HTML.
"""

from __future__ import annotations

import re

from plantui.domain.statuses import STATUSES
from plantui.domain.views import ActionRow
from plantui.domain.wording import (
    action_due_words,
    action_slip_words,
    day_text,
    measure_status_words,
    plural,
    status_words,
    status_words_lettered,
    trend_words,
)
from plantui.io.reports.model import BoardReport, MovementSection, Section, share_text
from plantui.io.reports.trend import points_word
from plantui.io.reports.words import (
    COLOUR_NAMES,
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
    update_line,
)

_ENTITY = re.compile(r"&(?=#?\w+;)")  # only an `&` that would start an entity needs escaping
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md(text: str) -> str:
    """User text for a Markdown table cell or line: one line, every significant character escaped."""
    escaped = _ENTITY.sub("&amp;", _SPECIAL.sub(r"\\\1", one_line(text)))
    return re.sub(r"^([-+=#>:])", r"\\\1", escaped)  # nothing may open a list, heading or quote


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: list[str], rows: list[list[str]], align: str = "") -> list[str]:
    rule = [("---:" if a == "r" else "---") for a in align.ljust(len(header), "l")]
    return [_row(*header), _row(*rule), *(_row(*cells) for cells in rows)]


def _counts_cells(section_counts) -> list[str]:
    return [str(section_counts[s.code]) for s in STATUSES]


def _status_headers() -> list[str]:
    return [status_words(s.code) for s in STATUSES]


def render_markdown(report: BoardReport) -> str:
    out: list[str] = []
    out += [f"# {md(report.title)}: Improvement Board report", ""]
    facts = [f"**{md(report.organisation)}**"] if report.organisation else []
    if report.phase:
        facts.append(md(report.phase))
    facts.append(f"plan as at **{day_text(report.as_at)}**")
    if report.today != report.as_at:
        facts.append(f"due dates judged as at {day_text(report.today)}")
    out += [" · ".join(facts), ""]
    if report.historical:
        out += [
            f"> The plan as it stood at the end of {day_text(report.as_at)}, rebuilt from its change "
            "history. Later changes are not shown.",
            "",
        ]
    # The sections in reading order, the headline first and the status key last; a new section (an
    # update round's returns, a scorecard) is one more builder here.
    out += _headline(report)
    out += _trend(report)
    out += _summary(report)
    if report.measures:
        out += _scorecard(report)
    if report.updates is not None:
        out += _updates(report.updates)
    if report.movement is not None:
        out += _movement(report.movement, report)
    out += _exceptions(report)
    out += _findings(report)
    out += _key()
    return "\n".join(out).rstrip() + "\n"


def _updates(updates) -> list[str]:
    """The update round: how many leads returned by the due day, then who has not."""
    state = "open" if updates.is_open else "ended"
    out = [
        "## Updates from the leads",
        "",
        f"{update_line(updates)} (round {updates.number} over {md(updates.scope)}, {state}).",
        "",
    ]
    if updates.not_returned:
        out += [f"Not returned ({len(updates.not_returned)}):", ""]
        out += [f"- {md(who)}" for who in updates.not_returned]
        out.append("")
    if updates.late:
        out += [f"Returned after the due date ({len(updates.late)}):", ""]
        out += [f"- {md(who)}" for who in updates.late]
        out.append("")
    return out


def _headline(report: BoardReport) -> list[str]:
    head = report.headline
    share, base = share_words(head.plan)
    counts = " · ".join(f"{status_words_lettered(s.code)} **{head.plan[s.code]}**" for s in STATUSES)
    return [
        "## Headline",
        "",
        f"**{share} on track or complete** ({base}). {plural(head.plan.total, 'action')} in all.",
        "",
        counts,
        "",
        md(board_movement_words(head.since_board, report.as_at)),
        "",
        f"**{head.overdue}** overdue · **{head.slipped}** slipped · **{head.findings_at_risk}** of "
        f"{plural(head.findings, 'finding')} at risk"
        + (
            f" · **{head.measures_off_target}** of {plural(head.measures, 'measure')} off target."
            if head.measures
            else "."
        ),
        "",
        f"✔ **{head.delivered}** delivered · ◆ **{head.impact_evidenced}** impact evidenced "
        "(delivered says it was done; impact evidenced, that it made a difference).",
        "",
    ]


def _scorecard(report: BoardReport) -> list[str]:
    """Every measure where it stands at the report's day, with its last 12 periods' values."""
    out = [
        "## Scorecard",
        "",
        f"Each measure's latest value recorded by the end of {day_text(report.as_at)}, against its target; "
        "the trend compares it with the period before. Last 12 periods oldest first, – for a period "
        "without a value.",
        "",
    ]
    rows = [
        [
            md(row.measure.ref), md(row.measure.name), md(latest_words(row)), latest_period_words(row),
            md(measure_target_words(row)), measure_status_words(row.standing.status),
            trend_words(row.standing.trend), recent_values_words(row),
        ]
        for row in report.measures
    ]  # fmt: skip
    header = ["Ref", "Measure", "Latest", "Period", "Target", "Status", "Trend", "Last 12 periods"]
    return [*out, *_table(header, rows), ""]


def _trend(report: BoardReport) -> list[str]:
    """The trend chart's numbers (Markdown has no pictures of its own; the HTML, PDF and Word draw them)."""
    points = report.trend
    out = [
        "## Trend",
        "",
        f"Actions in each status at the end of {points_word(points)}, rebuilt from the change history, "
        f"and as at {day_text(report.as_at)}.",
        "",
    ]
    header = ["Status", *(f"{md(name)}, {day}" for name, day in map(point_heading, points))]
    rows = [[status_words_lettered(s.code), *(str(p.counts[s.code]) for p in points)] for s in STATUSES]
    rows.append(["**Total**", *(str(p.counts.total) for p in points)])
    return [*out, *_table(header, rows, "l" + "r" * len(points)), ""]


def _key() -> list[str]:
    out = ["## Status key", ""]
    rows = [[s.symbol, s.letter, s.short, COLOUR_NAMES[s.code], md(s.label)] for s in STATUSES]
    out += _table(["Symbol", "Letter", "Status", "Colour", "Meaning in the plan"], rows)
    return [*out, ""]


def _section_cells(section: Section, *, bold: bool) -> list[str]:
    ref = f"**{section.ref}**" if bold else section.ref
    title = f"**{md(section.title)}**" if bold else md(section.title)
    return [ref, title, *_counts_cells(section.counts), str(section.counts.total), share_text(section.counts)]


def _summary(report: BoardReport) -> list[str]:
    plan = report.plan
    out = ["## Summary by theme and area", ""]
    header = ["Ref", "Theme / area", *_status_headers(), "Total", "On track or complete¹"]
    rows: list[list[str]] = []
    for theme in report.themes:
        rows.append(_section_cells(theme.theme, bold=True))
        rows += [_section_cells(area, bold=False) for area in theme.areas]
    rows.append(["", "**Whole plan**", *_counts_cells(plan), str(plan.total), share_text(plan)])
    out += _table(header, rows, "ll" + "r" * (len(STATUSES) + 2))
    out += ["", f"¹ The {report.share_note}.", ""]
    return out


def _cut_note(shown: int, total: int, what: str) -> list[str]:
    """The line saying a list stops short, and where the rest are (nothing when it does not)."""
    words = cut_list_words(shown, total, what)
    return ["", md(words)] if words else []


def _movement(movement: MovementSection, report: BoardReport) -> list[str]:
    t = movement.tally
    out = [f"## Movement {md(movement.label)}", ""]
    moved = len(movement.moved)
    out.append(
        f"{plural(moved, 'action')} changed status: "
        f"{t.better} better ↑, {t.worse} worse ↓, {t.sideways} no change in risk →. "
        f"{plural(movement.changes, 'change')} recorded in the period"
        f" ({movement.in_meetings} in board meetings)."
    )
    out.append("")
    rows = [
        [status_words_lettered(s.code), str(t.before[s.code]), str(t.after[s.code]), signed(t.change(s.code))]
        for s in STATUSES
    ]
    out += _table(["Status", "Before", "Now", "Change"], rows, "lrrr")
    out.append("")
    if movement.moved:
        rows = []
        listed = report.listed(movement.moved)
        for item in listed:
            move = item.move
            said = md(item.note) if item.note else ""
            if item.author:
                said = f"{said} — {md(item.author)}" if said else md(item.author)
            rows.append(
                [
                    move.ref,
                    md(move.title),
                    status_words_lettered(move.old),
                    status_words_lettered(move.new),
                    f"{move.direction.arrow} {move.direction.words}",
                    said,
                ]
            )
        out += _table(["Ref", "Action", "Was", "Now", "Moved", "Commentary"], rows)
        out += _cut_note(len(listed), moved, "actions that changed status")
        out.append("")
    return out


def _action_cells(row: ActionRow) -> list[str]:
    return [row.ref, md(row.title), md(leads_text(row)), md(row.milestone) or "–"]


def _exceptions(report: BoardReport) -> list[str]:
    out = ["## Exceptions", ""]
    for code, rows, what in (
        ("off_track", report.off_track, "off-track actions"),
        ("some_issues", report.some_issues, "actions with some issues"),
    ):
        out += [f"### {status_words_lettered(code)} ({len(rows)})", ""]
        if not rows:
            out += ["None.", ""]
            continue
        table = [
            [*_action_cells(r), action_due_words(r, report.today), md(r.last_note) or "–"]
            for r in report.listed(rows)
        ]
        out += _table(["Ref", "Action", "Lead(s)", "Milestone", "Due", "Latest commentary"], table)
        out += _cut_note(len(table), len(rows), what)
        out.append("")
    out += [f"### ⚠ Overdue ({len(report.overdue)})", ""]
    out += [
        f"Due before {day_text(report.today)} and neither complete nor business as usual.",
        "",
    ]
    if report.overdue:
        table = [
            [*_action_cells(r), status_words_lettered(r.status), action_due_words(r, report.today)]
            for r in report.listed(report.overdue)
        ]
        out += _table(["Ref", "Action", "Lead(s)", "Milestone", "Status", "Due"], table)
        out += _cut_note(len(table), len(report.overdue), "overdue actions")
    else:
        out.append("None.")
    out += [
        "",
        f"### ↷ Slipped ({len(report.slipped)})",
        "",
        "Due later than the milestone first agreed.",
        "",
    ]
    if report.slipped:
        table = [
            [r.ref, md(r.title), md(leads_text(r)), status_words_lettered(r.status), md(r.baseline),
             md(r.milestone), md(action_slip_words(r))]
            for r in report.listed(report.slipped)
        ]  # fmt: skip
        out += _table(
            ["Ref", "Action", "Lead(s)", "Status", "First milestone", "Milestone now", "Slipped"], table
        )
        out += _cut_note(len(table), len(report.slipped), "slipped actions")
    else:
        out.append("None.")
    if report.measures:
        out += _off_target(report)
    return [*out, ""]


def _off_target(report: BoardReport) -> list[str]:
    rows = report.off_target_measures
    out = ["", f"### ✖ Measures off target ({len(rows)})", ""]
    out += ["Measures whose latest value is off target, the furthest short first.", ""]
    if not rows:
        return [*out, "None."]
    table = [
        [md(row.measure.ref), md(row.measure.name), md(row.measure.owner) or "–", md(latest_words(row)),
         latest_period_words(row), md(measure_target_words(row)), trend_words(row.standing.trend),
         md(linked_words(row))]
        for row in rows
    ]  # fmt: skip
    return [
        *out,
        *_table(["Ref", "Measure", "Owner", "Latest", "Period", "Target", "Trend", "Evidences"], table),
    ]


def _refs_text(rollup) -> str:
    parts = []
    for cited in rollup.refs:
        if cited.names_nothing:
            parts.append(f"⚠ {cited.ref} (names nothing in the plan)")
        else:
            parts.append(f"{cited.ref} ({cited.kind})")
    return "; ".join(parts) or "none"


def _findings(report: BoardReport) -> list[str]:
    at_risk = report.findings_at_risk
    out = ["## Inspection findings", ""]
    out += [
        f"{plural(len(report.findings), 'finding')}; **{len(at_risk)} at risk**: "
        "an action under a cited ref is off "
        f"track or overdue as at {day_text(report.today)}, a linked measure is off target, or a cited "
        "ref names nothing in the plan.",
        "",
        f"### ⚠ Findings at risk ({len(at_risk)})",
        "",
    ]
    if at_risk:
        for rollup in report.listed(at_risk):
            out.append(
                f"- **Finding {rollup.number}** ({md(rollup.finding.source)}): {md(rollup.finding.text)}  \n"
                f"  ⚠ {md('; '.join(rollup.reasons))}"
            )
        out += _cut_note(len(report.listed(at_risk)), len(at_risk), "findings at risk")
    else:
        out.append("None.")
    out += ["", "### All findings", ""]
    header = ["#", "Finding", "Refs cited", *_status_headers(), "On track or complete¹", "At risk"]
    rows = []
    for rollup in report.listed(report.findings):
        rows.append(
            [
                str(rollup.number),
                md(rollup.finding.text),
                md(_refs_text(rollup)),
                *_counts_cells(rollup.counts),
                share_text(rollup.counts),
                "⚠ at risk" if rollup.at_risk else "no",
            ]
        )
    out += _table(header, rows, "lll" + "r" * (len(STATUSES) + 1))
    out += _cut_note(len(rows), len(report.findings), "findings")
    out += ["", f"¹ The {report.share_note}.", ""]
    return out
