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
    """A stored (naive UTC) moment in the machine's local time, for display."""
    return moment.replace(tzinfo=UTC).astimezone()
