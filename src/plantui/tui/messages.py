"""The app's own messages: what PlanApp tells every screen about the plan and the store.

Widgets keep their messages nested in the class that sends them, as Textual names handlers after
them (`ActionTable.CursorMoved` -> `on_action_table_cursor_moved`): `ActionTable.CursorMoved` and
`.Activated`, `PlanTree.NodeHighlighted`, `MonthView.Clicked` and `OngoingLane.Clicked`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # at run time these come after the first frame: SQLAlchemy takes longer than Textual
    from plantui.domain.document import MeasureDoc
    from plantui.domain.scorecard import ScorecardRow
    from plantui.domain.views import ActionRow, HistoryEntry
    from plantui.store.changes import ChangeResult, ChangesResult


class PlanLoaded(Message):
    """The plan is in memory (`app.model`)."""


class ChangedElsewhere(Message):
    """Changes committed by someone else arrived: the actions as they now stand, and the newest entry
    of each."""

    def __init__(self, rows: list[ActionRow], entries: list[HistoryEntry]) -> None:
        super().__init__()
        self.rows = rows
        self.entries = entries


class MeasuresRead(Message):
    """The measures were read again (a value recorded, a definition changed, here or elsewhere), at
    `mark` (`store.measures.measures_mark`). Sent to the app, which takes them into the model."""

    def __init__(
        self, measures: list[MeasureDoc], mark: tuple[int, int], scorecard: list[ScorecardRow]
    ) -> None:
        super().__init__()
        self.measures = measures
        self.mark = mark
        self.scorecard = scorecard  # where each stands, worked out in the worker


class MeasuresChanged(Message):
    """The model holds new measures (`app.model.measures`): screens that show measures redraw them."""


class HistoryReset(Message):
    """The history no longer continues from what the workbench took in (a restore, an `import --force`
    elsewhere): the whole plan must be read again. `reason` says why, in words for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class StoreOpened(Message):
    """The store opened after a first frame drawn from a snapshot: `app.read_only` is now certain."""


class StoreOpenEnded(Message):
    """The worker opening the store is done: `app.database` can be asked for, or `app.store_error`
    says why not. Sent by the app to itself."""


class PlanChanged(Message):
    """A change was committed; `result.action` is the action as it now stands."""

    def __init__(self, result: ChangeResult | ChangesResult, notice: str) -> None:
        super().__init__()
        self.result = result
        self.notice = notice


class MeetingStateChanged(Message):
    """A board meeting opened or ended (`app.open_meeting`): screens that say so redraw that."""


class ReplicaStateChanged(Message):
    """The store is a replica and its state was read (`session.replica`): its upstream, when it last
    synced, what waits to be sent, the conflicts to review."""


class ChangeNotSaved(Message):
    """A change asked for was not saved (`reason`, one line): a screen that said "saving" says so."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason
