"""Measures of impact: the words a measure's definition takes, the periods values are kept for, and
a measure's status and trend from its numbers (pure functions; the words are `plantui.domain.wording`'s).

A period is stored in one canonical form: `2022-10` for a month, `2022-Q3` for a calendar quarter
(Q3 is July to September). What people type and what spreadsheet headers say is read into that form
by `read_period`: "Oct-22", "October 2022", a header cell Excel turned into a date, and UK financial
year quarters, "Q3 22/23" or "2022/23 Q3" (Q1 is April to June, so Q3 2022/23 is October to
December 2022, `2022-Q4`). Periods order by the months they end in.

Status for a period (`measure_status`): met when the value is at or beyond the target in the better
direction; within tolerance when it falls short by no more than the tolerance; off target when it
falls short by more (or by anything, with no tolerance); no data without a value; no target when the
measure has none. Trend (`measure_trend`) compares a period's value with the period just before it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from plantui.domain.document import MeasureDoc, MeasureValueDoc
from plantui.domain.errors import InputError

DIRECTIONS = ("higher", "lower")  # which way is better
FREQUENCIES = ("monthly", "quarterly")

_MEASURE_REF = re.compile(r"^[A-Za-z][A-Za-z0-9._-]{0,19}$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def is_measure_ref(text: str) -> bool:
    """A measure's ref starts with a letter (`M12`, `KPI-3`), so it never reads as a plan ref."""
    return bool(_MEASURE_REF.match(text))


def check_measure_ref(text: str) -> str:
    ref = text.strip()
    if not is_measure_ref(ref):
        raise InputError(
            f"{text!r} is not a measure ref: start with a letter, then letters, digits, '.', '-' "
            "or '_' (at most 20), e.g. M12"
        )
    return ref


def check_direction(text: str) -> str:
    word = text.strip().lower()
    if word not in DIRECTIONS:
        raise InputError(f"direction {text!r}: use higher or lower (which way is better)")
    return word


def check_frequency(text: str) -> str:
    word = text.strip().lower()
    if word not in FREQUENCIES:
        raise InputError(f"frequency {text!r}: use monthly or quarterly")
    return word


def check_number(value: float, what: str) -> float:
    """A value, target or tolerance must be a finite number (no NaN, no infinity)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(f"{what}: {value!r} is not a finite number")
    return float(value)


def is_period(text: str) -> bool:
    """Whether `text` is a period in canonical form (`2022-10`, `2022-Q3`)."""
    month = _MONTH.match(text)
    if month:
        return 1 <= int(month.group(2)) <= 12 and int(month.group(1)) >= 1
    quarter = _QUARTER.match(text)
    return bool(quarter) and int(quarter.group(1)) >= 1


@lru_cache(maxsize=4096)  # a scorecard sorts the same few hundred periods for every measure
def period_key(period: str) -> tuple[int, int, int]:
    """Sort key of a canonical period: (year, the month it ends in, 0 for a month, 1 for a quarter)."""
    month = _MONTH.match(period)
    if month:
        return int(month.group(1)), int(month.group(2)), 0
    quarter = _QUARTER.match(period)
    if quarter:
        return int(quarter.group(1)), int(quarter.group(2)) * 3, 1
    raise InputError(f"{period!r} is not a period: write a month like 2022-10 or a quarter like 2022-Q3")


def standing_values(values: list[MeasureValueDoc]) -> dict[str, MeasureValueDoc]:
    """Each period's value that stands: the newest recorded (values come in the order recorded), by
    period in time order."""
    standing: dict[str, MeasureValueDoc] = {}
    for entry in values:
        standing[entry.period] = entry
    return {period: standing[period] for period in sorted(standing, key=period_key)}


# Reading periods as people and spreadsheets write them

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_SEP = r"[\s\-_/.,']*"
_MONTH_YEAR = re.compile(rf"^([a-z]+){_SEP}(\d{{4}}|\d{{2}})$")
_YEAR_MONTH_NUMBER = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_MONTH_NUMBER_YEAR = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_CANONICAL_QUARTER = re.compile(r"^(\d{4})[\s-]*q([1-4])$")
_QUARTER_YEAR = re.compile(r"^q([1-4])[\s\-_]*(\d{4})$")
# A financial year: "2022/23", "22/23", "2022-23", "2022/2023", "fy22/23".
_FINANCIAL_YEAR = r"(?:fy\s*)?(\d{4}|\d{2})\s*[/-]\s*(\d{4}|\d{2})"
_FY_QUARTER_FIRST = re.compile(rf"^q([1-4])[\s\-_,]*{_FINANCIAL_YEAR}$")
_FY_QUARTER_LAST = re.compile(rf"^{_FINANCIAL_YEAR}[\s\-_,]*q([1-4])$")


def _full_year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text)


def _financial_quarter(quarter: int, start: str, end: str) -> str | None:
    """Quarter `quarter` of the financial year `start`/`end` (April to March) as a calendar quarter."""
    first = _full_year(start)
    follows = int(end) == first + 1 if len(end) == 4 else int(end) == (first + 1) % 100
    if not follows:  # "2022/24" is no financial year
        return None
    return f"{first}-Q{quarter + 1}" if quarter < 4 else f"{first + 1}-Q1"


def read_period(value: object) -> str | None:
    """The canonical period a cell or typed text names, or None when it names none.

    Accepts the canonical forms, month names with a year ("Oct-22", "October 2022", "oct 2022"),
    numeric months ("2022/10", "10/2022"), calendar quarters ("2022 Q3", "Q3 2022"), UK financial
    year quarters ("Q3 22/23", "2022/23 Q3") and dates (a header Excel read as a date means its month).
    """
    if isinstance(value, date):  # datetime too: Excel turns a header "Oct-22" into 1 Oct 2022
        return f"{value.year:04d}-{value.month:02d}"
    if not isinstance(value, str):
        return None
    text = " ".join(value.strip().lower().split())
    if not text:
        return None
    if is_period(text.upper()):
        return text.upper()
    if match := _MONTH_YEAR.match(text):
        month = _MONTHS.get(match.group(1))
        return f"{_full_year(match.group(2)):04d}-{month:02d}" if month else None
    for pattern, year_group, month_group in ((_YEAR_MONTH_NUMBER, 1, 2), (_MONTH_NUMBER_YEAR, 2, 1)):
        if match := pattern.match(text):
            month = int(match.group(month_group))
            return f"{match.group(year_group)}-{month:02d}" if 1 <= month <= 12 else None
    if match := _CANONICAL_QUARTER.match(text):
        return f"{match.group(1)}-Q{match.group(2)}"
    if match := _QUARTER_YEAR.match(text):
        return f"{match.group(2)}-Q{match.group(1)}"
    if match := _FY_QUARTER_FIRST.match(text):
        return _financial_quarter(int(match.group(1)), match.group(2), match.group(3))
    if match := _FY_QUARTER_LAST.match(text):
        return _financial_quarter(int(match.group(3)), match.group(1), match.group(2))
    return None


def parse_period(text: str) -> str:
    """`read_period` for what a person typed: the canonical period, or an `InputError` saying how to
    write one."""
    period = read_period(text)
    if period is None:
        raise InputError(
            f"{text!r} is not a period: write a month like 2022-10 or Oct-22, or a quarter like 2022-Q3 "
            "or Q3 22/23 (a financial year)"
        )
    return period


def previous_period(period: str) -> str:
    """The period just before: `2022-01` -> `2021-12`, `2022-Q1` -> `2021-Q4`."""
    year, month, is_quarter = period_key(period)
    if is_quarter:
        quarter = month // 3
        return f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}"
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


# Status and trend from the numbers

MET, WITHIN_TOLERANCE, OFF_TARGET, NO_DATA, NO_TARGET = (
    "met",
    "within_tolerance",
    "off_target",
    "no_data",
    "no_target",
)
MEASURE_STATUSES = (MET, WITHIN_TOLERANCE, OFF_TARGET, NO_DATA, NO_TARGET)
BETTER, WORSE, SAME = "better", "worse", "same"


def _close(a: float, b: float) -> bool:
    """Equal but for binary rounding (19.9 short of 22 is 2.1 short, not 2.1000000000000014)."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def measure_status(value: float | None, target: float | None, tolerance: float | None, direction: str) -> str:
    """Met, within tolerance, off target, no data (no value) or no target, as the module says."""
    if target is None:
        return NO_TARGET
    if value is None:
        return NO_DATA
    shortfall = target - value if direction == "higher" else value - target
    if shortfall <= 0 or _close(shortfall, 0):
        return MET
    if tolerance is not None and (shortfall < tolerance or _close(shortfall, tolerance)):
        return WITHIN_TOLERANCE
    return OFF_TARGET


def measure_trend(value: float | None, previous: float | None, direction: str) -> str | None:
    """Better, worse or the same as the period before, in the measure's better direction; None when
    either value is missing."""
    if value is None or previous is None:
        return None
    if _close(value, previous):
        return SAME
    rose = value > previous
    return BETTER if rose == (direction == "higher") else WORSE


def period_trend(standing: dict[str, MeasureValueDoc], period: str, direction: str) -> str | None:
    """The trend of `period`'s standing value against the period just before it."""
    now, before = standing.get(period), standing.get(previous_period(period))
    return measure_trend(now.value if now else None, before.value if before else None, direction)


@dataclass(frozen=True, slots=True)
class MeasureStanding:
    """Where a measure stands: its latest period with a value, that value, its status and trend."""

    period: str | None
    value: float | None
    status: str
    trend: str | None


def measure_standing(
    measure: MeasureDoc, standing: dict[str, MeasureValueDoc] | None = None
) -> MeasureStanding:
    """The measure's latest period with a value (the newest recorded for it), judged against its target;
    `standing` is `standing_values(measure.values)` when the caller has it already."""
    if standing is None:
        standing = standing_values(measure.values)
    if not standing:
        return MeasureStanding(
            None, None, measure_status(None, measure.target, measure.tolerance, measure.direction), None
        )
    period = next(reversed(standing))
    value = standing[period].value
    return MeasureStanding(
        period,
        value,
        measure_status(value, measure.target, measure.tolerance, measure.direction),
        period_trend(standing, period, measure.direction),
    )
