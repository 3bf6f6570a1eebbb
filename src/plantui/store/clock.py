"""Timestamps for history rows: UTC, stored without a zone, shown in local time."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def to_utc_naive(moment: datetime) -> datetime:
    """A timezone-aware moment in UTC without its zone; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def local(moment: datetime) -> datetime:
    """A stored (naive UTC) moment in the machine's local time, for display; in UTC when it has no
    local time (see `local_or_utc`)."""
    return local_or_utc(moment)[0]


def local_or_utc(moment: datetime) -> tuple[datetime, bool]:
    """The moment in local time and True; or, when it has no local time, the moment in UTC and False.

    A database edited by hand or written by another tool can hold a moment such as 9999-12-31 23:00,
    which has no local time east of Greenwich (Python's years end at 9999), or one before 1970, which
    Windows cannot convert. Such a moment is shown as stored, in UTC, rather than ending the command.
    """
    aware = moment.replace(tzinfo=UTC)
    try:
        return aware.astimezone(), True
    except (OverflowError, ValueError, OSError):
        return aware, False


def local_text(moment: datetime, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A stored moment formatted in local time; one that has none is formatted in UTC, marked so."""
    shown, is_local = local_or_utc(moment)
    # %Y writes year 1 as "1" on some C libraries; four digits keep the columns and the sort order
    text = shown.strftime(pattern.replace("%Y", f"{shown.year:04d}"))
    return text if is_local else f"{text} UTC"
