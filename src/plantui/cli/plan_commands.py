"""Whole-plan commands: `demo`, `import`, `export`."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from plantui.cli.options import output_option
from plantui.cli.render import safe
from plantui.domain.errors import InputError
from plantui.domain.wording import plural


def _summary(document) -> str:
    actions = document.actions()
    areas = sum(len(t.areas) for t in document.themes)
    objectives = sum(len(a.objectives) for t in document.themes for a in t.areas)
    return (
        f"{plural(len(document.themes), 'theme')}, {plural(areas, 'area')}, "
        f"{plural(objectives, 'objective')}, {plural(len(actions), 'action')}, "
        f"{plural(len(document.findings), 'finding')}"
    )


@click.command()
@click.option("--force", is_flag=True, help="Replace the plan the database already holds.")
@click.pass_obj
def demo(options, force: bool) -> None:
    """Load the bundled sample plan (Sefton Children's Services, Phase 1)."""
    from plantui.io.sample import load_sample

    options.refuse_as_at("plantui demo")
    document = load_sample()
    where = load_plan(options, document, replace=force)
    click.echo(f"Loaded the sample plan into {safe(where)}: {_summary(document)}")


def load_plan(options, document, *, replace: bool) -> str:
    """Load `document` into the store `--db` names and return its name as shown. A SQLite file that
    does not exist yet is made whole or not at all: a kill part-way leaves no file behind."""
    import os

    from plantui.store.location import resolve
    from plantui.store.plans import fill_new_file, load_document

    location = resolve(options.db)
    if location.path is not None and not os.path.lexists(location.path):
        notices: list[str] = []
        fill_new_file(location.path, lambda database: load_document(database, document), notices)
        _echo_notices(notices)
        return location.display
    database = options.open()
    try:
        shown = len(database.notices)
        load_document(database, document, replace=replace)
    finally:
        database.close()
    _echo_notices(database.notices[shown:])
    return database.display


def _echo_notices(notices: list[str]) -> None:
    """What the store said while writing (where a replaced plan was kept), on stderr."""
    from plantui.domain.text import visible

    for notice in notices:
        click.echo(f"plantui: {visible(notice)}", err=True)


TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls")


def read_document(path: Path):  # -> PlanDocument
    """Read a plan file by its kind: a JSON plan file, or a spreadsheet with default settings."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        from plantui.io.plan_json import read_plan_file

        return read_plan_file(path)
    if suffix in TABLE_SUFFIXES:
        from plantui.io.spreadsheets.importer import read_table

        return read_table(path).document
    raise InputError(
        f"{path}: cannot import a {suffix or 'file without an extension'}: "
        "use a .json plan file, a .csv file or an .xlsx workbook"
    )


def _table_settings(options, sheet, columns, statuses):  # -> ImportSettings
    from plantui.domain.status_reader import parse_status_option
    from plantui.io.spreadsheets.columns import parse_column_option
    from plantui.io.spreadsheets.importer import ImportSettings

    return ImportSettings(
        sheet=sheet,
        columns=dict(parse_column_option(text) for text in columns),
        statuses=dict(parse_status_option(text) for text in statuses),
        author=options.who(),
    )


def _read_import(file: Path, options, sheet, columns, statuses, carry_down):  # -> (table, PlanDocument)
    """The file to import, read: a spreadsheet's table (or None for a plan file) and its document."""
    if file.suffix.lower() in TABLE_SUFFIXES:
        from plantui.io.spreadsheets.importer import read_table

        settings = _table_settings(options, sheet, columns, statuses)
        settings.carry_down = carry_down
        table = read_table(file, settings)
        return table, table.document
    if sheet or columns or statuses or carry_down is not None:
        raise InputError(f"{file}: --sheet, --column, --status and --carry-down are for .csv and .xlsx files")
    return None, read_document(file)


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
@click.option(
    "--sheet", metavar="NAME", help="The workbook sheet to read (default: the first with a header row)."
)
@click.option(
    "--column",
    "columns",
    metavar="FIELD=HEADER",
    multiple=True,
    help="The header of a field's column, e.g. --column 'action=What we will do'. Repeatable.",
)
@click.option(
    "--status",
    "statuses",
    metavar="WORDS=CODE",
    multiple=True,
    help="Read more status words, e.g. --status 'Needs attention=amber'. Repeatable.",
)
@click.option(
    "--carry-down/--no-carry-down",
    default=None,
    help="Fill a blank lead, milestone or detailed plan from the action above in its objective "
    "(default: yes, except in a sheet plantui exported).",
)
@click.option("--dry-run", is_flag=True, help="Show what would be imported and change nothing.")
@click.pass_obj
def import_(options, file: Path, force: bool, sheet, columns, statuses, carry_down, dry_run: bool) -> None:
    """Import a plan file (.json) or a spreadsheet (.csv, .xlsx) as one transaction.

    Spreadsheet columns are found by their headers; see docs/spreadsheets.md.
    """
    from plantui.cli.import_summary import dry_run_lines, milestone_warnings, unreadable_lines
    from plantui.io.spreadsheets.importer import UnreadableRows

    options.refuse_as_at("plantui import")
    with _collector_paused():
        try:
            table, document = _read_import(file, options, sheet, columns, statuses, carry_down)
        except UnreadableRows as error:
            if dry_run:  # the mapping often explains the problems: a status read from the wrong column
                for line in unreadable_lines(error):
                    click.echo(line)
            raise
        if dry_run:
            for line in dry_run_lines(document, table, str(file)):
                click.echo(line)
            return
        where = load_plan(options, document, replace=force)
    notes = table.warnings if table is not None else milestone_warnings(document, str(file))
    for line in notes:
        click.echo(f"plantui: warning: {line}", err=True)
    source = safe(str(table.source if table else file))
    click.echo(f"Imported {source} into {safe(where)}: {_summary(document)}")


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "xlsx"]),
    help="json (the default): the whole plan, history included; csv: one row per action; xlsx: actions, "
    "findings and history sheets. Without --format, -o FILE.csv or FILE.xlsx picks the format.",
)
@output_option("Write here, not to stdout (required for xlsx; - is stdout).")
@click.pass_obj
def export(options, fmt: str | None, output: str | None) -> None:
    """Export the whole plan as JSON, or its actions as a spreadsheet."""
    path = output_path(output)
    if fmt is None:
        suffix = path.suffix.lower() if path is not None else ""
        fmt = {".csv": "csv", ".xlsx": "xlsx"}.get(suffix, "json")
    if fmt == "xlsx" and output is None:
        raise InputError("export --format xlsx writes a workbook: name the file with -o FILE.xlsx")
    if options.as_at is not None and fmt != "json":
        raise InputError("--as-at exports the plan as JSON: use --format json")
    database = options.open(create=False)
    try:
        if fmt == "json":
            from plantui.io.plan_json import dumps_plan
            from plantui.store.plans import dump_document

            if options.as_at is not None:
                from plantui.store.as_at import document_as_at

                document = document_as_at(database, options.as_at)
            else:
                document = dump_document(database)
            data, summary = dumps_plan(document).encode("utf-8"), _summary(document)
        else:
            from plantui.io.spreadsheets import exporter

            tables = exporter.plan_tables(database)
            if fmt == "csv":
                # On stdout: no byte-order mark (it would reach another program's input), and every
                # control character escaped, as all plantui output that may reach a terminal is.
                data = exporter.csv_bytes(tables, bom=path is not None, for_terminal=path is None)
            else:
                data = exporter.workbook_bytes(tables)
            summary = plural(len(tables.actions), "action")
            if fmt == "xlsx":
                summary += (
                    f", {plural(len(tables.findings), 'finding')}, "
                    f"{plural(len(tables.history), 'history row')}"
                )
    finally:
        database.close()
    if path is None and fmt == "xlsx":
        stdout = click.get_binary_stream("stdout")
        if stdout.isatty():
            raise InputError(
                "export --format xlsx -o - writes a workbook: send stdout to a file, not a terminal"
            )
        stdout.write(data)
        stdout.flush()
        return
    if path is None:
        _write_stdout(data.decode("utf-8"))
        return
    write_output(path, data)
    click.echo(f"Exported {summary} to {safe(str(path))}", err=True)


def output_path(output: str | None) -> Path | None:
    """The file `-o` names, or None for stdout (no `-o`, or `-o -`; `./-` names a file called -)."""
    return None if output is None or output == "-" else Path(output)


def _write_stdout(text: str) -> None:
    """Write an export to stdout; a pipe closed early ends quietly (see `plantui.cli.main`), a full
    disk or another failure is one line."""
    import errno
    import sys

    try:
        click.echo(text, nl=False)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        reason = "the disk is full" if error.errno == errno.ENOSPC else (error.strerror or str(error))
        raise InputError(f"cannot write the export to stdout: {reason}") from None


def write_output(path: Path, data: bytes) -> None:
    """Write a whole file or nothing, privately, never replacing a device (see `plantui.io.atomic`)."""
    from plantui.io.atomic import write_file

    write_file(path, data)


COMMANDS = [demo, import_, export]
