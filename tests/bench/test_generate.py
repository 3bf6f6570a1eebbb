"""The benchmark's plan generator: deterministic, accepted by `plantui import`, and shaped like a
real large plan (every status, every kind of milestone, slipped actions, several leads, undos)."""

from __future__ import annotations

import json
import re
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


def test_measures_come_with_seeded_values_marked_as_generated(small_plan: Path, tmp_path: Path) -> None:
    doc = read_plan_file(small_plan)
    assert len(doc.measures) == 10  # one per 20 actions
    refs = {a.ref for a in doc.actions()}
    for measure in doc.measures:
        assert measure.name.endswith("(generated)")
        assert {v.author for v in measure.values} == {"Generated data"}
        periods = {v.period for v in measure.values}
        assert len(periods) > 30 and max(periods) == "2026-02" and min(periods) >= "2023-03"
        assert measure.actions and set(measure.actions) <= refs
    without = tmp_path / "without.json"
    generate.main([*SMALL, "--measures", "0", "-o", str(without)])
    plain = json.loads(without.read_text(encoding="utf-8"))
    full = json.loads(small_plan.read_text(encoding="utf-8"))
    assert plain.get("measures", []) == [] and full["measures"]
    for data in (plain, full):  # a plan without measures is written in the first format version
        data.pop("measures", None)
        data.pop("format")
    assert plain == full  # the measures' own random stream leaves the rest of the plan as it was


def test_the_scorecard_csv_has_a_value_in_every_cell_and_imports(small_plan: Path, tmp_path: Path) -> None:
    plan, sheet = tmp_path / "plan.json", tmp_path / "scorecard.csv"
    generate.main([*SMALL, "--periods", "36", "-o", str(plan), "--scorecard", str(sheet)])
    lines = sheet.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("Ref,Measure,Mar-23,Apr-23") and lines[0].endswith(",Feb-26")
    assert len(lines) == 11 and all(",," not in line and not line.endswith(",") for line in lines[1:])
    db = tmp_path / "gen.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", str(db), "import", str(plan)]).exit_code == 0
    result = runner.invoke(cli, ["--db", str(db), "measure", "import", str(sheet)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    recorded = re.search(r"Recorded (\d+) new values and (\d+) corrections; (\d+)", result.output)
    assert recorded is not None and sum(map(int, recorded.groups())) == 10 * 36
