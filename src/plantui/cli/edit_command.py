"""`plantui edit REF`: change an action's title, success measures, detailed plan and leads as one
step, through the same change service the workbench's text editor (`E`) uses."""

from __future__ import annotations

import sys

import click

from plantui.domain.errors import InputError

STDIN = "-"  # `--measures -` / `--plan -` read the text from standard input


def _from_stdin(value: str | None, option: str, taken: list[str]) -> str | None:
    """The text of `option`, read from standard input when it is `-` (at most one option may be)."""
    if value != STDIN:
        return value
    if taken:
        raise InputError(
            f"{option} -: standard input is already read for {taken[0]}; give one of them as text"
        )
    taken.append(option)
    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{option} -: standard input is not UTF-8 text (byte {error.start})") from None


def new_leads(
    current: tuple[str, ...], replace: tuple[str, ...], add: tuple[str, ...], remove: tuple[str, ...]
):
    """The leads after `--lead` (the whole list), or `--add-lead`/`--remove-lead` on the current ones;
    None when none of them was given."""
    if replace and (add or remove):
        raise InputError("--lead gives the whole list of leads: use it without --add-lead or --remove-lead")
    if replace:
        return replace
    if not add and not remove:
        return None
    leads = list(current)
    for name in remove:
        wanted = " ".join(name.split())
        if wanted not in leads:
            shown = "; ".join(current) or "none"
            raise InputError(f"--remove-lead: {wanted!r} is not a lead of this action (its leads: {shown})")
        leads.remove(wanted)
    for name in add:
        wanted = " ".join(name.split())
        if wanted in leads:
            raise InputError(f"--add-lead: {wanted!r} is already a lead of this action")
        leads.append(name)
    return tuple(leads)


@click.command("edit")
@click.argument("ref")
@click.option("--title", metavar="TEXT", help="The action's new title (one line, not empty).")
@click.option("--measures", metavar="TEXT", help="New success measures; '-' reads them from standard input.")
@click.option(
    "--plan", "detailed_plan", metavar="TEXT", help="A new detailed plan; '-' reads it from standard input."
)
@click.option(
    "--lead", "leads", multiple=True, metavar="NAME", help="A lead; repeat it: the list replaces the leads."
)
@click.option(
    "--add-lead", "add", multiple=True, metavar="NAME", help="Add a lead after the others; repeatable."
)
@click.option("--remove-lead", "remove", multiple=True, metavar="NAME", help="Remove a lead; repeatable.")
@click.option("--note", default="", help="Commentary recorded with the change.")
@click.option("--author", metavar="NAME", help="Who is making the change.")
@click.pass_obj
def edit(options, ref, title, measures, detailed_plan, leads, add, remove, note, author) -> None:
    """Change an action's title, success measures, detailed plan and/or leads, saved as one step.

    Each text that changes is its own history entry (with the note), and one `plantui undo` takes them
    all back. A lead new to the plan is added to it. Examples:

    \b
      plantui edit 1.1.1.2 --title "Recruit a permanent senior team"
      plantui edit 1.1.1.2 --add-lead "Head of Service (Safeguarding)" --remove-lead "HR Lead"
      plantui edit 1.1.1.2 --plan - < plan.txt
    """
    from plantui.cli.render import change_text, safe
    from plantui.store.changes import TextChange, edit_text
    from plantui.store.queries import get_action

    options.refuse_as_at("plantui edit")
    taken: list[str] = []
    measures = _from_stdin(measures, "--measures", taken)
    detailed_plan = _from_stdin(detailed_plan, "--plan", taken)
    if title is None and measures is None and detailed_plan is None and not (leads or add or remove):
        raise InputError(
            "say what to change: --title, --measures, --plan, --lead, --add-lead and/or --remove-lead"
        )
    texts = [
        TextChange(field, value)
        for field, value in (
            ("title", title),
            ("success_measures", measures),
            ("detailed_plan", detailed_plan),
        )
        if value is not None
    ]
    database = options.open(create=False)
    try:
        who = author or options.who(database)
        if leads or add or remove:
            current = get_action(database, ref).leads
            # What was read is what the change expects: a colleague's change in between is reported.
            texts.append(TextChange("leads", new_leads(current, leads, add, remove), expected=current))
        result = edit_text(database, ref, texts, note=note, author=who)
    finally:
        database.close()
    for superseded in result.superseded:
        click.echo(f"plantui: note: {superseded.describe()}", err=True)
    action = result.action
    if not result.entries:
        click.echo(f"{action.ref}: nothing to change, the text is already as given")
        return
    meeting = result.meeting
    where = f" in meeting {safe(meeting.name)!r}" if meeting is not None else ""
    for entry in result.entries:
        click.echo(f"Saved {action.ref}: {change_text(entry)} (history #{entry.id}){where}")


COMMANDS = [edit]
