"""Plan refs: `1` theme, `1.2` area, `1.2.3` objective, `1.2.3.4` action."""

from __future__ import annotations

import re

from plantui.domain.errors import InputError

_REF = re.compile(r"^\d+(?:\.\d+){0,3}$")
LEVELS = ("theme", "area", "objective", "action")


def normalise_ref(text: str) -> str:
    """Trim spaces and a trailing dot ("1.2." -> "1.2"); refuse anything that is not a ref."""
    ref = text.strip().rstrip(".")
    if not _REF.match(ref):
        raise InputError(f"{text!r} is not a ref: write e.g. 1, 1.2, 1.2.3 or 1.2.3.4")
    return ref


def is_ref(text: str) -> bool:
    return bool(_REF.match(text))


def level(ref: str) -> str:
    return LEVELS[ref.count(".")]


def parent(ref: str) -> str | None:
    head, dot, _ = ref.rpartition(".")
    return head if dot else None


def ancestors(ref: str) -> list[str]:
    """`1.2.3.4` -> [`1`, `1.2`, `1.2.3`]."""
    parts = ref.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def within(ref: str, scope: str) -> bool:
    """True when `ref` is `scope` or lies under it (`1.2.3` is within `1.2`, `1.20` is not)."""
    return ref == scope or ref.startswith(scope + ".")


def sort_key(ref: str) -> tuple[int, ...]:
    """Numeric order: 1.2 before 1.10."""
    return tuple(int(part) for part in ref.split(".") if part.isdigit())
