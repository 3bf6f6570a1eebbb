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
