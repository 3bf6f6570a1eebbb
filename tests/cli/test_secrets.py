"""Secrets in a database URL never reach the screen: the password in `user:pw@`, in `?password=`, and
`?sslpassword=` or `?passfile=`, even typed with a raw `@` or `&`, in a URL plantui cannot read, in a
connect error, an unknown-backend error or `copy --to URL`. Real CLI processes against a closed port."""

from __future__ import annotations

import itertools
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from plantui.store.location import resolve
from plantui.store.opening import open_database
from tests.conftest import stored_plan

# Distinct words, so a fragment of a secret that leaks is found too.
ALPHA, BRAVO = "Alpha7kq", "Bravo9zx"


def closed_port() -> int:
    """A local port nothing listens on (bound, then released: nothing else claims it in the moment)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def url_forms(port: int) -> dict[str, str]:
    server = f"127.0.0.1:{port}"
    return {
        "query password": f"postgresql+psycopg://ann@{server}/plans?password={ALPHA}",
        "libpq form": f"postgresql://ann@{server}/plans?sslmode=disable&password={ALPHA}",
        "user:password@": f"postgresql://ann:{ALPHA}@{server}/plans",
        "both": f"postgresql://ann:{ALPHA}@{server}/plans?password={BRAVO}",
        "sslpassword and passfile": f"postgresql://ann@{server}/plans?sslpassword={ALPHA}&passfile=/srv/{BRAVO}",
        "raw @ in the password": f"postgresql://ann:{ALPHA}@{BRAVO}@{server}/plans",
        "raw & in a query password": f"postgresql://ann@{server}/plans?password={ALPHA}&{BRAVO}",
        "percent-escaped": f"postgresql://ann:{ALPHA}%40{BRAVO}@{server}/plans",
    }


MALFORMED = {
    "another backend": (
        f"mysql://ann:{ALPHA}@db.example/plans?password={BRAVO}",
        "cannot keep a plan in mysql",
    ),
    "no such driver": (
        f"postgresql+psycopg2://ann@db.example/plans?password={ALPHA}&sslpassword={BRAVO}",
        "driver 'psycopg2' is not installed",
    ),
    "bad port": (f"postgresql+psycopg://ann@db.example:port/plans?password={ALPHA}", "is not a database URL"),
    "bad IPv6 host": (
        f"postgresql+psycopg://ann:{ALPHA}@[::1/plans?passfile={BRAVO}",
        "is not a database URL",
    ),
}


def own_copy(plan_file: Path) -> str:
    """A copy of the plan for one process: processes opening one SQLite file at once are not what is
    tested here."""
    copy = plan_file.with_name(f"plan-{next(COPIES)}.db")
    shutil.copyfile(plan_file, copy)
    return str(copy)


COPIES = itertools.count(1)


def run_all(commands: list[list[str]]) -> list[subprocess.CompletedProcess]:
    """Run the CLI processes side by side (each is a second of start-up) and collect them."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "plantui", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in commands
    ]
    done = []
    for args, proc in zip(commands, procs, strict=True):
        stdout, stderr = proc.communicate(timeout=60)
        done.append(subprocess.CompletedProcess(args, proc.returncode, stdout, stderr))
    return done


def assert_one_line_without_secrets(proc: subprocess.CompletedProcess) -> str:
    shown = proc.stdout + proc.stderr
    assert ALPHA not in shown and BRAVO not in shown, shown
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("plantui: "), proc.stderr
    return lines[0]


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    return stored_plan(tmp_path / "plan.db")


@pytest.mark.slow
def test_no_secret_in_a_connect_error_or_copy_to_a_url(plan_file: Path, tmp_path: Path) -> None:
    forms = url_forms(closed_port())
    commands = []
    for url in forms.values():
        commands += [
            ["--db", url, "list"],
            ["--db", own_copy(plan_file), "copy", "--to", url],
            ["copy", "--from", url, "--to", str(tmp_path / "copy.db")],
            ["--db", url, "backup"],
        ]
    for (form, _url), proc in zip(
        [(f, u) for f, u in forms.items() for _ in range(4)], run_all(commands), strict=True
    ):
        line = assert_one_line_without_secrets(proc)
        if "backup" in proc.args:
            assert "is a database server" in line, (form, line)
        elif form == "raw @ in the password":
            assert "cannot connect to postgresql+psycopg://ann:***@127.0.0.1:" in line, line
            assert line.endswith("(write an @ in the URL's password as %40)"), line
        else:
            assert "cannot connect to postgresql+psycopg://ann" in line, (form, line)
            assert "Connection refused" in line, (form, line)


@pytest.mark.slow
def test_no_secret_when_the_url_is_malformed_or_another_backend(plan_file: Path) -> None:
    commands = []
    for url, _ in MALFORMED.values():
        commands += [["--db", url, "list"], ["--db", own_copy(plan_file), "copy", "--to", url]]
    expected = [words for _, words in MALFORMED.values() for _ in range(2)]
    for words, proc in zip(expected, run_all(commands), strict=True):
        line = assert_one_line_without_secrets(proc)
        assert words in line, line


@pytest.mark.parametrize("form", list(url_forms(5432)) + list(MALFORMED))
def test_display_and_repr_hide_every_secret(form: str) -> None:
    url = url_forms(5432)[form] if form in url_forms(5432) else MALFORMED[form][0]
    location = resolve(url)
    for shown in (location.display, repr(location), str(location)):
        assert ALPHA not in shown and BRAVO not in shown, shown
    assert location.display.count("***") >= 1
    from plantui.store.location import url_secrets  # what a driver's message is scrubbed of

    assert any(ALPHA in secret for secret in url_secrets(location.url))


def test_display_keeps_what_is_not_secret() -> None:
    location = resolve(
        "postgresql://ann@db.example:5433/plans?sslmode=require&password=x1&application_name=ip"
    )
    assert location.display == (
        "postgresql+psycopg://ann@db.example:5433/plans?sslmode=require&password=***&application_name=ip"
    )
    socket_url = resolve("postgresql://ann@/plans?host=%2Frun%2Fpostgresql")
    assert socket_url.display == "postgresql+psycopg://ann@/plans?host=/run/postgresql"
    assert resolve("postgresql://ann:pw@h/plans").display == "postgresql+psycopg://ann:***@h/plans"


@pytest.mark.postgres
def test_a_password_in_the_query_connects_and_never_shows(pg_cluster, pg_url: str) -> None:
    """`?password=` works (the workbench's change watcher too) and the engine never shows it."""
    from plantui.store.watch import HistoryWatcher
    from tests import pg_cluster as pg

    name = make_url(pg_url).database
    url = pg_cluster.url(name, user=pg.PASSWORD_USER) + f"&password={pg.PASSWORD}"
    database = open_database(url)
    try:
        for shown in (database.display, repr(database), str(database.engine), repr(database.engine.url)):
            assert pg.PASSWORD not in shown, shown
        with HistoryWatcher(database) as watcher:
            assert watcher.wait(0.01) is False
    finally:
        database.close()
    wrong = pg_cluster.url(name, user=pg.PASSWORD_USER) + f"&password={ALPHA}"
    line = assert_one_line_without_secrets(run_all([["--db", wrong, "list"]])[0])
    assert 'password authentication failed for user "plantui_pw"' in line
