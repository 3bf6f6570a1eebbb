"""An action's own text as people edit it: its title, success measures, detailed plan and leads.

Each is a field a history row can name (`TEXT_FIELDS`), with the value before and after. The three
texts are stored as written; the leads, an ordered list of names, are stored in a history row as a
JSON list (`encode_leads`), which reverses exactly whatever a name holds (real plans have leads like
"Head of Service (Safeguarding) & QA / PSW, Jane").

`clean_title`, `clean_block` and `clean_leads` check what a person typed before anything is written:
an empty title, a control character (an escape sequence pasted from a terminal) or a text far
longer than any plan's is refused in one line naming the field. Line breaks are kept in the two long
texts and folded to spaces in a title or a lead's name, which are one line wherever they are shown.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable

TEXT_FIELDS = ("title", "success_measures", "detailed_plan", "leads")
BLOCK_FIELDS = ("success_measures", "detailed_plan")

# The words for each field, as people read them ("success measures", not "success_measures").
FIELD_WORDS = {
    "title": "title",
    "success_measures": "success measures",
    "detailed_plan": "detailed plan",
    "leads": "leads",
    "status": "status",
    "milestone": "milestone",
    "note": "note",
    "evidence": "evidence",
    "impact": "impact evidenced",
}

# Far beyond any real plan's (its longest title is about 200 characters, its longest detailed plan a
# few thousand), small enough that a stray paste of a whole file is refused rather than stored.
MAX_TITLE = 1_000
MAX_BLOCK = 50_000
MAX_LEAD = 200
MAX_LEADS = 30

_KEEP_FORMAT = frozenset("\u200d\u200c")  # joiners inside emoji and scripts are part of the text


class TextFieldError(ValueError):
    """What is wrong with a typed text, as one line that starts with the field's name."""


def field_words(field: str) -> str:
    """A history field as people read it: `success measures`, `detailed plan`, `status`."""
    return FIELD_WORDS.get(field, field.replace("_", " "))


def _check_characters(text: str, field: str, *, allowed: str) -> None:
    for char in text:
        if char in allowed:
            continue
        if unicodedata.category(char) in {"Cc", "Cf"} and char not in _KEEP_FORMAT:
            raise TextFieldError(
                f"{field_words(field)}: holds a control character (U+{ord(char):04X}); "
                "type the text again without it"
            )


# For other typed texts (evidence, its link) that follow the same rule.
check_characters = _check_characters


def _one_line(text: str) -> str:
    return " ".join(text.replace("\r\n", "\n").split())


def clean_title(text: str) -> str:
    """A title as stored: one line, spaces folded, not empty."""
    _check_characters(text, "title", allowed="\n\r\t")
    title = _one_line(text)
    if not title:
        raise TextFieldError("title: an action's title cannot be empty")
    if len(title) > MAX_TITLE:
        raise TextFieldError(f"title: {len(title)} characters is too long (at most {MAX_TITLE})")
    return title


def clean_block(text: str, field: str) -> str:
    """Success measures or a detailed plan as stored: line breaks kept (as `\\n`), trailing spaces and
    blank lines at either end dropped. It may be empty."""
    _check_characters(text, field, allowed="\n\r\t")
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    block = "\n".join(lines).strip("\n")
    if len(block) > MAX_BLOCK:
        raise TextFieldError(
            f"{field_words(field)}: {len(block)} characters is too long (at most {MAX_BLOCK})"
        )
    return block


def clean_lead(name: str) -> str:
    """One lead's name as stored: one line, spaces folded, not empty."""
    _check_characters(name, "leads", allowed="\n\r\t")
    lead = _one_line(name)
    if not lead:
        raise TextFieldError("leads: a lead's name cannot be empty")
    if len(lead) > MAX_LEAD:
        raise TextFieldError(
            f"leads: {lead[:40]!r}... is too long for a name (at most {MAX_LEAD} characters)"
        )
    return lead


def clean_leads(names: Iterable[str]) -> tuple[str, ...]:
    """The leads as stored, in the order given; a name listed twice is refused."""
    leads: list[str] = []
    for name in names:
        lead = clean_lead(name)
        if lead in leads:
            raise TextFieldError(f"leads: {lead!r} is listed twice")
        leads.append(lead)
    if len(leads) > MAX_LEADS:
        raise TextFieldError(f"leads: {len(leads)} leads is too many for one action (at most {MAX_LEADS})")
    return tuple(leads)


def clean_text(field: str, value: str | Iterable[str]) -> str | tuple[str, ...]:
    """`value` for `field` (one of `TEXT_FIELDS`) as stored, or a `TextFieldError`."""
    if field == "title":
        assert isinstance(value, str)
        return clean_title(value)
    if field in BLOCK_FIELDS:
        assert isinstance(value, str)
        return clean_block(value, field)
    if field == "leads":
        if isinstance(value, str):
            raise TextFieldError("leads: give a list of names")
        return clean_leads(value)
    raise TextFieldError(f"{field}: not a text field of an action (one of {', '.join(TEXT_FIELDS)})")


def encode_leads(leads: Iterable[str]) -> str:
    """The leads as a history row holds them: a JSON list, which any name survives exactly."""
    return json.dumps(list(leads), ensure_ascii=False)


def decode_leads(stored: str | None) -> tuple[str, ...]:
    """The leads a history row holds (see `encode_leads`); None or "" is no leads. Anything else that is
    not a JSON list of texts is a `ValueError`."""
    if not stored:
        return ()
    value = json.loads(stored)
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise ValueError(f"not a JSON list of names: {stored[:60]!r}")
    return tuple(value)


def is_leads_value(stored: str | None) -> bool:
    """Whether `stored` is a leads value a history row may hold (None, or a JSON list of names)."""
    if stored is None:
        return True
    if not isinstance(stored, str):
        return False
    try:
        decode_leads(stored)
    except ValueError:
        return False
    return True
