"""Evidence of impact in the domain: the filter terms `impact:` and `evidence:`, the stored form of
a piece of evidence, which evidence stands after undo, and the rule for marking impact evidenced."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from plantui.domain.errors import InputError
from plantui.domain.evidence import (
    decode_evidence,
    encode_evidence,
    evidence_change_words,
    impact_refusal,
    standing_evidence,
)
from plantui.domain.filters import parse_filter
from plantui.domain.views import HistoryEntry
from tests.domain.test_filters import ROWS, TODAY

AT = datetime(2022, 10, 14, 9)


def test_impact_and_evidence_filter_terms() -> None:
    rows = [ROWS[0]._replace(impact=True, evidence=2), ROWS[1]._replace(evidence=1), *ROWS[2:]]

    def refs(expression: str) -> list[str]:
        return [r.ref for r in parse_filter(expression).apply(rows, TODAY)]

    assert refs("impact:yes") == ["1.1.1.1"]
    assert refs("impact:no") == ["1.1.1.2", "1.2.1.1", "2.1.1.1", "2.10.1.1"]
    assert refs("evidence:none") == ["1.2.1.1", "2.1.1.1", "2.10.1.1"]
    assert refs("evidence:some -impact:yes") == ["1.1.1.2"]
    assert refs("rag:complete evidence:none") == ["2.10.1.1"]
    assert not parse_filter("impact:no").empty


@pytest.mark.parametrize("expression", ["impact:maybe", "evidence:lots", "impact:"])
def test_bad_impact_terms_are_named(expression: str) -> None:
    with pytest.raises(InputError, match=f"filter term '{expression}'"):
        parse_filter(expression)


def test_evidence_is_stored_as_json_that_keeps_any_text() -> None:
    text = 'Audit [bold]"x"[/] {y} \\ é 🧑‍🤝‍🧑'
    stored = encode_evidence(text, "S:\\QA\\[1].docx", date(2022, 10, 14))
    assert decode_evidence(stored) == (text, "S:\\QA\\[1].docx", date(2022, 10, 14))
    assert '"link"' not in encode_evidence(text, "", date(2022, 10, 14))
    for bad in (None, "", "[]", "{}", '{"text": "x"}', '{"text": "", "date": "2022-10-14"}', "not json"):
        with pytest.raises(ValueError):
            decode_evidence(bad)


def entry(id_: int, field: str, old, new, undoes=None) -> HistoryEntry:
    return HistoryEntry(id_, "1.1.1.1", AT, "Ann", field, old, new, "", undoes)


def test_standing_evidence_leaves_out_what_was_undone_and_sorts_by_its_day() -> None:
    one = encode_evidence("One", "", date(2022, 10, 20))
    two = encode_evidence("Two", "", date(2022, 9, 1))
    three = encode_evidence("Three", "", date(2022, 10, 1))
    history = [
        entry(1, "evidence", None, one),
        entry(2, "evidence", None, two),
        entry(3, "evidence", two, None, undoes=2),
        entry(4, "evidence", None, two),  # redone
        entry(5, "evidence", None, three),
        entry(6, "note", None, None),
        entry(7, "evidence", None, "garbled"),
    ]
    assert [(e.text, e.history_id) for e in standing_evidence(reversed(history))] == [
        ("Two", 4),
        ("Three", 5),
        ("One", 1),
    ]


def test_the_rule_for_marking_impact_evidenced() -> None:
    assert impact_refusal("1.1.1.1", 1, [], 0) == ""
    assert impact_refusal("1.1.1.1", 0, ["M1"], 2) == ""
    assert "none of its 2 linked measure(s) is met" in impact_refusal("1.1.1.1", 0, [], 2)
    assert "no evidence and no linked measure" in impact_refusal("1.1.1.1", 0, [], 0)


def test_history_words_show_the_text_as_typed_and_the_mark_with_symbols() -> None:
    stored = encode_evidence("Audit [bold]x[/]\x1b", "", date(2022, 10, 14))
    words = evidence_change_words("evidence", None, stored)
    assert words.startswith("evidence 'Audit [bold]x[/]") and words.endswith("' (2022-10-14)")
    assert "\x1b" not in words  # the escape is shown, never sent to the terminal
    assert evidence_change_words("evidence", stored, None).startswith("evidence taken back: 'Audit")
    assert evidence_change_words("impact", "no", "yes") == "impact ◇ not evidenced -> ◆ evidenced"
