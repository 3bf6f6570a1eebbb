"""The people behind the leads, from a workbook's "Leads" sheet (lead, person, e-mail), as plantui's
export writes it when any is known. A row whose lead no action names is reported, not imported."""

from __future__ import annotations

from plantui.domain.document import LeadDoc
from plantui.domain.text import visible
from plantui.io.spreadsheets.columns import header_key
from plantui.io.spreadsheets.rows import cell_text
from plantui.io.spreadsheets.sheets import Sheet, read_sheet, restore_as_written

_WANTED = {"role": ("lead", "role", "leads"), "person": ("person", "name", "officer"), "email": ("email",)}


def read_people(
    sheet: Sheet, roles: set[str], *, as_written: bool = False
) -> tuple[list[LeadDoc], list[str]]:
    """(the people, warnings) from the sheet named "Leads" beside `sheet`, if the workbook has one."""
    name = next((name for name in sheet.others if name.strip().lower() == "leads"), None)
    if name is None:
        return [], []
    leads_sheet = read_sheet(sheet.path, name)
    if as_written:
        restore_as_written(leads_sheet)
    for index, cells in enumerate(leads_sheet.rows[:10]):
        keys = [header_key(cell) if isinstance(cell, str) else "" for cell in cells]
        columns = {
            field: next((i for i, key in enumerate(keys) if key in {header_key(n) for n in names}), None)
            for field, names in _WANTED.items()
        }
        if columns["role"] is None:
            continue
        people: list[LeadDoc] = []
        warnings: list[str] = []
        seen: set[str] = set()
        for offset, below in enumerate(leads_sheet.rows[index + 1 :], start=index + 2):
            role, person, email = (
                cell_text(below[column]) if column is not None and column < len(below) else ""
                for column in (columns["role"], columns["person"], columns["email"])
            )
            if not role or role in seen:
                continue
            if role not in roles:
                warnings.append(
                    f"{leads_sheet.where()}: row {offset}: {visible(role)!r} leads no action: not imported"
                )
                continue
            seen.add(role)
            people.append(LeadDoc(role, " ".join(person.split()), email.strip()))
        return people, warnings
    return [], [f"{sheet.path}: sheet 'Leads' has no Lead column: its people were not read"]
