"""Globally unique, time-ordered ids for what a plan carries between its copies (entries, meetings).

A replica of a plan (a laptop's file) and its upstream (the server, or a file on a shared drive)
each number their rows their own way; what identifies a history entry, a meeting or a measure value
everywhere is its uid. A uid is 32 lower-case hex digits: 12 for the milliseconds since 1970 (so
uids made later sort later, as a log reads), then 20 random ones (80 bits, so two laptops making
entries in the same millisecond never meet). Standard library only.
"""

from __future__ import annotations

import re
import secrets
import time

_UID = re.compile(r"^[0-9a-f]{32}$")


def new_uid(millis: int | None = None) -> str:
    """A fresh uid; `millis` pins its time part (ids given to rows that already exist)."""
    moment = int(time.time() * 1000) if millis is None else millis
    return f"{moment & 0xFFFFFFFFFFFF:012x}{secrets.token_hex(10)}"


def ordered_uids(count: int, millis: int | None = None) -> list[str]:
    """`count` fresh uids that sort in the order given: for rows that exist, in the order of their ids."""
    moment = int(time.time() * 1000) if millis is None else millis
    tail = secrets.token_hex(6)
    return [f"{moment & 0xFFFFFFFFFFFF:012x}{index:08x}{tail}" for index in range(count)]


def is_uid(text: str) -> bool:
    return bool(_UID.match(text))
