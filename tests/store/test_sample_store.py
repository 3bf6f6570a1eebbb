"""The bundled sample through the whole spine: file -> store -> export -> store -> the same bytes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from plantui.cli.main import cli
from plantui.io.sample import sample_path


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_demo_then_export_gives_the_whole_plan(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    run("--db", db, "demo")
    exported = json.loads(run("--db", db, "export", "--format", "json"))
    source = json.loads(sample_path().read_text(encoding="utf-8"))
    assert exported["plan"] == source["plan"]
    assert exported["findings"] == source["findings"]
    for theme_out, theme_in in zip(exported["themes"], source["themes"], strict=True):
        for area_out, area_in in zip(theme_out["areas"], theme_in["areas"], strict=True):
            for obj_out, obj_in in zip(area_out["objectives"], area_in["objectives"], strict=True):
                for out, given in zip(obj_out["actions"], obj_in["actions"], strict=True):
                    label = " ".join(given["milestone"].split())  # "September  2022" is tidied on import
                    given = dict(given, milestone=label, baseline=given.get("baseline", label))
                    assert out == given


def test_sample_round_trips_byte_for_byte(tmp_path: Path) -> None:
    first_db, second_db = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    run("--db", first_db, "demo")
    note = "Plan agreed [draft]"
    run("--db", first_db, "set", "4.2.1.1", "--rag", "some_issues", "--note", note, "--author", "A")
    exported = tmp_path / "plan.json"
    run("--db", first_db, "export", "-o", str(exported))
    run("--db", second_db, "import", str(exported))
    assert run("--db", second_db, "export").encode("utf-8") == exported.read_bytes()


def test_demo_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    run("--db", db, "demo")
    run("--db", db, "set", "4.2.1.1", "--rag", "on_track", "--author", "A")
    result = CliRunner().invoke(cli, ["--db", db, "demo"])
    assert result.exit_code != 0 and "already holds a plan: use --force" in result.stderr
    assert json.loads(run("--db", db, "history", "--json"))[0]["to"] == "on_track"
    run("--db", db, "demo", "--force")
    assert json.loads(run("--db", db, "history", "--json")) == []
