"""`plantui backup` and `plantui restore`: copies of the plan store, safe while the workbench is open."""

from __future__ import annotations

from pathlib import Path

import click

from plantui.domain.errors import StoreError


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / (1024 * 1024):.1f} MB"


def _sqlite_path(options) -> Path:
    from plantui.store.location import resolve

    location = resolve(options.db)
    if location.path is None:
        raise StoreError(f"{location.display} is a database server: back it up with its own tools")
    return location.path


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the copy here (default: a stamped file in the backups folder beside the database).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace an existing database file named by -o (never one another program has open).",
)
@click.option("--list", "list_", is_flag=True, help="List the copies in the backups folder, newest first.")
@click.pass_obj
def backup(options, output: Path | None, force: bool, list_: bool) -> None:
    """Copy the plan store, consistently, even while the workbench has it open.

    The copy is a new SQLite file: -o names a file that does not exist yet, or, with --force, a database
    file to replace. It is never written onto a device, pipe or socket, nor through a symbolic link.
    """
    from plantui.cli.render import local_time, safe
    from plantui.domain.errors import InputError
    from plantui.store.backup import backup_file, backup_folder, backups_of, checked_backup_folder

    path = _sqlite_path(options)
    if list_:
        checked_backup_folder(path)
        copies = backups_of(path)
        if not copies:
            click.echo(f"No backups of {safe(str(path))} in {safe(str(backup_folder(path)))}.")
        for copy in reversed(copies):
            taken = local_time(copy.taken.replace(tzinfo=None))
            click.echo(f"{taken}  {copy.reason:<20}  {_size(copy.path):>8}  {safe(str(copy.path))}")
        return
    if output is not None and str(output) == "-":
        raise InputError("a backup is a database file, not text for standard output: name a file with -o")
    if output is not None and output.is_dir() and not output.is_symlink():
        raise StoreError(f"{output} is a folder: name the file to write")
    database = options.open(create=False, daily_backup=False)
    try:
        copy = backup_file(database.location, reason="manual", target=output, force=force)
    finally:
        database.close()
    click.echo(f"Backed up {safe(database.display)} to {safe(str(copy))} ({_size(copy)})")


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_obj
def restore(options, file: Path) -> None:
    """Put a backup copy back in place of the plan store.

    The copy is checked first (a whole plantui database, at a schema this plantui can open); the
    database it replaces is kept in the backups folder, so a restore can itself be undone. Changes
    others save meanwhile wait for it: each is in the kept copy or on top of the restored plan.
    """
    from plantui.cli.render import safe
    from plantui.store.restore import restore_file

    path = _sqlite_path(options)
    result = restore_file(path, file)
    database = options.open(create=False, daily_backup=False)  # brings an older schema up to date
    database.close()
    kept = (
        f"; the plan it replaced is kept at {safe(str(result.replaced_copy))}" if result.replaced_copy else ""
    )
    click.echo(f"Restored {safe(str(path))} from {safe(str(file))}{kept}")
    for leftover in result.leftovers:
        click.echo(
            f"plantui: a journal file left beside {safe(str(path))} was moved to {safe(str(leftover))}, "
            "so it cannot be replayed over the restored plan",
            err=True,
        )


COMMANDS = [backup, restore]
