"""`plantui evidence add|list` and `plantui impact`: evidence of impact from the shell.

Evidence is recorded against an action as a history row (so `plantui undo` takes it back, as for any
change); `impact` marks an action's impact evidenced, or takes the mark off, which needs evidence or
a linked measure met in its latest period (`plantui.domain.evidence`).
"""

from __future__ import annotations

import json

import click

from plantui.cli.options import DATE


@click.group(short_help="Evidence of impact: add, list.")
def evidence() -> None:
    """Evidence that an action made a difference: a short text, a link or file path, a day."""


@evidence.command(short_help="Record evidence of impact against an action.")
@click.argument("ref")
@click.argument("text")
@click.option(
    "--link", default="", metavar="URL|PATH", help="Where the evidence is: a web address or file path."
)
@click.option("--date", "day", type=DATE, help="The day the evidence is from (default: today, or --today).")
@click.option("--author", metavar="NAME", help="Who is recording it.")
@click.pass_obj
def add(options, ref: str, text: str, link: str, day, author: str | None) -> None:
    """Record TEXT as evidence of the impact of action REF, saved with its history (undo takes it back)."""
    from plantui.cli.render import safe
    from plantui.domain.wording import plural
    from plantui.store.changes import add_evidence

    options.refuse_as_at("plantui evidence add")
    database = options.open(create=False)
    try:
        result = add_evidence(
            database, ref, text, link=link, day=day or options.today, author=author or options.who(database)
        )
    finally:
        database.close()
    entry, action = result.entries[0], result.action
    meeting = f" in meeting {safe(result.meeting.name)!r}" if result.meeting is not None else ""
    click.echo(
        f"Saved evidence on {action.ref} (history #{entry.id}){meeting}; it has "
        f"{plural(action.evidence, 'piece', 'pieces')} of evidence"
    )


@evidence.command("list")
@click.argument("ref", required=False)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def list_(options, ref: str | None, as_json: bool) -> None:
    """The evidence of action REF, or of every action, oldest first (as at --as-at, if given)."""
    from plantui.cli.render import safe
    from plantui.domain.evidence import evidence_line, impact_words
    from plantui.domain.refs import sort_key
    from plantui.store.as_at import plan_as_at
    from plantui.store.evidence import action_evidence, plan_evidence
    from plantui.store.queries import get_action, list_actions

    database = options.open(create=False, readonly=True)
    try:
        if ref is not None:
            row = get_action(database, ref)
            found = {row.ref: action_evidence(database, row.ref, when=options.as_at)}
            if options.as_at is not None:
                row = next(r for r in plan_as_at(database, options.as_at) if r.ref == row.ref)
            rows = {row.ref: row}
        else:
            found = plan_evidence(database, when=options.as_at)
            every = (
                plan_as_at(database, options.as_at) if options.as_at is not None else list_actions(database)
            )
            rows = {r.ref: r for r in every if r.ref in found or r.impact}
    finally:
        database.close()
    refs = sorted(rows, key=sort_key)
    if as_json:
        data = [
            {
                "ref": key,
                "title": rows[key].title,
                "impact_evidenced": rows[key].impact,
                "evidence": [
                    {
                        "text": item.text,
                        "link": item.link,
                        "date": item.day.isoformat(),
                        "author": item.author,
                        "recorded_at": item.at.isoformat() + "Z",
                        "history_id": item.history_id,
                    }
                    for item in found.get(key, [])
                ],
            }
            for key in refs
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not refs:
        click.echo("No evidence of impact yet: plantui evidence add REF TEXT")
        return
    for key in refs:
        click.echo(f"{key}  {impact_words(rows[key].impact)}  {safe(rows[key].title)}")
        items = found.get(key, [])
        if not items:
            click.echo("    (no evidence)")
        for item in items:
            click.echo(f"    {safe(evidence_line(item))}")


@click.command(short_help="Mark an action's impact evidenced, or take the mark off.")
@click.argument("ref")
@click.option(
    "--yes/--no",
    "evidenced",
    default=None,
    help="--yes marks it (it needs evidence or a linked measure met); --no takes the mark off.",
)
@click.option("--author", metavar="NAME", help="Who is making the change.")
@click.pass_obj
def impact(options, ref: str, evidenced: bool | None, author: str | None) -> None:
    """Mark action REF's impact evidenced (--yes) or not (--no), apart from its status, saved with its
    history (undo takes it back)."""
    from plantui.domain.errors import InputError
    from plantui.domain.evidence import impact_words
    from plantui.store.changes import set_impact

    options.refuse_as_at("plantui impact")
    if evidenced is None:
        raise InputError("say --yes (impact evidenced) or --no (not evidenced)")
    database = options.open(create=False)
    try:
        result = set_impact(database, ref, evidenced, author=author or options.who(database))
    finally:
        database.close()
    action = result.action
    if not result.entries:
        click.echo(f"{action.ref} is already {impact_words(action.impact)}; nothing changed")
        return
    click.echo(f"Saved {action.ref}: {impact_words(action.impact)} (history #{result.entries[0].id})")


COMMANDS = [evidence, impact]
