"""Every full screen of the workbench, one module each: main, meeting, meeting summary, calendar,
findings, leads, trends, changes, sync conflicts, help, the scorecard and one measure."""

from plantui.tui.lazy_exports import lazy_exports

_OWNERS = {
    "CalendarScreen": "calendar",
    "ChangesScreen": "changes",
    "ConflictsScreen": "conflicts",
    "FindingsScreen": "findings",
    "HelpScreen": "help",
    "LeadsScreen": "leads",
    "MainScreen": "main",
    "MeasureScreen": "measure",
    "MeetingScreen": "meeting",
    "MeetingSummaryScreen": "meeting_summary",
    "TrendsScreen": "trends",
    "ScorecardScreen": "scorecard",
}
__all__ = sorted(_OWNERS)
__getattr__ = lazy_exports(__name__, _OWNERS)
