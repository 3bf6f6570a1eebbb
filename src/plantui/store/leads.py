"""The plan's leads: each lead's role (as the actions name it), who holds it, their e-mail, and the
ordered `action_lead` rows that name an action's leads.

A plan names its leads by role ("Assistant Director Help and Protection"); the update round sends each
lead's requests to a person. `list_leads` reads them with how many actions each leads; `set_lead`
records the person and e-mail behind a role in one transaction. These are facts about people, not
changes to an action, so they have no history rows (an action's history is what was decided about it);
each change writes a row in the plan's log instead (`plantui.store.sync_plan_log`), in the same
transaction, which is how a sync carries them between a replica and its upstream.
`replace_leads` rewrites an action's leads when someone edits them (`plantui.store.changes` records
the history row in the same transaction); `lead_names` is what the workbench offers when they do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, insert, select, update

from plantui.domain.errors import InputError, NotFoundError
from plantui.domain.text import visible
from plantui.store import tables as T
from plantui.store.database import Database
from plantui.store.plans import current_plan_id, officer_ids
from plantui.store.sync_plan_log import log_lead

# Enough to catch a slip (a missing @, a space, two addresses in one); a mail program decides the rest.
_EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\".]+$")


@dataclass(frozen=True, slots=True)
class Lead:
    id: int
    role: str
    person: str
    email: str
    actions: int  # how many of the plan's actions it leads

    @property
    def name(self) -> str:
        """Who to address: the person when known, else the role."""
        return self.person or self.role


def plan_leads(conn: Connection, plan_id: int) -> list[Lead]:
    """The leads of the plan's actions, by role, read on an open connection."""
    o, al = T.officer, T.action_lead
    rows = conn.execute(
        select(o.c.id, o.c.name, o.c.person, o.c.email, func.count(al.c.action_id))
        .join(al, al.c.officer_id == o.c.id)
        .join(T.action, T.action.c.id == al.c.action_id)
        .where(T.action.c.plan_id == plan_id)
        .group_by(o.c.id, o.c.name, o.c.person, o.c.email)
        .order_by(o.c.name)
    ).all()
    return [Lead(*row) for row in rows]


def list_leads(database: Database) -> list[Lead]:
    """Every lead of the plan, by role."""
    with database.read() as conn:
        return plan_leads(conn, current_plan_id(conn, database))


def find_lead(leads: list[Lead], wanted: str) -> Lead:
    """The lead whose role is `wanted` (exactly, else ignoring case and spacing, else the one role
    that starts with it); an unknown or ambiguous name is one line listing what was meant."""
    key = " ".join(wanted.split()).casefold()
    if not key:
        raise InputError("lead: give the lead's role as the plan names it")
    exact = [lead for lead in leads if lead.role == wanted]
    same = exact or [lead for lead in leads if " ".join(lead.role.split()).casefold() == key]
    found = same or [lead for lead in leads if " ".join(lead.role.split()).casefold().startswith(key)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFoundError(f"lead {visible(wanted)!r}: no action has that lead (see plantui lead list)")
    names = ", ".join(repr(visible(lead.role)) for lead in found[:5])
    raise InputError(f"lead {visible(wanted)!r}: matches {len(found)} leads ({names}); say which")


def check_email(email: str) -> str:
    """An e-mail address tidied, or InputError; an empty one clears it."""
    address = email.strip()
    if address and not _EMAIL.match(address):
        raise InputError(f"--email {visible(address)!r}: not an e-mail address like name@example.org")
    return address


def set_lead(
    database: Database, role: str, *, person: str | None = None, email: str | None = None, author: str = ""
) -> Lead:
    """Record who holds a lead's role and their e-mail (None: leave as it is; "": clear it), with a
    row in the plan's log for each that changed (`author` is who it names)."""
    clean_person = " ".join(person.split()) if person is not None else None
    clean_email = check_email(email) if email is not None else None
    with database.write() as conn:
        plan_id = current_plan_id(conn, database)
        lead = find_lead(plan_leads(conn, plan_id), role)
        values = {}
        if clean_person is not None and clean_person != lead.person:
            values["person"] = clean_person
            log_lead(conn, plan_id, lead.role, "person", lead.person, clean_person, author=author)
        if clean_email is not None and clean_email != lead.email:
            values["email"] = clean_email
            log_lead(conn, plan_id, lead.role, "email", lead.email, clean_email, author=author)
        if values:
            conn.execute(update(T.officer).where(T.officer.c.id == lead.id).values(**values))
    return Lead(
        lead.id,
        lead.role,
        clean_person if clean_person is not None else lead.person,
        clean_email if clean_email is not None else lead.email,
        lead.actions,
    )


def stale_by_lead(database: Database, today, days: int) -> list[tuple[Lead, list]]:
    """The chase list: for each lead (by role), its actions not complete whose last update is `days`
    or more before `today` (or that were never updated), oldest update first."""
    from plantui.domain.filters import is_stale
    from plantui.store.queries import actions_of_plan

    with database.read() as conn:
        plan_id = current_plan_id(conn, database)
        leads = {lead.role: lead for lead in plan_leads(conn, plan_id)}
        rows = [row for row in actions_of_plan(conn, plan_id) if is_stale(row, today, days)]
    chase: dict[str, list] = {}
    for row in rows:
        for role in dict.fromkeys(row.leads):
            chase.setdefault(role, []).append(row)
    return [
        (leads[role], sorted(chase[role], key=lambda row: (row.updated_at is not None, row.updated_at)))
        for role in sorted(chase)
        if role in leads
    ]


def replace_leads(conn: Connection, action_id: int, leads: Sequence[str]) -> None:
    """Make `leads` (distinct names, in order) the action's leads, inside the caller's write; a name
    new to the store gets its officer row."""
    ids = officer_ids(conn, set(leads))
    conn.execute(delete(T.action_lead).where(T.action_lead.c.action_id == action_id))
    if leads:
        conn.execute(
            insert(T.action_lead),
            [
                {"action_id": action_id, "officer_id": ids[name], "position": position}
                for position, name in enumerate(leads)
            ],
        )


def lead_names(database: Database) -> list[str]:
    """Every name that leads an action of the plan, once each, in alphabetical order (case ignored):
    what the workbench offers when someone chooses an action's leads."""
    with database.read() as conn:
        leads = plan_leads(conn, current_plan_id(conn, database))
    return sorted((lead.role for lead in leads), key=lambda name: (name.casefold(), name))
