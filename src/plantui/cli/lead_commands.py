"""`plantui lead list|set`: the people behind the plan's leads (for the update round's requests)."""

from __future__ import annotations

import click


@click.group(short_help="List the leads; say who holds a lead's role and their e-mail.")
def lead() -> None:
    """The plan's leads: each role as the actions name it, the person who holds it, their e-mail."""


@lead.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def list_(options, as_json: bool) -> None:
    """Every lead, by role, with its person, e-mail and how many actions it leads."""
    from plantui.cli.render import json_text, safe
    from plantui.domain.wording import plural
    from plantui.store.leads import list_leads

    database = options.open(create=False)
    try:
        leads = list_leads(database)
    finally:
        database.close()
    if as_json:
        click.echo(
            json_text(
                [{"role": x.role, "person": x.person, "email": x.email, "actions": x.actions} for x in leads]
            )
        )
        return
    if not leads:
        click.echo("No action has a lead.")
    for x in leads:
        who = safe(x.person) if x.person else "(no person)"
        email = f" <{safe(x.email)}>" if x.email else ""
        click.echo(f"{safe(x.role)}: {who}{email}, {plural(x.actions, 'action')}")


@lead.command("set")
@click.argument("role")
@click.option("--person", metavar="NAME", help="Who holds the role ('' clears it).")
@click.option("--email", metavar="ADDR", help="Their e-mail address ('' clears it).")
@click.pass_obj
def set_(options, role: str, person: str | None, email: str | None) -> None:
    """Record who holds ROLE (as the plan names the lead) and their e-mail."""
    from plantui.cli.render import safe
    from plantui.domain.errors import InputError
    from plantui.store.leads import set_lead

    options.refuse_as_at("plantui lead set")
    if person is None and email is None:
        raise InputError("plantui lead set: give --person NAME and/or --email ADDR")
    database = options.open(create=False)
    try:
        saved = set_lead(database, role, person=person, email=email, author=options.who(database))
    finally:
        database.close()
    email_text = f" <{safe(saved.email)}>" if saved.email else " (no e-mail)"
    click.echo(f"saved: {safe(saved.role)} is {safe(saved.person) or '(no person)'}{email_text}")


@click.command(short_help="Actions not updated for DAYS days, grouped by lead: whom to chase.")
@click.option("--stale", "days", type=click.IntRange(0, 99_999), required=True, metavar="DAYS")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def chase(options, days: int, as_json: bool) -> None:
    """Every action not complete whose last update is DAYS or more days old (or that has none),
    grouped by lead, with the lead's person and e-mail."""
    from plantui.cli.render import json_text, local_time, safe, status_text
    from plantui.domain.wording import plural
    from plantui.store.leads import stale_by_lead

    database = options.open(create=False)
    try:
        chase_list = stale_by_lead(database, options.today, days)
    finally:
        database.close()
    if as_json:
        click.echo(
            json_text(
                [
                    {
                        "role": lead.role,
                        "person": lead.person,
                        "email": lead.email,
                        "actions": [
                            {
                                "ref": row.ref,
                                "status": row.status,
                                "updated_at": row.updated_at.isoformat() + "Z" if row.updated_at else None,
                            }
                            for row in rows
                        ],
                    }
                    for lead, rows in chase_list
                ]
            )
        )
        return
    if not chase_list:
        click.echo(f"Every action was updated in the last {plural(days, 'day')}.")
    for lead, rows in chase_list:
        who = f" ({safe(lead.person)})" if lead.person else ""
        email = f" <{safe(lead.email)}>" if lead.email else ""
        click.echo(f"{safe(lead.role)}{who}{email}: {plural(len(rows), 'action')}")
        for row in rows:
            last = local_time(row.updated_at) if row.updated_at else "never updated"
            click.echo(f"  {row.ref:<10} {status_text(row.status)}  {last}")


COMMANDS = [lead, chase]
