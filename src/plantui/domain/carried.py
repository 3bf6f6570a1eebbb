"""Values carried down from the row above: what a plan states that its document did not print.

A printed plan leaves a cell blank under a merged cell (the lead or the detailed plan of several
rows in one objective); whoever transcribes it fills the blank from the row above. plantui keeps
which field of which action was filled that way, and from which action, so that the detail pane,
the plan file and the workbook can say "carried down from 1.1.1.5" instead of passing the value off
as printed. A carried value may also be marked doubtful: the rule gave it, but it reads as wrong
for the action (say so in words, never by colour alone).
"""

from __future__ import annotations

from typing import NamedTuple

from plantui.domain.refs import is_ref

# The fields a blank cell can be filled in from the row above, in the order the plan file lists them.
CARRIED_FIELDS = ("success_measures", "leads", "detailed_plan")

DOUBTFUL_WORDS = "may not fit this action"


class Carried(NamedTuple):
    field: str  # one of CARRIED_FIELDS
    from_ref: str  # the action whose printed value it is
    doubtful: bool = False

    @property
    def words(self) -> str:
        """ "carried down from 1.1.1.5", and "; may not fit this action" when doubtful."""
        text = f"carried down from {self.from_ref}"
        return f"{text}; {DOUBTFUL_WORDS}" if self.doubtful else text


def read_words(field: str, words: str) -> Carried | None:
    """The mark `Carried.words` wrote (in a workbook comment), or None when `words` is not one."""
    text = " ".join(words.split())
    doubtful = text.endswith(f"; {DOUBTFUL_WORDS}")
    if doubtful:
        text = text[: -len(f"; {DOUBTFUL_WORDS}")]
    prefix = "carried down from "
    if not text.startswith(prefix):
        return None
    ref = text[len(prefix) :]
    return Carried(field, ref, doubtful) if is_ref(ref) else None


def in_field_order(marks: list[Carried]) -> list[Carried]:
    return sorted(marks, key=lambda mark: CARRIED_FIELDS.index(mark.field))
