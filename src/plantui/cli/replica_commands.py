"""`plantui checkout`, `plantui sync` and `plantui conflicts`: a replica of the plan to take offline,
brought back in step with its upstream, and the fields both sides changed meanwhile."""

from __future__ import annotations

import shlex

import click

from plantui.domain.errors import InputError


@click.command()
@click.option(
    "--from",
    "source",
    metavar="URL|PATH",
    required=True,
    help="The upstream: a PostgreSQL URL or a plan file.",
)
@click.option("-o", "--output", metavar="PATH", required=True, help="The new replica file.")
@click.pass_obj
def checkout(options, source: str, output: str) -> None:
    """Make a replica of a shared plan to work on offline (a laptop at a board meeting).

    The replica is a whole plan file that remembers its upstream; `plantui sync` later sends what was
    done on it up, and brings down what others did meanwhile.
    """
    import os
    from pathlib import Path

    from plantui.store.location import resolve
    from plantui.store.opening import open_database
    from plantui.store.replicas import checkout as make_replica

    path = Path(output)
    if os.path.lexists(path):
        raise InputError(f"{path} already exists: a replica is made as a new file")
    location = resolve(source)
    text = source if location.path is None else str(location.path.absolute())
    upstream = open_database(location, create=False)
    try:
        made = make_replica(upstream, text, path)
    finally:
        upstream.close()
    typed = shlex.quote(str(path))  # as a shell takes it back: plan files have spaces, #, ?, %
    click.echo(
        f"Checked out {made.actions} actions and {made.entries} history entries from {made.upstream} "
        f"into {path}: work on it with --db {typed}, then run plantui --db {typed} sync"
    )


@click.command()
@click.option("--dry-run", is_flag=True, help="Say what a sync would do, and change nothing.")
@click.pass_obj
def sync(options, dry_run: bool) -> None:
    """Send this replica's changes to its upstream and bring down everyone else's.

    Safe to repeat and safe to cut: what either side already holds is never taken twice. Where both
    sides changed the same field of an action, the later change stands and `plantui conflicts` lists
    the pair for review.
    """
    from plantui.store.replicas import sync_with_upstream

    database = options.open(create=False)
    try:
        result = sync_with_upstream(database, dry_run=dry_run)
    finally:
        database.close()
    click.echo(sync_words(result, database.display))


def sync_words(result, replica: str) -> str:
    if result.dry_run:
        return f"A sync of {replica} {result.words('see plantui conflicts')}; nothing was changed"
    return f"Synced {replica}: {result.words('see plantui conflicts')}"


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--all", "all_of_them", is_flag=True, help="The reviewed ones too.")
@click.pass_context
def conflicts(ctx: click.Context, as_json: bool, all_of_them: bool) -> None:
    """List the fields two copies of the plan both changed between syncs, to review.

    The later change stands. Keep it (plantui conflicts keep REF FIELD), or set the field back to the
    replaced value as a new change (plantui conflicts reapply REF FIELD).
    """
    if ctx.invoked_subcommand is not None:
        return
    from plantui.cli.render import json_text, safe
    from plantui.store.clock import local_text
    from plantui.store.replicas import list_conflicts

    options = ctx.obj
    database = options.open(create=False, readonly=True)
    try:
        found = list_conflicts(database, all_of_them=all_of_them)
    finally:
        database.close()
    if as_json:
        click.echo(json_text([_conflict_data(conflict) for conflict in found]))
        return
    if not found:
        click.echo("No conflicts to review")
        return
    for c in found:
        click.echo(
            f"{safe(c.ref)} {c.field_words}: {_shown(c.field, c.standing)} by {safe(c.standing_by)} "
            f"({local_text(c.standing_at)}) replaced {_shown(c.field, c.replaced)} by {safe(c.replaced_by)} "
            f"({local_text(c.replaced_at)})" + (f" [{c.outcome}]" if c.outcome else "")
        )


def _shown(field: str, value: str | None) -> str:
    """A value as the history shows it: a status in symbol and words, any other value quoted."""
    from plantui.cli.render import safe
    from plantui.domain.statuses import STATUS_CODES
    from plantui.domain.wording import status_words

    if field == "status" and value in STATUS_CODES:
        return status_words(value)
    return safe(repr(value if value is not None else ""))


def _conflict_data(c) -> dict:
    return {
        "ref": c.ref,
        "field": c.field,
        "standing": c.standing,
        "standing_by": c.standing_by,
        "standing_at": c.standing_at.isoformat(),
        "replaced": c.replaced,
        "replaced_by": c.replaced_by,
        "replaced_at": c.replaced_at.isoformat(),
        "found_at": c.found_at.isoformat(),
        "reviewed": c.reviewed_at is not None,
        "outcome": c.outcome,
    }


def _review(options, ref: str, field: str, *, reapply: bool) -> None:
    from plantui.store.replicas import review_conflict

    database = options.open(create=False)
    try:
        closed = review_conflict(database, ref, field, reapply=reapply, author=options.who(database))
    finally:
        database.close()
    done = "re-applied the replaced value" if reapply else "kept what stands"
    click.echo(f"{ref} {field}: {done}; {closed} conflict(s) reviewed")


@conflicts.command()
@click.argument("ref")
@click.argument("field")
@click.pass_obj
def keep(options, ref: str, field: str) -> None:
    """Keep the change that stands, and mark the conflict reviewed."""
    _review(options, ref, field, reapply=False)


@conflicts.command()
@click.argument("ref")
@click.argument("field")
@click.pass_obj
def reapply(options, ref: str, field: str) -> None:
    """Set the field back to the replaced value as a new change, and mark the conflict reviewed."""
    _review(options, ref, field, reapply=True)


COMMANDS = [checkout, sync, conflicts]
