"""Plain-text output for the CLI: the action table, changes and history lines, JSON, no colour codes.

The words (statuses, due states, slips, dates) come from `plantui.domain.wording`, as on screen and in
the reports. Plan text is printed as it is; nothing here interprets brackets. Control characters in
user text are shown as visible escapes so a hostile cell cannot drive the terminal.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime

from plantui.domain.action_text import TEXT_FIELDS
from plantui.domain.evidence import EVIDENCE_FIELD, IMPACT_FIELD, evidence_change_words
from plantui.domain.statuses import STATUS_CODES
from plantui.domain.text import visible
from plantui.domain.views import ActionRow, HistoryEntry
from plantui.domain.wording import day_text, due_words, slip_words, status_words, text_change_words


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


status_text = status_words


def local_time(moment: datetime) -> str:
    from plantui.store.clock import local_text

    return local_text(moment)


def action_table(rows: list[ActionRow], today: date) -> list[str]:
    width = shutil.get_terminal_size((120, 24)).columns
    ref_w = max([len("Ref"), *(len(r.ref) for r in rows)])
    status_w = max(len(status_words(code)) for code in STATUS_CODES)
    milestone_w = min(max([len("Milestone"), *(len(r.milestone) for r in rows)]), 24)
    dues = [due_words(r.due_state(today), r.due, today) for r in rows]
    slips = [slip_words(r.slippage) for r in rows]
    due_w = max([len("Due"), *(len(d) for d in dues)])
    slip_w = max([len("Slip"), *(len(s) for s in slips)])
    lead_w = 28
    title_w = max(width - ref_w - status_w - milestone_w - due_w - slip_w - lead_w - 12, 20)
    lines = [
        f"{'Ref':<{ref_w}}  {'Status':<{status_w}}  {'Milestone':<{milestone_w}}  {'Due':<{due_w}}  "
        f"{'Slip':<{slip_w}}  {'Lead(s)':<{lead_w}}  Action"
    ]
    for r, due, slip in zip(rows, dues, slips, strict=True):
        cells = (
            f"{r.ref:<{ref_w}}",
            f"{status_text(r.status):<{status_w}}",
            f"{clip(r.milestone, milestone_w):<{milestone_w}}",
            f"{due:<{due_w}}",
            f"{slip:<{slip_w}}",
            f"{clip('; '.join(r.leads), lead_w):<{lead_w}}",
            clip(r.title, title_w),
        )
        lines.append("  ".join(cells))
    return lines


def milestone_change(entry: HistoryEntry, action: ActionRow) -> str:
    """A milestone move as the CLI reports it, with the new due date and any slip from the baseline."""
    change = f"milestone {safe(entry.old or '–')!r} -> {safe(entry.new or '–')!r}"
    due = f"due {day_text(action.due)}" if action.due else "no due date"
    slip = slip_words(action.slippage, baseline=safe(action.baseline))
    return f"{change} ({due}, {slip})" if slip else f"{change} ({due})"


def change_text(entry: HistoryEntry, *, say_status: bool = True) -> str:
    """What a history entry changed: `status ● On track -> ✖ Off track`, `milestone 'A' -> 'B'`,
    `note`, prefixed `undo of #N: ` for an undo. `say_status=False` leaves out the word "status"."""
    if entry.field == "status":
        change = f"{'status ' if say_status else ''}{status_text(entry.old)} -> {status_text(entry.new)}"
    elif entry.field == "milestone":
        change = f"milestone {safe(entry.old or '–')!r} -> {safe(entry.new or '–')!r}"
    elif entry.field in TEXT_FIELDS:
        change = text_change_words(entry.field, entry.old, entry.new)
    elif entry.field in (EVIDENCE_FIELD, IMPACT_FIELD):
        change = evidence_change_words(entry.field, entry.old, entry.new)
    else:
        change = "note"
    if entry.undoes_id is not None:
        change = f"undo of #{entry.undoes_id}: {change}"
    return change


def history_line(entry: HistoryEntry, *, title_width: int = 0) -> str:
    """One change on one line; `title_width` adds the action's title, clipped, after its ref."""
    when = local_time(entry.at)
    change = change_text(entry)
    note = f" — {safe(entry.note)}" if entry.note else ""
    ref = entry.action_ref
    if title_width and entry.action_title:
        ref = f"{ref} {clip(entry.action_title, title_width)!s}"
    meeting = f" [meeting {entry.meeting_id}]" if entry.meeting_id is not None else ""
    return f"#{entry.id}  {when}  {safe(entry.author)}  {ref}  {change}{note}{meeting}"
