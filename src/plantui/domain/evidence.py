"""Evidence of impact, and when an action's impact counts as evidenced.

A piece of evidence is a short text, an optional link (a URL or a file path) and the day it is from.
It is recorded against an action as a history row like any other change (field "evidence", `new`
the JSON object `encode_evidence` makes, the author the person who recorded it), so undo, redo,
as-at, the plan file and `copy` carry it without machinery of their own. Undoing one adds a row
(field "evidence", `old` the evidence taken back, `new` None); an action's evidence is its evidence
rows that have not been undone (`standing_evidence`).

"Impact evidenced" is a state of the action apart from its status: a status says the action was
delivered, this says it made a difference. It is changed only with a history row (field "impact",
"yes" or "no"), and may be set only when the action has evidence or a linked measure that is met in
its latest period with a value (`impact_refusal`): the latest period is what the scorecard and the
board report show for a measure, so "met" means the same thing everywhere, and a plan needs no
setting of its own to say which periods count. Taking back the last evidence of an action whose
impact is evidenced does not clear the mark without a word: `plantui check` warns about it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from plantui.domain.action_text import TextFieldError, check_characters
from plantui.domain.text import visible
from plantui.domain.wording import clip_words

EVIDENCE_FIELD = "evidence"
IMPACT_FIELD = "impact"
YES, NO = "yes", "no"

MAX_EVIDENCE_TEXT = 2_000
MAX_EVIDENCE_LINK = 2_000

# Words and a symbol, so colour is never the only sign.
IMPACT_SYMBOL = "◆"
NO_IMPACT_SYMBOL = "◇"


@dataclass(frozen=True, slots=True)
class Evidence:
    """One piece of evidence as it stands: what it says, its link, its day, and who recorded it when."""

    text: str
    link: str
    day: date
    author: str
    at: datetime  # when it was recorded (UTC, naive)
    history_id: int


def clean_evidence_text(text: str) -> str:
    """The evidence's text as stored: one line, spaces folded, not empty, not far longer than a note."""
    check_characters(text, "evidence", allowed="\n\r\t")
    cleaned = " ".join(text.split())
    if not cleaned:
        raise TextFieldError("evidence: say what the evidence is (the text is empty)")
    if len(cleaned) > MAX_EVIDENCE_TEXT:
        raise TextFieldError(
            f"evidence: {len(cleaned)} characters is too long (at most {MAX_EVIDENCE_TEXT}); "
            "give the detail in a linked document"
        )
    return cleaned


def clean_evidence_link(link: str) -> str:
    """A link or file path as stored: trimmed, one line, may be empty."""
    check_characters(link, "link", allowed="")
    cleaned = link.strip()
    if len(cleaned) > MAX_EVIDENCE_LINK:
        raise TextFieldError(f"link: {len(cleaned)} characters is too long (at most {MAX_EVIDENCE_LINK})")
    return cleaned


def encode_evidence(text: str, link: str, day: date) -> str:
    """The evidence as a history row holds it: `{"text": ..., "link": ..., "date": "YYYY-MM-DD"}`
    (no "link" when there is none), a JSON object any text survives exactly."""
    value: dict[str, str] = {"text": text}
    if link:
        value["link"] = link
    value["date"] = day.isoformat()
    return json.dumps(value, ensure_ascii=False)


def decode_evidence(stored: str | None) -> tuple[str, str, date]:
    """(text, link, day) from what a history row holds; anything else is a `ValueError`."""
    if not stored:
        raise ValueError("no evidence")
    value = json.loads(stored)
    if not isinstance(value, dict):
        raise ValueError("evidence is not a JSON object")
    text, link, day = value.get("text"), value.get("link", ""), value.get("date")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("evidence has no text")
    if not isinstance(link, str) or not isinstance(day, str):
        raise ValueError("evidence has a link or date that is not text")
    return text, link, date.fromisoformat(day)


def is_evidence_value(stored: object) -> bool:
    """Whether `stored` is what an evidence row's `new` (or an undo's `old`) may hold."""
    if not isinstance(stored, str):
        return False
    try:
        decode_evidence(stored)
    except ValueError:
        return False
    return True


def impact_value(stored: object) -> bool:
    """An impact row's value as a flag ("yes" is evidenced; anything else, "no" among them, is not)."""
    return stored == YES


def impact_text(flag: bool) -> str:
    return YES if flag else NO


class _Row(Protocol):
    """What `standing_evidence` reads of a history row (a `HistoryEntry` has these)."""

    id: int
    field: str
    new: str | None
    undoes_id: int | None
    author: str
    at: datetime


def standing_evidence(history: Iterable[_Row]) -> list[Evidence]:
    """The evidence that stands in an action's history (any order), oldest first by the day of the
    evidence and then by when it was recorded. A row that cannot be read is left out."""
    rows = list(history)
    undone = {row.undoes_id for row in rows if row.undoes_id is not None}
    found: list[Evidence] = []
    for row in rows:
        if row.field != EVIDENCE_FIELD or row.undoes_id is not None or row.id in undone:
            continue
        try:
            text, link, day = decode_evidence(row.new)
        except ValueError:
            continue
        found.append(Evidence(text, link, day, row.author, row.at, row.id))
    found.sort(key=lambda item: (item.day, item.history_id))
    return found


def impact_refusal(ref: str, evidence_count: int, met_measures: Sequence[str], linked_measures: int) -> str:
    """Why `ref`'s impact cannot be marked evidenced yet, in one line; "" when it can."""
    if evidence_count > 0 or met_measures:
        return ""
    if linked_measures:
        return (
            f"{ref}: impact not marked evidenced: it has no evidence, and none of its "
            f"{linked_measures} linked measure(s) is met in its latest period; add evidence first "
            f"(plantui evidence add {ref} TEXT)"
        )
    return (
        f"{ref}: impact not marked evidenced: it has no evidence and no linked measure; add evidence "
        f"first (plantui evidence add {ref} TEXT)"
    )


def impact_words(flag: bool) -> str:
    """`◆ Impact evidenced` or `◇ Impact not yet evidenced`: a symbol and words."""
    return f"{IMPACT_SYMBOL} Impact evidenced" if flag else f"{NO_IMPACT_SYMBOL} Impact not yet evidenced"


def evidence_line(item: Evidence) -> str:
    """One piece of evidence in one line of plain text: `2022-10-01 Ann: text (link)`."""
    line = f"{item.day.isoformat()} {item.author}: {item.text}"
    return f"{line} ({item.link})" if item.link else line


def _mark_words(value: str | None) -> str:
    return f"{IMPACT_SYMBOL} evidenced" if impact_value(value) else f"{NO_IMPACT_SYMBOL} not evidenced"


def evidence_change_words(field: str, old: str | None, new: str | None, *, width: int = 40) -> str:
    """An evidence or impact history row in words, plain text made safe for one line:
    `evidence 'Audit shows…' (2022-10-14)`, `evidence taken back: 'Audit shows…'`,
    `impact ◇ not evidenced -> ◆ evidenced`."""
    if field == IMPACT_FIELD:
        return f"impact {_mark_words(old)} -> {_mark_words(new)}"
    stored = new if new is not None else old
    try:
        text, _link, day = decode_evidence(stored)
    except ValueError:
        return "evidence (unreadable)"
    quoted = repr(clip_words(visible(text), width))
    return f"evidence {quoted} ({day.isoformat()})" if new is not None else f"evidence taken back: {quoted}"
