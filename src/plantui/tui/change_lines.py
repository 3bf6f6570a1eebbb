"""One change to the plan as a line of Rich text, for the meeting summary and the changes view.

`change_text(entry)` says what moved: a status as `● G On track -> ✖ R Off track ↓ worse` (symbols,
letters and words beside the colours, and the arrow of `plantui.domain.movement`), a milestone as
`milestone 'March 2023' -> 'June 2023'`, a text as `title 'Old' -> 'New'` or
`leads Jane Smith -> Jane Smith; Head of QA` (`plantui.domain.wording.text_change_words`), or
`note`. `change_block(entry)` adds when, who, the ref and title, and the note on its own line. All
plan text goes through `visible()` and is never markup.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from plantui.domain.action_text import TEXT_FIELDS
from plantui.domain.evidence import EVIDENCE_FIELD, IMPACT_FIELD, evidence_change_words
from plantui.domain.movement import Direction, direction
from plantui.domain.statuses import is_status_code, status
from plantui.domain.text import visible
from plantui.domain.views import HistoryEntry
from plantui.domain.wording import text_change_words
from plantui.store.clock import local_text

TITLE_WIDTH = 40  # a change's heading stays on one line at 80 columns
ARROW_STYLES = {Direction.BETTER: "bold", Direction.WORSE: "bold reverse", Direction.SIDEWAYS: ""}


def status_piece(code: str | None) -> Text:
    """`✖ R Off track` in the status colour; `–` for none."""
    if not is_status_code(code):
        return Text(visible(code or "–"))
    assert code is not None
    s = status(code)
    words = s.short if s.letter == s.short else f"{s.letter} {s.short}"
    return Text(f"{s.symbol} {words}", style=f"bold {s.colour}")


def move_piece(old: str, new: str) -> Text:
    """`↓ worse`, `↑ better` or `→ no change in risk`: the arrow and its words, never colour alone."""
    way = direction(old, new)
    return Text(f"{way.arrow} {way.words}", style=ARROW_STYLES[way])


def change_text(entry: HistoryEntry) -> Text:
    """What the entry changed, on one line."""
    text = Text()
    if entry.undoes_id is not None:
        text.append(f"undo of #{entry.undoes_id}: ", style="italic")
    if entry.field == "status":
        text.append_text(status_piece(entry.old))
        text.append(" -> ")
        text.append_text(status_piece(entry.new))
        if entry.old and entry.new:
            text.append("  ")
            text.append_text(move_piece(entry.old, entry.new))
    elif entry.field == "milestone":
        text.append(f"milestone {visible(entry.old or '–')!r} -> {visible(entry.new or '–')!r}")
    elif entry.field in TEXT_FIELDS:
        text.append(text_change_words(entry.field, entry.old, entry.new))
    elif entry.field in (EVIDENCE_FIELD, IMPACT_FIELD):
        text.append(evidence_change_words(entry.field, entry.old, entry.new))
    else:
        text.append("note")
    return text


def local_time(moment: datetime, *, with_date: bool = True) -> str:
    """A stored UTC moment in the user's local time."""
    return local_text(moment, "%Y-%m-%d %H:%M" if with_date else "%H:%M")


def change_block(entry: HistoryEntry, *, with_date: bool = True, undone: bool = False) -> Text:
    """Two or three lines: when, who, ref and title; the change; the note (when there is one)."""
    text = Text()
    text.append(local_time(entry.at, with_date=with_date), style="dim")
    text.append("  ")
    text.append(visible(entry.author), style="italic")
    text.append("  ")
    text.append(entry.action_ref, style="bold")
    if entry.action_title:
        title = Text(" " + visible(entry.action_title))
        title.truncate(TITLE_WIDTH, overflow="ellipsis")
        text.append_text(title)
    text.append("\n    ")
    text.append_text(change_text(entry))
    if undone:
        text.append("  (undone later)", style="italic")
    if entry.note:
        text.append("\n    “")
        text.append(visible(entry.note))
        text.append("”")
    return text
