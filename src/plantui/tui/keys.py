"""The workbench's rebindable keys: every binding id, and the user's keymap checked against them.

Only bindings with an id can be rebound (Textual's keymap works by id); docs/keys.md lists them
with their default keys, and a test keeps that page and this list in step.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from textual.binding import Binding


def _bindings() -> Iterator[tuple[str, Binding]]:
    """(where, binding) for every binding of the app and of each screen and dialog."""
    from plantui.tui.app import PlanApp
    from plantui.tui.dialogs.editor import EditorScreen
    from plantui.tui.dialogs.saved_views import ViewPicker
    from plantui.tui.dialogs.text_editor import TextEditorScreen
    from plantui.tui.screens.calendar import CalendarScreen
    from plantui.tui.screens.conflicts import ConflictsScreen
    from plantui.tui.screens.leads import LeadsScreen
    from plantui.tui.screens.main import MainScreen
    from plantui.tui.screens.measure import MeasureScreen
    from plantui.tui.screens.meeting import MeetingScreen
    from plantui.tui.screens.scorecard import ScorecardScreen
    from plantui.tui.screens.trends import TrendsScreen

    for where, owner in (
        ("everywhere", PlanApp),
        ("main screen", MainScreen),
        ("editor", EditorScreen),
        ("text editor", TextEditorScreen),
        ("calendar", CalendarScreen),
        ("meeting", MeetingScreen),
        ("saved views", ViewPicker),
        ("leads", LeadsScreen),
        ("trends", TrendsScreen),
        ("scorecard", ScorecardScreen),
        ("measure", MeasureScreen),
        ("sync conflicts", ConflictsScreen),
    ):
        for binding in owner.BINDINGS:
            if isinstance(binding, Binding):
                yield where, binding


def rebindable() -> dict[str, tuple[str, Binding]]:
    """Binding id -> (where it works, the binding with its default keys)."""
    return {binding.id: (where, binding) for where, binding in _bindings() if binding.id}


def checked_keymap(keymap: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The entries of `keymap` that name a rebindable key, and one line for each that does not."""
    known = rebindable()
    kept = {binding_id: keys for binding_id, keys in keymap.items() if binding_id in known}
    problems = [
        f"keymap.toml: {binding_id!r} is not a plantui key id (docs/keys.md lists them); left out"
        for binding_id in keymap
        if binding_id not in known
    ]
    return kept, problems
