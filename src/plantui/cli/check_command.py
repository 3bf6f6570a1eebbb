"""`plantui check`: the plan's own problems."""

from __future__ import annotations

import json

import click

from plantui.cli.options import DATE


@click.command()
@click.option("--today", "today_", type=DATE, help="Judge overdue actions as at this day.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def check(options, today_, as_json: bool) -> None:
    """Report refs that name nothing, actions with no lead, unreadable milestones, overdue actions.

    Exits 1 when there is any problem, so scripts can act on it.
    """
    from plantui.cli.render import safe
    from plantui.domain.checks import check_plan
    from plantui.domain.wording import day_text, plural
    from plantui.store.queries import findings, list_actions, nodes

    today = today_ or options.today
    database = options.open(create=False)
    try:
        problems = check_plan(list_actions(database), nodes(database), findings(database), today)
    finally:
        database.close()
    if as_json:
        click.echo(
            json.dumps([{"kind": p.kind, "ref": p.ref, "message": p.message} for p in problems], indent=2)
        )
    else:
        for problem in problems:
            click.echo(f"{problem.kind:<21} {safe(problem.message)}")
        click.echo(f"{plural(len(problems), 'problem')} as at {day_text(today)}", err=True)
    if problems:
        raise SystemExit(1)


COMMANDS = [check]
