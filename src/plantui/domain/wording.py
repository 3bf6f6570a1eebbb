"""How plantui words the plan for people: statuses, due states, slips, counts and dates.

Every phrase a person reads about a status, a due date or a slip is made here, so the command line,
the workbench, the board report and the spreadsheets say one thing one way ("slipped 6 months",
"overdue by 5 days", "29 Feb 2024"). The rules behind the words (what is overdue, how far a slip
is) live in `plantui.domain.due`; the legend itself (codes, labels, colours) in
`plantui.domain.statuses`. docs/architecture.md ("Wording") lists the choices: add a phrase here.

Dates people read are "29 Feb 2024"; dates machines read (JSON, file names, filter terms, what a
user types) stay ISO, `2024-02-29`. Month names are spelt out here rather than taken from
`strftime`, so the words never depend on the process's locale.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from plantui.domain.action_text import BLOCK_FIELDS, decode_leads, field_words
from plantui.domain.due import DueState, Slippage
from plantui.domain.statuses import status
from plantui.domain.text import visible
from plantui.domain.views import ActionRow

_MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
NO_VALUE = "–"  # an empty field, where a blank would look like a fault


# Counts and dates


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """`1 day`, `5 days`, `0 actions`; `nouns` for a plural that is not the noun plus "s"."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def day_text(day: date) -> str:
    """A day as people read it: `29 Feb 2024`."""
    return f"{day.day} {_MONTH_ABBREVIATIONS[day.month - 1]} {day.year}"


def month_text(day: date) -> str:
    """The month a day falls in, for narrow cells: `Feb 2024`."""
    return f"{_MONTH_ABBREVIATIONS[day.month - 1]} {day.year}"


def iso_day(day: date | None) -> str | None:
    """A day for machines (JSON, file names): `2024-02-29`, or None."""
    return day.isoformat() if day is not None else None


# Statuses


def status_words(code: str | None) -> str:
    """`✖ Off track`: the symbol and the legend's short words; a dash for no status."""
    if code is None:
        return NO_VALUE
    s = status(code)
    return f"{s.symbol} {s.short}"


def status_words_lettered(code: str) -> str:
    """`✖ R Off track`: symbol, letter and words, for printed reports read without colour."""
    s = status(code)
    if s.letter == s.short:  # BAU is its own letter
        return f"{s.symbol} {s.short}"
    return f"{s.symbol} {s.letter} {s.short}"


def status_mark(code: str) -> str:
    """`✖ R`, `∞ BAU`: the symbol and letter alone, for narrow places (with the words nearby)."""
    return status(code).badge


# Due states

_DUE_SYMBOLS = {
    DueState.OVERDUE: "⚠",
    DueState.SOON: "◷",
    DueState.LATER: "·",
    DueState.ONGOING: "↻",
    DueState.DONE: "✔",
}
_DUE_STATE_WORDS = {
    DueState.OVERDUE: "overdue",
    DueState.SOON: "due soon",
    DueState.LATER: "",
    DueState.ONGOING: "ongoing",
    DueState.DONE: "done",
}


def due_symbol(state: DueState) -> str:
    """The symbol that marks a due state beside its words: ⚠ overdue, ◷ due soon, ↻ ongoing, ✔ done."""
    return _DUE_SYMBOLS[state]


def due_state_words(state: DueState) -> str:
    """The state alone: `overdue`, `due soon`, `ongoing`, `done`; "" for one due later."""
    return _DUE_STATE_WORDS[state]


def due_words(state: DueState, due: date | None, today: date, *, full: bool = False) -> str:
    """How an action stands against its due date as at `today`.

    Short, for a table cell: `overdue`, `due soon`, `Nov 2022` (due later), `ongoing`, `done`.
    Full, where there is room: `overdue by 5 days (due 1 Oct 2022)`, `due soon (29 Feb 2024)`,
    `due 30 Nov 2022`; ongoing and done read the same either way.
    """
    if due is None or state in (DueState.ONGOING, DueState.DONE):
        return _DUE_STATE_WORDS[state] or _DUE_STATE_WORDS[DueState.ONGOING]
    if state is DueState.LATER:
        return f"due {day_text(due)}" if full else month_text(due)
    if not full:
        return _DUE_STATE_WORDS[state]
    if state is DueState.OVERDUE:
        return f"overdue by {plural((today - due).days, 'day')} (due {day_text(due)})"
    return f"due soon ({day_text(due)})"


# Slips


def due_and_month(state: DueState, due: date | None, milestone: str) -> str:
    """Due state and milestone in one short cell under a "Due" heading: `overdue Feb 2023`, `soon Nov
    2022` (the heading says "due"), `Sep 2022` (done, or due later), `Ongoing` (the label, when there
    is no date). The state comes first, so a cell cut short keeps it."""
    when = month_text(due) if due is not None else (milestone or NO_VALUE)
    if due is not None and state is DueState.OVERDUE:
        return f"{_DUE_STATE_WORDS[state]} {when}"
    if due is not None and state is DueState.SOON:
        return f"soon {when}"
    return when


def slip_amount(months: int | None, days: int | None) -> str:
    """How far: `6 months`, `12 days`, or `no date` for a slip to "Ongoing"."""
    if days is None:
        return "no date"
    return plural(months, "month") if months else plural(days, "day")


def slip_words(slip: Slippage | None, *, baseline: str | None = None) -> str:
    """How far an action's milestone has slipped past its baseline; "" when it has not.

    `slipped 6 months`, `slipped 12 days`, `slipped to no date`: the same words in every table, cell,
    report and export. With `baseline` (the first milestone's label, made safe by the caller), where
    nothing nearby shows it: `slipped 6 months from November 2022`.
    """
    if slip is None:
        return ""
    amount = slip_amount(slip.months, slip.days)
    words = "slipped to no date" if slip.open_ended else f"slipped {amount}"
    return f"{words} from {baseline}" if baseline else words


# An action's own phrases, for the places that show one action at a time (report rows, meeting cards)


def action_due_words(row: ActionRow, today: date) -> str:
    """The action's due state in full: `overdue by 5 days (due 1 Oct 2022)`, `due 30 Nov 2022`."""
    return due_words(row.due_state(today), row.due, today, full=True)


def action_slip_words(row: ActionRow, *, from_baseline: bool = False) -> str:
    """The action's slip (`slipped 6 months`); `from_baseline` names its first milestone too."""
    return slip_words(row.slippage, baseline=visible(row.baseline) if from_baseline else None)


# An action's own text (title, success measures, detailed plan, leads) as a change names it


def clip_words(text: str, width: int) -> str:
    """`text` on one line (made safe), cut to `width` characters with an ellipsis."""
    line = visible(" ".join(text.split()))
    return line if len(line) <= width else line[: max(width - 1, 0)] + "…"


def leads_words(stored: str | None, width: int = 60) -> str:
    """The leads a history row holds, for reading: `Jane Smith; Head of QA`, `–` for none."""
    try:
        leads = decode_leads(stored)
    except ValueError:
        return clip_words(stored or NO_VALUE, width)
    return clip_words("; ".join(leads), width) if leads else NO_VALUE


def text_change_words(field: str, old: str | None, new: str | None, *, width: int = 40) -> str:
    """A change to an action's text, on one line: `title 'Old words' -> 'New words'`,
    `leads Jane Smith -> Jane Smith; Head of QA`, `detailed plan 'Start…' -> 'Begin…'`; a long text
    whose start did not change says how its length moved: `detailed plan edited (412 -> 430 characters)`.
    """
    name = field_words(field)
    if field == "leads":
        return f"{name} {leads_words(old, 2 * width)} -> {leads_words(new, 2 * width)}"
    before, after = clip_words(old or "", width), clip_words(new or "", width)
    if field in BLOCK_FIELDS and before == after and (old or "") != (new or ""):
        return f"{name} edited ({len(old or '')} -> {plural(len(new or ''), 'character')})"
    return f"{name} {before or NO_VALUE!r} -> {after or NO_VALUE!r}"


# Changes of several actions at once


def several_words(changed: int, already: int, status_code: str | None, milestone: str | None) -> str:
    """What one change of several actions did: `3 actions set to ● On track; 1 already was`,
    `2 actions moved to milestone March 2023`, `1 action set to ✖ Off track, milestone June 2023`."""
    targets = []
    if status_code is not None:
        targets.append(f"set to {status_words(status_code)}")
    if milestone is not None:
        label = visible(" ".join(milestone.split()))
        targets.append(f"milestone {label}" if targets else f"moved to milestone {label}")
    words = f"{plural(changed, 'action')} {', '.join(targets)}"
    if already:
        words += f"; {already} already {'was' if already == 1 else 'were'}"
    return words


def marked_words(marked: int, hidden: int) -> str:
    """How many rows are marked, and how many of them the filter hides: `5 marked (2 hidden by the
    filter)`."""
    words = f"{marked} marked"
    if hidden:
        words += f" ({hidden} hidden by the filter)"
    return words


def delivered_and_impact_words(delivered: int, impact_evidenced: int) -> str:
    """`✔ 49 delivered · ◆ 3 impact evidenced`: actions complete, and actions whose impact is
    evidenced (`plantui.domain.evidence`), counted apart, each with its symbol."""
    return f"✔ {delivered} delivered · ◆ {impact_evidenced} impact evidenced"


# Measures of impact (the rules are `plantui.domain.measures`'s)

_MEASURE_STATUS_WORDS = {
    "met": ("✔", "Met"),
    "within_tolerance": ("◐", "Within tolerance"),
    "off_target": ("✖", "Off target"),
    "no_data": ("?", "No data"),
    "no_target": ("–", "No target"),
}
_TREND_WORDS = {"better": ("▲", "better"), "worse": ("▼", "worse"), "same": ("=", "same")}
_QUARTER_MONTHS = ("Jan–Mar", "Apr–Jun", "Jul–Sep", "Oct–Dec")


def measure_status_words(code: str) -> str:
    """`✖ Off target`, `◐ Within tolerance`, `✔ Met`, `? No data`, `– No target`: symbol and words."""
    symbol, words = _MEASURE_STATUS_WORDS[code]
    return f"{symbol} {words}"


def trend_words(trend: str | None) -> str:
    """`▲ better`, `▼ worse`, `= same` against the period before; a dash when there is nothing to compare."""
    if trend is None:
        return NO_VALUE
    symbol, words = _TREND_WORDS[trend]
    return f"{symbol} {words}"


def period_words(period: str) -> str:
    """A canonical period as people read it: `Oct 2022`, `Jul–Sep 2022` (a quarter names its months,
    so a calendar quarter is never taken for a financial one)."""
    year, _, part = period.partition("-")
    if part.startswith("Q"):
        return f"{_QUARTER_MONTHS[int(part[1:]) - 1]} {year}"
    return f"{_MONTH_ABBREVIATIONS[int(part) - 1]} {year}"


def number_text(value: float | None) -> str:
    """A measure's number as people read it: `24`, `23.5`, `1,250`, with no binary rounding noise."""
    if value is None:
        return NO_VALUE
    return f"{value:,.10g}"


def measure_value_words(value: float | None, unit: str = "") -> str:
    """A value with its unit: `23.5%`, `12 days`, `4.2 per 10,000`; a dash for no value."""
    if value is None:
        return NO_VALUE
    number = number_text(value)
    if not unit:
        return number
    return f"{number}{unit}" if unit == "%" else f"{number} {visible(unit)}"


def period_short_words(period: str) -> str:
    """A period in a narrow cell: `Oct 22`, `Jul–Sep 22`."""
    words = period_words(period)
    head, _, year = words.rpartition(" ")
    return f"{head} {year[2:]}"


def target_words(target: float | None, direction: str, unit: str = "") -> str:
    """A target with the way that meets it: `≥ 80%` (higher is better), `≤ 12 days`; a dash for none."""
    if target is None:
        return NO_VALUE
    return f"{'≥' if direction == 'higher' else '≤'} {measure_value_words(target, unit)}"


_SPARK_BLOCKS = "▁▂▃▄▅▆▇█"
SPARK_GAP = "·"  # a period with no value


def sparkline_words(values: Sequence[float | None]) -> str:
    """Values as a line of block characters, one a period, lowest to highest of those shown (`▁▃▅█`);
    `·` for a period with no value; an empty string when none has a value."""
    shown = [value for value in values if value is not None]
    if not shown:
        return ""
    low, high = min(shown), max(shown)
    top = len(_SPARK_BLOCKS) - 1
    if high - low <= abs(high) * 1e-12:
        return "".join(SPARK_GAP if value is None else _SPARK_BLOCKS[top // 2] for value in values)
    return "".join(
        SPARK_GAP if value is None else _SPARK_BLOCKS[round((value - low) / (high - low) * top)]
        for value in values
    )


def measure_change_words(field: str, old: str | None, new: str | None, unit: str = "") -> str:
    """A change to a measure's definition or links: `target 80% -> 70%`, `linked to action 1.1.1.3`,
    `unlinked from finding:2`, `name 'Visits' -> 'Visits on time'`, `added as M12`."""
    if field == "added":
        return f"added as {visible(new or '')}"
    if field in ("action", "objective", "finding"):
        if old is None:
            return f"linked to {field} {visible(new or '')}".replace("finding finding:", "finding ")
        return f"unlinked from {field} {visible(old)}".replace("finding finding:", "finding ")

    def number(text: str | None) -> str:
        try:
            return measure_value_words(None if text is None else float(text), unit)
        except ValueError:
            return visible(text or "")

    if field in ("target", "tolerance"):
        return f"{field} {number(old)} -> {number(new)}"
    return f"{field} {clip_words(repr(old or ''), 40)} -> {clip_words(repr(new or ''), 40)}"
