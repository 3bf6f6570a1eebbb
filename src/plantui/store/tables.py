"""Core table handles for the services: `T.action` reads better than `models.action` everywhere."""

from __future__ import annotations

from plantui.store.models import (
    action,
    action_lead,
    area,
    carried_value,
    finding,
    finding_ref,
    history,
    meeting,
    objective,
    officer,
    plan,
    theme,
)

__all__ = [
    "action",
    "action_lead",
    "area",
    "carried_value",
    "finding",
    "finding_ref",
    "history",
    "meeting",
    "objective",
    "officer",
    "plan",
    "theme",
]
