"""Commands on actions: `list`, `set`, `history`, `undo`, `redo`."""

from __future__ import annotations

import click

from plantui.cli.options import DATE
from plantui.domain.errors import InputError, PlantuiError
from plantui.domain.statuses import STATUS_CODES


def _action_json(row, today) -> dict:
    from plantui.domain.wording import iso_day, slip_words

    slip = row.slippage
    return {
        "ref": row.ref,
        "title": row.title,
        "leads": list(row.leads),
        "rag": row.status,
        "milestone": row.milestone,
        "due": iso_day(row.due),
        "due_state": row.due_state(today).value,
        "baseline": row.baseline,
        "slipped_days": row.slipped_days,
        "slipped_months": slip.months if slip else None,
        "slipped": slip_words(slip),
        "success_measures": row.success_measures,
        "detailed_plan": row.detailed_plan,
        "updated_at": row.updated_at.isoformat() + "Z" if row.updated_at else None,
        "last_note": row.last_note,
        "impact_evidenced": row.impact,
        "evidence": row.evidence,
        "theme": row.theme_ref,
        "area": row.area_ref,
        "objective": row.objective_ref,
    }


def _status_code(word: str | None, option: str) -> str | None:
    """A status code from what a person types: the code, or its words, letter or colour ("amber")."""
    if word is None:
        return None
    from plantui.domain.filters import status_code_for
    from plantui.domain.statuses import is_status_code

    if is_status_code(word):
        return word
    code = status_code_for(word)
    if code is None:
        raise InputError(f"{option}: unknown status {word!r}: use one of {', '.join(STATUS_CODES)}")
    return code


@click.command("list")
@click.option(
    "--rag",
    "rags",
    multiple=True,
    metavar="STATUS",
    help=f"Only this status ({', '.join(STATUS_CODES)}, or its words, letter or colour); repeatable.",
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
@click.option("--slipped", is_flag=True, help="Only actions due later than their first (baseline) milestone.")
@click.option(
    "--filter",
    "expression",
    metavar="EXPR",
    help="A filter as typed in the TUI, e.g. 'rag:red lead:director'.",
)
@click.option(
    "--view",
    "view_name",
    metavar="NAME",
    help="The actions of a saved view (`plantui view list`), in its order; other options narrow it.",
)
@click.option("--today", "today_", type=DATE, help="Treat this day as today.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def list_(options, rags, leads, scopes, overdue, slipped, expression, view_name, today_, as_json) -> None:
    """List actions, optionally filtered."""
    from plantui.cli.render import action_table, json_text
    from plantui.domain.filters import check_names, parse_filter
    from plantui.domain.wording import plural
    from plantui.store.queries import list_actions

    today = today_ or options.today
    rags = tuple(_status_code(word, "--rag") for word in rags)  # "red", "R", "Off track" as for set
    for lead in leads:
        if not lead.strip():
            raise InputError("--lead: give some of a lead's name")
    terms = [f"rag:{code}" for code in rags]
    terms += [f"lead:{lead}" for lead in leads]  # as typed: a lead's name may hold quotes or \\
    terms += [f"theme:{scope}" for scope in scopes]
    if overdue:
        terms.append("due:overdue")
    if slipped:
        terms.append("slipped")
    selection = parse_filter(expression or "", terms=terms)
    database = options.open(create=False)
    saved = None
    try:
        if view_name is not None:
            from plantui.store.saved_views import get_view

            saved = get_view(database, view_name)
        if options.as_at is not None:
            from plantui.store.as_at import plan_as_at

            every_row = plan_as_at(database, options.as_at)
        else:
            every_row = list_actions(database)
        if selection.needs_owed:
            from plantui.store.rounds import owing_refs

            selection = selection.with_owed(owing_refs(database))
    finally:
        database.close()
    check_names(selection, every_row)
    if saved is not None:
        from plantui.domain.saved_views import view_rows

        every_row = view_rows(saved, every_row, today)
    rows = selection.apply(every_row, today)
    if as_json:
        click.echo(json_text([_action_json(r, today) for r in rows]))
        return
    for line in action_table(rows, today):
        click.echo(line)
    click.echo(plural(len(rows), "action"), err=True)


@click.command("set")
@click.argument("refs", nargs=-1, metavar="REF...")
@click.option(
    "--where",
    metavar="EXPR",
    help="Every action this filter picks (as `plantui list --filter`), instead of refs.",
)
@click.option("--rag", "code", metavar="CODE", help=f"The new status: {', '.join(STATUS_CODES)}.")
@click.option(
    "--milestone",
    metavar="LABEL",
    help="The new milestone: 'March 2023', '31/03/2023', 'April 2023 onwards' or 'Ongoing'.",
)
@click.option("--note", default="", help="Commentary recorded with the change.")
@click.option(
    "--expect",
    metavar="CODE",
    help="The status you last saw; if it has changed since, you are told whose change yours replaced.",
)
@click.option("--author", metavar="NAME", help="Who is making the change.")
@click.pass_obj
def set_(
    options,
    refs: tuple[str, ...],
    where: str | None,
    code: str | None,
    milestone: str | None,
    note: str,
    expect: str | None,
    author: str | None,
) -> None:
    """Change an action's status and/or milestone (with a note), saved with its history.

    Given both, they are saved together as two history entries (status, then milestone), each with
    the note; the first milestone an action had stays its baseline, so moving it later shows as slipped.
    Several refs, or --where with a filter, set the same on every action as one step (one undo takes
    it all back); actions already as asked are left alone and counted.
    """
    options.refuse_as_at("plantui set")
    if where is not None or len(refs) > 1:
        _set_several(options, refs, where, code, milestone, note, expect, author)
        return
    if not refs:
        raise InputError("say which action: plantui set REF..., or --where EXPR")
    _set_one(options, refs[0], code, milestone, note, expect, author)


def _set_one(
    options,
    ref: str,
    code: str | None,
    milestone: str | None,
    note: str,
    expect: str | None,
    author: str | None,
) -> None:
    from plantui.cli.render import milestone_change, status_text
    from plantui.store.changes import change_action

    if code is None and milestone is None and not note.strip():
        raise InputError("say what to change: --rag CODE, --milestone LABEL and/or --note TEXT")
    if expect is not None and code is None:
        raise InputError("--expect goes with --rag: it is the status you expect to change from")
    code, expect = _status_code(code, "--rag"), _status_code(expect, "--expect")
    database = options.open(create=False)
    try:
        who = author or options.who(database)
        # A change made while a board meeting is open is recorded in it (the store decides, as for
        # the workbench).
        result = change_action(
            database, ref, code=code, milestone=milestone, note=note, author=who, expected=expect
        )
    finally:
        database.close()
    for superseded in result.superseded:
        click.echo(f"plantui: note: {superseded.describe(status_text)}", err=True)
    action = result.action
    if not result.entries:
        now = [status_text(action.status)] if code is not None else []
        if milestone is not None:
            now.append(f"milestone {action.milestone!r}")
        click.echo(f"{action.ref} is already {', '.join(now)}; nothing changed")
    for entry in result.entries:
        if entry.field == "status":
            what = f"{action.ref}: {status_text(entry.old)} -> {status_text(entry.new)}"
        elif entry.field == "milestone":
            what = f"{action.ref}: {milestone_change(entry, action)}"
        else:
            what = f"a note on {action.ref}"
        click.echo(f"Saved {what} (history #{entry.id}){_in_meeting(result)}")


def _set_several(
    options,
    refs: tuple[str, ...],
    where: str | None,
    code: str | None,
    milestone: str | None,
    note: str,
    expect: str | None,
    author: str | None,
) -> None:
    """One status and/or milestone on several actions, named or picked by a filter, as one step."""
    from plantui.cli.render import history_line, status_text
    from plantui.domain.wording import several_words
    from plantui.store.changes import set_several

    if where is not None and refs:
        raise InputError("--where: give refs or --where EXPR, not both")
    if expect is not None:
        raise InputError("--expect goes with one ref: it is the status you expect that action to change from")
    if code is None and milestone is None:
        raise InputError("several actions: say what to set on them all: --rag CODE and/or --milestone LABEL")
    code = _status_code(code, "--rag")
    selection = None
    if where is not None:
        from plantui.domain.filters import parse_filter

        selection = parse_filter(where)
        if selection.empty:
            raise InputError("--where: the filter is empty; say which actions (e.g. 'rag:red lead:director')")
    database = options.open(create=False)
    try:
        if selection is not None:
            refs = _refs_where(database, selection, options.today, where or "")
        who = author or options.who(database)
        result = set_several(database, refs, code=code, milestone=milestone, note=note, author=who)
    finally:
        database.close()
    for superseded in result.superseded:
        click.echo(f"plantui: note: {superseded.describe(status_text)}", err=True)
    words = several_words(len(result.touched), len(result.skipped), code, milestone)
    if result.entries:
        step = result.entries[0].id
        click.echo(f"Saved: {words} (history #{step} onwards, one undo step){_in_meeting(result)}")
        for entry in result.entries:
            click.echo(f"  {history_line(entry)}")
    else:
        click.echo(f"{words}; nothing changed")


def _refs_where(database, selection, today, where: str) -> tuple[str, ...]:
    """The refs of every action the filter picks, in plan order; an error when it picks none."""
    from plantui.cli.render import safe
    from plantui.domain.filters import check_names
    from plantui.store.queries import list_actions

    every_row = list_actions(database)
    check_names(selection, every_row)
    rows = selection.apply(every_row, today)
    if not rows:
        raise InputError(f"--where: {safe(where)!r} picks no action; nothing changed")
    return tuple(row.ref for row in rows)


def _in_meeting(result) -> str:
    from plantui.cli.render import safe

    meeting = result.meeting
    return f" in meeting {safe(meeting.name)!r}" if meeting is not None else ""


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
                        "meeting": e.meeting_id,
                        "uid": e.uid,
                        "made_in": e.origin,
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
@click.option(
    "--force",
    is_flag=True,
    help="Undo even when someone changed it since, or it was made in a meeting that has ended.",
)
@click.option("--author", metavar="NAME", help="Whose change to undo (yours by default).")
@click.pass_obj
def undo(options, force: bool, author: str | None) -> None:
    """Undo your own newest change (one save, all its fields), by recording its reverse.

    It is refused, and nothing is written, when someone else has changed a field of it since, or it
    was made in a board meeting that has ended; the message says who changed what and when, and
    `--force` undoes it anyway.
    """
    from plantui.cli.render import status_text
    from plantui.store.changes import UndoNeedsConfirming, undo_step

    options.refuse_as_at("plantui undo")
    database = options.open(create=False)
    try:
        try:
            result = undo_step(database, author=author or options.who(database), force=force)
        except UndoNeedsConfirming as refused:
            told = refused.describe(status_text)
            raise PlantuiError(f"{told}; `plantui undo --force` undoes it anyway") from None
    finally:
        database.close()
    _say_steps("Undone", result, status_text)


def _say_steps(done: str, result, status_text) -> None:
    from plantui.cli.render import history_line

    for superseded in result.superseded:
        click.echo(f"plantui: note: {superseded.describe(status_text)}", err=True)
    for entry in result.entries:
        click.echo(f"{done}: {history_line(entry)}{_in_meeting(result)}")


@click.command()
@click.option("--author", metavar="NAME", help="Whose undone change to redo (yours by default).")
@click.pass_obj
def redo(options, author: str | None) -> None:
    """Record your last undone change again (after `plantui undo`); a new change of yours clears it."""
    from plantui.cli.render import status_text
    from plantui.store.changes import redo_step

    options.refuse_as_at("plantui redo")
    database = options.open(create=False)
    try:
        result = redo_step(database, author=author or options.who(database))
    finally:
        database.close()
    _say_steps("Redone", result, status_text)


COMMANDS = [list_, set_, history, undo, redo]
