"""Every full screen of the workbench, one module each: main, meeting, meeting summary, calendar,
findings, leads, changes, sync conflicts and help."""

from plantui.tui.lazy_exports import lazy_exports

_OWNERS = {
    "CalendarScreen": "calendar",
    "ChangesScreen": "changes",
    "ConflictsScreen": "conflicts",
    "FindingsScreen": "findings",
    "HelpScreen": "help",
    "LeadsScreen": "leads",
    "MainScreen": "main",
    "MeetingScreen": "meeting",
    "MeetingSummaryScreen": "meeting_summary",
}
__all__ = sorted(_OWNERS)
__getattr__ = lazy_exports(__name__, _OWNERS)
