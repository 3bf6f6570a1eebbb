"""`plantui copy`: move a whole plan store between a SQLite file and a PostgreSQL database."""

from __future__ import annotations

import click

from plantui.domain.errors import InputError


@click.command()
@click.option(
    "--from",
    "source",
    metavar="PATH|URL",
    help="The store to copy from (default: --db, $PLANTUI_DB or your data folder's).",
)
@click.option("--to", "target", metavar="PATH|URL", required=True, help="The store to copy into.")
@click.option("--force", is_flag=True, help="Replace the plan the target already holds.")
@click.pass_obj
def copy(options, source: str | None, target: str, force: bool) -> None:
    """Copy the whole plan, history included, from one store to another.

    Either side may be a SQLite file or a PostgreSQL URL: start on a laptop and move to the shared
    server, or take an offline copy to a meeting. The copy is checked by reading it back; it lands
    whole or not at all.
    """
    import os

    from plantui.cli.plan_commands import _echo_notices as echo_notices
    from plantui.cli.plan_commands import _summary as summary
    from plantui.store.location import resolve
    from plantui.store.opening import open_database
    from plantui.store.plans import copy_plan, fill_new_file

    source_location = resolve(source or options.db)
    target_location = resolve(target)
    if source_location.url == target_location.url:
        raise InputError(f"--from and --to both name {source_location.display}: copy needs two stores")
    origin = open_database(source_location, create=False)
    try:
        new_file = target_location.path
        if new_file is not None and not os.path.lexists(new_file):
            # made whole or not at all: a copy killed part-way leaves no file behind
            notices: list[str] = []  # a new file has no daily copy and replaces nothing
            document = fill_new_file(new_file, lambda destination: copy_plan(origin, destination), notices)
        else:
            destination = open_database(target_location)
            try:
                document = copy_plan(origin, destination, replace=force)
            finally:
                destination.close()
            notices = destination.notices
    finally:
        origin.close()
    echo_notices(notices)
    entries = sum(len(action.history) for action in document.actions())
    click.echo(
        f"Copied {summary(document)} and {entries} history entries "
        f"from {origin.display} to {target_location.display}"
    )


COMMANDS = [copy]
