"""Reading status words as people write them in spreadsheets: "Green", "on track ", "G", "● On track".

The words themselves come from `plantui.domain.filters.status_code_for` (codes, letters, colours,
short words and the legend's labels), so the filter box and the importers agree. This module adds
what a spreadsheet cell needs on top: trimming, the status symbols plantui writes itself, compound
cells such as "Amber - some issues", and words a user adds with `--status "WORDS=CODE"`.
"""

from __future__ import annotations

import colorsys
import re
from collections.abc import Iterable, Mapping

from plantui.domain.errors import InputError
from plantui.domain.filters import status_code_for
from plantui.domain.statuses import STATUS_CODES, STATUSES

_SYMBOLS = "".join(s.symbol for s in STATUSES)
_EDGE = re.compile(rf"^[\s{re.escape(_SYMBOLS)}.:;,*()\[\]\"']+|[\s.:;,*()\[\]\"']+$")
_PARTS = re.compile(r"\s*(?:[/()\[\]:,;]|\s-\s|\s–\s)\s*")


def words_key(text: str) -> str:
    """The form status words are compared in: any case, spacing, underscores or hyphens."""
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


def parse_status_option(text: str) -> tuple[str, str]:
    """`--status "WORDS=CODE"` as (words key, status code); CODE may be any word plantui knows."""
    words, equals, code = text.rpartition("=")
    if not equals or not words.strip() or not code.strip():
        raise InputError(f"--status {text!r}: write WORDS=CODE, e.g. --status 'Needs attention=amber'")
    found = status_code_for(code.strip())
    if found is None:
        raise InputError(
            f"--status {text!r}: {code.strip()!r} is not a status: use one of {', '.join(STATUS_CODES)}"
        )
    return words_key(words), found


class StatusReader:
    """Reads one cell's status words; extra words (from `--status`) are tried first."""

    def __init__(self, extra: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        pairs = extra.items() if isinstance(extra, Mapping) else extra
        self.extra = {words_key(words): code for words, code in pairs}

    def _lookup(self, text: str) -> str | None:
        key = words_key(text)
        if not key:  # "-" or "–": only punctuation, which the filter words still know
            return status_code_for(text.strip()) if text.strip() else None
        return self.extra.get(key) or status_code_for(key) or status_code_for(text.strip())

    def code_for(self, text: str) -> str | None:
        """The status code the words name, or None when they name none (or name two)."""
        if not isinstance(text, str):
            return None
        if found := self._lookup(text):
            return found
        trimmed = _EDGE.sub("", text)
        if trimmed != text and (found := self._lookup(trimmed)):
            return found
        # "Amber - some issues", "G (on track)": every part that names a status must name the same one.
        codes = {self._lookup(part) for part in _PARTS.split(trimmed) if part.strip()}
        codes.discard(None)
        return codes.pop() if len(codes) == 1 else None

    def read(self, text: str) -> str:
        """The status code, or an `InputError` saying what was written and what would be read."""
        code = self.code_for(text)
        if code is None:
            raise InputError(
                f"{text!r} is not a status: write e.g. complete, on track, some issues, off track, "
                "not started or BAU (or B/G/A/R), or add it with --status 'WORDS=CODE'"
            )
        return code


def status_for_colour(rgb: str) -> str | None:
    """The status a RAG cell's fill colour shows (`RRGGBB`), or None for white, black or unreadable.

    Trackers often show the rating by colour alone; hue decides (red, amber through yellow, green,
    blue, purple) and an unsaturated fill is grey. Excel's own pale "Bad/Neutral/Good" fills count.
    """
    try:
        red, green, blue = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    except (ValueError, TypeError, IndexError):
        return None
    if len(rgb) != 6:
        return None
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    if lightness > 0.96 or lightness < 0.06:
        return None  # white or black: no colour to read
    if saturation < 0.15:
        return "not_started"
    degrees = hue * 360
    if degrees < 18 or degrees >= 335:
        return "off_track"
    if degrees < 66:
        return "some_issues"
    if degrees < 170:
        return "on_track"
    if degrees < 255:
        return "complete"
    return "bau"
