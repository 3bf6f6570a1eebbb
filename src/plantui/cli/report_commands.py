"""`plantui report` (the board report) and `plantui changes` (every change since a day or meeting)."""

from __future__ import annotations

import json

import click

from plantui.cli.options import DATE, output_option


def _since_value(text: str | None):
    """A `--since` as typed: a day (YYYY-MM-DD) or `last-meeting`; None when not given."""
    if text is None:
        return None
    from datetime import date

    from plantui.domain.errors import InputError
    from plantui.store.as_at import LAST_MEETING

    value = text.strip()
    if value.lower() in {LAST_MEETING, "last_meeting"}:
        return LAST_MEETING
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--since {text!r}: write a date (YYYY-MM-DD) or {LAST_MEETING}") from None


@click.command(short_help="The board report, in Markdown, HTML, PDF or Word.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "pdf", "docx"]),
    help="Output format (default: from -o's ending, .html, .pdf or .docx; else md).",
)
@click.option("--today", "today_", type=DATE, help="Judge due and overdue as at this day.")
@click.option(
    "--since",
    metavar="DATE|last-meeting",
    help="Add the movement since this day, or since the start of the last board meeting.",
)
@output_option("Write here, not to stdout (- is stdout).")
@click.pass_obj
def report(options, fmt: str | None, today_, since: str | None, output: str | None) -> None:
    """The board report: summary, movement, exceptions and inspection findings.

    With the global --as-at DATE it shows the plan as it stood at the end of that day.
    """
    import sys

    from plantui.cli.plan_commands import output_path, write_output
    from plantui.cli.render import safe
    from plantui.domain.errors import InputError
    from plantui.domain.wording import day_text, plural
    from plantui.io.reports import BINARY_FORMATS, SUFFIXES, render_bytes
    from plantui.io.reports.model import gather_report

    path = output_path(output)
    if fmt is None:
        fmt = SUFFIXES.get(path.suffix.lower(), "md") if path is not None else "md"
    if path is None and fmt in BINARY_FORMATS and sys.stdout.isatty():
        raise InputError(f"--format {fmt} makes a file: give -o FILE.{fmt}, or send it through a pipe")
    since_value = _since_value(since)
    database = options.open(create=False)
    try:
        board = gather_report(database, today=today_ or options.today, as_at=options.as_at, since=since_value)
    finally:
        database.close()
    data = render_bytes(board, fmt)
    if path is None:
        stream = click.get_binary_stream("stdout")
        stream.write(data)
        stream.flush()
        return
    write_output(path, data)
    at_risk = len(board.findings_at_risk)
    moved = f", {len(board.movement.moved)} moved" if board.movement is not None else ""
    measures = f", {len(board.off_target_measures)} measures off target" if board.measures else ""
    click.echo(
        f"Wrote the board report as at {day_text(board.as_at)} to {safe(str(path))}: "
        f"{plural(board.plan.total, 'action')}"
        f"{moved}, {len(board.off_track)} off track, {len(board.overdue)} overdue, "
        f"{plural(at_risk, 'finding')} at risk{measures}",
        err=True,
    )


def entry_json(entry) -> dict:
    return {
        "id": entry.id,
        "ref": entry.action_ref,
        "title": entry.action_title,
        "at": entry.at.isoformat() + "Z",
        "author": entry.author,
        "field": entry.field,
        "from": entry.old,
        "to": entry.new,
        "note": entry.note,
        "undoes": entry.undoes_id,
        "meeting": entry.meeting_id,
    }


@click.command(short_help="Every change since a day or the last meeting.")
@click.option("--since", metavar="DATE|last-meeting", required=True, help="A day, or last-meeting.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def changes(options, since: str, as_json: bool) -> None:
    """Every change made since a day (from its start) or since the last board meeting began,
    in the order made."""
    from plantui.cli.render import history_line, safe
    from plantui.domain.wording import plural
    from plantui.store.as_at import changes_since, end_of_day, resolve_since

    since_value = _since_value(since)
    database = options.open(create=False)
    try:
        resolved = resolve_since(database, since_value)
        until = end_of_day(options.as_at) if options.as_at is not None else None
        entries = changes_since(database, resolved, until=until)
    finally:
        database.close()
    if as_json:
        click.echo(json.dumps([entry_json(e) for e in entries], ensure_ascii=False, indent=2))
        return
    for entry in entries:
        click.echo(history_line(entry, title_width=40))
    click.echo(f"{plural(len(entries), 'change')} {safe(resolved.label)}", err=True)


COMMANDS = [report, changes]
