"""Backup copies of a SQLite plan store, taken with SQLite's online backup API (safe while in use)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plantui.store.database import Database


def backup_folder(db_path: Path) -> Path:
    return db_path.parent / "backups"


def backup_file(database: Database, *, reason: str = "manual", target: Path | None = None) -> Path:
    """Copy the database to `target`, or to a stamped file in the backups folder beside it."""
    path = database.location.path
    if path is None:
        raise ValueError("only SQLite files are backed up by copying")
    if target is None:
        folder = backup_folder(path)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S%f")
        target = folder / f"{path.stem}-{stamp}-{reason}.db"
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    target.chmod(0o600)
    return target
