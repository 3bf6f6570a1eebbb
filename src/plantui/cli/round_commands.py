"""`plantui round start|list|show|end|requests|collect`: the monthly update round from the shell.

The lead starts a round (who is asked about what, as it stands today), makes one request file per
lead with an e-mail draft beside it, and later collects the files the leads send back. Everything is
files on the lead's computer: nothing needs a server or a network.
"""

from __future__ import annotations

import click

from plantui.cli.options import DATE


def _when(moment) -> str:
    from plantui.cli.render import local_time

    return local_time(moment)


def detail_lines(detail) -> list[str]:
    """A round in lines: what it covers, then each lead with their actions and returns, then reviews."""
    from plantui.cli.render import safe, status_text
    from plantui.domain.wording import plural
    from plantui.store.rounds import describe

    chosen = detail.round
    state = "open" if chosen.is_open else f"ended {_when(chosen.ended_at)}"
    lines = [f"Update {describe(chosen)}; started by {safe(chosen.started_by)}; {state}"]
    for request in detail.requests:
        lead = request.lead
        who = f" ({safe(lead.person)})" if lead.person else ""
        if request.returns:
            got = ", ".join(f"{safe(r.file_name)} at {_when(r.collected_at)}" for r in request.returns)
            returned = f"returned: {got}"
        else:
            returned = "not returned"
        lines.append(f"{safe(lead.role)}{who}: {plural(len(request.actions), 'action')}, {returned}")
        for action in request.actions:
            lines.append(f"  {action.ref:<10} {status_text(action.status)}  {safe(action.milestone)}")
    if detail.reviews:
        lines.append(f"For review ({plural(len(detail.reviews), 'update')} not applied):")
        lines.extend(f"  {review_line(review)}" for review in detail.reviews)
    return lines


def review_line(review) -> str:
    from plantui.cli.render import safe, status_text

    def shown(value: str) -> str:
        return status_text(value) if review.field == "status" else safe(value) or "(none)"

    note = f" — {safe(review.note)}" if review.note else ""
    return (
        f"{review.ref}: {safe(review.lead)} proposes {review.field} {shown(review.proposed)} "
        f"(issued as {shown(review.issued)}, now {shown(review.found)}){note} [{safe(review.file_name)}]"
    )


@click.group("round", short_help="The monthly update round: requests to the leads, returns collected.")
def round_() -> None:
    """Ask each lead for an update on their actions, and collect what they send back."""


@round_.command(short_help="Open a round: records what each lead is asked, as it stands today.")
@click.option("--due", type=DATE, required=True, help="The day returns are due (YYYY-MM-DD).")
@click.option(
    "--scope",
    default="plan",
    show_default=True,
    metavar="SCOPE",
    help=(
        "plan, theme:REF, area:REF, objective:REF or filter:EXPR; "
        "filter:owing asks again about what the last round is still owed."
    ),
)
@click.option("--include-complete", is_flag=True, help="Ask about complete actions too.")
@click.pass_obj
def start(options, due, scope: str, include_complete: bool) -> None:
    """Open an update round over SCOPE with returns due by --due."""
    from plantui.domain.wording import plural
    from plantui.store.rounds import describe, start_round

    options.refuse_as_at("plantui round start")
    database = options.open(create=False)
    try:
        detail = start_round(
            database,
            due=due,
            today=options.today,
            scope=scope,
            include_complete=include_complete,
            author=options.who(database),
        )
    finally:
        database.close()
    actions = len({a.action_id for r in detail.requests for a in r.actions})
    click.echo(
        f"Started update {describe(detail.round)}: {plural(actions, 'action')} for "
        f"{plural(len(detail.requests), 'lead')}; make the requests with plantui round requests -o FOLDER"
    )


@round_.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def list_(options, as_json: bool) -> None:
    """Every round, newest first, with how many leads have returned."""
    from plantui.cli.render import json_text, safe
    from plantui.store.rounds import list_rounds

    database = options.open(create=False)
    try:
        rounds = list_rounds(database)
    finally:
        database.close()
    if as_json:
        click.echo(
            json_text(
                [
                    {
                        "id": r.id,
                        "scope": r.scope,
                        "issued_on": r.issued_on.isoformat(),
                        "due": r.due.isoformat(),
                        "started_by": r.started_by,
                        "ended_at": r.ended_at.isoformat() + "Z" if r.ended_at else None,
                        "leads": asked,
                        "returned": returned,
                    }
                    for r, asked, returned in rounds
                ]
            )
        )
        return
    if not rounds:
        click.echo("No update rounds yet.")
    for r, asked, returned in rounds:
        state = "OPEN" if r.is_open else f"ended {_when(r.ended_at)}"
        click.echo(
            f"{r.id:>3}  issued {r.issued_on.isoformat()}  due {r.due.isoformat()}  {state:<22}  "
            f"{returned} of {asked} leads returned  {safe(r.scope)}"
        )


@round_.command()
@click.argument("round_id", required=False, type=click.IntRange(1, 2**63 - 1))
@click.pass_obj
def show(options, round_id: int | None) -> None:
    """A round (the open or newest one by default): each lead's actions as issued, returns, reviews."""
    from plantui.store.rounds import round_detail

    database = options.open(create=False)
    try:
        detail = round_detail(database, round_id)
    finally:
        database.close()
    for line in detail_lines(detail):
        click.echo(line)


@round_.command()
@click.pass_obj
def end(options) -> None:
    """End the open round: no more returns are collected for it."""
    from plantui.store.rounds import describe, end_round

    options.refuse_as_at("plantui round end")
    database = options.open(create=False)
    try:
        detail = end_round(database)
    finally:
        database.close()
    returned = sum(1 for r in detail.requests if r.returns)
    click.echo(f"Ended update {describe(detail.round)}: {returned} of {len(detail.requests)} leads returned")


@round_.command(short_help="Write one request file per lead, with an e-mail draft beside each.")
@click.option(
    "-o",
    "--output",
    "folder",
    required=True,
    type=click.Path(),
    metavar="FOLDER",
    help="Where to write them.",
)
@click.option(
    "--format", "file_format", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True
)
@click.pass_obj
def requests(options, folder: str, file_format: str) -> None:
    """For each lead of the open round: a spreadsheet of their actions to fill in, and an .eml draft."""
    from plantui.io.rounds.requests import write_requests
    from plantui.store.rounds import open_round, round_detail

    database = options.open(create=False)
    try:
        current = open_round(database)
        if current is None:
            from plantui.domain.errors import NotFoundError

            raise NotFoundError(
                "no update round is open: start one with plantui round start --due YYYY-MM-DD"
            )
        written = write_requests(
            database, round_detail(database, current.id), folder, file_format=file_format
        )
    finally:
        database.close()
    for files in written:
        click.echo(f"{files.file}  (draft: {files.draft.name})")
    click.echo(f"{len(written)} requests written to {folder}", err=True)


@round_.command(short_help="Who has returned, who has not, who is overdue.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def status(options, as_json: bool) -> None:
    """Per lead of the open (or newest) round: actions asked, returned (when, which file), not
    returned, and overdue against the round's due day."""
    from plantui.cli.render import json_text, safe
    from plantui.domain.wording import plural
    from plantui.store.rounds import describe, round_detail

    database = options.open(create=False)
    try:
        detail = round_detail(database)
    finally:
        database.close()
    due = detail.round.due
    overdue_now = options.today > due
    leads = [
        {
            "role": r.lead.role,
            "person": r.lead.person,
            "email": r.lead.email,
            "actions": len(r.actions),
            "returned": [{"file": c.file_name, "at": c.collected_at.isoformat() + "Z"} for c in r.returns],
            "overdue": not r.returns and overdue_now,
        }
        for r in detail.requests
    ]
    if as_json:
        click.echo(
            json_text(
                {
                    "round": detail.round.id,
                    "scope": detail.round.scope,
                    "due": due.isoformat(),
                    "open": detail.round.is_open,
                    "leads": leads,
                    "for_review": len(detail.reviews),
                }
            )
        )
        return
    returned = sum(1 for lead in leads if lead["returned"])
    click.echo(f"Update {describe(detail.round)}: {returned} of {plural(len(leads), 'lead')} returned")
    for lead, request in zip(leads, detail.requests, strict=True):
        if request.returns:
            last = request.returns[-1]
            state = f"returned {_when(last.collected_at)} ({safe(last.file_name)})"
        else:
            state = "OVERDUE, not returned" if lead["overdue"] else "not returned"
        who = f" ({safe(request.lead.person)})" if request.lead.person else ""
        click.echo(f"  {safe(request.lead.role)}{who}: {plural(lead['actions'], 'action')}, {state}")
    if detail.reviews:
        click.echo(f"{plural(len(detail.reviews), 'update')} for review: plantui round show")


def collect_lines(result, *, dry_run: bool) -> list[str]:
    """What collecting one return did (or would do): one line for the file, one per action."""
    from plantui.cli.render import safe, status_text
    from plantui.domain.wording import plural

    name = safe(result.file_name)
    who = safe(result.lead.role) + (f" ({safe(result.lead.person)})" if result.lead.person else "")
    if result.already is not None:
        return [
            f"{name}: already collected at {_when(result.already.collected_at)} "
            f"({safe(result.already.file_name)}): nothing changed"
        ]
    verb = "would apply" if dry_run else "applied"
    lines = [
        f"{name}: return from {who} for update round {result.round.id}: {verb} "
        f"{plural(len(result.applied), 'update')}, {len(result.reviews)} for review, "
        f"{len(result.unchanged)} unchanged"
        + ("" if dry_run or result.step_id is None else f" (one undo step, by {safe(result.author)})")
    ]
    for applied in result.applied:
        parts = [
            f"{field} {status_text(old) if field == 'status' else safe(old)} -> "
            f"{status_text(new) if field == 'status' else safe(new)}"
            for field, old, new in applied.fields
        ]
        if applied.note:
            parts.append(f"note {safe(applied.note)!r}")
        lines.append(f"  {applied.ref:<10} {'; '.join(parts)}")
    for review in result.reviews:
        lines.append(f"  for review: {review_line(review)}")
    return lines


@round_.command(short_help="Read returned request files and apply them (one undo step per file).")
@click.argument("files", nargs=-1, required=True, type=click.Path(), metavar="FILE...")
@click.option("--dry-run", is_flag=True, help="Check the files and say what would change; change nothing.")
@click.pass_obj
def collect(options, files: tuple[str, ...], dry_run: bool) -> None:
    """Read each FILE (a request a lead filled in and sent back) and apply its updates.

    Every file is checked first: with any problem, nothing is applied. Each file is then one change
    (one undo step) authored by the lead's person "via return"; an update to an action someone changed
    since the request was issued is kept for review, not applied.
    """
    from datetime import date, timedelta
    from pathlib import Path

    from plantui.domain.errors import InputError, PlantuiError
    from plantui.io.rounds.returns import read_return
    from plantui.store.clock import utcnow
    from plantui.store.returns import check_return, collect_return

    if not dry_run:
        options.refuse_as_at("plantui round collect")
    database = options.open(create=False)
    try:
        returns, problems = [], []
        for name in files:
            try:
                read = read_return(Path(name))
                check_return(database, read.token, read.officer_id, read.where, read.updates, read.role)
                returns.append(read)
            except PlantuiError as error:
                problems.append(str(error))
        if problems:
            raise InputError("\n".join(problems) + "\nNothing was collected.")
        # The moment as `--today` sees it: the time now, on that day. The round was issued on
        # `--today`'s day and `round status` judges overdue by it, so whether a return came by the
        # due day is judged on the same calendar.
        collected_at = utcnow() + timedelta(days=(options.today - date.today()).days)
        for read in returns:
            result = collect_return(
                database,
                token=read.token,
                officer_id=read.officer_id,
                role=read.role,
                digest=read.digest,
                file_name=read.path.name,
                where=read.where,
                updates=read.updates,
                collected_by=options.who(database),
                dry_run=dry_run,
                collected_at=collected_at,
            )
            for line in collect_lines(result, dry_run=dry_run):
                click.echo(line)
    finally:
        database.close()


COMMANDS = [round_]
