"""A board meeting's minutes as a Markdown file: the decisions that stand, written when the meeting ends.

`write_minutes(summary, location)` is what both the workbench's `x` and `plantui meeting end` call:
it renders `minutes_markdown(summary)` and writes it whole (`io.atomic.write_file`, 0600) as
`<plan>-meeting-<id>-<YYYY-MM-DD>.md` in `minutes_folder(location)`, never over an existing file,
and returns the path it wrote.

The folder is `minutes/` beside a SQLite plan file (as `backups/` is), or `minutes/` in the user's
data folder for a plan on a server. Minutes hold the decisions only: a change undone in the meeting
(or since) is left out, and said to be, so the file reads as what the board decided. Every piece of
user text is escaped for Markdown (`io.reports.markdown.md`): a title like `[draft] *urgent*` stays
text, never a link or emphasis.
"""

from __future__ import annotations

from pathlib import Path

from plantui.domain.action_text import TEXT_FIELDS
from plantui.domain.evidence import EVIDENCE_FIELD, IMPACT_FIELD, evidence_change_words
from plantui.domain.scopes import parse_scope
from plantui.domain.views import HistoryEntry
from plantui.domain.wording import status_words_lettered, text_change_words
from plantui.io.atomic import free_path, write_file
from plantui.io.reports.markdown import md
from plantui.store.clock import local_text
from plantui.store.location import Location, default_path
from plantui.store.meetings import MeetingSummary

FOLDER_NAME = "minutes"
FOLDER_MODE = 0o700  # as the backups folder: minutes name people and what was decided about them


def minutes_folder(location: Location) -> Path:
    """Where the minutes of the plan at `location` go: beside its file, or in the user's data folder."""
    base = location.path.parent if location.path is not None else default_path().parent
    return base / FOLDER_NAME


def write_minutes(summary: MeetingSummary, location: Location, folder: Path | None = None) -> Path:
    """Write the minutes of `summary` into `folder` (the default: `minutes_folder(location)`) as a new
    file and return its path. Raises `InputError` naming the file when it cannot be written."""
    from plantui.domain.errors import InputError

    target = folder if folder is not None else minutes_folder(location)
    try:
        target.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"{target}: cannot make the minutes folder ({error.strerror or error})") from None
    stem = location.path.stem if location.path is not None else "plantui"
    day = summary.meeting.started_at.date().isoformat()
    path = free_path(target / f"{stem}-meeting-{summary.meeting.id}-{day}.md")
    write_file(path, minutes_markdown(summary).encode("utf-8"))
    return path


def minutes_markdown(summary: MeetingSummary) -> str:
    """The minutes: what the meeting was, each decision that stands in the order made, the net moves."""
    meeting = summary.meeting
    ended = local_text(meeting.ended_at) if meeting.ended_at is not None else "still open"
    out = [
        f"# Minutes: {md(meeting.name)}",
        "",
        f"- Scope: {md(parse_scope(meeting.scope).label)}",
        f"- Started: {local_text(meeting.started_at)}; ended: {ended}",
        f"- Recorded by: {md(meeting.recorded_by)}",
        "",
    ]
    decisions = summary.decisions
    out += [f"## Decisions ({len(decisions)})", ""]
    if decisions:
        out += ["| # | Action | Decision | Note | By | At |", "|---:|---|---|---|---|---|"]
        out += [_decision_row(n, entry) for n, entry in enumerate(decisions, 1)]
    else:
        out.append("No decision was recorded in this meeting.")
    out.append("")
    taken_back = sum(1 for entry in summary.changes if entry.undoes_id is None and entry.id in summary.undone)
    if taken_back:
        plural = "s were" if taken_back != 1 else " was"
        out += [f"{taken_back} change{plural} made and then undone: not decisions, so not listed.", ""]
    out += ["## Status moves (net, from before the meeting to its end)", ""]
    if summary.moves:
        out += ["| Action | From | To | Move |", "|---|---|---|---|"]
        for move in summary.moves:
            title = f"{move.ref} {md(move.title)}".rstrip()
            direction = f"{move.direction.arrow} {move.direction.words}"
            old, new = status_words_lettered(move.old), status_words_lettered(move.new)
            out.append(f"| {title} | {old} | {new} | {direction} |")
    else:
        out.append("No action's status moved.")
    return "\n".join(out).rstrip() + "\n"


def _decision_row(number: int, entry: HistoryEntry) -> str:
    action = f"{entry.action_ref} {md(entry.action_title)}".rstrip()
    cells = [str(number), action, _decision(entry), md(entry.note), md(entry.author), local_text(entry.at)]
    return "| " + " | ".join(cells) + " |"


def _decision(entry: HistoryEntry) -> str:
    if entry.field == "status" and entry.old is not None and entry.new is not None:
        return f"status {status_words_lettered(entry.old)} → {status_words_lettered(entry.new)}"
    if entry.field == "milestone":
        return f"milestone {md(entry.old or '–')} → {md(entry.new or '–')}"
    if entry.field in TEXT_FIELDS:
        return md(text_change_words(entry.field, entry.old, entry.new))
    if entry.field in (EVIDENCE_FIELD, IMPACT_FIELD):
        return md(evidence_change_words(entry.field, entry.old, entry.new))
    return "note added"
