"""The schema comes from the Alembic migrations, and they agree with the models."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from plantui.store import schema
from plantui.store.database import open_database
from plantui.store.models import metadata


def test_head_revision_constant_matches_the_scripts() -> None:
    scripts = ScriptDirectory.from_config(schema.alembic_config())
    assert scripts.get_current_head() == schema.HEAD_REVISION
    assert set(schema.KNOWN_REVISIONS) == {rev.revision for rev in scripts.walk_revisions()}


def test_migrated_database_matches_the_models(tmp_path: Path) -> None:
    db = open_database(tmp_path / "m.db")
    try:
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
        assert diff == []
        assert schema.current_revision(db) == schema.HEAD_REVISION
    finally:
        db.close()


def test_migrations_ship_inside_the_package() -> None:
    from importlib.resources import files

    versions = files("plantui.store") / "migrations" / "versions"
    assert any(p.name.endswith(".py") for p in versions.iterdir())
