"""Commands on actions: `list`, `set`, `history`, `undo`."""

from __future__ import annotations

import click

from plantui.cli.main import DATE
from plantui.domain.errors import InputError
from plantui.domain.statuses import STATUS_CODES


def _action_json(row, today) -> dict:
    return {
        "ref": row.ref,
        "title": row.title,
        "leads": list(row.leads),
        "rag": row.status,
        "milestone": row.milestone,
        "due": row.due.isoformat() if row.due else None,
        "due_state": row.due_state(today).value,
        "baseline": row.baseline,
        "slipped_days": row.slipped_days,
        "success_measures": row.success_measures,
        "detailed_plan": row.detailed_plan,
        "updated_at": row.updated_at.isoformat() + "Z" if row.updated_at else None,
        "last_note": row.last_note,
        "theme": row.theme_ref,
        "area": row.area_ref,
        "objective": row.objective_ref,
    }


@click.command("list")
@click.option(
    "--rag",
    "rags",
    multiple=True,
    metavar="CODE",
    help=f"Only this status ({', '.join(STATUS_CODES)}); repeatable.",
)
@click.option(
    "--lead",
    "leads",
    multiple=True,
    metavar="TEXT",
    help="Only actions with a lead whose name contains TEXT.",
)
@click.option(
    "--theme",
    "scopes",
    multiple=True,
    metavar="REF",
    help="Only actions under this theme, area or objective.",
)
@click.option("--overdue", is_flag=True, help="Only incomplete actions past their milestone.")
@click.option(
    "--filter",
    "expression",
    metavar="EXPR",
    help="A filter as typed in the TUI, e.g. 'rag:red lead:director'.",
)
@click.option("--today", "today_", type=DATE, help="Treat this day as today.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def list_(options, rags, leads, scopes, overdue, expression, today_, as_json) -> None:
    """List actions, optionally filtered."""
    from plantui.cli.render import action_table, json_text
    from plantui.domain.filters import parse_filter
    from plantui.domain.statuses import status
    from plantui.store.queries import list_actions

    today = today_ or options.today
    for code in rags:
        status(code)
    terms = [expression or ""]
    terms += [f"rag:{code}" for code in rags]
    terms += [f'lead:"{lead}"' for lead in leads]
    terms += [f"theme:{scope}" for scope in scopes]
    if overdue:
        terms.append("due:overdue")
    selection = parse_filter(" ".join(t for t in terms if t))
    database = options.open(create=False)
    try:
        rows = selection.apply(list_actions(database), today)
    finally:
        database.close()
    if as_json:
        click.echo(json_text([_action_json(r, today) for r in rows]))
        return
    for line in action_table(rows, today):
        click.echo(line)
    click.echo(f"{len(rows)} actions", err=True)


@click.command("set")
@click.argument("ref")
@click.option("--rag", "code", metavar="CODE", help=f"The new status: {', '.join(STATUS_CODES)}.")
@click.option("--note", default="", help="Commentary recorded with the change.")
@click.option("--author", metavar="NAME", help="Who is making the change.")
@click.pass_obj
def set_(options, ref: str, code: str | None, note: str, author: str | None) -> None:
    """Change an action's status (with a note), saved with its history entry."""
    from plantui.cli.render import status_text
    from plantui.store.changes import add_note, set_status

    if code is None and not note.strip():
        raise InputError("say what to change: --rag CODE and/or --note TEXT")
    who = author or options.who()
    database = options.open(create=False)
    try:
        if code is not None:
            result = set_status(database, ref, code, note=note, author=who)
        else:
            result = add_note(database, ref, note, author=who)
    finally:
        database.close()
    entry = result.entry
    if entry is None:
        click.echo(f"{result.action.ref} is already {status_text(result.action.status)}; nothing changed")
    elif entry.field == "status":
        change = f"{status_text(entry.old)} -> {status_text(entry.new)}"
        click.echo(f"Saved {result.action.ref}: {change} (history #{entry.id})")
    else:
        click.echo(f"Saved a note on {result.action.ref} (history #{entry.id})")


@click.command()
@click.argument("ref", required=False)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def history(options, ref: str | None, as_json: bool) -> None:
    """Show the history of one action, or of the whole plan, newest first."""
    from plantui.cli.render import history_line, json_text, safe
    from plantui.store.queries import action_history, plan_history

    database = options.open(create=False)
    try:
        entries = action_history(database, ref) if ref else plan_history(database)
    finally:
        database.close()
    if as_json:
        click.echo(
            json_text(
                [
                    {
                        "id": e.id,
                        "ref": e.action_ref,
                        "at": e.at.isoformat() + "Z",
                        "author": e.author,
                        "field": e.field,
                        "from": e.old,
                        "to": e.new,
                        "note": e.note,
                        "undoes": e.undoes_id,
                    }
                    for e in entries
                ]
            )
        )
        return
    if not entries:
        click.echo(f"No changes recorded{' for ' + safe(ref) if ref else ''}.")
    for entry in entries:
        click.echo(history_line(entry))


@click.command()
@click.option("--author", metavar="NAME", help="Who is undoing.")
@click.pass_obj
def undo(options, author: str | None) -> None:
    """Undo the last change, by recording a change that reverses it."""
    from plantui.cli.render import history_line
    from plantui.store.changes import undo_last

    database = options.open(create=False)
    try:
        result = undo_last(database, author=author or options.who())
    finally:
        database.close()
    assert result.entry is not None
    click.echo(f"Undone: {history_line(result.entry)}")


COMMANDS = [list_, set_, history, undo]
