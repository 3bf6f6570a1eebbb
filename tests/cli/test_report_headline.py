"""The board report opens with its headline, and every number in it is the one `plantui list` gives."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from plantui.cli.main import cli
from plantui.domain.findings import roll_up_findings
from plantui.domain.statuses import STATUS_CODES
from plantui.store.opening import open_database
from plantui.store.queries import findings, list_actions, nodes

TODAY = date(2022, 11, 1)


def run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db), "--today", "2022-11-01", "--author", "Lead", *args])
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout


class Figures(HTMLParser):
    """The `data-figure` numbers of the headline, and the order of the sections' ids."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: dict[str, str] = {}
        self.section_ids: list[str] = []
        self._figure: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-figure" in attrs:
            self._figure = attrs["data-figure"]
            self.figures[self._figure] = ""
        if tag == "section" and "id" in attrs:
            self.section_ids.append(attrs["id"])

    def handle_endtag(self, tag):
        self._figure = None

    def handle_data(self, data):
        if self._figure is not None:
            self.figures[self._figure] += data


def listed(db: Path, *args: str) -> list[dict]:
    return json.loads(run(db, "list", "--json", *args))


@pytest.fixture
def sample_after_board(db_path: Path) -> Path:
    """The sample plan after a board that moved 4.2.1.1 better, 4.1.1.2 worse (newly off track) and
    4.5.1.1 to complete, then one milestone put back."""
    run(db_path, "demo")
    run(db_path, "meeting", "start", "--title", "Board [Nov] & co", "--scope", "plan")
    run(db_path, "set", "4.2.1.1", "--rag", "some_issues")
    run(db_path, "set", "4.1.1.2", "--rag", "off_track")
    run(db_path, "set", "4.5.1.1", "--rag", "complete")
    run(db_path, "meeting", "end")
    run(db_path, "set", "2.1.1.1", "--milestone", "March 2024")  # and one slipped after it
    return db_path


def test_the_html_headline_comes_first_and_matches_plantui_list(sample_after_board: Path) -> None:
    page = Figures()
    page.feed(run(sample_after_board, "report", "--format", "html"))
    assert page.section_ids[0] == "headline" and page.section_ids[-1] == "key"  # the key moved to the end
    every = listed(sample_after_board)
    by_status = Counter(row["rag"] for row in every)
    assert {code: int(page.figures[code]) for code in STATUS_CODES} == {c: by_status[c] for c in STATUS_CODES}
    assert int(page.figures["overdue"]) == len(listed(sample_after_board, "--overdue")) > 0
    assert int(page.figures["slipped"]) == len(listed(sample_after_board, "--slipped")) > 0
    base = len(every) - by_status["bau"]
    assert page.figures["share"] == f"{(by_status['complete'] + by_status['on_track']) / base:.0%}"
    database = open_database(sample_after_board)
    try:
        rollups = roll_up_findings(findings(database), list_actions(database), nodes(database), TODAY)
    finally:
        database.close()
    assert int(page.figures["findings_at_risk"]) == sum(r.at_risk for r in rollups) > 0


def test_the_markdown_headline_says_the_share_once_and_the_movement_since_the_board(
    sample_after_board: Path,
) -> None:
    text = run(sample_after_board, "report", "--format", "md")
    headline = text.split("## Headline", 1)[1].split("\n## ", 1)[0]
    assert text.index("## Headline") < text.index("## Summary") < text.index("## Status key")
    assert headline.count("BAU actions are left out of the base") == 1
    every = listed(sample_after_board)
    share = sum(r["rag"] in {"complete", "on_track"} for r in every) / sum(r["rag"] != "bau" for r in every)
    assert f"**{share:.0%} on track or complete**" in headline
    assert re.search(r"Since the last board, 'Board \\\[Nov\\\] & co' \(\d{4}-\d\d-\d\d\): "
                     r"2 better ↑, 1 worse ↓, 1 new off track\.", headline), headline  # fmt: skip
    assert f"**{len(listed(sample_after_board, '--overdue'))}** overdue" in headline


def test_without_a_board_the_headline_says_there_is_no_movement_yet(db_path: Path) -> None:
    run(db_path, "demo")
    text = run(db_path, "report", "--format", "md")
    assert "No board meeting was recorded before the end of 1 Nov 2022" in text.split("## Summary")[0]
