"""The six RAG statuses of the plan's legend, in its order, with the words, colour and symbol of each.

Colour is never the only signal: every status also has a symbol and a short letter, so a screen
read in monochrome, over a projector or with `NO_COLOR` set still says which status is which. The
phrases built from them (`✖ Off track`, `✖ R Off track`) are made in `plantui.domain.wording`.
"""

from __future__ import annotations

from dataclasses import dataclass

from plantui.domain.errors import InputError


@dataclass(frozen=True, slots=True)
class Status:
    code: str
    label: str  # the legend's words, as printed in the source plan
    short: str  # a few words for tables and notices
    colour: str  # a Rich/Textual colour name
    symbol: str
    letter: str
    key: str  # the number key that sets it, in legend order

    @property
    def badge(self) -> str:
        """Symbol and letter, e.g. `✖ R`: readable without colour."""
        return f"{self.symbol} {self.letter}"


STATUSES: tuple[Status, ...] = (
    Status("complete", "Action complete", "Complete", "#3b82f6", "✔", "B", "1"),
    Status(
        "on_track",
        "Action not yet completed, but on track and will be completed by milestone",
        "On track",
        "#22c55e",
        "●",
        "G",
        "2",
    ),
    Status(
        "some_issues",
        "Activity progressing, some issues but realistic plans in place to recover",
        "Some issues",
        "#f59e0b",
        "▲",
        "A",
        "3",
    ),
    Status(
        "off_track",
        "Action not on track, risk to implementation",
        "Off track",
        "#ef4444",
        "✖",
        "R",
        "4",
    ),
    Status(
        "not_started",
        "Longer-term action not yet started. No risk to implementation currently anticipated",
        "Not started",
        "#9ca3af",
        "○",
        "–",
        "5",
    ),
    Status("bau", "Business As Usual Activity", "BAU", "#a855f7", "∞", "BAU", "6"),
)

STATUS_CODES: tuple[str, ...] = tuple(s.code for s in STATUSES)
_BY_CODE = {s.code: s for s in STATUSES}
_BY_KEY = {s.key: s for s in STATUSES}

# Statuses whose actions can no longer be late: a finished action, or ongoing business as usual.
CLOSED_CODES = frozenset({"complete", "bau"})


def status(code: str) -> Status:
    """The status with this exact code; an unknown code is an `InputError` listing the valid ones."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise InputError(f"unknown status {code!r}: use one of {', '.join(STATUS_CODES)}") from None


def status_for_key(key: str) -> Status | None:
    """The status a number key 1-6 sets, or None."""
    return _BY_KEY.get(key)


def is_status_code(code: object) -> bool:
    return isinstance(code, str) and code in _BY_CODE
