"""A throwaway PostgreSQL cluster for the test session: initdb into a temporary folder, a server on a
unix socket in that folder (no TCP port to collide with), fresh databases cloned from a migrated
template, and everything stopped and removed at the end.

PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user (made by
the Debian package) through `runuser`, in a folder that user owns. When no server can be started,
`start()` says why, and the PostgreSQL tests are skipped with that reason.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SUPERUSER = "postgres"
PASSWORD_USER = "plantui_pw"  # a role that must give a password, for the PGPASSWORD tests
PASSWORD = "s3cret-Pa55"
TEMPLATE = "plantui_template"  # the current schema, migrated once per session
PORT = 5432  # only names the socket file; the socket folder is private to this cluster


def find_bin_dir() -> Path | None:
    """Where initdb and pg_ctl are: Debian keeps them in /usr/lib/postgresql/<version>/bin."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).resolve().parent
    return None


@dataclass
class Cluster:
    folder: Path
    bin_dir: Path
    run_as: list[str]  # the prefix that runs a command as the cluster's owner
    _names: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str, user: str = SUPERUSER, password: str | None = None) -> str:
        secret = f":{password}" if password is not None else ""
        return f"postgresql+psycopg://{user}{secret}@/{database}?host={self.folder}&port={PORT}"

    def admin(self, sql: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(
            host=str(self.folder), port=PORT, user=SUPERUSER, dbname=database, autocommit=True
        ) as conn:
            conn.execute(sql)

    def new_database(self, template: str = TEMPLATE) -> str:
        """A fresh database, cloned from the template (a file copy: a few milliseconds)."""
        name = f"t{os.getpid()}_{next(self._names)}"
        strategy = " STRATEGY FILE_COPY" if self.version >= 15 else ""  # 15's default copies via WAL
        self.admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"{strategy}')
        return name

    @property
    def version(self) -> int:
        return int((self.data / "PG_VERSION").read_text().split(".")[0])

    def drop_database(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def pg_ctl(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*self.run_as, str(self.bin_dir / "pg_ctl"), "-D", str(self.data), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )

    def stop(self) -> None:
        self.pg_ctl("stop", "-m", "immediate", "-w")
        shutil.rmtree(self.folder, ignore_errors=True)


def _owner() -> tuple[list[str], int | None, str | None]:
    """How to run the server: directly, or as root through `runuser -u postgres`."""
    if os.geteuid() != 0:
        return [], None, None
    try:
        entry = pwd.getpwnam(SUPERUSER)
    except KeyError:
        return [], None, "running as root and there is no `postgres` user to run the server as"
    runuser = shutil.which("runuser")
    if runuser is None:
        return [], None, "running as root and `runuser` is missing, so the server cannot drop privileges"
    return [runuser, "-u", SUPERUSER, "--"], entry.pw_uid, None


def start() -> Cluster | str:
    """A running cluster with the template database ready, or the reason there cannot be one."""
    if os.environ.get("PLANTUI_TEST_POSTGRES") == "0":
        return "PLANTUI_TEST_POSTGRES=0"
    bin_dir = find_bin_dir()
    if bin_dir is None:
        return "PostgreSQL is not installed (no initdb/pg_ctl; `scripts/ensure-postgres.sh` installs it)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "the psycopg driver is not installed"
    run_as, uid, problem = _owner()
    if problem:
        return problem
    folder = Path(tempfile.mkdtemp(prefix="plantui-pg-"))
    if uid is not None:
        os.chown(folder, uid, -1)
    cluster = Cluster(folder, bin_dir, run_as)
    init = subprocess.run(
        [
            *run_as,
            str(bin_dir / "initdb"),
            "-D",
            str(cluster.data),
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",  # exists everywhere; plantui orders by position and id, never by text
            "--no-sync",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if init.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        return f"initdb failed: {(init.stderr or init.stdout).strip().splitlines()[-1:]}"
    hba = f"local all {PASSWORD_USER} scram-sha-256\nlocal all all trust\n"
    (cluster.data / "pg_hba.conf").write_text(hba)
    options = (
        f"-k {folder} -p {PORT} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=60"
    )
    started = cluster.pg_ctl("start", "-w", "-t", "60", "-l", str(folder / "server.log"), "-o", options)
    if started.returncode != 0:
        log = (folder / "server.log").read_text(errors="replace") if (folder / "server.log").exists() else ""
        cluster.stop()
        return f"the PostgreSQL server did not start: {(log or started.stderr).strip().splitlines()[-1:]}"
    try:
        cluster.admin(f"CREATE ROLE {PASSWORD_USER} LOGIN PASSWORD '{PASSWORD}'")
        cluster.admin(f'CREATE DATABASE "{TEMPLATE}"')
        from plantui.store.opening import open_database

        open_database(cluster.url(TEMPLATE)).close()
        cluster.admin(f'GRANT ALL ON DATABASE "{TEMPLATE}" TO {PASSWORD_USER}')
        cluster.admin(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {PASSWORD_USER}", TEMPLATE)
        cluster.admin(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {PASSWORD_USER}", TEMPLATE)
    except Exception:
        cluster.stop()
        raise
    return cluster
