import pytest

from plantui.domain.errors import InputError
from plantui.domain.statuses import STATUS_CODES, STATUSES, status, status_for_key


def test_six_statuses_in_legend_order() -> None:
    assert STATUS_CODES == (
        "complete",
        "on_track",
        "some_issues",
        "off_track",
        "not_started",
        "bau",
    )
    assert [s.key for s in STATUSES] == ["1", "2", "3", "4", "5", "6"]


def test_every_status_is_readable_without_colour() -> None:
    symbols = {s.symbol for s in STATUSES}
    letters = {s.letter for s in STATUSES}
    assert len(symbols) == 6 and len(letters) == 6
    assert status("off_track").badge == "✖ R"
    assert status("bau").badge == "∞ BAU"


def test_legend_words_as_printed() -> None:
    assert status("complete").label == "Action complete"
    assert status("off_track").label == "Action not on track, risk to implementation"


def test_unknown_code_names_the_valid_ones() -> None:
    with pytest.raises(InputError, match="unknown status 'red'.*complete, on_track"):
        status("red")


def test_number_keys() -> None:
    assert status_for_key("4").code == "off_track"
    assert status_for_key("7") is None


def test_visible_text_escapes_control_characters_and_keeps_brackets() -> None:
    from plantui.domain.text import visible, visible_block

    assert visible("[bold]x[/] \x1b[31mred\x1b[0m") == "[bold]x[/] \\x1b[31mred\\x1b[0m"
    assert visible("a\nb\tc") == "a b c"
    assert visible("\u202eevil") == "\\u202eevil"  # right-to-left override is shown, not obeyed
    assert visible("family 👨\u200d👩\u200d👧 عربى") == "family 👨\u200d👩\u200d👧 عربى"
    assert visible_block("one\r\ntwo\x07") == "one\ntwo\\x07"
