"""How plan values look on screen: statuses, due states, slips, dates and counts as styled Rich `Text`.

The words come from `plantui.domain.wording`, so the workbench says them as the CLI and the reports
do; this module adds the colours and styles.

Everything here builds `Text` objects from plain strings, so plan text is never read as markup, and
passes user text through `visible` so control characters cannot drive the terminal. Each status is
shown with its symbol and words beside its colour, so the meaning survives `NO_COLOR` and projectors.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from plantui.domain import wording
from plantui.domain.action_text import TEXT_FIELDS
from plantui.domain.document import MeasureDoc
from plantui.domain.due import DueState
from plantui.domain.evidence import EVIDENCE_FIELD, IMPACT_FIELD, evidence_change_words
from plantui.domain.measures import MET, NO_DATA, NO_TARGET, OFF_TARGET, WITHIN_TOLERANCE
from plantui.domain.refs import sort_key
from plantui.domain.rollup import BAU_NOTE, StatusCounts
from plantui.domain.scorecard import ScorecardRow, scorecard_row
from plantui.domain.statuses import STATUSES, status
from plantui.domain.text import visible, visible_block
from plantui.domain.views import ActionRow, HistoryEntry
from plantui.domain.wording import text_change_words
from plantui.store.clock import local_or_utc, local_text

if TYPE_CHECKING:
    from plantui.store.replicas import ReplicaSummary

STATUS_STYLES = {s.code: Style(color=s.colour, bold=True) for s in STATUSES}
DUE_STYLES = {
    DueState.OVERDUE: Style(color="#ef4444", bold=True),
    DueState.SOON: Style(color="#f59e0b"),
    DueState.DONE: Style(color="#3b82f6"),
    DueState.ONGOING: Style(dim=True),
    DueState.LATER: Style(),
}
SLIPPED_STYLE = Style(color="#f59e0b", italic=True)


def plain(text: str) -> Text:
    """User text on one line, literally."""
    return Text(visible(text), end="")


def block(text: str) -> Text:
    """User text over several lines, literally."""
    return Text(visible_block(text), end="")


status_words = wording.status_words


def status_text(code: str | None, *, full: bool = False, mark_only: bool = False) -> Text:
    """A status as its symbol and words (the legend's label when `full`), or its symbol alone."""
    if code is None:
        return Text("–")
    s = status(code)
    words = "" if mark_only else f" {s.label if full else s.short}"
    return Text(f"{s.symbol}{words}", style=STATUS_STYLES[code], end="")


def due_words(row: ActionRow, today: date) -> str:
    """The due state as a table cell shows it: `⚠ overdue`, `· Nov 2022`, `↻ ongoing`."""
    state = row.due_state(today)
    return f"{wording.due_symbol(state)} {wording.due_words(state, row.due, today)}"


def due_text(row: ActionRow, today: date) -> Text:
    """The due state, then any slip: `⚠ overdue · slipped 6 months`."""
    state = row.due_state(today)
    text = Text(due_words(row, today), style=DUE_STYLES[state], end="")
    slipped = wording.slip_words(row.slippage)
    if slipped:
        text.append(f" · {slipped}", style=SLIPPED_STYLE)
    return text


def day(moment: datetime | None) -> str:
    """A stored (UTC) moment as the local day people read (`5 Dec 2026`), or a dash."""
    if moment is None:
        return wording.NO_VALUE
    shown, is_local = local_or_utc(moment)
    return wording.day_text(shown.date()) if is_local else f"{wording.day_text(shown.date())} UTC"


def when(moment: datetime) -> str:
    return local_text(moment)


def counts_text(counts: StatusCounts, *, zeros: bool = False, gap: str = " ") -> Text:
    """Symbols with numbers in legend order, e.g. `✔3 ●5 ✖1`; statuses with none are left out."""
    text = Text(end="")
    for s in STATUSES:
        n = counts[s.code]
        if n or zeros:
            if text:
                text.append(gap)
            text.append(f"{s.symbol}{n}", style=STATUS_STYLES[s.code])
    return text


def totals_text(counts: StatusCounts) -> Text:
    """Plan totals by status with their words, and the share on track with BAU out of the base."""
    text = Text(end="")
    for s in STATUSES:
        if text:
            text.append("  ")
        text.append(f"{s.symbol} {counts[s.code]} {s.short}", style=STATUS_STYLES[s.code])
    return text


def share_words(counts: StatusCounts, *, short: bool = False) -> str:
    """The share complete or on track, saying that BAU is left out of the base."""
    share = counts.share_on_track
    if share is None:
        return ""
    if short:
        return f"{share:.0%} done or on track, BAU out of base"
    return f"{share:.0%} complete or on track ({BAU_NOTE.lower()})"


def history_text(entry: HistoryEntry) -> Text:
    """One history entry: when, who, what moved and the note."""
    text = Text(end="")
    text.append(when(entry.at), style=Style(dim=True))
    text.append("  ")
    text.append(visible(entry.author), style=Style(italic=True))
    text.append("  ")
    if entry.undoes_id is not None:
        text.append("undo ↶ ", style=Style(bold=True))
    if entry.field == "status":
        text.append_text(status_text(entry.old))
        text.append(" → ")
        text.append_text(status_text(entry.new))
    elif entry.field == "milestone":
        text.append("milestone ")
        text.append(visible(entry.old or "–"))
        text.append(" → ")
        text.append(visible(entry.new or "–"))
    elif entry.field in TEXT_FIELDS:
        text.append(text_change_words(entry.field, entry.old, entry.new))
    elif entry.field in (EVIDENCE_FIELD, IMPACT_FIELD):
        text.append(evidence_change_words(entry.field, entry.old, entry.new))
    else:
        text.append("note")
    if entry.note:
        text.append("\n    ")
        text.append(visible_block(entry.note).replace("\n", "\n    "))
    return text


def saved_notice(result) -> str:
    """What a committed change did, "saved" first so that a narrow status line cuts the detail rather
    than the news, ending with the way back: `1.1.1.2 saved: ✖ Off track -> ● On track · u to undo`.

    `result` is one service's change or an edit of several fields (both give their `entries`, e.g.
    `1.1.1.2 saved: ✔ Complete -> ✖ Off track, milestone September 2022 -> May 2023 with a note`).
    """
    entries = result.entries
    ref = result.action.ref
    if not entries:
        return f"{ref}: nothing changed"
    parts = []
    for entry in entries:
        if entry.field == "status":
            parts.append(f"{status_words(entry.old) if entry.old else '–'} -> {status_words(entry.new)}")
        elif entry.field == "milestone":
            parts.append(f"milestone {visible(entry.old or '–')} -> {visible(entry.new or '–')}")
        elif entry.field in TEXT_FIELDS:
            parts.append(text_change_words(entry.field, entry.old, entry.new, width=30))
        elif entry.field in (EVIDENCE_FIELD, IMPACT_FIELD):
            parts.append(evidence_change_words(entry.field, entry.old, entry.new, width=30))
        else:
            parts.append("note recorded")
    what = f"{ref} saved: {', '.join(parts)}"
    if any(entry.note and entry.field != "note" for entry in entries):
        what += " with a note"
    return f"{what} · u to undo"


def several_saved_notice(code: str | None, milestone: str | None) -> Callable[[object], str]:
    """The notice for one status and/or milestone saved on several actions, made from the committed
    result: `Saved: 5 actions set to ✖ Off track; 1 already was · u to undo`."""

    def describe(result) -> str:
        words = wording.several_words(len(result.touched), len(result.skipped), code, milestone)
        if not result.entries:
            return f"Nothing to save: {words}"
        return f"Saved: {words} · u to undo"

    return describe


def impact_counts_words(counts: StatusCounts, impact_evidenced: int) -> str:
    """`✔ 49 delivered · ◆ 3 impact evidenced`: complete and impact evidenced, counted apart."""
    return wording.delivered_and_impact_words(counts["complete"], impact_evidenced)


def undo_notice(result) -> str:
    """What an undo took back, every field of the step: `Undone — 1.1.1.2: ● On track -> ✖ Off track`."""
    return f"Undone — {_step_words(result)} · ctrl+y to redo"


def redo_notice(result) -> str:
    """What a redo recorded again: `Redone — 1.1.1.2: ✖ Off track -> ● On track`."""
    return f"Redone — {_step_words(result)} · u to undo"


def _step_words(result) -> str:
    after = result.action
    refs = sorted({entry.action_ref for entry in result.entries}, key=sort_key)
    if len(refs) > 1:  # a step over several actions: how many, and which
        named = ", ".join(refs[:3]) + (f" and {len(refs) - 3} more" if len(refs) > 3 else "")
        return f"{wording.plural(len(refs), 'action')} ({named})"
    parts = []
    for entry in result.entries:
        if entry.field == "status":
            parts.append(f"{status_words(entry.old)} -> {status_words(entry.new)}")
        elif entry.field == "milestone":
            parts.append(f"milestone {visible(entry.old or '–')} -> {visible(entry.new or '–')}")
        elif entry.field in TEXT_FIELDS:
            parts.append(text_change_words(entry.field, entry.old, entry.new, width=30))
        elif entry.field in (EVIDENCE_FIELD, IMPACT_FIELD):
            parts.append(evidence_change_words(entry.field, entry.old, entry.new, width=30))
        elif entry.undoes_id is not None:
            parts.append("note withdrawn")
        else:
            parts.append("note recorded")
    return f"{after.ref}: {', '.join(parts) or 'nothing changed'}"


def elsewhere_notice(entry, row: ActionRow) -> str:
    """A change someone else committed, as the workbench announces it when it arrives."""
    who = visible(entry.author)
    if entry.undoes_id is not None:
        what = "undid a change"
    elif entry.field == "status":
        what = f"{status_words(entry.old)} -> {status_words(entry.new)}"
    elif entry.field == "milestone":
        what = f"milestone {visible(entry.old or '–')} -> {visible(entry.new or '–')}"
    elif entry.field in TEXT_FIELDS:
        what = text_change_words(entry.field, entry.old, entry.new, width=30)
    elif entry.field in (EVIDENCE_FIELD, IMPACT_FIELD):
        what = evidence_change_words(entry.field, entry.old, entry.new, width=30)
    else:
        what = "added a note"
    return f"{who} · {row.ref}: {what}"


# --- measures of impact ------------------------------------------------------------------------------

MEASURE_STYLES = {
    MET: Style(color="#22c55e", bold=True),
    WITHIN_TOLERANCE: Style(color="#f59e0b", bold=True),
    OFF_TARGET: Style(color="#ef4444", bold=True),
    NO_DATA: Style(dim=True),
    NO_TARGET: Style(dim=True),
}


def measure_status_text(code: str) -> Text:
    """A measure's status as symbol and words, in its colour (the words say it without colour)."""
    return Text(wording.measure_status_words(code), style=MEASURE_STYLES[code])


def measure_line(row: ScorecardRow) -> Text:
    """The selected measure in full, under the table: the words a narrow column cuts."""
    measure, standing = row.measure, row.standing
    unit = measure.unit
    text = Text(f"{visible(measure.ref)}  ", style="bold")
    text.append(visible(measure.name))
    text.append("\n")
    latest = "no values yet"
    if standing.period:
        latest = (
            f"{wording.measure_value_words(standing.value, unit)} in {wording.period_words(standing.period)}"
        )
    text.append_text(measure_status_text(standing.status))
    text.append(
        f"  ·  latest {latest}  ·  target {wording.target_words(measure.target, measure.direction, unit)}"
    )
    if measure.tolerance is not None:
        text.append(f" (within {wording.measure_value_words(measure.tolerance, unit)})")
    text.append(f"  ·  {measure.frequency}")
    if measure.owner:
        text.append(f"  ·  owner {visible(measure.owner)}")
    links = [*measure.objectives, *measure.actions, *(f"finding {p + 1}" for p in measure.findings)]
    text.append(f"  ·  linked: {', '.join(links)}" if links else "  ·  linked to nothing yet", style="dim")
    return text


def measure_brief(measure: MeasureDoc) -> Text:
    """A linked measure in one line: `M1 ✖ Off target  50% Oct 2022 (target ≥ 80%)  ▼ worse  ▂▅█▁  name`."""
    row = scorecard_row(measure)
    standing = row.standing
    text = Text(f"{visible(measure.ref)} ", style="bold")
    text.append_text(measure_status_text(standing.status))
    latest = "no values yet"
    if standing.period:
        value = wording.measure_value_words(standing.value, measure.unit)
        latest = f"{value} {wording.period_short_words(standing.period)}"
    target = wording.target_words(measure.target, measure.direction, measure.unit)
    text.append(f"  {latest} (target {target})")
    if standing.trend is not None:
        text.append(f"  {wording.trend_words(standing.trend)}")
    if row.recent:
        text.append(f"  {wording.sparkline_words(row.recent)}")
    text.append("  ")
    text.append(visible(measure.name), style=Style(dim=True))
    return text


def replica_words(replica: ReplicaSummary) -> str:
    """The header's words for a replica: of what (a file by its name), when it last synced, what waits
    to be sent: "replica of plan.db, synced 06 Dec 14:02, 3 to send"."""
    from pathlib import PurePath

    upstream = replica.state.upstream_display
    if "://" not in upstream:
        upstream = PurePath(upstream).name
    else:  # the server and database, as the user would name them: "server:5432/plan"
        upstream = upstream.split("://", 1)[1].rsplit("@", 1)[-1]
    synced = replica.state.synced_at
    when = local_text(synced, "%d %b %H:%M") if synced is not None else "never"
    return f"replica of {wording.clip_words(upstream, 30)}, synced {when}, {replica.waiting} to send"
