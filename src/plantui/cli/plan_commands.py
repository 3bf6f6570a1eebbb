"""Whole-plan commands: `demo`, `import`, `export`."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from plantui.domain.errors import InputError


def _summary(document) -> str:
    actions = document.actions()
    areas = sum(len(t.areas) for t in document.themes)
    objectives = sum(len(a.objectives) for t in document.themes for a in t.areas)
    return (
        f"{len(document.themes)} themes, {areas} areas, {objectives} objectives, "
        f"{len(actions)} actions, {len(document.findings)} findings"
    )


@click.command()
@click.option("--force", is_flag=True, help="Replace the plan the database already holds.")
@click.pass_obj
def demo(options, force: bool) -> None:
    """Load the bundled sample plan (Sefton Children's Services, Phase 1)."""
    from plantui.io.sample import load_sample
    from plantui.store.plans import load_document

    document = load_sample()
    database = options.open()
    try:
        load_document(database, document, replace=force)
    finally:
        database.close()
    click.echo(f"Loaded the sample plan into {database.display}: {_summary(document)}")


def read_document(path: Path):  # -> PlanDocument
    """Read a plan file by its kind: JSON here; spreadsheets are their own readers."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        from plantui.io.plan_json import read_plan_file

        return read_plan_file(path)
    raise InputError(
        f"{path}: cannot import a {suffix or 'file without an extension'}: use a .json plan file"
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a whole plan is read and loaded.

    Reading a large plan makes millions of objects, none of them garbage, and the collector walks
    them all again and again: a third of the time of importing 10,000 actions. Reference counting
    still frees everything as usual; only cycles wait until the collector runs again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace the plan the database already holds.")
@click.pass_obj
def import_(options, file: Path, force: bool) -> None:
    """Import a plan file into the database, as one transaction."""
    from plantui.domain.milestones import readable
    from plantui.store.plans import load_document

    with _collector_paused():
        document = read_document(file)
        database = options.open()
        try:
            load_document(database, document, replace=force)
        finally:
            database.close()
    for action in document.actions():
        if action.milestone.strip() and not readable(action.milestone) and action.due is None:
            click.echo(
                f"plantui: warning: {file}: action {action.ref}: milestone {action.milestone!r} "
                "cannot be read as a date; it has no due date",
                err=True,
            )
    click.echo(f"Imported {file} into {database.display}: {_summary(document)}")


@click.command()
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write here, not to stdout.",
)
@click.pass_obj
def export(options, fmt: str, output: Path | None) -> None:
    """Export the whole plan, history included."""
    from plantui.io.plan_json import dumps_plan
    from plantui.store.plans import dump_document

    database = options.open(create=False)
    try:
        document = dump_document(database)
    finally:
        database.close()
    text = dumps_plan(document)
    if output is None:
        click.echo(text, nl=False)
        return
    write_output(output, text.encode("utf-8"))
    click.echo(f"Exported {_summary(document)} to {output}", err=True)


def write_output(path: Path, data: bytes) -> None:
    """Write a whole file or nothing: a temporary file renamed into place."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write ({error.strerror or error})") from None


COMMANDS = [demo, import_, export]
