"""Core table handles for the services: `T.action` reads better than `Action.__table__` everywhere."""

from __future__ import annotations

from sqlalchemy import Table

from plantui.store import models

plan: Table = models.Plan.__table__  # type: ignore[assignment]
theme: Table = models.Theme.__table__  # type: ignore[assignment]
area: Table = models.Area.__table__  # type: ignore[assignment]
objective: Table = models.Objective.__table__  # type: ignore[assignment]
action: Table = models.Action.__table__  # type: ignore[assignment]
officer: Table = models.Officer.__table__  # type: ignore[assignment]
action_lead: Table = models.ActionLead.__table__  # type: ignore[assignment]
history: Table = models.History.__table__  # type: ignore[assignment]
finding: Table = models.Finding.__table__  # type: ignore[assignment]
finding_ref: Table = models.FindingRef.__table__  # type: ignore[assignment]
meeting: Table = models.Meeting.__table__  # type: ignore[assignment]
