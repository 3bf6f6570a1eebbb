"""Cell text that survives a spreadsheet: reversible escapes for characters a cell cannot carry,
and the guard that keeps CSV cells from being run as formulas.

Escapes use Office Open XML's own form, `_xHHHH_` (`_x001B_` is ESC), which Excel writes for a
carriage return and decodes when it opens a workbook. A `_` that already begins text of that shape
is written `_x005F_`, so decoding gives back exactly the text that was encoded. Characters beyond
U+FFFF are written as their two UTF-16 halves (`_xD83D__xDE00_`), as Excel does.

CSV guard (OWASP's advice on CSV injection): a cell beginning with `=`, `+`, `-`, `@`, a tab or a
carriage return is written with a `'` in front, which Excel and LibreOffice show as text and never
evaluate. A cell beginning with `'` and then one of those (or another `'`) gets one too, so that
removing one leading `'` on import is exact.
"""

from __future__ import annotations

import re
import unicodedata

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_ESCAPE_START = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")  # a `_` that would read as the start of an escape
# Characters XML 1.0 cannot hold, and a carriage return (XML reads every CR as a line feed).
_NOT_IN_XML = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
_KEEP_FORMAT = frozenset("\u200d\u200c")  # joiners inside emoji and scripts are part of the text

FORMULA_STARTS = frozenset("=+-@\t\r")
_GUARD = "'"


def _escape_char(char: str) -> str:
    code = ord(char)
    if code > 0xFFFF:
        code -= 0x10000
        return f"_x{0xD800 + (code >> 10):04X}__x{0xDC00 + (code & 0x3FF):04X}_"
    return f"_x{code:04X}_"


def _hidden_on_a_terminal(char: str) -> bool:
    return char != "\n" and unicodedata.category(char) in {"Cc", "Cf"} and char not in _KEEP_FORMAT


def escape_for_xml(text: str) -> str:
    """Text a workbook cell can hold: controls XML cannot carry (and CR) as `_xHHHH_`."""
    if "_x" in text:
        text = _ESCAPE_START.sub("_x005F_", text)
    return _NOT_IN_XML.sub(lambda m: _escape_char(m.group()), text)


def escape_for_terminal(text: str) -> str:
    """Text safe to print: every control and format character but a line feed as `_xHHHH_`."""
    if "_x" in text:
        text = _ESCAPE_START.sub("_x005F_", text)
    if text.isprintable() or all(line.isprintable() for line in text.split("\n")):
        return text
    return "".join(_escape_char(c) if _hidden_on_a_terminal(c) else c for c in text)


def escape_for_file(text: str) -> str:
    """Text for a CSV file, kept as it is but for NUL (which no CSV reader takes as text) and a `_`
    that would read as an escape."""
    if "_x" in text:
        text = _ESCAPE_START.sub("_x005F_", text)
    return text.replace("\x00", "_x0000_") if "\x00" in text else text


def unescape(text: str) -> str:
    """The text an `escape_*` function was given (and Excel's own `_xHHHH_` escapes decoded)."""
    if "_x" not in text:
        return text
    decoded = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if any("\ud800" <= c <= "\udfff" for c in decoded):
        # Pairs of UTF-16 halves become the character they encode; a lone half, which no text can
        # hold, becomes U+FFFD.
        decoded = decoded.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return decoded


def guard_formula(text: str) -> str:
    """A CSV cell that no spreadsheet will run as a formula (see the module's docstring)."""
    if text and (
        text[0] in FORMULA_STARTS or (text[0] == _GUARD and len(text) > 1 and text[1] in _GUARD_AFTER)
    ):
        return _GUARD + text
    return text


_GUARD_AFTER = FORMULA_STARTS | {_GUARD}


def unguard_formula(text: str) -> str:
    """The text `guard_formula` was given."""
    if len(text) > 1 and text[0] == _GUARD and text[1] in _GUARD_AFTER:
        return text[1:]
    return text
