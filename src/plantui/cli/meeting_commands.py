"""`plantui meeting start|end|list|show`: board meetings from the shell, for scripts and tests.

While a meeting is open (started and not yet ended, from here or from the workbench), every change
made with `plantui set` or `plantui undo` is recorded in it. The open meeting lives in the database,
so any terminal sees the same one.
"""

from __future__ import annotations

import json

import click


def _when(moment) -> str:
    from plantui.cli.render import local_time

    return local_time(moment) if moment is not None else "open"


def summary_lines(summary) -> list[str]:
    """The end-of-meeting summary: each change (ref, from -> to, note, who), then the net moves."""
    from plantui.cli.render import change_text, safe, status_text
    from plantui.domain.wording import plural

    meeting = summary.meeting
    lines = [
        f"Meeting {meeting.id} {safe(meeting.name)!r} over {safe(meeting.scope)}: "
        f"{_when(meeting.started_at)} to {_when(meeting.ended_at)}, recorded by {safe(meeting.recorded_by)}",
    ]
    if not summary.changes:
        return [*lines, "No changes were made in it."]
    lines.append(f"{plural(len(summary.changes), 'change')}:")
    for entry in summary.changes:
        what = change_text(entry, say_status=False)
        if entry.id in summary.undone:
            what += " (undone)"
        note = f" — {safe(entry.note)}" if entry.note else ""
        lines.append(f"  {entry.action_ref:<10} {what}{note} ({safe(entry.author)})")
    if summary.moves:
        lines.append("Moved:")
        for move in summary.moves:
            d = move.direction
            lines.append(
                f"  {move.ref:<10} {status_text(move.old)} -> {status_text(move.new)}  {d.arrow} {d.words}"
            )
    return lines


@click.group(short_help="Start, end and list board meetings.")
def meeting() -> None:
    """Board meetings: start one, record changes in it with `plantui set`, end it for the summary."""


@meeting.command(short_help="Open a meeting; `set` records into it.")
@click.option("--title", default="", help="e.g. 'Improvement Board, October'.")
@click.option(
    "--scope",
    default="plan",
    show_default=True,
    metavar="SCOPE",
    help="plan, theme:REF, area:REF, objective:REF or filter:EXPR (e.g. filter:rag:red).",
)
@click.option("--author", metavar="NAME", help="Who is recording the meeting.")
@click.pass_obj
def start(options, title: str, scope: str, author: str | None) -> None:
    """Open a meeting; changes made until `plantui meeting end` are recorded in it."""
    from plantui.cli.render import safe
    from plantui.store.meetings import start_meeting

    options.refuse_as_at("plantui meeting start")
    database = options.open(create=False)
    try:
        started = start_meeting(database, title, scope, author=author or options.who())
    finally:
        database.close()
    click.echo(
        f"Started meeting {started.id} {safe(started.name)!r} over {safe(started.scope)}; "
        "changes made with `plantui set` are recorded in it until `plantui meeting end`"
    )


@meeting.command()
@click.pass_obj
def end(options) -> None:
    """End the open meeting, print what changed in it and write its minutes (Markdown) to a file."""
    from plantui.domain.errors import InputError
    from plantui.io.minutes import write_minutes
    from plantui.store.meetings import end_meeting

    options.refuse_as_at("plantui meeting end")
    database = options.open(create=False)
    try:
        summary = end_meeting(database)
    finally:
        database.close()
    for line in summary_lines(summary):
        click.echo(line)
    try:
        path = write_minutes(summary, database.location)
    except InputError as error:
        raise InputError(
            f"meeting {summary.meeting.id} has ended, but its minutes were not written: {error}"
        ) from None
    click.echo(f"Minutes (the decisions that stand) written to {path}", err=True)


@meeting.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def list_(options, as_json: bool) -> None:
    """Every meeting, newest first, with how many changes each holds."""
    from plantui.cli.render import safe
    from plantui.store.meetings import change_counts, list_meetings

    database = options.open(create=False)
    try:
        meetings = list_meetings(database)
        counts = change_counts(database)
    finally:
        database.close()
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "id": m.id,
                        "title": m.title,
                        "scope": m.scope,
                        "started_at": m.started_at.isoformat() + "Z",
                        "ended_at": m.ended_at.isoformat() + "Z" if m.ended_at else None,
                        "recorded_by": m.recorded_by,
                        "changes": counts.get(m.id, 0),
                    }
                    for m in meetings
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not meetings:
        click.echo("No meetings recorded yet.")
    for m in meetings:
        state = "OPEN" if m.is_open else f"ended {_when(m.ended_at)}"
        made = counts.get(m.id, 0)
        changes = "change " if made == 1 else "changes"  # padded: the columns after it stay in line
        click.echo(
            f"{m.id:>3}  {_when(m.started_at)}  {state:<22}  {made:>3} {changes}  "
            f"{safe(m.scope):<14}  {safe(m.name)}  ({safe(m.recorded_by)})"
        )


@meeting.command()
@click.argument("meeting_id", type=click.IntRange(1, 2**63 - 1))  # SQLite's largest id
@click.pass_obj
def show(options, meeting_id: int) -> None:
    """The summary of one meeting (ended or open)."""
    from plantui.store.meetings import meeting_summary

    database = options.open(create=False)
    try:
        summary = meeting_summary(database, meeting_id)
    finally:
        database.close()
    for line in summary_lines(summary):
        click.echo(line)


COMMANDS = [meeting]
