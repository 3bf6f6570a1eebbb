"""Plain-text output for the CLI: aligned columns, status symbols and words, no colour codes.

Plan text is printed as it is; nothing here interprets brackets. Control characters in user text are
shown as visible escapes so a hostile cell cannot drive the terminal.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime

from plantui.domain.statuses import status
from plantui.domain.text import visible
from plantui.domain.views import ActionRow, HistoryEntry


def safe(text: str) -> str:
    """User text fit for one line of a terminal: control characters made visible, newlines as spaces."""
    return visible(text)


def json_text(data: object) -> str:
    """Data as indented JSON that keeps non-ASCII text readable but never drives the terminal."""
    import json

    from plantui.domain.text import escape_json_controls

    return escape_json_controls(json.dumps(data, ensure_ascii=False, indent=2))


def clip(text: str, width: int) -> str:
    text = safe(text)
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def status_text(code: str | None) -> str:
    if code is None:
        return "–"
    s = status(code)
    return f"{s.symbol} {s.short}"


def local_time(moment: datetime) -> str:
    from plantui.store.clock import local

    return local(moment).strftime("%Y-%m-%d %H:%M")


def action_table(rows: list[ActionRow], today: date) -> list[str]:
    width = shutil.get_terminal_size((120, 24)).columns
    ref_w = max([len("Ref"), *(len(r.ref) for r in rows)])
    status_w = max(
        len(status_text(code))
        for code in ("complete", "on_track", "some_issues", "off_track", "not_started", "bau")
    )
    milestone_w = min(max([len("Milestone"), *(len(r.milestone) for r in rows)]), 24)
    due_w = len("due soon")
    lead_w = 28
    title_w = max(width - ref_w - status_w - milestone_w - due_w - lead_w - 10, 20)
    lines = [
        f"{'Ref':<{ref_w}}  {'Status':<{status_w}}  {'Milestone':<{milestone_w}}  {'Due':<{due_w}}  "
        f"{'Lead(s)':<{lead_w}}  Action"
    ]
    for r in rows:
        cells = (
            f"{r.ref:<{ref_w}}",
            f"{status_text(r.status):<{status_w}}",
            f"{clip(r.milestone, milestone_w):<{milestone_w}}",
            f"{r.due_state(today).words:<{due_w}}",
            f"{clip('; '.join(r.leads), lead_w):<{lead_w}}",
            clip(r.title, title_w),
        )
        lines.append("  ".join(cells))
    return lines


def history_line(entry: HistoryEntry) -> str:
    when = local_time(entry.at)
    if entry.field == "status":
        change = f"status {status_text(entry.old)} -> {status_text(entry.new)}"
    elif entry.field == "milestone":
        change = f"milestone {safe(entry.old or '–')!r} -> {safe(entry.new or '–')!r}"
    else:
        change = "note"
    if entry.undoes_id is not None:
        change = f"undo of #{entry.undoes_id}: {change}"
    note = f" — {safe(entry.note)}" if entry.note else ""
    return f"#{entry.id}  {when}  {safe(entry.author)}  {entry.action_ref}  {change}{note}"
