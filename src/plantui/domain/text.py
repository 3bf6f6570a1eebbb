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
    out = []
    for char in text:
        if char in "\n\r\t":
            out.append(newlines)
        elif unicodedata.category(char) in {"Cc", "Cf"} and char not in _KEEP_FORMAT:
            out.append(f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def visible_block(text: str) -> str:
    """Like `visible`, but keeps line breaks: for multi-line fields shown in full."""
    return "\n".join(visible(line) for line in text.replace("\r\n", "\n").split("\n"))
