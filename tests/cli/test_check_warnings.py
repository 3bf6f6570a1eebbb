"""`plantui check` warns where an action's status and milestone disagree, or a milestone is out of step
with its neighbours': the sample's cases, found from the printed plan, and warnings never fail it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from plantui.cli.main import cli
from plantui.io.sample import sample_path
from tests.io.test_sample_plan import (
    ANY_RAG,
    MONTH_NAMES,
    RAG_PATTERNS,
    SOURCE_PATH,
    normalise_source,
    walk_actions,
)

MILESTONE = re.compile(r" (?:- ([a-z]+) monitoring )?(Ongoing|(?:" + MONTH_NAMES + r") +\d{4}(?: onwards)?)")


def printed_rows() -> dict[str, tuple[str, str]]:
    """Each action's (status, milestone) as the plan tables print them: the n-th rating printed is the
    n-th action's (one rating per action row, in plan order), and its milestone follows it."""
    source = SOURCE_PATH.read_text(encoding="utf-8")
    tables = normalise_source(source[source.index("Priority 1") : source.index("Appendix A:")])
    plan = json.loads(sample_path().read_text(encoding="utf-8"))
    refs = [action["ref"] for *_, action in walk_actions(plan)]
    ratings = list(ANY_RAG.finditer(tables))
    assert len(ratings) == len(refs)
    rows = {}
    for ref, rating in zip(refs, ratings, strict=True):
        code = next(c for c, p in RAG_PATTERNS.items() if re.fullmatch(p, rating.group(0), re.I))
        rows[ref] = (code, MILESTONE.match(tables, rating.end()).group(2))
    return rows


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def test_the_samples_warnings_are_the_disagreements_the_printed_plan_shows(tmp_path: Path) -> None:
    printed = printed_rows()
    ongoing_but = {
        ref
        for ref, (code, label) in printed.items()
        if label == "Ongoing" and code in ("not_started", "on_track")
    }
    dated_bau = {
        ref
        for ref, (code, label) in printed.items()
        if code == "bau" and label != "Ongoing" and "onwards" not in label
    }
    assert ongoing_but == {"1.2.1.4", "1.3.4.5", "4.3.2.3"}
    assert dated_bau == {"2.1.1.9"}
    assert [printed[ref][1] for ref in ("1.1.1.10", "1.1.1.11", "1.1.1.12")] == [
        "November 2022",
        "February 2022",
        "September 2022",
    ]

    db = str(tmp_path / "s.db")
    run("--db", db, "demo")
    found = json.loads(run("--db", db, "check", "--json", "--today", "2022-01-01", code=1).stdout)
    warnings = {(p["kind"], p["ref"]) for p in found if p["severity"] == "warning"}
    complete = {ref for ref, (code, _) in printed.items() if code == "complete"}
    assert complete  # the sample has no evidence of impact yet, so each complete action is warned about
    assert warnings == {("status-vs-milestone", ref) for ref in ongoing_but | dated_bau} | {
        ("milestone-out-of-step", "1.1.1.11")
    } | {("no-impact-evidence", ref) for ref in complete}
    assert {p["severity"] for p in found if p["kind"] == "dangling-ref"} == {"problem"}


def test_warnings_alone_do_not_fail_the_check_and_each_names_its_ref(tmp_path: Path) -> None:
    plan = json.loads(sample_path().read_text(encoding="utf-8"))
    for finding in plan["findings"]:
        finding["refs"] = [ref for ref in finding["refs"] if ref != "1.2.2"]  # the sample's one problem
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    db = str(tmp_path / "s.db")
    run("--db", db, "import", str(path))
    result = run("--db", db, "check", "--today", "2022-01-01")
    every = result.stdout.splitlines()
    lines = [line for line in every if not line.startswith("no-impact-evidence")]
    assert all(" warning: action " in line for line in lines)
    assert len(lines) == 5
    assert lines[-1].startswith("milestone-out-of-step warning: action 1.1.1.11: milestone 'February 2022'")
    assert any(
        line.startswith("status-vs-milestone   warning: action 2.1.1.9 is business as usual")
        for line in lines
    )
    [folded] = [line for line in every if line.startswith("no-impact-evidence")]
    unevidenced = run("--db", db, "check", "--today", "2022-01-01", "--kind", "no-impact-evidence")
    each = unevidenced.stdout.splitlines()
    assert len(each) > 5 and all(" warning: action " in line for line in each)
    assert folded.startswith(f"no-impact-evidence    warning: {len(each)} complete actions have no evidence")
    assert folded.endswith("plantui check --kind no-impact-evidence lists each")
    assert result.stderr.strip() == f"0 problems and {len(lines) + len(each)} warnings as at 1 Jan 2022"
    assert unevidenced.stderr.strip() == (
        f"0 problems and {len(each)} warnings (no-impact-evidence only) as at 1 Jan 2022"
    )
    as_json = json.loads(run("--db", db, "check", "--today", "2022-01-01", "--json").stdout)
    assert len(as_json) == len(lines) + len(each)  # the JSON lists every one
