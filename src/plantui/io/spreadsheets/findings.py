"""Findings from a workbook's "Findings" sheet, as plantui's export writes them (source, finding, refs)."""

from __future__ import annotations

import re

from plantui.domain.document import FindingDoc
from plantui.io.spreadsheets.columns import header_key
from plantui.io.spreadsheets.rows import cell_text
from plantui.io.spreadsheets.sheets import Cell, Sheet, read_sheet, restore_as_written


def _cell_at(cells: list[Cell], column: int | None) -> str:
    return cell_text(cells[column]) if column is not None and column < len(cells) else ""


def read_findings(sheet: Sheet, *, as_written: bool = False) -> tuple[list[FindingDoc], list[str]]:
    """Findings from a sheet named "Findings" in the same workbook (as plantui writes them), if any;
    `as_written` for a workbook plantui exported, whose text is taken exactly as it is."""
    name = next((name for name in sheet.others if name.strip().lower() == "findings"), None)
    if name is None:
        return [], []
    findings_sheet = read_sheet(sheet.path, name)
    if as_written:
        restore_as_written(findings_sheet)
    rows = findings_sheet.rows
    if not rows:
        return [], []
    wanted = {
        "source": ("source",),
        "text": ("finding", "text", "concern", "findings"),
        "refs": ("refs", "ref", "plan refs"),
    }
    for index, cells in enumerate(rows[:10]):
        keys = [header_key(c) if isinstance(c, str) else "" for c in cells]
        columns = {
            field_name: next((i for i, k in enumerate(keys) if k in {header_key(n) for n in names}), None)
            for field_name, names in wanted.items()
        }
        if columns["text"] is None:
            continue
        findings = []
        for cells_below in rows[index + 1 :]:
            source, text, refs = (_cell_at(cells_below, columns[name]) for name in ("source", "text", "refs"))
            if text:
                ref_list = [r.strip().rstrip(".") for r in re.split(r"[;,\s]+", refs) if r.strip()]
                findings.append(FindingDoc(source, text, ref_list))
        return findings, []
    return [], [f"{sheet.path}: sheet 'Findings' has no Finding column: its findings were not read"]
