"""What the screens, dialogs and board views ask of the app, beyond Textual's own `App`.

`PlanApp` (tui.app) is the one implementation. Screens name this protocol rather than the app
class, so the app can import its first screen without the screen importing the app back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from plantui.domain.views import Meeting
    from plantui.store.changes import ChangeRequest, ChangesResult
    from plantui.store.database import Database
    from plantui.store.replicas import ReplicaSummary
    from plantui.tui.plan_model import PlanModel


class Workbench(Protocol):
    """The plan workbench: its store, the plan in memory, who records and when, and its one write
    queue. (It is also a Textual `App`: `notify`, `push_screen`, `call_from_thread`, workers.)"""

    author: str
    as_at: date | None  # the plan as it stood at the end of this day, read-only; None for now
    model: PlanModel | None  # the plan in memory, once loaded
    export_folder: Path

    @property
    def today(self) -> date:
        """The day due states are judged against: the as-at day in an as-at view, else today."""
        ...

    @property
    def real_today(self) -> date: ...

    def choose_export_folder(self, folder: Path) -> Path:
        """Use and remember `folder` for exports and reports from now on."""
        ...

    def ready_export_folder(self) -> Path:
        """The export folder, made if it is not there yet."""
        ...

    @property
    def database(self) -> Database: ...

    @property
    def read_only(self) -> bool: ...

    @property
    def read_only_reason(self) -> str: ...

    def refuse_if_read_only(self) -> bool: ...

    @property
    def open_meeting(self) -> Meeting | None: ...

    @property
    def changes_pending(self) -> bool: ...

    @property
    def replica(self) -> ReplicaSummary | None: ...

    def sync_now(self) -> None: ...

    def set_open_meeting(self, meeting: Meeting | None) -> None: ...

    def submit_change(self, request: ChangeRequest, describe: Callable[[ChangesResult], str]) -> None: ...

    def load_plan(self) -> None: ...

    def show_as_at(self, day: date) -> None: ...

    def show_now(self) -> None: ...

    def export_table(self, fmt: str) -> None: ...
