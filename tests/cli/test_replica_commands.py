"""`plantui checkout`, `plantui sync` and `plantui conflicts`, and the one line each says when the
upstream cannot be used."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.conftest import run_cli, stored_plan


def test_checkout_work_sync_and_review_a_conflict_from_the_command_line(tmp_path: Path) -> None:
    shared = stored_plan(tmp_path / "shared.db")
    laptop, other = tmp_path / "laptop.db", tmp_path / "other.db"
    made = run_cli("checkout", "--from", str(shared), "-o", str(laptop))
    assert f"into {laptop}" in made.output and "7 actions" in made.output
    run_cli("checkout", "--from", str(shared), "-o", str(other))
    run_cli("--db", str(laptop), "set", "1.1.1.1", "--rag", "off_track", "--author", "Ann")
    run_cli("--db", str(other), "set", "1.1.1.1", "--rag", "on_track", "--author", "Ben")
    dry = run_cli("--db", str(laptop), "sync", "--dry-run")
    assert "would send 1 change" in dry.output and "nothing was changed" in dry.output
    assert "sent 1 change" in run_cli("--db", str(laptop), "sync").output
    second = run_cli("--db", str(other), "sync").output
    assert "sent 1 change, brought down 1; 1 field changed on both sides" in second
    run_cli("--db", str(laptop), "sync")
    listed = json.loads(run_cli("--db", str(laptop), "conflicts", "--json").output)
    assert [(c["ref"], c["field"], c["standing"], c["replaced"]) for c in listed] == [
        ("1.1.1.1", "status", "on_track", "off_track")
    ]
    [line] = run_cli("--db", str(laptop), "conflicts").output.splitlines()
    assert line.startswith("1.1.1.1 status: ● On track by Ben (") and "replaced ✖ Off track by Ann (" in line
    assert (
        "1.1.1.1 status" in run_cli("--db", str(laptop), "conflicts", "reapply", "1.1.1.1", "status").output
    )
    assert run_cli("--db", str(laptop), "conflicts").output.strip() == "No conflicts to review"
    run_cli("--db", str(laptop), "sync")
    run_cli("--db", str(other), "sync")
    exports = []
    for store in (shared, laptop, other):
        out = tmp_path / f"{store.stem}.json"
        run_cli("--db", str(store), "export", "-o", str(out))
        exports.append(out.read_bytes())
    assert exports[0] == exports[1] == exports[2]
    assert json.loads(exports[0])["themes"]  # a plan, and no replica bookkeeping in it
    assert b"replica" not in exports[0] and b"uid" not in exports[0]


def test_an_unreachable_upstream_is_one_line_and_work_goes_on(tmp_path: Path) -> None:
    shared = stored_plan(tmp_path / "shared.db")
    laptop = tmp_path / "laptop.db"
    run_cli("checkout", "--from", str(shared), "-o", str(laptop))
    run_cli("--db", str(laptop), "set", "1.1.1.1", "--rag", "off_track", "--author", "Ann")
    shared.rename(tmp_path / "unplugged.db")  # the shared drive is not there
    result = run_cli("--db", str(laptop), "sync", ok=False)
    assert result.exit_code != 0
    [line] = result.stderr.splitlines()
    assert line.startswith(f"plantui: cannot reach the upstream: {shared}") and "work goes on offline" in line
    assert "Traceback" not in result.output
    run_cli("--db", str(laptop), "set", "1.1.1.2", "--rag", "complete", "--author", "Ann")
    (tmp_path / "unplugged.db").rename(shared)
    assert "sent 2 changes" in run_cli("--db", str(laptop), "sync").output


def test_an_upstream_of_another_schema_is_refused_in_one_line(tmp_path: Path) -> None:
    shared = stored_plan(tmp_path / "shared.db")
    laptop = tmp_path / "laptop.db"
    run_cli("checkout", "--from", str(shared), "-o", str(laptop))
    with sqlite3.connect(shared) as conn:  # as a newer plantui would leave it
        conn.execute("UPDATE alembic_version SET version_num = '0999'")
    conn.close()
    result = run_cli("--db", str(laptop), "sync", ok=False)
    assert result.exit_code != 0
    [line] = result.stderr.splitlines()
    assert "is at schema 0999" in line and "nothing was synced" in line


def test_sync_on_a_store_that_is_no_replica_says_how_to_make_one(tmp_path: Path) -> None:
    shared = stored_plan(tmp_path / "shared.db")
    result = run_cli("--db", str(shared), "sync", ok=False)
    assert result.exit_code != 0
    assert "is not a replica: make one with plantui checkout" in result.stderr
    result = run_cli("checkout", "--from", str(shared), "-o", str(shared), ok=False)
    assert "already exists" in result.stderr


def test_checkout_names_the_sync_command_so_a_shell_takes_it_back_whole(tmp_path: Path) -> None:
    """A plan file's name has spaces, #, ? and %: the command the checkout suggests is quoted, so
    pasting it into a shell names the replica and nothing else."""
    import shlex

    shared = stored_plan(tmp_path / "shared plan #2.db")
    laptop = tmp_path / "100% & more" / "lap?top 1.db"
    laptop.parent.mkdir()
    said = run_cli("checkout", "--from", str(shared), "-o", str(laptop)).output
    suggested = said.rsplit("then run ", 1)[1].strip()
    assert shlex.split(suggested) == ["plantui", "--db", str(laptop), "sync"]


def test_history_names_each_entry_everywhere_by_its_uid_and_the_store_that_made_it(tmp_path: Path) -> None:
    """`history --json` gives each entry's uid and the store it was made in: the same on the laptop and
    on the shared plan once synced, though each numbers its rows its own way."""
    shared = stored_plan(tmp_path / "shared.db")
    laptop = tmp_path / "laptop.db"
    run_cli("checkout", "--from", str(shared), "-o", str(laptop))
    run_cli("--db", str(shared), "set", "1.1.1.2", "--rag", "complete", "--author", "Colleague")
    run_cli("--db", str(laptop), "set", "1.1.1.1", "--rag", "off_track", "--author", "Ann")
    run_cli("--db", str(laptop), "sync")

    def entries(store: Path) -> dict[str, tuple[str, str]]:
        listed = json.loads(run_cli("--db", str(store), "history", "--json").output)
        return {e["uid"]: (e["ref"], e["made_in"]) for e in listed}

    on_shared, on_laptop = entries(shared), entries(laptop)
    assert on_shared == on_laptop and len(on_shared) == 2
    made_in = {ref: store for ref, store in on_shared.values()}
    assert len(made_in["1.1.1.1"]) == 32 and len(made_in["1.1.1.2"]) == 32
    assert made_in["1.1.1.1"] != made_in["1.1.1.2"]  # the laptop's own, and the shared plan's


def test_sync_says_what_it_carried_whole_and_when_there_was_nothing_to_do(tmp_path: Path) -> None:
    """A meeting held on the laptop is carried up whole (with no change in it, it is no change); a sync
    with nothing to do says the two are already in step."""
    shared = stored_plan(tmp_path / "shared.db")
    laptop = tmp_path / "laptop.db"
    run_cli("checkout", "--from", str(shared), "-o", str(laptop))
    run_cli("--db", str(laptop), "--author", "Ann", "meeting", "start", "--title", "Quiet board")
    run_cli("--db", str(laptop), "meeting", "end")
    dry = run_cli("--db", str(laptop), "sync", "--dry-run").output
    assert "would send 0 changes and bring down 0; it would carry 1 meeting; nothing was changed" in dry
    assert "sent 0 changes, brought down 0; carried 1 meeting" in run_cli("--db", str(laptop), "sync").output
    again = run_cli("--db", str(laptop), "sync").output.strip()
    assert again == f"Synced {laptop}: already in step with the upstream, nothing to send or bring down"
    listed = json.loads(run_cli("--db", str(shared), "meeting", "list", "--json").output)
    assert [m["title"] for m in listed] == ["Quiet board"]
