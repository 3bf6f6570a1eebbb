"""`plantui check`: the plan's own problems."""

from __future__ import annotations

import json

import click

from plantui.cli.options import DATE
from plantui.domain.checks import WARNING_KINDS, Problem

# Warnings that come by the dozen on a plan that has only begun recording evidence: one line says
# how many and which, and `--kind` lists each.
_FOLDED = {"no-impact-evidence": "complete actions have no evidence of impact and no linked measure met"}
_FOLD_OVER = 5
_REFS_SHOWN = 8
_KINDS = ("dangling-ref", "no-lead", "unreadable-milestone", "overdue", *WARNING_KINDS)


def _lines(problems: list[Problem], *, fold: bool) -> list[str]:
    from plantui.cli.render import safe

    lines = []
    folded: dict[str, list[Problem]] = {}
    for problem in problems:
        if fold and problem.kind in _FOLDED:
            folded.setdefault(problem.kind, []).append(problem)
    folded = {kind: found for kind, found in folded.items() if len(found) > _FOLD_OVER}
    for problem in problems:
        if problem.kind in folded:
            continue
        prefix = "warning: " if problem.is_warning else ""
        lines.append(f"{problem.kind:<21} {prefix}{safe(problem.message)}")
    for kind, found in folded.items():
        refs = ", ".join(safe(p.ref) for p in found[:_REFS_SHOWN])
        more = f" and {len(found) - _REFS_SHOWN} more" if len(found) > _REFS_SHOWN else ""
        lines.append(
            f"{kind:<21} warning: {len(found)} {_FOLDED[kind]} ({refs}{more}): "
            f"plantui check --kind {kind} lists each"
        )
    return lines


@click.command()
@click.option("--today", "today_", type=DATE, help="Judge overdue actions as at this day.")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(_KINDS),
    help="Only problems and warnings of this kind, each on its own line (repeat for more).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def check(options, today_, kinds: tuple[str, ...], as_json: bool) -> None:
    """Report refs that name nothing, actions with no lead, unreadable milestones, overdue actions;
    and warn where a status and its milestone disagree, a milestone is out of step with its
    neighbours, a complete action has neither evidence of impact nor a linked measure met, or an
    action marked impact evidenced no longer has either.

    More than five complete actions without evidence of impact are one line; `--kind
    no-impact-evidence` lists each.

    Exits 1 when there is any problem, so scripts can act on it; warnings alone do not fail it.
    """
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
    if kinds:
        problems = [p for p in problems if p.kind in kinds]
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
        for line in _lines(problems, fold=not kinds):
            click.echo(line)
        warnings = sum(p.is_warning for p in problems)
        counted = plural(len(problems) - warnings, "problem")
        if warnings:
            counted += f" and {plural(warnings, 'warning')}"
        only = f" ({', '.join(kinds)} only)" if kinds else ""
        click.echo(f"{counted}{only} as at {day_text(today)}", err=True)
    if any(not p.is_warning for p in problems):
        raise SystemExit(1)


COMMANDS = [check]
