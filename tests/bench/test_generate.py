"""The benchmark's plan generator: deterministic, accepted by `plantui import`, and shaped like a
real large plan (every status, every kind of milestone, slipped actions, several leads, undos)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import generate  # benchmarks/ is a folder of scripts, put on the path above

from plantui.cli.main import cli
from plantui.domain.milestones import parse_milestone
from plantui.domain.statuses import STATUS_CODES
from plantui.io.plan_json import read_plan_file

SMALL = ["--actions", "200", "--history", "1000", "--seed", "7"]


@pytest.fixture(scope="module")
def small_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gen") / "plan.json"
    assert generate.main([*SMALL, "-o", str(path)]) == 0
    return path


def test_the_same_seed_gives_the_same_bytes(small_plan: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.json"
    generate.main([*SMALL, "-o", str(again)])
    assert again.read_bytes() == small_plan.read_bytes()
    other = tmp_path / "other.json"
    generate.main(["--actions", "200", "--history", "1000", "--seed", "8", "-o", str(other)])
    assert other.read_bytes() != small_plan.read_bytes()


def test_plantui_imports_it_with_the_counts_asked_for(small_plan: Path, tmp_path: Path) -> None:
    db = tmp_path / "gen.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "import", str(small_plan)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "40 themes" in result.output and "200 actions" in result.output
    export = CliRunner().invoke(cli, ["--db", str(db), "export"], catch_exceptions=False)
    # Nothing lost or changed on the way, but the spacing of the labels the generator writes as a PDF
    # extraction leaves them ("September  2022"), which the import tidies; the history keeps them.
    expected = json.loads(small_plan.read_text(encoding="utf-8"))
    tidied = 0
    for theme in expected["themes"]:
        for area in theme["areas"]:
            for objective in area["objectives"]:
                for action in objective["actions"]:
                    for key in ("milestone", "baseline"):
                        label = " ".join(action[key].split())
                        tidied += label != action[key]
                        action[key] = label
    assert tidied > 0
    assert json.loads(export.output) == expected


def test_the_plan_has_the_shape_of_a_real_one(small_plan: Path) -> None:
    doc = read_plan_file(small_plan)
    actions = doc.actions()
    assert len(doc.themes) == 40 and len(actions) == 200
    assert doc.themes[0].title == "Improving Quality"  # the benchmark's first-screen marker
    assert sum(len(a.history) for a in actions) == 1000
    statuses = Counter(a.rag for a in actions)
    assert set(statuses) == set(STATUS_CODES) and max(statuses.values()) < 0.5 * len(actions)
    labels = [a.milestone for a in actions]
    assert any(label == "Ongoing" for label in labels)
    assert any(label.endswith(" onwards") for label in labels)
    assert all(parse_milestone(label) for label in labels)  # every label is readable
    assert any(a.baseline != a.milestone for a in actions)  # some slipped, with their first milestone kept
    assert any(len(a.leads) >= 2 for a in actions) and all(a.leads for a in actions)
    entries = [h for a in actions for h in a.history]
    assert {h.field for h in entries} == {"status", "milestone", "note"}
    assert any(h.undoes is not None for h in entries)
    assert len({h.at.year for h in entries}) >= 4  # spread over years
    assert 60 < sum(len(a.title) for a in actions) / len(actions) < 200  # like the sample's ~100


def test_each_history_ends_where_the_action_stands(small_plan: Path) -> None:
    for action in read_plan_file(small_plan).actions():
        status_changes = [h for h in action.history if h.field == "status"]
        if status_changes:
            assert status_changes[-1].new == action.rag
        assert all(a.at <= b.at for a, b in zip(action.history, action.history[1:], strict=False))


def test_impossible_sizes_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        generate.main(["--actions", "0", "-o", str(tmp_path / "x.json")])
