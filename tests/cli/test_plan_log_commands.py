"""`plantui view save|delete` and `plantui lead set` write the plan's log (`plantui.store.sync_plan_log`)
with the author, on SQLite and PostgreSQL; an import or a copy writes none; and a view saved and a
person set on a laptop reach the shared plan and the other laptop through `plantui sync`."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from plantui.io.plan_json import dumps_plan
from plantui.store import tables as T
from plantui.store.opening import open_database
from tests.conftest import mini_plan, run_cli, stored_plan


def logged(target: str) -> list[tuple]:
    """The plan's log: author, kind, key, field, new (a view's name for a view)."""
    database = open_database(target, create=False, daily_backup=False)
    g = T.plan_log
    try:
        with database.read() as conn:
            rows = conn.execute(
                select(g.c.author, g.c.kind, g.c.key, g.c.field, g.c.new).order_by(g.c.id)
            ).all()
    finally:
        database.close()
    return [
        (author, kind, key, field, json.loads(new)["name"] if kind == "view" and new else new)
        for author, kind, key, field, new in rows
    ]


def test_view_save_replace_delete_and_lead_set_each_end_in_a_log_row(db_target: str, tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(dumps_plan(mini_plan(markup=True)), encoding="utf-8")
    run_cli("--db", db_target, "import", str(plan))
    assert logged(db_target) == []  # the imported plan is the starting state
    base = ("--db", db_target, "--author", "Ann")
    run_cli(*base, "view", "save", "Reds [x]", "rag:red")
    run_cli(*base, "view", "save", "REDS [X]", "rag:red", "--sort", "due", "--replace")
    run_cli(*base, "view", "save", "REDS [X]", "rag:red", "--sort", "due", "--replace")  # as it is
    run_cli("--db", db_target, "--author", "Ben", "view", "delete", "reds [x]")
    run_cli(*base, "lead", "set", "Head of Service", "--person", "Sam [Lee]", "--email", "s@x.org")
    run_cli(*base, "lead", "set", "Head of Service", "--person", "Sam [Lee]")  # as it is
    assert logged(db_target) == [
        ("Ann", "view", "reds [x]", "view", "Reds [x]"),
        ("Ann", "view", "reds [x]", "view", "REDS [X]"),
        ("Ben", "view", "reds [x]", "view", None),
        ("Ann", "lead", "Head of Service", "person", "Sam [Lee]"),
        ("Ann", "lead", "Head of Service", "email", "s@x.org"),
    ]
    copied = tmp_path / "copy.db"
    run_cli("--db", db_target, "copy", "--to", str(copied))
    assert logged(str(copied)) == []  # a copy starts from the plan as it is


def test_a_view_and_a_person_set_on_a_laptop_reach_every_copy_by_sync(tmp_path: Path) -> None:
    shared = stored_plan(tmp_path / "shared.db")
    laptop, other = tmp_path / "laptop.db", tmp_path / "other.db"
    run_cli("checkout", "--from", str(shared), "-o", str(laptop))
    run_cli("checkout", "--from", str(shared), "-o", str(other))
    run_cli("--db", str(laptop), "--author", "Ann", "view", "save", "Board [pack]", "-rag:complete")
    run_cli("--db", str(laptop), "--author", "Ann", "lead", "set", "HR Lead", "--person", "Jo")
    run_cli("--db", str(other), "--author", "Ben", "view", "delete", "exceptions")
    assert "sent 2 changes" in run_cli("--db", str(laptop), "sync").output
    run_cli("--db", str(other), "sync")
    run_cli("--db", str(laptop), "sync")
    exports = []
    for store in (shared, laptop, other):
        out = tmp_path / f"{store.stem}.json"
        run_cli("--db", str(store), "export", "-o", str(out))
        exports.append(out.read_bytes())
    assert exports[0] == exports[1] == exports[2]
    data = json.loads(exports[0])
    assert [view["name"] for view in data["views"]] == ["Due this month", "Board [pack]"]
    assert {"role": "HR Lead", "person": "Jo", "email": ""} in data["leads"]
