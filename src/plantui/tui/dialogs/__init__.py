"""Every modal dialog of the workbench, one module each: editor, go-to, as-at, changes-since, meeting
setup, end of a meeting, note, milestone, report and a yes/no confirmation. Each dismisses with what was
chosen, or None."""

from plantui.tui.lazy_exports import lazy_exports

_OWNERS = {
    "AsAtDialog": "as_at",
    "ChangesSinceDialog": "changes_since",
    "ConfirmDialog": "confirm",
    "EditRequest": "editor",
    "EditorScreen": "editor",
    "EndMeetingDialog": "end_meeting",
    "StatusPicker": "editor",
    "GoToScreen": "goto",
    "MeetingChoice": "meeting_setup",
    "MeetingSetup": "meeting_setup",
    "MilestoneDialog": "milestone",
    "MilestoneEdit": "milestone",
    "NoteDialog": "note",
    "ReportChoice": "report",
    "ReportDialog": "report",
}
__all__ = sorted(_OWNERS)
__getattr__ = lazy_exports(__name__, _OWNERS)
