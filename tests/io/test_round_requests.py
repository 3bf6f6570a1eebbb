"""The update round's requests: one workbook (or CSV) per lead with an e-mail draft, safe to open."""

from __future__ import annotations

import csv
import email
import io
from datetime import date
from email import policy
from pathlib import Path

import openpyxl
import pytest

from plantui.domain.errors import InputError
from plantui.io.rounds.requests import HEADERS, STATUS_CHOICES, safe_file_stem, write_requests
from plantui.store.leads import set_lead
from plantui.store.opening import open_database
from plantui.store.plans import load_document
from plantui.store.rounds import end_round, round_detail, start_round
from tests.conftest import TODAY, mini_plan

FORMULA = '=HYPERLINK("http://evil.example","click")'


def hostile_plan():
    """The small plan with a formula-like title and leads whose names are paths and device names."""
    document = mini_plan()
    actions = document.actions()
    actions[1].title = FORMULA
    actions[1].leads = ["../../etc"]
    actions[2].leads = ["CON"]
    actions[3].leads = ["Head/of\\QA: <Audit>"]
    actions[4].leads = ["Head|of\\QA: <Audit>"]
    return document


@pytest.fixture
def round_db(tmp_path: Path):
    db = open_database(tmp_path / "plan.db")
    load_document(db, hostile_plan())
    set_lead(db, "../../etc", person="Ann [Lee]\nBcc: all@example.org", email="ann@example.org")
    start_round(db, due=date(2022, 11, 15), today=TODAY, author="Lead")
    yield db
    db.close()


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("../../etc", "_.._etc"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("COM1", "_COM1"),
        ("Head/of\\QA: <Audit>", "Head_of_QA_ _Audit_"),
        ("  ...  ", "lead"),
        ("a" * 200, "a" * 80),
        ("Director of Children’s Services", "Director of Children’s Services"),
    ],
)
def test_a_leads_name_becomes_a_file_name_every_file_system_takes(name: str, stem: str) -> None:
    assert safe_file_stem(name) == stem


def test_each_lead_gets_a_protected_workbook_with_a_status_list_and_a_draft(round_db, tmp_path: Path) -> None:
    folder = tmp_path / "requests"
    written = write_requests(round_db, round_detail(round_db), folder)
    assert all(f.file.parent == folder and f.draft.parent == folder for f in written)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f.file.name for f in written] + [f.draft.name for f in written]
    )
    etc = next(f for f in written if f.lead == "../../etc")
    assert etc.file.name == "_.._etc - update request 1.xlsx"
    assert next(f for f in written if f.lead == "CON").file.name == "_CON - update request 1.xlsx"
    # two leads whose names become the same file name keep a file each
    qa = sorted(f.file.name for f in written if f.lead.startswith("Head") and "QA" in f.lead)
    assert qa == [
        "Head_of_QA_ _Audit_ - update request 1 (2).xlsx",
        "Head_of_QA_ _Audit_ - update request 1.xlsx",
    ]

    book = openpyxl.load_workbook(etc.file)
    ws = book.active
    assert ws["A1"].value.startswith("plantui update request ") and "round 1 - ../../etc" in ws["A1"].value
    assert "15 Nov 2022" in ws["A2"].value
    assert [c.value for c in ws[3]] == list(HEADERS)
    assert ws["A4"].value == "1.1.1.2" and ws["B4"].value == FORMULA and ws["B4"].data_type == "s"
    assert ws["D4"].value == "Off track" and ws["E4"].value == "September 2022"
    assert ws.protection.sheet
    assert [ws.cell(row=4, column=c).protection.locked for c in range(1, 10)] == [True] * 6 + [False] * 3
    (validation,) = ws.data_validations.dataValidation
    assert str(validation.sqref) == "G4" and validation.type == "list"
    assert validation.formula1 == '"' + ",".join(STATUS_CHOICES) + '"' and len(STATUS_CHOICES) == 6

    message = email.message_from_bytes(etc.draft.read_bytes(), policy=policy.default)
    assert message["To"].addresses[0].addr_spec == "ann@example.org"
    assert "Bcc" not in message and message["X-Unsent"] == "1"
    assert "15 Nov 2022" in message["Subject"] and "15 Nov 2022" in message.get_body(("plain",)).get_content()
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == etc.file.name
    assert attachment.get_content() == etc.file.read_bytes()
    unaddressed = email.message_from_bytes(
        next(f for f in written if f.lead == "CON").draft.read_bytes(), policy=policy.default
    )
    assert unaddressed["To"] is None and len(list(unaddressed.iter_attachments())) == 1


def test_csv_requests_are_excel_text_with_formulas_guarded(round_db, tmp_path: Path) -> None:
    written = write_requests(round_db, round_detail(round_db), tmp_path / "csv", file_format="csv")
    etc = next(f for f in written if f.lead == "../../etc")
    raw = etc.file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[2] == list(HEADERS)
    assert rows[3][:2] == ["1.1.1.2", "'" + FORMULA]
    message = email.message_from_bytes(etc.draft.read_bytes(), policy=policy.default)
    (attachment,) = message.iter_attachments()
    assert attachment.get_content_type() == "text/csv" and attachment.get_filename().endswith(".csv")


def test_requests_for_an_ended_round_or_into_a_file_are_refused(round_db, tmp_path: Path) -> None:
    a_file = tmp_path / "a file"
    a_file.write_text("x")
    with pytest.raises(InputError, match="is a file, not a folder"):
        write_requests(round_db, round_detail(round_db), a_file)
    end_round(round_db)
    with pytest.raises(InputError, match="has ended"):
        write_requests(round_db, round_detail(round_db), tmp_path / "late")
    assert not (tmp_path / "late").exists()
