"""What `plantui import --dry-run` prints: the plan it would import, the first rows, the warnings."""

from __future__ import annotations

import shutil
from collections import Counter

from plantui.cli.render import clip, safe, status_text
from plantui.domain.statuses import STATUS_CODES
from plantui.domain.wording import plural

FIRST_ROWS = 10


def milestone_warnings(document, source: str) -> list[str]:
    """Milestones of a plan file that name no date (their actions have no due date)."""
    from plantui.domain.milestones import readable

    return [
        f"{source}: action {action.ref}: milestone {action.milestone!r} cannot be read as a date; "
        "it has no due date"
        for action in document.actions()
        if action.milestone.strip() and not readable(action.milestone) and action.due is None
    ]


def _counts(actions) -> str:
    counts = Counter(action.rag for action in actions)
    return ", ".join(f"{counts[code]} {status_text(code)}" for code in STATUS_CODES if counts[code])


def column_lines(columns: list[tuple[str, str, str]]) -> list[str]:
    """How the spreadsheet's columns were read: letter, header as written, the field it fills."""
    lines = ["Columns:"]
    width = max((len(header) for _, header, _ in columns), default=0) + 2
    for letter, header, key in columns:
        lines.append(f"  {letter:<3} {clip(repr(header), width):<{width}} -> {key.replace('_', ' ')}")
    return lines


def unreadable_lines(error) -> list[str]:
    """What `--dry-run` shows of a spreadsheet whose rows cannot be imported (an `UnreadableRows`):
    where its header is and how its columns were read; the problems themselves go to stderr."""
    return [
        f"Would not import {safe(error.source)} (header on row {error.header_row}): see the problems below",
        *column_lines(error.columns),
        "Dry run: nothing was changed.",
    ]


def dry_run_lines(document, table, source: str) -> list[str]:
    """`table` is the spreadsheet reading (a `TableImport`), or None for a JSON plan file."""
    actions = document.actions()
    areas = sum(len(t.areas) for t in document.themes)
    objectives = sum(len(a.objectives) for t in document.themes for a in t.areas)
    where = f"{table.source} (header on row {table.header_row})" if table else source
    lines = [
        f"Would import {safe(where)}: {safe(document.title)!r}",
        f"  {plural(len(document.themes), 'theme')}, {plural(areas, 'area')}, "
        f"{plural(objectives, 'objective')}, {plural(len(actions), 'action')}, "
        f"{plural(len(document.findings), 'finding')}",
    ]
    if table is not None:
        lines.extend(column_lines(table.columns))
    width = shutil.get_terminal_size((120, 24)).columns
    theme_w = 36 if width >= 100 else 24
    lines.append("Per theme:")
    for theme in document.themes:
        theme_actions = [x for a in theme.areas for o in a.objectives for x in o.actions]
        lines.append(
            f"  {theme.ref:<3} {clip(theme.title, theme_w):<{theme_w}} "
            f"{plural(len(theme_actions), 'action'):>11}: {_counts(theme_actions)}"
        )
    lines.append(f"First rows (of {len(actions)}):")
    if table is not None:
        lead_w = 25 if width >= 100 else 0  # leads only where there is room for them
        title_w = max(width - (11 + 10 + 14 + 17 + lead_w) - 1, 20)
        for row in table.rows[:FIRST_ROWS]:
            leads = f"{clip('; '.join(row.leads), lead_w - 1):<{lead_w - 1}} " if lead_w else ""
            lines.append(
                f"  row {row.row:<4} {row.ref:<9} {status_text(row.status):<13} "
                f"{clip(row.milestone, 16):<16} {leads}{clip(row.title, title_w)}"
            )
    else:
        title_w = max(width - (2 + 10 + 14 + 17) - 1, 20)
        for action in actions[:FIRST_ROWS]:
            lines.append(
                f"  {action.ref:<9} {status_text(action.rag):<13} {clip(action.milestone, 16):<16} "
                f"{clip(action.title, title_w)}"
            )
    warnings = table.warnings if table is not None else milestone_warnings(document, source)
    if warnings:
        lines.append(f"Warnings ({len(warnings)}):")
        lines.extend(f"  {safe(line)}" for line in warnings)
    lines.append("Dry run: nothing was changed.")
    return lines
