"""What a new milestone label would mean for an action, said before it is saved.

The RAG editor (and anything else that lets someone type a milestone) shows this preview as they
type: the due date read from the label, how it stands as at today, and how far it would slip from
the action's baseline. A label that cannot be read raises `InputError` with the reason, the same
error `store.changes.set_milestone` would refuse it with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from plantui.domain.due import DueState, Slippage, due_state, slippage
from plantui.domain.milestones import Milestone, parse_milestone
from plantui.domain.text import visible
from plantui.domain.views import ActionRow
from plantui.domain.wording import day_text, due_state_words, slip_words


@dataclass(frozen=True, slots=True)
class MilestonePreview:
    milestone: Milestone
    label: str  # as it would be saved: spacing tidied
    unchanged: bool  # the same label the action has now
    state: DueState  # as at today, with the action's status
    slip: Slippage | None  # against the baseline; None when not later than it
    baseline: str  # the action's first milestone (this label, for an action that had none)

    @property
    def words(self) -> str:
        """E.g. "due 31 Mar 2023 · slipped 4 months from November 2022"."""
        if self.unchanged:
            return "the milestone it has now: nothing to change"
        due = self.milestone.due
        if due is None:
            parts = ["no due date (ongoing)"]
        else:
            parts = [f"due {day_text(due)}" + (", and onwards" if self.milestone.onwards else "")]
        if self.state in (DueState.OVERDUE, DueState.SOON):
            parts.append(f"{due_state_words(self.state)} as at today")
        if self.slip is not None:
            parts.append(slip_words(self.slip, baseline=visible(self.baseline)))
        return " · ".join(parts)


def preview_milestone(action: ActionRow, label: str, today: date) -> MilestonePreview:
    """The preview of moving `action` to `label`; `InputError` when the label cannot be read."""
    milestone = parse_milestone(label)
    tidy = " ".join(label.split())
    baseline, baseline_due = (
        (action.baseline, action.baseline_due) if action.baseline else (tidy, milestone.due)
    )
    return MilestonePreview(
        milestone=milestone,
        label=tidy,
        unchanged=tidy == action.milestone,
        state=due_state(action.status, milestone.due, today),
        slip=slippage(baseline_due, milestone.due),
        baseline=baseline,
    )
