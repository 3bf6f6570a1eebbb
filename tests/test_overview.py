"""The quick overview for the TUI's first frame: the same tree and counts the store gives, without
SQLAlchemy, and None (never an error) wherever it cannot tell."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from plantui.domain.rollup import StatusCounts
from plantui.store import changes, queries
from plantui.store.database import open_database
from plantui.store.location import resolve
from plantui.store.overview import read_overview


@pytest.mark.sqlite_only  # the quick path reads a SQLite file; on a server it is never taken
def test_it_agrees_with_the_store(database, db_path: Path) -> None:
    changes.set_status(database, "1.1.1.3", "off_track", author="Ann")
    overview = read_overview(resolve(db_path))
    assert overview is not None
    assert overview.title == queries.plan_info(database).title
    assert list(overview.nodes) == queries.nodes(database)
    actions = queries.list_actions(database)
    for node in overview.nodes:
        under = [a.status for a in actions if node.ref in (a.theme_ref, a.area_ref, a.objective_ref)]
        assert overview.counts[node.ref] == StatusCounts.of(under), node.ref
    assert overview.total == StatusCounts.of(a.status for a in actions)
    assert overview.counts["1.1.1"]["off_track"] == 2


def test_it_says_none_where_it_cannot_tell(tmp_path: Path) -> None:
    assert read_overview(resolve(tmp_path / "missing.db")) is None
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    assert read_overview(resolve(junk)) is None
    empty = open_database(tmp_path / "empty.db")  # a store with no plan yet
    empty.close()
    assert read_overview(resolve(tmp_path / "empty.db")) is None
    assert read_overview(resolve("postgresql://u@localhost/plans")) is None


def test_reading_it_does_not_import_sqlalchemy() -> None:
    code = "import sys, plantui.store.overview; print('sqlalchemy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
