"""`plantui measure add|edit|link|list|record`: measures of impact from the shell.

Each command that changes the plan is one transaction with its history: a definition change or a
link adds `measure_change` rows, a value is a new `measure_value` row (a correction never overwrites).
`list` shows each measure's latest value, target, status and trend in symbols and words.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import click

from plantui.domain.errors import InputError


def _number(text: str | None, what: str) -> float | None:
    """A number the user typed ("80", "22.5", "85%"); "none" or "" clears it."""
    if text is None:
        return None
    cleaned = text.strip().rstrip("%").replace(",", "").strip()
    if cleaned.lower() in ("", "none"):
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise InputError(f"{what}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise InputError(f"{what}: {text!r} is not a finite number")
    return value


def _definition(name, unit, direction, target, tolerance, frequency, owner) -> dict[str, object]:
    fields: dict[str, object] = {}
    for key, value in (("name", name), ("unit", unit), ("direction", direction), ("frequency", frequency),
                       ("owner", owner)):  # fmt: skip
        if value is not None:
            fields[key] = value
    for key, value in (("target", target), ("tolerance", tolerance)):
        if value is not None:
            fields[key] = _number(value, f"--{key}")
    return fields


_DEFINITION_OPTIONS = [
    click.option("--unit", metavar="UNIT", help="e.g. %, days, 'per 10,000'."),
    click.option("--direction", metavar="WAY", help="Which way is better: higher or lower."),
    click.option("--target", metavar="NUMBER", help="The target ('none' clears it)."),
    click.option(
        "--tolerance", metavar="NUMBER", help="How far short of target is still 'within tolerance'."
    ),
    click.option("--frequency", metavar="HOW", help="monthly or quarterly."),
    click.option("--owner", metavar="NAME", help="The lead who owns the measure."),
]


def _with_definition_options(command):
    for option in reversed(_DEFINITION_OPTIONS):
        command = option(command)
    return command


@click.group(short_help="Measures of impact: add, edit, link, list, record values.")
def measure() -> None:
    """Measures of impact: targets, values per period, status and trend, linked to the plan."""


@measure.command(short_help="Add a measure.")
@click.argument("ref")
@click.argument("name")
@_with_definition_options
@click.pass_obj
def add(options, ref, name, unit, direction, target, tolerance, frequency, owner) -> None:
    """Add the measure REF (e.g. M12) called NAME."""
    from plantui.cli.render import safe
    from plantui.store.measures import add_measure

    options.refuse_as_at("plantui measure add")
    fields = _definition(None, unit, direction, target, tolerance, frequency, owner)
    database = options.open(create=False)
    try:
        add_measure(database, ref, name, author=options.who(database), **fields)
    finally:
        database.close()
    click.echo(f"Added measure {safe(ref.strip())}: {safe(name.strip())}")


@measure.command(short_help="Change a measure's definition.")
@click.argument("ref")
@click.option("--name", metavar="TEXT", help="A new name.")
@_with_definition_options
@click.pass_obj
def edit(options, ref, name, unit, direction, target, tolerance, frequency, owner) -> None:
    """Change fields of the measure REF; each change is kept in its history."""
    from plantui.cli.render import safe
    from plantui.store.measures import edit_measure

    options.refuse_as_at("plantui measure edit")
    fields = _definition(name, unit, direction, target, tolerance, frequency, owner)
    if not fields:
        raise InputError("plantui measure edit: give a field to change, e.g. --target 80")
    database = options.open(create=False)
    try:
        changed = edit_measure(database, ref, author=options.who(database), **fields)
    finally:
        database.close()
    if changed:
        click.echo(f"Changed {', '.join(changed)} of measure {safe(ref)}")
    else:
        click.echo(f"Measure {safe(ref)} already read so: nothing was changed")


@measure.command(short_help="Link a measure to objectives, actions, findings.")
@click.argument("ref")
@click.argument("targets", nargs=-1, required=True)
@click.option("--remove", is_flag=True, help="Take the links away instead.")
@click.pass_obj
def link(options, ref, targets, remove) -> None:
    """Link the measure REF to TARGETS: objectives (1.2.3), actions (1.2.3.4), findings (finding:2)."""
    from plantui.cli.render import safe
    from plantui.store.measures import link_measure

    options.refuse_as_at("plantui measure link")
    database = options.open(create=False)
    try:
        changed = link_measure(database, ref, list(targets), author=options.who(database), unlink=remove)
    finally:
        database.close()
    verb = "Unlinked" if remove else "Linked"
    if changed:
        click.echo(f"{verb} measure {safe(ref)} {'from' if remove else 'to'} {', '.join(changed)}")
    else:
        click.echo(f"Measure {safe(ref)} was already so: nothing was changed")


@measure.command(short_help="Record a value for a period.")
@click.argument("ref")
@click.argument("period")
@click.argument("value")
@click.option("--note", default="", help="Where the figure came from, or why it was corrected.")
@click.pass_obj
def record(options, ref, period, value, note) -> None:
    """Record VALUE for the measure REF and PERIOD (2022-10, Oct-22, 2022-Q3, Q3 22/23). A period that
    has a value already keeps it in the history; this one stands from now on."""
    from plantui.cli.render import safe
    from plantui.domain.measures import parse_period
    from plantui.domain.wording import number_text, period_words
    from plantui.store.measures import record_value

    options.refuse_as_at("plantui measure record")
    canonical = parse_period(period)
    number = _number(value, "VALUE")
    if number is None:
        raise InputError("VALUE: give a number")
    database = options.open(create=False)
    try:
        record_value(database, ref, canonical, number, author=options.who(database), note=note)
    finally:
        database.close()
    click.echo(
        f"Recorded {number_text(number)} for measure {safe(ref)}, {period_words(canonical)} ({canonical})"
    )


@measure.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def list_(options, as_json: bool) -> None:
    """Every measure with its latest value, target, status and trend (as at --as-at, if given)."""
    from plantui.cli.render import safe
    from plantui.domain.measures import measure_standing
    from plantui.domain.wording import measure_status_words, measure_value_words, period_words, trend_words
    from plantui.store.as_at import document_as_at
    from plantui.store.plans import dump_document

    database = options.open(create=False, readonly=True)
    try:
        document = document_as_at(database, options.as_at) if options.as_at else dump_document(database)
    finally:
        database.close()
    rows = [(m, measure_standing(m)) for m in document.measures]
    if as_json:
        data = [
            {
                "ref": m.ref, "name": m.name, "unit": m.unit, "direction": m.direction,
                "target": m.target, "tolerance": m.tolerance, "frequency": m.frequency,
                "owner": m.owner, "objectives": m.objectives, "actions": m.actions,
                "findings": [position + 1 for position in m.findings],
                "period": s.period, "value": s.value, "status": s.status, "trend": s.trend,
            }
            for m, s in rows
        ]  # fmt: skip
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("No measures yet: plantui measure add REF NAME")
        return
    for m, s in rows:
        latest = (
            f"{measure_value_words(s.value, m.unit)} ({period_words(s.period)})" if s.period else "no values"
        )
        target = measure_value_words(m.target, m.unit)
        click.echo(
            f"{safe(m.ref):<8} {measure_status_words(s.status):<18} {trend_words(s.trend):<9} "
            f"{latest}, target {target} ({m.direction} is better)  {safe(m.name)}"
        )


@measure.command("import", short_help="Record the values of a scorecard (CSV or XLSX).")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--sheet", metavar="NAME", help="The sheet to read (default: the first that looks like a scorecard)."
)
@click.option("--dry-run", is_flag=True, help="Say what would be recorded, and record nothing.")
@click.pass_obj
def import_(options, file: Path, sheet: str | None, dry_run: bool) -> None:
    """Record the values in FILE, long (measure, period, value) or wide (a column per month or
    quarter: Oct-22, Q3 22/23). All or nothing; a value equal to the one standing is not recorded again."""
    from plantui.domain.wording import plural
    from plantui.io.spreadsheets.measures import read_scorecard
    from plantui.store.measures import record_values

    options.refuse_as_at("plantui measure import")
    scorecard = read_scorecard(file, sheet)
    database = options.open(create=False)
    try:
        result = record_values(database, scorecard.values, author=options.who(database), dry_run=dry_run)
    finally:
        database.close()
    shape = "one row per value" if scorecard.shape == "long" else "a column per period"
    click.echo(f"Read {scorecard.source} ({shape}, header in row {scorecard.header_row}).")
    verb = "Would record" if dry_run else "Recorded"
    click.echo(
        f"{verb} {plural(result.new, 'new value')} and {plural(result.corrected, 'correction')}; "
        f"{plural(result.unchanged, 'value')} already stood as read"
        + (": nothing was written (--dry-run)" if dry_run else "")
    )


COMMANDS = [measure]
