"""The update round's request files: one spreadsheet per lead, and an e-mail draft beside each.

A request holds the lead's actions as issued (ref, title, success measures, status words, milestone,
latest commentary) and three columns to fill in: new status, commentary, revised milestone. Above the
headings, a line names the round by its token and the lead by number (`RETURN_MARK`), so a return is
matched to its round and lead however the file was renamed; below it, one line of instructions.

In a workbook, the sheet is protected (no password: it guards against slips, not people) with only
the three fill-in columns unlocked, and the new status cells offer the six status words in a list.
Every cell is written as text, so a title like `=HYPERLINK(...)` never runs. A CSV request has the same
rows, UTF-8 with a byte-order mark, with formula-like cells guarded. The `.eml` draft is made with the
standard library's `email` package: addressed when the lead's e-mail is known, the request attached,
the due day in the text; a mail program opens it as a message to send (`X-Unsent: 1`).

File names come from the lead's role, made safe for every file system (`safe_file_stem`).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from plantui.domain.errors import InputError
from plantui.domain.statuses import STATUSES, status
from plantui.domain.text import visible
from plantui.domain.wording import day_text
from plantui.io.atomic import write_file
from plantui.io.spreadsheets.cells import escape_for_file, escape_for_xml, guard_formula
from plantui.store.database import Database
from plantui.store.rounds import LeadRequest, RoundDetail

PRIVATE_FOLDER_MODE = 0o700  # as the backups folder: the requests hold names and e-mail addresses

RETURN_MARK = "plantui update request"
# The mark line: "plantui update request 0123456789abcdef/17: round 3, <role>"
MARK_PATTERN = re.compile(r"plantui update request ([0-9a-f]{16})/(\d+)")
HEADERS = (
    "Ref", "Action", "Success measures", "Status now", "Milestone now", "Latest commentary",
    "New status", "Commentary", "Revised milestone",
)  # fmt: skip
FILL_IN = ("New status", "Commentary", "Revised milestone")
STATUS_CHOICES = tuple(s.short for s in STATUSES)
_WIDTHS = (10, 48, 36, 14, 18, 36, 16, 40, 18)
_FILL_COLOUR = "FFF2CC"  # a pale yellow: the cells to fill in (the headings say so too)

# Names Windows keeps for devices, with any extension: "CON.xlsx" cannot be made there.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
MAX_STEM = 80


def safe_file_stem(name: str) -> str:
    """A file name (without extension) from a lead's name that every file system takes: no separators,
    no characters Windows refuses, no device names (CON, NUL, COM1...), no leading dots, no trailing
    dots or spaces, at most `MAX_STEM` characters."""
    text = unicodedata.normalize("NFC", visible(name))
    text = _UNSAFE.sub("_", text)
    text = " ".join(text.split()).strip(". ")
    text = text[:MAX_STEM].rstrip(". ")
    if not text.strip("_"):
        text = "lead"
    if text.split(".")[0].strip().lower() in _RESERVED:
        text = f"_{text}"
    return text


@dataclass(frozen=True, slots=True)
class RequestFiles:
    lead: str
    file: Path
    draft: Path


def _rows(request: LeadRequest) -> list[list[str]]:
    return [
        [a.ref, a.title, a.success_measures, status(a.status).short, a.milestone, a.last_note, "", "", ""]
        for a in request.actions
    ]


def mark_line(detail: RoundDetail, request: LeadRequest) -> str:
    return (
        f"{RETURN_MARK} {detail.round.token}/{request.lead.id}: round {detail.round.id} - {request.lead.role}"
    )


def instruction_line(detail: RoundDetail) -> str:
    # No commas or semicolons: a CSV request saved again from Excel may use either between cells,
    # and a line with neither leaves the reader's guess to the rows below.
    choices = " / ".join(STATUS_CHOICES)
    return (
        f"Please fill in the last three columns (New status: {choices} - Commentary - Revised "
        f"milestone if it moves) and send this file back by {day_text(detail.round.due)}. "
        "Leave a cell blank when nothing changes. Please keep the first line and the Ref column."
    )


def workbook_bytes(detail: RoundDetail, request: LeadRequest, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    book.properties.title = escape_for_xml(title)
    book.properties.creator = "plantui"
    ws = book.active
    ws.title = "Update request"
    top = [[mark_line(detail, request)], [instruction_line(detail)], list(HEADERS), *_rows(request)]
    for values in top:
        ws.append([escape_for_xml(value) for value in values])
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text that starts like a formula stays text, never runs
            cell.alignment = Alignment(vertical="top", wrap_text=cell.row > 2)
    ws["A1"].font = Font(italic=True, color="555555")
    ws["A2"].font = Font(bold=True)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    fill = PatternFill("solid", fgColor=_FILL_COLOUR)
    last = len(request.actions) + 3
    first_fill = HEADERS.index(FILL_IN[0]) + 1
    for column in range(first_fill, len(HEADERS) + 1):
        ws.cell(row=3, column=column).fill = fill
        for row in range(4, last + 1):
            cell = ws.cell(row=row, column=column)
            cell.protection = Protection(locked=False)
            cell.fill = fill
            cell.data_type = "s"
    status_column = get_column_letter(first_fill)
    choices = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUS_CHOICES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="New status",
        error="Pick one of: " + ", ".join(STATUS_CHOICES),
    )
    ws.add_data_validation(choices)
    if last >= 4:
        choices.add(f"{status_column}4:{status_column}{last}")
    for index, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "B4"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widths and heights stay the officer's to change
    ws.protection.formatRows = False
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(detail: RoundDetail, request: LeadRequest) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    for values in [[mark_line(detail, request)], [instruction_line(detail)], list(HEADERS), *_rows(request)]:
        writer.writerow([guard_formula(escape_for_file(value)) for value in values])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def draft_bytes(
    detail: RoundDetail, request: LeadRequest, title: str, attachment: Path, data: bytes
) -> bytes:
    """An unsent e-mail (RFC 5322) to the lead with the request attached."""
    lead = request.lead
    message = EmailMessage()
    if lead.email:
        user, _, domain = lead.email.partition("@")
        message["To"] = Address(display_name=one_line(lead.person), username=user, domain=domain)
    message["Subject"] = one_line(f"Update request: {title}, return by {day_text(detail.round.due)}")
    message["Date"] = format_datetime(detail.round.started_at.replace(tzinfo=UTC))
    message["X-Unsent"] = "1"
    greeting = f"Dear {one_line(lead.person)}," if lead.person else "Hello,"
    count = len(request.actions)
    message.set_content(
        f"{greeting}\n\n"
        f"Please update the {count} {'action' if count == 1 else 'actions'} you lead as "
        f"{one_line(lead.role)} in {one_line(title)}: fill in the last three columns of the attached "
        f"file (new status, commentary, revised milestone) and send it back by "
        f"{day_text(detail.round.due)}.\n\nThank you.\n"
    )
    if attachment.suffix == ".xlsx":
        kind = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        kind = ("text", "csv")
    message.add_attachment(data, maintype=kind[0], subtype=kind[1], filename=attachment.name)
    return bytes(message)


def one_line(text: str) -> str:
    """User text as one header-safe line (no line breaks or controls can end a header early)."""
    return " ".join(visible(text).split())


def write_requests(
    database: Database, detail: RoundDetail, folder: str | Path, *, file_format: str = "xlsx"
) -> list[RequestFiles]:
    """One request per lead of the round in `folder`, each with its `.eml` draft. The requests name
    people and their e-mail addresses, so a missing folder is made readable by its owner only (0700),
    like the backups folder, and every file is written 0600."""
    from plantui.store.queries import plan_info

    if file_format not in ("xlsx", "csv"):
        raise InputError(f"--format {file_format!r}: use xlsx or csv")
    if not detail.round.is_open:
        raise InputError(f"update round {detail.round.id} has ended: start a new one for new requests")
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise InputError(f"{target}: is a file, not a folder: name a folder for the requests")
    try:
        target.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER_MODE)
    except OSError as error:
        raise InputError(f"{target}: cannot make the folder: {error.strerror or error}") from None
    title = plan_info(database).title
    written: list[RequestFiles] = []
    taken: set[str] = set()
    for request in detail.requests:
        stem = f"{safe_file_stem(request.lead.role)} - update request {detail.round.id}"
        unique, number = stem, 2
        while unique.casefold() in taken:  # two roles that differ only in unsafe characters or case
            unique, number = f"{stem} ({number})", number + 1
        taken.add(unique.casefold())
        path = target / f"{unique}.{file_format}"
        data = workbook_bytes(detail, request, title) if file_format == "xlsx" else csv_bytes(detail, request)
        write_file(path, data)
        draft = target / f"{unique}.eml"
        write_file(draft, draft_bytes(detail, request, title, path, data))
        written.append(RequestFiles(request.lead.role, path, draft))
    return written
