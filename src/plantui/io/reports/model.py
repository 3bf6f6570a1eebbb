"""What a board report holds, gathered from the store once so each format only has to lay it out.

`gather_report()` reads the plan (as it is, or as at a day), and builds a `BoardReport`:
- the title, organisation and "as at" day, and the status key;
- the headline a board member reads first (`Headline`): the share on track or complete, counts by
  status, movement since the last board, overdue and slipped counts, findings at risk. Every number
  in it is taken from the same rows and domain rules as the sections below and `plantui list`
  (`is_overdue`, `ActionRow.slipped`, `roll_up_findings`), never counted a second way;
- the status counts at the last boards (`trend.status_trend`), for the trend chart;
- counts by status for the plan, each theme and each area, with the share on track or complete
  (BAU left out of the base);
- movement since a day or the last meeting: each action whose status moved, better or worse, and
  how the counts moved;
- exceptions: off-track and some-issues actions with their lead, milestone and latest commentary,
  then overdue and slipped actions;
- the scorecard: every measure of impact with its latest value, target, status, trend and last 12
  periods, as at the report's day (values recorded later are left out); the off-target ones are
  exceptions too (`domain.exceptions.off_target_measures`);
- each inspection finding with the refs it cites, the status of the actions under them, and whether
  it is at risk (a linked measure off target puts it at risk);
- the newest update round: how many leads returned by its due day, and who has not.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from plantui.domain.due import is_overdue
from plantui.domain.errors import InputError
from plantui.domain.exceptions import off_target_measures
from plantui.domain.findings import FindingRollup, roll_up_findings
from plantui.domain.movement import Move, MovementTally, tally
from plantui.domain.rollup import BAU_NOTE, StatusCounts
from plantui.domain.scorecard import ScorecardRow, scorecard_rows
from plantui.domain.statuses import STATUSES, Status
from plantui.domain.views import ActionRow, HistoryEntry
from plantui.io.reports.trend import TrendPoint, status_trend
from plantui.store.as_at import actions_at, changes_since, end_of_day, movement_between, resolve_since
from plantui.store.database import Database
from plantui.store.measures import plan_measures
from plantui.store.meetings import list_meetings
from plantui.store.queries import findings, nodes, plan_info

SHARE_NOTE = f"share of actions on track or complete; {BAU_NOTE}"
# The board papers (PDF and Word) list at most this many rows in each list (off track, some issues,
# overdue, slipped, moved, findings at risk, all findings) and say so in words: a 10,000-action plan
# has thousands of overdue actions, which no member reads and which took minutes to lay out. The HTML
# and Markdown reports and `plantui export` keep every row.
PAPER_LIST_LIMIT = 25
# The papers' scorecard stops at this many measures (a council's scorecard has a few dozen; the
# benchmark plan's 500, each with its sparkline, took the PDF from 10 s to 38 s).
PAPER_SCORECARD_LIMIT = 50


@dataclass(frozen=True, slots=True)
class Section:
    """A theme or an area with the counts of the actions under it."""

    ref: str
    kind: str  # "theme" or "area"
    title: str
    counts: StatusCounts


@dataclass(frozen=True, slots=True)
class ThemeSection:
    theme: Section
    areas: tuple[Section, ...]


@dataclass(frozen=True, slots=True)
class MovedAction:
    move: Move
    note: str  # the commentary given with its last status change in the period (or in a note written
    # after it, as meeting mode records them: the status key first, then `n`), if any
    author: str  # who made that change


@dataclass(frozen=True, slots=True)
class MovementSection:
    label: str  # "since 2022-10-01", "since the last meeting, 'October Board' (2022-10-05)"
    since: datetime  # stored UTC
    moved: tuple[MovedAction, ...]
    tally: MovementTally
    changes: int  # history rows in the period (status, milestone and notes; undo rows too)
    in_meetings: int  # of which made in a board meeting


@dataclass(frozen=True, slots=True)
class RoundSection:
    """The newest update round, for the board to see who is behind."""

    number: int
    scope: str
    due: date
    is_open: bool
    leads: int  # leads asked
    on_time: int  # leads whose first return was collected by the end of the due day
    late: tuple[str, ...]  # leads who returned after the due day (role, with the person)
    not_returned: tuple[str, ...]


def _who(lead) -> str:
    return f"{lead.role} ({lead.person})" if lead.person else lead.role


def _round_section(database: Database) -> RoundSection | None:
    from plantui.store.rounds import list_rounds, round_detail

    rounds = list_rounds(database)
    if not rounds:
        return None
    detail = round_detail(database, rounds[0][0].id)
    chosen = detail.round
    on_time, late, missing = 0, [], []
    for request in detail.requests:
        if not request.returns:
            missing.append(_who(request.lead))
        elif request.returns[0].collected_at.date() <= chosen.due:
            on_time += 1
        else:
            late.append(_who(request.lead))
    return RoundSection(
        chosen.id, chosen.scope, chosen.due, chosen.is_open, len(detail.requests), on_time, tuple(late),
        tuple(missing),
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class BoardMovement:
    """How the plan moved since the last board (or the `--since` of the report), for the headline."""

    label: str  # "since the last meeting, 'October Board' (2022-10-31)"
    better: int
    worse: int
    new_off_track: int  # actions off track now that were not at the start of the period


@dataclass(frozen=True, slots=True)
class Headline:
    """The summary at the top of the report, read in a minute."""

    plan: StatusCounts
    since_board: BoardMovement | None  # None when no board meeting came before the as-at day
    overdue: int
    slipped: int
    findings_at_risk: int
    findings: int
    measures_off_target: int = 0
    measures: int = 0  # none: the headline says nothing of measures
    impact_evidenced: int = 0  # actions whose impact is evidenced, counted apart from the delivered

    @property
    def delivered(self) -> int:
        return self.plan["complete"]


@dataclass(frozen=True, slots=True)
class BoardReport:
    title: str
    organisation: str
    phase: str
    as_at: date  # the day the plan is shown as at
    today: date  # the day due and overdue are judged against
    historical: bool  # True when the plan is reconstructed as at a past day
    statuses: tuple[Status, ...]
    plan: StatusCounts
    themes: tuple[ThemeSection, ...]
    movement: MovementSection | None
    off_track: tuple[ActionRow, ...]
    some_issues: tuple[ActionRow, ...]
    overdue: tuple[ActionRow, ...]
    slipped: tuple[ActionRow, ...]
    findings: tuple[FindingRollup, ...]
    share_note: str = field(default=SHARE_NOTE)
    updates: RoundSection | None = None  # the newest update round (none in a report as at a past day)
    since_board: BoardMovement | None = None
    trend: tuple[TrendPoint, ...] = ()
    list_limit: int | None = None  # the most actions each list shows (None: all); see `papers`

    def listed(self, rows: tuple) -> tuple:
        """The rows of one list this report shows: all of them, or the first `list_limit`."""
        return rows if self.list_limit is None else rows[: self.list_limit]

    def listed_measures(self, rows: tuple) -> tuple:
        """The measures the scorecard shows: all of them, or in the papers the first
        `PAPER_SCORECARD_LIMIT`."""
        return rows if self.list_limit is None else rows[:PAPER_SCORECARD_LIMIT]

    def papers(self) -> BoardReport:
        """This report as the board papers (PDF, Word) show it: each long list cut to its first
        `PAPER_LIST_LIMIT` rows (the scorecard to `PAPER_SCORECARD_LIMIT` measures), in plan order,
        with a line saying where the rest are. The counts,
        the headline and the charts still count every action."""
        return replace(self, list_limit=PAPER_LIST_LIMIT)

    measures: tuple[ScorecardRow, ...] = ()  # every measure, in plan order

    @property
    def off_target_measures(self) -> tuple[ScorecardRow, ...]:
        return tuple(off_target_measures(self.measures))

    impact_evidenced: int = 0  # actions marked impact evidenced (`plantui.domain.evidence`)

    @property
    def headline(self) -> Headline:
        return Headline(
            plan=self.plan,
            since_board=self.since_board,
            overdue=len(self.overdue),
            slipped=len(self.slipped),
            findings_at_risk=len(self.findings_at_risk),
            findings=len(self.findings),
            measures_off_target=len(self.off_target_measures),
            measures=len(self.measures),
            impact_evidenced=self.impact_evidenced,
        )

    @property
    def findings_at_risk(self) -> tuple[FindingRollup, ...]:
        return tuple(f for f in self.findings if f.at_risk)


def share_text(counts: StatusCounts) -> str:
    """`74% (77 of 104)`: on track or complete over every action but BAU; `–` when there is no base."""
    share = counts.share_on_track
    if share is None:
        return "–"
    return f"{share:.0%} ({counts.on_track_or_complete} of {counts.base})"


def _sections(rows: list[ActionRow], nodes) -> tuple[ThemeSection, ...]:
    by_theme: dict[str, list[str]] = defaultdict(list)
    by_area: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_theme[row.theme_ref].append(row.status)
        by_area[row.area_ref].append(row.status)
    themes: list[ThemeSection] = []
    current: Section | None = None
    areas: list[Section] = []
    for node in nodes:
        if node.kind == "theme":
            if current is not None:
                themes.append(ThemeSection(current, tuple(areas)))
            current, areas = Section(node.ref, "theme", node.title, StatusCounts.of(by_theme[node.ref])), []
        elif node.kind == "area":
            areas.append(Section(node.ref, "area", node.title, StatusCounts.of(by_area[node.ref])))
    if current is not None:
        themes.append(ThemeSection(current, tuple(areas)))
    return tuple(themes)


def _movement(
    label: str, since: datetime, before: list[ActionRow], after: list[ActionRow], moves: list[Move],
    entries: list[HistoryEntry],
) -> MovementSection:  # fmt: skip
    undone = {e.undoes_id for e in entries if e.undoes_id is not None}
    last_change: dict[str, HistoryEntry] = {}
    said_after: dict[str, str] = {}  # a note written on its own after the last status change
    for entry in entries:
        if entry.undoes_id is not None or entry.id in undone:
            continue
        if entry.field == "status":
            last_change[entry.action_ref] = entry
            said_after.pop(entry.action_ref, None)
        elif entry.field == "note" and entry.note and entry.action_ref in last_change:
            said_after[entry.action_ref] = entry.note
    moved = tuple(
        MovedAction(
            move,
            (last_change[move.ref].note or said_after.get(move.ref, "")) if move.ref in last_change else "",
            last_change[move.ref].author if move.ref in last_change else "",
        )
        for move in moves
    )
    return MovementSection(
        label=label,
        since=since,
        moved=moved,
        tally=tally((r.status for r in before), (r.status for r in after), moves),
        changes=len(entries),
        in_meetings=sum(1 for e in entries if e.meeting_id is not None),
    )


def _board_movement(label: str, moves: list[Move], before: list[ActionRow]) -> BoardMovement:
    was_off_track = {row.ref for row in before if row.status == "off_track"}
    counted = tally((), (), moves)
    return BoardMovement(
        label=label,
        better=counted.better,
        worse=counted.worse,
        new_off_track=sum(1 for m in moves if m.new == "off_track" and m.ref not in was_off_track),
    )


def _since_last_board(
    database: Database, until: datetime | None, rows: list[ActionRow]
) -> BoardMovement | None:
    """Movement since the start of the last board meeting that began before `until` (now when None)."""
    earlier = [m for m in list_meetings(database) if until is None or m.started_at < until]
    if not earlier:
        return None
    meeting = max(earlier, key=lambda m: m.started_at)
    between = movement_between(database, meeting.started_at, until, after=rows)
    label = f"since the last board, {meeting.title!r} ({meeting.started_at:%Y-%m-%d})"
    return _board_movement(label, between.moves, between.before)


def gather_report(
    database: Database,
    *,
    today: date,
    as_at: date | None = None,
    since: date | datetime | str | None = None,
) -> BoardReport:
    """Everything a board report shows, as at `as_at` (the plan as it is when None).

    `since` (a day, a moment, or "last-meeting") adds the movement section. Due and overdue are
    judged as at `today`.
    """
    info = plan_info(database)
    until = end_of_day(as_at) if as_at is not None else None
    rows = actions_at(database, until)
    _, measures = plan_measures(database, before=until)
    plan_nodes = nodes(database)
    movement = None
    if since is not None:
        resolved = resolve_since(database, since)
        if until is not None and resolved.moment >= until:
            raise InputError(f"--since: {resolved.label} is not before the end of {as_at}, the as-at day")
        between = movement_between(database, resolved.moment, until, after=rows)
        entries = changes_since(database, resolved, until=until)
        movement = _movement(resolved.label, resolved.moment, between.before, rows, between.moves, entries)
        since_board = _board_movement(resolved.label, between.moves, between.before)
    else:
        since_board = _since_last_board(database, until, rows)
    return BoardReport(
        title=info.title,
        organisation=info.organisation,
        phase=info.phase,
        as_at=as_at or today,
        today=today,
        historical=as_at is not None,
        statuses=STATUSES,
        plan=StatusCounts.of(r.status for r in rows),
        themes=_sections(rows, plan_nodes),
        movement=movement,
        off_track=tuple(r for r in rows if r.status == "off_track"),
        some_issues=tuple(r for r in rows if r.status == "some_issues"),
        overdue=tuple(r for r in rows if is_overdue(r.status, r.due, today)),
        slipped=tuple(r for r in rows if r.slipped),
        findings=tuple(roll_up_findings(findings(database), rows, plan_nodes, today, measures)),
        updates=_round_section(database) if as_at is None else None,
        since_board=since_board,
        trend=status_trend(database, today=today, as_at=as_at, now=rows)[None],
        measures=tuple(scorecard_rows(measures)),
        impact_evidenced=sum(r.impact for r in rows),
    )
