"""Making user text safe to show on one line of a terminal.

Plan text is data: it is never interpreted as markup (callers build Rich `Text` or plain strings),
and control characters or escape sequences in it are shown as visible escapes (`\\x1b`) so that a
hostile cell cannot move the cursor, change colours or retitle the terminal.
"""

from __future__ import annotations

import unicodedata

_KEEP_FORMAT = frozenset("\u200d\u200c")  # joiners inside emoji and scripts are part of the text


def visible(text: str, *, newlines: str = " ") -> str:
    """`text` with control and format characters escaped; newlines and tabs become `newlines`."""
    if text.isprintable():  # no control, format or line-break character: as it is (checked in C)
        return text
    out = []
    for char in text:
        if char in "\n\r\t":
            out.append(newlines)
        elif unicodedata.category(char) in {"Cc", "Cf"} and char not in _KEEP_FORMAT:
            out.append(f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def _is_hidden(char: str) -> bool:
    return unicodedata.category(char) in {"Cc", "Cf"} and char not in _KEEP_FORMAT


def escape_json_controls(json_text: str) -> str:
    """JSON text with every control or format character written as a `\\uXXXX` escape.

    `json.dumps(..., ensure_ascii=False)` leaves DEL, C1 controls (0x9b starts an escape sequence on
    some terminals) and bidirectional overrides raw. Outside strings JSON has none of these, so
    escaping them changes no value: the text parses to exactly the same data and is safe to print.
    """
    # A line with only printable characters has none of these (`str.isprintable` runs in C, and a whole
    # plan file checked character by character took seconds), so only the other lines are looked into.
    lines = json_text.split("\n")
    changed = False
    for index, line in enumerate(lines):
        if not line.isprintable() and any(_is_hidden(char) and ord(char) > 0x1F for char in line):
            lines[index] = "".join(f"\\u{ord(c):04x}" if _is_hidden(c) and ord(c) > 0x1F else c for c in line)
            changed = True
    return "\n".join(lines) if changed else json_text


def visible_block(text: str) -> str:
    """Like `visible`, but keeps line breaks: for multi-line fields shown in full."""
    return "\n".join(visible(line) for line in text.replace("\r\n", "\n").split("\n"))
