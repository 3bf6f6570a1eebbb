"""Every modal dialog of the workbench, one module each: editor, text editor, go-to, as-at,
changes-since, meeting setup, note, milestone (of one action, or of the marked ones), report, the
exports folder, evidence of impact, the saved views' picker and name, who holds a lead's role, the
Trends screen's scope, and a yes/no question (an undo over a colleague's change, ending a meeting).
Each dismisses with what was chosen, or None."""

from plantui.tui.lazy_exports import lazy_exports

_OWNERS = {
    "AsAtDialog": "as_at",
    "ChangesSinceDialog": "changes_since",
    "ConfirmDialog": "confirm",
    "EditRequest": "editor",
    "EditorScreen": "editor",
    "EvidenceDialog": "evidence",
    "FolderDialog": "folder",
    "StatusPicker": "editor",
    "ViewNameDialog": "saved_views",
    "ViewPick": "saved_views",
    "ViewPicker": "saved_views",
    "GoToScreen": "goto",
    "LeadPersonDialog": "lead_person",
    "MeetingChoice": "meeting_setup",
    "MeetingSetup": "meeting_setup",
    "MilestoneDialog": "milestone",
    "MilestoneEdit": "milestone",
    "NoteDialog": "note",
    "ReportChoice": "report",
    "ReportDialog": "report",
    "TextEditorScreen": "text_editor",
    "TrendScopeDialog": "trend_scope",
    "SeveralMilestone": "several_milestone",
    "SeveralMilestoneDialog": "several_milestone",
}
__all__ = sorted(_OWNERS)
__getattr__ = lazy_exports(__name__, _OWNERS)
