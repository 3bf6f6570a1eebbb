"""Reading a day typed into a dialog: YYYY-MM-DD, with one line saying what is wrong otherwise."""

from __future__ import annotations

from datetime import date

from plantui.domain.errors import InputError


def read_day(text: str, *, field: str, latest: date | None = None, earliest: date | None = None) -> date:
    """A day typed as YYYY-MM-DD, not after `latest` nor before `earliest`; else an `InputError`."""
    cleaned = text.strip()
    if not cleaned:
        raise InputError(f"{field}: type a date as YYYY-MM-DD, e.g. 2022-10-01")
    try:
        day = date.fromisoformat(cleaned)
    except ValueError:
        raise InputError(f"{field}: {cleaned!r} is not a date; write YYYY-MM-DD, e.g. 2022-10-01") from None
    if latest is not None and day > latest:
        raise InputError(f"{field}: {day.isoformat()} is after today ({latest.isoformat()})")
    if earliest is not None and day < earliest:
        raise InputError(
            f"{field}: {day.isoformat()} is before the plan's history starts ({earliest.isoformat()})"
        )
    return day
