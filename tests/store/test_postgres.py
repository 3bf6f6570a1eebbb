"""What only a database server has: connection errors that never show a password, PGPASSWORD, the
server user as the default author, the write lock, read-only sessions, UTC whatever the session's
zone, and the migrations on an empty database."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.engine import make_url

from plantui.cli.main import cli
from plantui.domain.errors import StoreError
from plantui.store import changes, queries
from plantui.store.location import resolve
from plantui.store.opening import open_database
from plantui.store.plans import load_document
from plantui.store.server import WRITE_LOCK_KEY
from tests import pg_cluster as pg
from tests.conftest import mini_plan

pytestmark = pytest.mark.postgres

SECRET = "Tr0ub4dor-and-3"


def plantui(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "plantui", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def plan_url(pg_url: str) -> str:
    db = open_database(pg_url)
    load_document(db, mini_plan())
    db.close()
    return pg_url


def run(*args: str, env: dict[str, str] | None = None):
    """In-process (a real process costs a second); an exception that is not a one-line error raises."""
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    result.returncode = result.exit_code
    return result


def _one_line_without_secret(proc, secret: str) -> str:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert secret not in proc.stderr and secret not in proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("plantui: ")
    return lines[0]


def test_connection_refused(tmp_path) -> None:
    url = f"postgresql+psycopg://ann:{SECRET}@127.0.0.1:{free_port()}/plans"
    line = _one_line_without_secret(plantui("--db", url, "list"), SECRET)
    assert "cannot connect to postgresql+psycopg://ann:***@127.0.0.1:" in line
    assert "Connection refused" in line and "is the server running" in line


def test_wrong_password_and_missing_password(pg_cluster, plan_url: str) -> None:
    name = make_url(plan_url).database
    wrong = pg_cluster.url(name, user=pg.PASSWORD_USER, password=SECRET)
    line = _one_line_without_secret(run("--db", wrong, "list"), SECRET)
    assert 'password authentication failed for user "plantui_pw"' in line
    assert "PGPASSWORD" in line
    line = _one_line_without_secret(
        run("--db", pg_cluster.url(name, user=pg.PASSWORD_USER), "list", env={"PGPASSWORD": SECRET}),
        SECRET,
    )
    assert "password authentication failed" in line


def test_pgpassword_is_used_and_the_server_user_is_the_author(pg_cluster, plan_url: str) -> None:
    name = make_url(plan_url).database
    url = pg_cluster.url(name, user=pg.PASSWORD_USER)
    env = {"PGPASSWORD": pg.PASSWORD}
    changed = run("--db", url, "set", "1.1.1.2", "--rag", "on_track", env=env)
    assert changed.returncode == 0, changed.stderr
    named = run("--db", url, "--author", "Ann Lead", "set", "1.1.1.3", "--note", "x", env=env)
    assert named.returncode == 0, named.stderr
    history = json.loads(run("--db", url, "history", "--json", env=env).stdout)
    assert [(e["ref"], e["author"]) for e in history] == [("1.1.1.3", "Ann Lead"), ("1.1.1.2", "plantui_pw")]


def test_the_saved_author_setting_does_not_override_the_server_user(plan_url: str) -> None:
    from plantui.io.settings import save_setting

    save_setting("author", "Improvement Lead")
    result = CliRunner().invoke(cli, ["--db", plan_url, "set", "2.1.1.1", "--note", "x"])
    assert result.exit_code == 0, result.output
    [entry] = queries.action_history(open_database(plan_url), "2.1.1.1")
    assert entry.author == pg.SUPERUSER


def test_unknown_database_and_wrong_scheme(pg_cluster) -> None:
    line = _one_line_without_secret(run("--db", pg_cluster.url("nope", password=SECRET), "list"), SECRET)
    assert 'database "nope" does not exist' in line
    for url, words in [
        (f"mysql://ann:{SECRET}@db.example/plans", "cannot keep a plan in mysql"),
        (f"postgresql+psycopg2://ann:{SECRET}@db.example/plans", "driver 'psycopg2' is not installed"),
        (f"postgresql+psycopg://ann:{SECRET}@db.example:port/plans", "is not a database URL"),
    ]:
        line = _one_line_without_secret(run("--db", url, "list"), SECRET)
        assert words in line and "ann:***@" in line


def test_libpq_urls_mean_psycopg(pg_cluster, plan_url: str) -> None:
    libpq_url = plan_url.replace("postgresql+psycopg://", "postgresql://")
    assert resolve(libpq_url).url == plan_url
    assert resolve("postgres://ann@h/db").url == "postgresql+psycopg://ann@h/db"
    assert len(queries.list_actions(open_database(libpq_url))) == 7


def test_the_display_never_holds_the_password(pg_cluster) -> None:
    location = resolve(f"postgresql://ann:{SECRET}@db.example:5433/plans?sslmode=require")
    assert location.display == "postgresql+psycopg://ann:***@db.example:5433/plans?sslmode=require"
    assert SECRET not in location.display
    assert SECRET not in resolve(f"postgresql://ann:{SECRET}@db.example:x/plans").display
    assert SECRET not in repr(location)  # reprs reach tracebacks that show locals


def test_an_open_database_never_shows_its_password(pg_cluster, plan_url: str) -> None:
    name = make_url(plan_url).database
    db = open_database(pg_cluster.url(name, user=pg.PASSWORD_USER, password=pg.PASSWORD))
    try:
        assert len(queries.list_actions(db)) == 7
        for shown in (db.display, repr(db), str(db.engine), repr(db.engine.url)):
            assert pg.PASSWORD not in shown
    finally:
        db.close()


def test_a_second_writer_waits_for_the_first_and_loses_nothing(plan_url: str) -> None:
    database = open_database(plan_url)
    other = open_database(plan_url)
    outcome: list[changes.ChangeResult] = []
    with database.write() as conn:
        conn.execute(text("UPDATE action SET status = 'some_issues' WHERE ref = '1.1.1.2'"))
        thread = threading.Thread(
            target=lambda: outcome.append(
                changes.set_status(other, "1.1.1.2", "on_track", author="Ben", expected="off_track")
            )
        )
        thread.start()
        time.sleep(0.4)
        assert thread.is_alive()  # waiting on the write lock, not reading the old status
        with other.read() as reader:
            held = reader.execute(
                text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")
            ).scalar_one()
        assert held == 1
    thread.join(10)
    [result] = outcome
    assert result.before.status == "some_issues"  # read after the first writer committed
    assert result.superseded is not None and result.superseded.found == "some_issues"
    assert result.entry.old == "some_issues"
    other.close()
    database.close()
    assert WRITE_LOCK_KEY < 2**63


def test_a_read_only_session_cannot_write_even_with_raw_sql(plan_url: str) -> None:
    from sqlalchemy.exc import InternalError

    db = open_database(plan_url, readonly=True)
    try:
        assert len(queries.list_actions(db)) == 7
        with pytest.raises(InternalError, match="read-only transaction"), db.engine.begin() as conn:
            conn.execute(text("UPDATE action SET status = 'bau'"))
    finally:
        db.close()


def test_times_are_utc_whatever_the_session_zone(plan_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PGTZ", "Pacific/Auckland")
    db = open_database(plan_url)
    try:
        with db.read() as conn:
            assert conn.execute(text("SHOW TimeZone")).scalar_one() == "Pacific/Auckland"
        before = datetime.utcnow()  # naive UTC, as stored
        result = changes.set_status(db, "1.1.1.2", "on_track", author="Ann")
        at = result.entry.at
        assert at.tzinfo is None
        assert abs(at - before) < timedelta(seconds=30)
        [stored] = queries.action_history(db, "1.1.1.2")
        assert stored.at == at and result.action.updated_at == at
        given = datetime(2022, 10, 5, 14, 3, 7, 123456)
        changes.add_note(db, "1.1.1.3", "x", author="Ann", at=given)
        assert queries.action_history(db, "1.1.1.3")[0].at == given  # microseconds kept
    finally:
        db.close()


def test_migrations_build_an_empty_database(pg_cluster) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from plantui.store import schema
    from plantui.store.tables import metadata

    name = pg_cluster.new_database(template="template0")
    try:
        db = open_database(pg_cluster.url(name))
        try:
            assert schema.current_revision(db) == schema.HEAD_REVISION
            with db.engine.connect() as conn:
                context = MigrationContext.configure(conn, opts={"compare_type": True})
                assert compare_metadata(context, metadata) == []
        finally:
            db.close()
    finally:
        pg_cluster.drop_database(name)


def test_another_programs_database_is_refused(pg_cluster, pg_url: str) -> None:
    name = pg_cluster.new_database(template="template0")
    try:
        pg_cluster.admin("CREATE TABLE contacts (name text)", name)
        with pytest.raises(StoreError, match="another program"):
            open_database(pg_cluster.url(name))
    finally:
        pg_cluster.drop_database(name)


def test_two_people_opening_a_new_database_at_once(pg_cluster) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from plantui.store import schema

    name = pg_cluster.new_database(template="template0")
    try:

        def first_open(_: int) -> str | None:
            db = open_database(pg_cluster.url(name))
            try:
                return schema.current_revision(db)
            finally:
                db.close()

        with ThreadPoolExecutor(3) as pool:
            assert list(pool.map(first_open, range(3))) == [schema.HEAD_REVISION] * 3
    finally:
        pg_cluster.drop_database(name)


def test_a_writer_stuck_behind_a_held_lock_gives_up_with_one_line(
    plan_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plantui.store import server

    monkeypatch.setattr(server, "LOCK_TIMEOUT_SECONDS", 1)
    holder, waiter = open_database(plan_url), open_database(plan_url)
    try:
        busy = "is busy: another change held it too long; nothing was saved"
        with holder.write(), pytest.raises(StoreError, match=busy):
            changes.set_status(waiter, "1.1.1.2", "on_track", author="Ann")
        assert queries.action_history(waiter, "1.1.1.2") == []
        assert changes.set_status(waiter, "1.1.1.2", "on_track", author="Ann").entry is not None
    finally:
        holder.close()
        waiter.close()


def test_text_postgresql_cannot_hold_is_one_line_and_nothing_is_saved(plan_url: str, tmp_path) -> None:
    db = open_database(plan_url)
    try:
        with pytest.raises(StoreError, match=r"cannot contain NUL .*; nothing was saved"):
            changes.add_note(db, "1.1.1.2", "pasted\x00binary", author="Ann")
        assert queries.action_history(db, "1.1.1.2") == []
    finally:
        db.close()
    laptop = tmp_path / "laptop.db"
    assert run("--db", str(laptop), "import", _plan_with_nul(tmp_path)).returncode == 0  # SQLite holds it
    refused = run("copy", "--from", str(laptop), "--to", plan_url, "--force")
    assert refused.returncode != 0 and "nothing was saved" in refused.stderr
    assert "Traceback" not in refused.output


def _plan_with_nul(tmp_path) -> str:
    from plantui.io.plan_json import dumps_plan

    document = mini_plan()
    document.foreword = "Copied from a PDF\x00"
    path = tmp_path / "nul.json"
    path.write_text(dumps_plan(document), encoding="utf-8")
    return str(path)


def test_a_user_without_grants_is_told_in_one_line(pg_cluster, plan_url: str) -> None:
    name = make_url(plan_url).database
    pg_cluster.admin(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {pg.PASSWORD_USER}", name)
    pg_cluster.admin(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {pg.PASSWORD_USER}", name)
    url = pg_cluster.url(name, user=pg.PASSWORD_USER, password=pg.PASSWORD)
    assert run("--db", url, "list").returncode == 0  # reading is granted
    line = _one_line_without_secret(run("--db", url, "set", "1.1.1.2", "--rag", "on_track"), pg.PASSWORD)
    assert "permission denied for table" in line and "nothing was saved" in line
    pg_cluster.admin(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {pg.PASSWORD_USER}", name)
    line = _one_line_without_secret(run("--db", url, "list"), pg.PASSWORD)
    assert "permission denied for table" in line and "ask the database's owner" in line
    empty = pg_cluster.new_database(template="template0")
    try:
        pg_cluster.admin("REVOKE CREATE ON SCHEMA public FROM PUBLIC", empty)
        url = pg_cluster.url(empty, user=pg.PASSWORD_USER, password=pg.PASSWORD)
        line = _one_line_without_secret(run("--db", url, "demo"), pg.PASSWORD)
        assert "permission denied for schema public" in line
    finally:
        pg_cluster.drop_database(empty)
