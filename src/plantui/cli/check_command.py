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
    """Report refs that name nothing, actions with no lead, unreadable milestones, overdue actions;
    and warn where a status and its milestone disagree, a milestone is out of step with its
    neighbours, a complete action has neither evidence of impact nor a linked measure met, or an
    action marked impact evidenced no longer has either.

    Exits 1 when there is any problem, so scripts can act on it; warnings alone do not fail it.
    """
    from plantui.cli.render import safe
    from plantui.domain.checks import check_plan
    from plantui.domain.wording import day_text, plural
    from plantui.store.evidence import actions_with_met_measure
    from plantui.store.queries import findings, list_actions, nodes

    today = today_ or options.today
    database = options.open(create=False)
    try:
        problems = check_plan(
            list_actions(database),
            nodes(database),
            findings(database),
            today,
            actions_with_met_measure(database),
        )
    finally:
        database.close()
    if as_json:
        click.echo(
            json.dumps(
                [
                    {"kind": p.kind, "ref": p.ref, "message": p.message, "severity": p.severity}
                    for p in problems
                ],
                indent=2,
            )
        )
    else:
        for problem in problems:
            prefix = "warning: " if problem.is_warning else ""
            click.echo(f"{problem.kind:<21} {prefix}{safe(problem.message)}")
        warnings = sum(p.is_warning for p in problems)
        counted = plural(len(problems) - warnings, "problem")
        if warnings:
            counted += f" and {plural(warnings, 'warning')}"
        click.echo(f"{counted} as at {day_text(today)}", err=True)
    if any(not p.is_warning for p in problems):
        raise SystemExit(1)


COMMANDS = [check]
