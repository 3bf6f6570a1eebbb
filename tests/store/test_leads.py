"""The people behind the leads: set, listed, refused in one line, and carried by the plan's files."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from plantui.domain.errors import InputError, NotFoundError
from plantui.io.plan_json import dumps_plan, parse_plan
from plantui.io.spreadsheets.exporter import export_xlsx
from plantui.io.spreadsheets.importer import read_table
from plantui.store.leads import list_leads, set_lead
from plantui.store.opening import open_database
from plantui.store.plans import dump_document, load_document
from tests.conftest import mini_plan

HOSTILE = '[bold]Ann[/] =HYPERLINK("x") O\'Neil'


def test_a_lead_gets_a_person_and_an_email_and_lists_them(database) -> None:
    saved = set_lead(database, "head of quality  assurance", person=f"  {HOSTILE} ", email=" qa@example.org ")
    assert (saved.role, saved.person, saved.email) == ("Head of Quality Assurance", HOSTILE, "qa@example.org")
    leads = {lead.role: lead for lead in list_leads(database)}
    assert leads["Head of Quality Assurance"].person == HOSTILE
    assert leads["Head of Quality Assurance"].actions == 2
    assert leads["Head of Service"].person == "" and leads["Head of Service"].name == "Head of Service"
    set_lead(database, "Head of Quality Assurance", email="")  # clears the e-mail, keeps the person
    again = {lead.role: lead for lead in list_leads(database)}["Head of Quality Assurance"]
    assert (again.person, again.email) == (HOSTILE, "")


def test_an_unknown_ambiguous_or_badly_addressed_lead_is_refused(database) -> None:
    with pytest.raises(NotFoundError, match="'Head of Nothing': no action has that lead"):
        set_lead(database, "Head of Nothing", person="X")
    with pytest.raises(InputError, match="matches 2 leads"):
        set_lead(database, "Head of", person="X")
    with pytest.raises(InputError, match="not an e-mail address"):
        set_lead(database, "Head of Service", email="ann at example.org")
    assert all(lead.person == "" for lead in list_leads(database))


def test_the_plan_json_and_the_workbook_carry_the_people(tmp_path: Path) -> None:
    db = open_database(tmp_path / "a.db")
    load_document(db, mini_plan())
    set_lead(db, "Head of Service", person=HOSTILE, email="hos@example.org")
    document = dump_document(db)
    text = dumps_plan(document)
    back = parse_plan(json.loads(text))
    assert [(p.role, p.person, p.email) for p in back.people] == [
        ("Head of Service", HOSTILE, "hos@example.org")
    ]

    export_xlsx(db, tmp_path / "plan.xlsx")
    db.close()
    book = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    assert [list(row) for row in book["Leads"].iter_rows(values_only=True)] == [
        ["Lead", "Person", "E-mail"],
        ["Head of Service", HOSTILE, "hos@example.org"],
    ]
    assert book["Leads"]["B2"].data_type == "s"  # formula-looking text stays text
    imported = read_table(tmp_path / "plan.xlsx")
    assert [(p.role, p.person) for p in imported.document.people] == [("Head of Service", HOSTILE)]
    other = open_database(tmp_path / "b.db")
    load_document(other, imported.document)
    assert {lead.role: lead.person for lead in list_leads(other)}["Head of Service"] == HOSTILE
    other.close()


def test_a_plan_file_naming_a_person_for_a_lead_it_does_not_have_is_refused() -> None:
    data = json.loads(dumps_plan(mini_plan()))
    data["leads"] = [{"role": "Nobody", "person": "X", "email": ""}]
    with pytest.raises(InputError, match=r"leads\[0\]: role.*'Nobody' leads no action"):
        parse_plan(data)
