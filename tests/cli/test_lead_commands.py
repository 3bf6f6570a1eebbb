"""`plantui lead list|set` from the shell."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli, stored_plan


def test_lead_set_and_list(tmp_path: Path) -> None:
    db = str(stored_plan(tmp_path / "plan.db"))
    said = run_cli(
        "--db", db, "lead", "set", "Head of Service", "--person", "Sam [Lee]", "--email", "s@x.org"
    )
    assert said.stdout.strip() == "saved: Head of Service is Sam [Lee] <s@x.org>"
    listed = json.loads(run_cli("--db", db, "lead", "list", "--json").stdout)
    assert {"role": "Head of Service", "person": "Sam [Lee]", "email": "s@x.org", "actions": 1} in listed
    assert "Head of Service: Sam [Lee] <s@x.org>, 1 action" in run_cli("--db", db, "lead", "list").stdout
    refused = run_cli("--db", db, "lead", "set", "Nobody", "--person", "X", ok=False)
    assert refused.exit_code == 3 and refused.stderr.count("\n") == 1 and "'Nobody'" in refused.stderr
    bare = run_cli("--db", db, "lead", "set", "Head of Service", ok=False)
    assert bare.exit_code == 2 and "--person NAME and/or --email ADDR" in bare.stderr


def test_chase_lists_stale_actions_by_lead_with_their_person(tmp_path: Path) -> None:
    db = str(stored_plan(tmp_path / "plan.db"))
    base = ("--db", db, "--author", "Lead")
    run_cli(*base, "lead", "set", "Head of Service", "--person", "Sam Lee", "--email", "s@x.org")
    run_cli(*base, "set", "1.2.1.1", "--note", "Audited this month")  # updated now: not stale
    listed = json.loads(run_cli(*base, "chase", "--stale", "30", "--json").stdout)
    by_role = {lead["role"]: [a["ref"] for a in lead["actions"]] for lead in listed}
    assert by_role["Head of Quality Assurance"] == ["1.2.1.2"]  # 1.2.1.1 was updated just now
    assert "HR Lead" not in by_role  # its only action is complete
    text = run_cli(*base, "chase", "--stale", "30").stdout.splitlines()
    assert "Head of Service (Sam Lee) <s@x.org>: 1 action" in text
    assert "  1.1.1.3    ● On track  never updated" in text
    bad = run_cli(*base, "chase", "--stale", "soon", ok=False)
    assert bad.exit_code == 2 and "Traceback" not in bad.output
