"""Telling plantui's own schema from objects someone else added to a plan file.

A SQLite file carries its schema with it. A trigger in a restored or opened file (one that deletes
history on every insert, say) would run on every later change, and a table whose definition was
altered (`UNIQUE ... ON CONFLICT REPLACE`) could delete rows plantui meant to keep. So before a file is
opened, shown or restored, its `sqlite_master` (tables, indexes, triggers, views) is compared with the
schema plantui's own code makes at the file's revision, and anything else is refused by name.

The reference below is what plantui's code builds at each revision: the migrations run from an empty
file, and, at the head revision, `schema.create_current`. A table is compared by its definition's
clauses (columns and constraints) in any order, because `create_all` and the migrations list the same
constraints in a different order, and a column added by a migration is written inline. A definition
is kept as accepted variants: tests/store/test_schema_check.py builds every variant afresh with plantui's
code and fails if one is not listed here, so the list cannot drift from the migrations; a variant is
only ever added, so a file an earlier plantui made stays accepted. Keeping the reference as data means
an open costs one small `sqlite_master` read (no Alembic import, no reference database to build).

Standard library only: the workbench's first frame (`plantui.store.snapshot`) checks with `sqlite3`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from plantui.domain.text import visible

# The query whose rows `schema_problem` judges.
SQLITE_MASTER_QUERY = "SELECT type, name, tbl_name, sql FROM sqlite_master"

# Tables SQLite itself makes: `ANALYZE` (which plantui runs after a bulk load) and AUTOINCREMENT.
# Users cannot create objects named `sqlite_...`, so only these names are let through as SQLite's.
SQLITE_INTERNAL_TABLES = frozenset({"sqlite_stat1", "sqlite_stat4", "sqlite_sequence"})

_AUTOINDEXES_0001 = {
    "sqlite_autoindex_action_1": "action",
    "sqlite_autoindex_action_lead_1": "action_lead",
    "sqlite_autoindex_alembic_version_1": "alembic_version",
    "sqlite_autoindex_area_1": "area",
    "sqlite_autoindex_finding_ref_1": "finding_ref",
    "sqlite_autoindex_objective_1": "objective",
    "sqlite_autoindex_officer_1": "officer",
    "sqlite_autoindex_theme_1": "theme",
}

_TABLES_0001 = {
    "action": (
        "CREATE TABLE action (FOREIGN KEY(objective_id) REFERENCES objective (id) ON DELETE CASCADE, "
        'FOREIGN KEY(plan_id) REFERENCES "plan" (id) ON DELETE CASCADE, PRIMARY KEY (id), '
        "UNIQUE (plan_id, ref), baseline TEXT NOT NULL, baseline_due DATE, detailed_plan TEXT NOT NULL, "
        "due DATE, id INTEGER NOT NULL, last_note TEXT NOT NULL, milestone TEXT NOT NULL, "
        "objective_id INTEGER NOT NULL, plan_id INTEGER NOT NULL, position INTEGER NOT NULL, "
        "ref TEXT NOT NULL, status TEXT NOT NULL, success_measures TEXT NOT NULL, title TEXT NOT NULL, "
        "updated_at DATETIME)",
    ),
    "action_lead": (
        "CREATE TABLE action_lead (FOREIGN KEY(action_id) REFERENCES action (id) ON DELETE CASCADE, "
        "FOREIGN KEY(officer_id) REFERENCES officer (id) ON DELETE CASCADE, "
        "PRIMARY KEY (action_id, officer_id), action_id INTEGER NOT NULL, officer_id INTEGER NOT NULL, "
        "position INTEGER NOT NULL)",
    ),
    "alembic_version": (
        "CREATE TABLE alembic_version (CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num), "
        "version_num VARCHAR(32) NOT NULL)",
    ),
    "area": (
        "CREATE TABLE area (FOREIGN KEY(theme_id) REFERENCES theme (id) ON DELETE CASCADE, "
        "PRIMARY KEY (id), UNIQUE (theme_id, ref), id INTEGER NOT NULL, outcomes TEXT NOT NULL, "
        "position INTEGER NOT NULL, ref TEXT NOT NULL, theme_id INTEGER NOT NULL, title TEXT NOT NULL)",
    ),
    "finding": (
        'CREATE TABLE finding (FOREIGN KEY(plan_id) REFERENCES "plan" (id) ON DELETE CASCADE, '
        "PRIMARY KEY (id), id INTEGER NOT NULL, plan_id INTEGER NOT NULL, position INTEGER NOT NULL, "
        "source TEXT NOT NULL, text TEXT NOT NULL)",
    ),
    "finding_ref": (
        "CREATE TABLE finding_ref (FOREIGN KEY(finding_id) REFERENCES finding (id) ON DELETE CASCADE, "
        "PRIMARY KEY (finding_id, position), finding_id INTEGER NOT NULL, position INTEGER NOT NULL, "
        "ref TEXT NOT NULL)",
    ),
    "history": (
        "CREATE TABLE history (FOREIGN KEY(action_id) REFERENCES action (id) ON DELETE CASCADE, "
        "FOREIGN KEY(undoes_id) REFERENCES history (id), PRIMARY KEY (id), action_id INTEGER NOT NULL, "
        "at DATETIME NOT NULL, author TEXT NOT NULL, field TEXT NOT NULL, id INTEGER NOT NULL, new TEXT, "
        "note TEXT NOT NULL, old TEXT, undoes_id INTEGER)",
    ),
    "objective": (
        "CREATE TABLE objective (FOREIGN KEY(area_id) REFERENCES area (id) ON DELETE CASCADE, "
        "PRIMARY KEY (id), UNIQUE (area_id, ref), area_id INTEGER NOT NULL, id INTEGER NOT NULL, "
        "position INTEGER NOT NULL, ref TEXT NOT NULL, text TEXT NOT NULL)",
    ),
    "officer": (
        "CREATE TABLE officer (PRIMARY KEY (id), UNIQUE (name), id INTEGER NOT NULL, name TEXT NOT NULL)",
    ),
    "plan": (
        'CREATE TABLE "plan" (PRIMARY KEY (id), created_at DATETIME NOT NULL, foreword TEXT NOT NULL, '
        "id INTEGER NOT NULL, organisation TEXT NOT NULL, phase TEXT NOT NULL, status_date DATE, "
        "title TEXT NOT NULL)",
    ),
    "theme": (
        'CREATE TABLE theme (FOREIGN KEY(plan_id) REFERENCES "plan" (id) ON DELETE CASCADE, '
        "PRIMARY KEY (id), UNIQUE (plan_id, ref), aim TEXT NOT NULL, id INTEGER NOT NULL, "
        "plan_id INTEGER NOT NULL, position INTEGER NOT NULL, ref TEXT NOT NULL, title TEXT NOT NULL)",
    ),
}

_INDEXES_0001 = {
    "ix_action_lead_officer_id": ("CREATE INDEX ix_action_lead_officer_id ON action_lead (officer_id)",),
    "ix_action_objective_id": ("CREATE INDEX ix_action_objective_id ON action (objective_id)",),
    "ix_history_action_id_id": ("CREATE INDEX ix_history_action_id_id ON history (action_id, id)",),
    "ix_history_at": ("CREATE INDEX ix_history_at ON history (at)",),
}

_TABLES_0002 = {
    **_TABLES_0001,
    "history": (
        # made by create_current at 0002
        "CREATE TABLE history (FOREIGN KEY(action_id) REFERENCES action (id) ON DELETE CASCADE, "
        "FOREIGN KEY(meeting_id) REFERENCES meeting (id), FOREIGN KEY(undoes_id) REFERENCES history (id), "
        "PRIMARY KEY (id), action_id INTEGER NOT NULL, at DATETIME NOT NULL, author TEXT NOT NULL, "
        "field TEXT NOT NULL, id INTEGER NOT NULL, meeting_id INTEGER, new TEXT, note TEXT NOT NULL, "
        "old TEXT, undoes_id INTEGER)",
        # made by migration 0002 (the column added in place, its reference inline)
        "CREATE TABLE history (FOREIGN KEY(action_id) REFERENCES action (id) ON DELETE CASCADE, "
        "FOREIGN KEY(undoes_id) REFERENCES history (id), PRIMARY KEY (id), action_id INTEGER NOT NULL, "
        "at DATETIME NOT NULL, author TEXT NOT NULL, field TEXT NOT NULL, id INTEGER NOT NULL, "
        "meeting_id INTEGER REFERENCES meeting (id), new TEXT, note TEXT NOT NULL, old TEXT, "
        "undoes_id INTEGER)",
    ),
    "meeting": (
        'CREATE TABLE meeting (FOREIGN KEY(plan_id) REFERENCES "plan" (id) ON DELETE CASCADE, '
        "PRIMARY KEY (id), ended_at DATETIME, id INTEGER NOT NULL, plan_id INTEGER NOT NULL, "
        "recorded_by TEXT NOT NULL, scope TEXT NOT NULL, started_at DATETIME NOT NULL, title TEXT NOT NULL)",
    ),
}

_INDEXES_0002 = {
    **_INDEXES_0001,
    "ix_history_meeting_id": ("CREATE INDEX ix_history_meeting_id ON history (meeting_id)",),
}


_TABLES_0003 = {
    **_TABLES_0002,
    "action": (
        "CREATE TABLE action (FOREIGN KEY(objective_id) REFERENCES objective (id) ON DELETE CASCADE, "
        'FOREIGN KEY(plan_id) REFERENCES "plan" (id) ON DELETE CASCADE, PRIMARY KEY (id), '
        "UNIQUE (plan_id, ref), baseline TEXT NOT NULL, baseline_due DATE, "
        "commentary TEXT DEFAULT '' NOT NULL, detailed_plan TEXT NOT NULL, due DATE, id INTEGER NOT NULL, "
        "last_note TEXT NOT NULL, milestone TEXT NOT NULL, objective_id INTEGER NOT NULL, "
        "objective_statement TEXT DEFAULT '' NOT NULL, plan_id INTEGER NOT NULL, position INTEGER NOT NULL, "
        "ref TEXT NOT NULL, status TEXT NOT NULL, success_measures TEXT NOT NULL, title TEXT NOT NULL, "
        "updated_at DATETIME)",
    ),
    "carried_value": (
        "CREATE TABLE carried_value (FOREIGN KEY(action_id) REFERENCES action (id) ON DELETE CASCADE, "
        "PRIMARY KEY (action_id, field), action_id INTEGER NOT NULL, doubtful BOOLEAN NOT NULL, "
        "field TEXT NOT NULL, from_ref TEXT NOT NULL)",
    ),
}

_AUTOINDEXES_0003 = {"sqlite_autoindex_carried_value_1": "carried_value"}

_TABLES_0004 = {
    **_TABLES_0003,
    "history": (
        # made by create_current at 0004 (and 0003 as issue 17 first wrote it)
        "CREATE TABLE history (FOREIGN KEY(action_id) REFERENCES action (id) ON DELETE CASCADE, "
        "FOREIGN KEY(group_id) REFERENCES history (id), FOREIGN KEY(meeting_id) REFERENCES meeting (id), "
        "FOREIGN KEY(redoes_id) REFERENCES history (id), FOREIGN KEY(undoes_id) REFERENCES history (id), "
        "PRIMARY KEY (id), action_id INTEGER NOT NULL, at DATETIME NOT NULL, author TEXT NOT NULL, "
        "field TEXT NOT NULL, group_id INTEGER, id INTEGER NOT NULL, meeting_id INTEGER, new TEXT, "
        "note TEXT NOT NULL, old TEXT, redoes_id INTEGER, undoes_id INTEGER)",
        # made by migration 0004 on a file that migration 0002 gave its meeting_id (columns added inline)
        "CREATE TABLE history (FOREIGN KEY(action_id) REFERENCES action (id) ON DELETE CASCADE, "
        "FOREIGN KEY(undoes_id) REFERENCES history (id), PRIMARY KEY (id), action_id INTEGER NOT NULL, "
        "at DATETIME NOT NULL, author TEXT NOT NULL, field TEXT NOT NULL, "
        "group_id INTEGER REFERENCES history (id), id INTEGER NOT NULL, "
        "meeting_id INTEGER REFERENCES meeting (id), new TEXT, note TEXT NOT NULL, old TEXT, "
        "redoes_id INTEGER REFERENCES history (id), undoes_id INTEGER)",
        # made by migration 0004 on a file created at 0002 or 0003 (history is the same at both)
        "CREATE TABLE history (FOREIGN KEY(action_id) REFERENCES action (id) ON DELETE CASCADE, "
        "FOREIGN KEY(meeting_id) REFERENCES meeting (id), FOREIGN KEY(undoes_id) REFERENCES history (id), "
        "PRIMARY KEY (id), action_id INTEGER NOT NULL, at DATETIME NOT NULL, author TEXT NOT NULL, "
        "field TEXT NOT NULL, group_id INTEGER REFERENCES history (id), id INTEGER NOT NULL, "
        "meeting_id INTEGER, new TEXT, note TEXT NOT NULL, old TEXT, "
        "redoes_id INTEGER REFERENCES history (id), undoes_id INTEGER)",
    ),
}

_INDEXES_0004 = {
    **_INDEXES_0002,
    "ix_history_group_id": ("CREATE INDEX ix_history_group_id ON history (group_id)",),
}

_TABLES_0005 = {
    **_TABLES_0004,
    "saved_view": (
        'CREATE TABLE saved_view (FOREIGN KEY(plan_id) REFERENCES "plan" (id) ON DELETE CASCADE, '
        "PRIMARY KEY (id), UNIQUE (plan_id, name_key), expression TEXT NOT NULL, id INTEGER NOT NULL, "
        "name TEXT NOT NULL, name_key TEXT NOT NULL, node TEXT NOT NULL, plan_id INTEGER NOT NULL, "
        "sort TEXT NOT NULL)",
    ),
}

_AUTOINDEXES_0005 = {"sqlite_autoindex_saved_view_1": "saved_view"}

_TABLES_0006 = {
    **_TABLES_0005,
    "measure": (
        "CREATE TABLE measure (FOREIGN KEY(owner_id) REFERENCES officer (id) ON DELETE SET NULL, "
        'FOREIGN KEY(plan_id) REFERENCES "plan" (id) ON DELETE CASCADE, PRIMARY KEY (id), '
        "UNIQUE (plan_id, ref), direction TEXT NOT NULL, frequency TEXT NOT NULL, id INTEGER NOT NULL, "
        "name TEXT NOT NULL, owner_id INTEGER, plan_id INTEGER NOT NULL, position INTEGER NOT NULL, "
        "ref TEXT NOT NULL, target FLOAT, tolerance FLOAT, unit TEXT NOT NULL)",
    ),
    "measure_action": (
        "CREATE TABLE measure_action (FOREIGN KEY(action_id) REFERENCES action (id) ON DELETE CASCADE, "
        "FOREIGN KEY(measure_id) REFERENCES measure (id) ON DELETE CASCADE, "
        "PRIMARY KEY (measure_id, action_id), action_id INTEGER NOT NULL, measure_id INTEGER NOT NULL, "
        "position INTEGER NOT NULL)",
    ),
    "measure_finding": (
        "CREATE TABLE measure_finding (FOREIGN KEY(finding_id) REFERENCES finding (id) ON DELETE CASCADE, "
        "FOREIGN KEY(measure_id) REFERENCES measure (id) ON DELETE CASCADE, "
        "PRIMARY KEY (measure_id, finding_id), finding_id INTEGER NOT NULL, measure_id INTEGER NOT NULL, "
        "position INTEGER NOT NULL)",
    ),
    "measure_objective": (
        "CREATE TABLE measure_objective (FOREIGN KEY(measure_id) REFERENCES measure (id) ON DELETE CASCADE, "
        "FOREIGN KEY(objective_id) REFERENCES objective (id) ON DELETE CASCADE, "
        "PRIMARY KEY (measure_id, objective_id), measure_id INTEGER NOT NULL, "
        "objective_id INTEGER NOT NULL, position INTEGER NOT NULL)",
    ),
    "measure_value": (
        "CREATE TABLE measure_value (FOREIGN KEY(measure_id) REFERENCES measure (id) ON DELETE CASCADE, "
        "PRIMARY KEY (id), at DATETIME NOT NULL, author TEXT NOT NULL, id INTEGER NOT NULL, "
        "measure_id INTEGER NOT NULL, note TEXT NOT NULL, period TEXT NOT NULL, value FLOAT NOT NULL)",
    ),
}

_TABLES_0006["measure_change"] = (
    "CREATE TABLE measure_change (FOREIGN KEY(measure_id) REFERENCES measure (id) ON DELETE CASCADE, "
    "PRIMARY KEY (id), at DATETIME NOT NULL, author TEXT NOT NULL, field TEXT NOT NULL, id INTEGER NOT NULL, "
    "measure_id INTEGER NOT NULL, new TEXT, old TEXT)",
)

_INDEXES_0006 = {
    **_INDEXES_0004,
    **{
        f"ix_measure_{target}_{target}_id": (
            f"CREATE INDEX ix_measure_{target}_{target}_id ON measure_{target} ({target}_id)",
        )
        for target in ("action", "finding", "objective")
    },
    "ix_measure_value_measure_id_period_id": (
        "CREATE INDEX ix_measure_value_measure_id_period_id ON measure_value (measure_id, period, id)",
    ),
    "ix_measure_change_measure_id": (
        "CREATE INDEX ix_measure_change_measure_id ON measure_change (measure_id)",
    ),
}

_AUTOINDEXES_0006 = {
    "sqlite_autoindex_measure_1": "measure",
    "sqlite_autoindex_measure_action_1": "measure_action",
    "sqlite_autoindex_measure_finding_1": "measure_finding",
    "sqlite_autoindex_measure_objective_1": "measure_objective",
}

_TABLES_0007 = {
    **_TABLES_0006,
    "officer": (
        # made by create_current at 0005, and by migration 0005 (the columns added in place)
        "CREATE TABLE officer (PRIMARY KEY (id), UNIQUE (name), email TEXT DEFAULT '' NOT NULL, "
        "id INTEGER NOT NULL, name TEXT NOT NULL, person TEXT DEFAULT '' NOT NULL)",
    ),
    "update_round": (
        'CREATE TABLE update_round (FOREIGN KEY(plan_id) REFERENCES "plan" (id) ON DELETE CASCADE, '
        "PRIMARY KEY (id), UNIQUE (token), due DATE NOT NULL, ended_at DATETIME, id INTEGER NOT NULL, "
        "include_complete BOOLEAN NOT NULL, issued_on DATE NOT NULL, plan_id INTEGER NOT NULL, "
        "scope TEXT NOT NULL, started_at DATETIME NOT NULL, started_by TEXT NOT NULL, token TEXT NOT NULL)",
    ),
    "round_item": (
        "CREATE TABLE round_item (FOREIGN KEY(action_id) REFERENCES action (id) ON DELETE CASCADE, "
        "FOREIGN KEY(officer_id) REFERENCES officer (id) ON DELETE CASCADE, "
        "FOREIGN KEY(round_id) REFERENCES update_round (id) ON DELETE CASCADE, "
        "PRIMARY KEY (round_id, officer_id, action_id), action_id INTEGER NOT NULL, "
        "milestone TEXT NOT NULL, officer_id INTEGER NOT NULL, round_id INTEGER NOT NULL, "
        "status TEXT NOT NULL)",
    ),
    "round_return": (
        "CREATE TABLE round_return (FOREIGN KEY(officer_id) REFERENCES officer (id) ON DELETE CASCADE, "
        "FOREIGN KEY(round_id) REFERENCES update_round (id) ON DELETE CASCADE, PRIMARY KEY (id), "
        "UNIQUE (round_id, digest), collected_at DATETIME NOT NULL, collected_by TEXT NOT NULL, "
        "digest TEXT NOT NULL, file_name TEXT NOT NULL, id INTEGER NOT NULL, officer_id INTEGER NOT NULL, "
        "round_id INTEGER NOT NULL, step_id INTEGER)",
    ),
    "round_review": (
        "CREATE TABLE round_review (FOREIGN KEY(action_id) REFERENCES action (id) ON DELETE CASCADE, "
        "FOREIGN KEY(return_id) REFERENCES round_return (id) ON DELETE CASCADE, PRIMARY KEY (id), "
        "action_id INTEGER NOT NULL, field TEXT NOT NULL, found TEXT NOT NULL, id INTEGER NOT NULL, "
        "issued TEXT NOT NULL, note TEXT NOT NULL, proposed TEXT NOT NULL, return_id INTEGER NOT NULL)",
    ),
}

_AUTOINDEXES_0007 = {
    "sqlite_autoindex_update_round_1": "update_round",
    "sqlite_autoindex_round_item_1": "round_item",
    "sqlite_autoindex_round_return_1": "round_return",
}


_INDEXES_0008 = {
    **_INDEXES_0006,
    "ix_history_evidence": (
        "CREATE INDEX ix_history_evidence ON history (action_id, id) WHERE field = 'evidence'",
    ),
}

_TABLES_0008 = {
    **_TABLES_0007,
    "action": (
        # made by create_current at 0008, and by migration 0008 (the column added in place)
        "CREATE TABLE action (FOREIGN KEY(objective_id) REFERENCES objective (id) ON DELETE CASCADE, "
        'FOREIGN KEY(plan_id) REFERENCES "plan" (id) ON DELETE CASCADE, PRIMARY KEY (id), '
        "UNIQUE (plan_id, ref), baseline TEXT NOT NULL, baseline_due DATE, "
        "commentary TEXT DEFAULT '' NOT NULL, detailed_plan TEXT NOT NULL, due DATE, id INTEGER NOT NULL, "
        "impact BOOLEAN DEFAULT 0 NOT NULL, "
        "last_note TEXT NOT NULL, milestone TEXT NOT NULL, objective_id INTEGER NOT NULL, "
        "objective_statement TEXT DEFAULT '' NOT NULL, plan_id INTEGER NOT NULL, position INTEGER NOT NULL, "
        "ref TEXT NOT NULL, status TEXT NOT NULL, success_measures TEXT NOT NULL, title TEXT NOT NULL, "
        "updated_at DATETIME)",
    ),
}

_TABLES_0009 = {
    **_TABLES_0008,
    "plan": (
        'CREATE TABLE "plan" (PRIMARY KEY (id), created_at DATETIME NOT NULL, foreword TEXT NOT NULL, id'
        " INTEGER NOT NULL, organisation TEXT NOT NULL, phase TEXT NOT NULL, status_date DATE, title "
        "TEXT NOT NULL, uid TEXT DEFAULT '' NOT NULL)",
    ),
    "history": (
        "CREATE TABLE history (FOREIGN KEY(action_id) REFERENCES action (id) ON DELETE CASCADE, FOREIGN "
        "KEY(group_id) REFERENCES history (id), FOREIGN KEY(meeting_id) REFERENCES meeting (id), FOREIGN"
        " KEY(redoes_id) REFERENCES history (id), FOREIGN KEY(undoes_id) REFERENCES history (id), "
        "PRIMARY KEY (id), action_id INTEGER NOT NULL, at DATETIME NOT NULL, author TEXT NOT NULL, field"
        " TEXT NOT NULL, group_id INTEGER, id INTEGER NOT NULL, meeting_id INTEGER, new TEXT, note TEXT "
        "NOT NULL, old TEXT, redoes_id INTEGER, uid TEXT DEFAULT '' NOT NULL, undoes_id INTEGER)",
        "CREATE TABLE history (FOREIGN KEY(action_id) REFERENCES action (id) ON DELETE CASCADE, FOREIGN "
        "KEY(meeting_id) REFERENCES meeting (id), FOREIGN KEY(undoes_id) REFERENCES history (id), "
        "PRIMARY KEY (id), action_id INTEGER NOT NULL, at DATETIME NOT NULL, author TEXT NOT NULL, field"
        " TEXT NOT NULL, group_id INTEGER REFERENCES history (id), id INTEGER NOT NULL, meeting_id "
        "INTEGER, new TEXT, note TEXT NOT NULL, old TEXT, redoes_id INTEGER REFERENCES history (id), uid"
        " TEXT DEFAULT '' NOT NULL, undoes_id INTEGER)",
        "CREATE TABLE history (FOREIGN KEY(action_id) REFERENCES action (id) ON DELETE CASCADE, FOREIGN "
        "KEY(undoes_id) REFERENCES history (id), PRIMARY KEY (id), action_id INTEGER NOT NULL, at "
        "DATETIME NOT NULL, author TEXT NOT NULL, field TEXT NOT NULL, group_id INTEGER REFERENCES "
        "history (id), id INTEGER NOT NULL, meeting_id INTEGER REFERENCES meeting (id), new TEXT, note "
        "TEXT NOT NULL, old TEXT, redoes_id INTEGER REFERENCES history (id), uid TEXT DEFAULT '' NOT "
        "NULL, undoes_id INTEGER)",
    ),
    "meeting": (
        'CREATE TABLE meeting (FOREIGN KEY(plan_id) REFERENCES "plan" (id) ON DELETE CASCADE, PRIMARY '
        "KEY (id), ended_at DATETIME, id INTEGER NOT NULL, plan_id INTEGER NOT NULL, recorded_by TEXT "
        "NOT NULL, scope TEXT NOT NULL, started_at DATETIME NOT NULL, title TEXT NOT NULL, uid TEXT "
        "DEFAULT '' NOT NULL)",
    ),
    "measure_value": (
        "CREATE TABLE measure_value (FOREIGN KEY(measure_id) REFERENCES measure (id) ON DELETE CASCADE, "
        "PRIMARY KEY (id), at DATETIME NOT NULL, author TEXT NOT NULL, id INTEGER NOT NULL, measure_id "
        "INTEGER NOT NULL, note TEXT NOT NULL, period TEXT NOT NULL, uid TEXT DEFAULT '' NOT NULL, value"
        " FLOAT NOT NULL)",
    ),
    "replica_state": (
        "CREATE TABLE replica_state (PRIMARY KEY (id), checked_out_at DATETIME NOT NULL, id INTEGER NOT "
        "NULL, local_history INTEGER NOT NULL, local_values INTEGER NOT NULL, plan_uid TEXT NOT NULL, "
        "synced_at DATETIME, upstream TEXT NOT NULL, upstream_history INTEGER NOT NULL, upstream_values "
        "INTEGER NOT NULL)",
    ),
    "sync_conflict": (
        "CREATE TABLE sync_conflict (FOREIGN KEY(action_id) REFERENCES action (id) ON DELETE CASCADE, "
        "PRIMARY KEY (id), action_id INTEGER NOT NULL, field TEXT NOT NULL, found_at DATETIME NOT NULL, "
        "id INTEGER NOT NULL, outcome TEXT NOT NULL, replaced_uid TEXT NOT NULL, reviewed_at DATETIME, "
        "reviewed_by TEXT NOT NULL, standing_uid TEXT NOT NULL, uid TEXT DEFAULT '' NOT NULL)",
    ),
}


_INDEXES_0009 = {
    **_INDEXES_0008,
    **{
        f"ix_{table}_uid": (f"CREATE UNIQUE INDEX ix_{table}_uid ON {table} (uid)",)
        for table in ("history", "meeting", "measure_value", "sync_conflict")
    },
    "ix_sync_conflict_action_id": ("CREATE INDEX ix_sync_conflict_action_id ON sync_conflict (action_id)",),
}


def _with_origin(sqls: tuple[str, ...], before: str) -> tuple[str, ...]:
    """A table's definitions with migration 0010's `origin` column among them (clauses are sorted)."""
    return tuple(sql.replace(before, f"origin TEXT DEFAULT '' NOT NULL, {before}") for sql in sqls)


_TABLES_0010 = {
    **_TABLES_0009,
    "history": _with_origin(_TABLES_0009["history"], "redoes_id INTEGER"),
    "measure_value": _with_origin(_TABLES_0009["measure_value"], "period TEXT"),
    "measure_change": (
        "CREATE TABLE measure_change (FOREIGN KEY(measure_id) REFERENCES measure (id) ON DELETE CASCADE, "
        "PRIMARY KEY (id), at DATETIME NOT NULL, author TEXT NOT NULL, field TEXT NOT NULL, id INTEGER NOT "
        "NULL, measure_id INTEGER NOT NULL, new TEXT, old TEXT, origin TEXT DEFAULT '' NOT NULL, uid TEXT "
        "DEFAULT '' NOT NULL)",
    ),
    "plan_log": (
        'CREATE TABLE plan_log ("key" TEXT NOT NULL, FOREIGN KEY(plan_id) REFERENCES "plan" (id) ON DELETE '
        "CASCADE, PRIMARY KEY (id), at DATETIME NOT NULL, author TEXT NOT NULL, field TEXT NOT NULL, id "
        "INTEGER NOT NULL, kind TEXT NOT NULL, new TEXT, old TEXT, origin TEXT DEFAULT '' NOT NULL, plan_id "
        "INTEGER NOT NULL, uid TEXT DEFAULT '' NOT NULL)",
    ),
    "replica_state": (
        "CREATE TABLE replica_state (PRIMARY KEY (id), checked_out_at DATETIME NOT NULL, id INTEGER NOT "
        "NULL, local_changes INTEGER DEFAULT '0' NOT NULL, local_history INTEGER NOT NULL, local_log "
        "INTEGER DEFAULT '0' NOT NULL, local_values INTEGER NOT NULL, plan_uid TEXT NOT NULL, synced_at "
        "DATETIME, upstream TEXT NOT NULL, upstream_changes INTEGER DEFAULT '0' NOT NULL, "
        "upstream_history INTEGER NOT NULL, upstream_log INTEGER DEFAULT '0' NOT NULL, upstream_values "
        "INTEGER NOT NULL)",
    ),
    "store_identity": (
        "CREATE TABLE store_identity (PRIMARY KEY (id), id INTEGER NOT NULL, made_at DATETIME NOT NULL, "
        "uid TEXT NOT NULL)",
    ),
}


_INDEXES_0010 = {
    **_INDEXES_0009,
    "ix_measure_change_uid": ("CREATE UNIQUE INDEX ix_measure_change_uid ON measure_change (uid)",),
    "ix_plan_log_plan_id": ("CREATE INDEX ix_plan_log_plan_id ON plan_log (plan_id)",),
    "ix_plan_log_uid": ("CREATE UNIQUE INDEX ix_plan_log_uid ON plan_log (uid)",),
}


def _reference(
    tables: dict[str, tuple[str, ...]], indexes: dict[str, tuple[str, ...]]
) -> dict[tuple[str, str], frozenset[str | None]]:
    objects: dict[tuple[str, str], frozenset[str | None]] = {}
    objects.update({("table", name): frozenset(sqls) for name, sqls in tables.items()})
    objects.update({("index", name): frozenset(sqls) for name, sqls in indexes.items()})
    objects.update(
        {
            ("index", name): frozenset({None})
            for name, table in {
                **_AUTOINDEXES_0001,
                **_AUTOINDEXES_0003,
                **_AUTOINDEXES_0005,
                **_AUTOINDEXES_0006,
                **_AUTOINDEXES_0007,
            }.items()
            if table in tables
        }
    )
    return objects


# For each revision: (type, name) -> every accepted canonical definition (None: SQLite made it itself).
# plantui makes no triggers and no views at any revision.
REFERENCE: dict[str | None, dict[tuple[str, str], frozenset[str | None]]] = {
    # An empty file, or one stamped but not yet filled: nothing but Alembic's version table.
    None: _reference({"alembic_version": _TABLES_0001["alembic_version"]}, {}),
    "0001": _reference(_TABLES_0001, _INDEXES_0001),
    "0002": _reference(_TABLES_0002, _INDEXES_0002),
    "0003": _reference(_TABLES_0003, _INDEXES_0002),
    "0004": _reference(_TABLES_0004, _INDEXES_0004),
    "0005": _reference(_TABLES_0005, _INDEXES_0004),
    "0006": _reference(_TABLES_0006, _INDEXES_0006),
    "0007": _reference(_TABLES_0007, _INDEXES_0006),
    "0008": _reference(_TABLES_0008, _INDEXES_0008),
    "0009": _reference(_TABLES_0009, _INDEXES_0009),
    "0010": _reference(_TABLES_0010, _INDEXES_0010),
}


def plantui_tables(revision: str) -> frozenset[str]:
    """The tables plantui's schema has at `revision` (for a server's catalogue)."""
    return frozenset(name for kind, name in REFERENCE[revision] if kind == "table")


@functools.lru_cache(maxsize=256)
def canonical(kind: str, sql: str | None) -> str | None:
    """A definition with layout removed: whitespace collapsed, and a table's clauses in sorted order."""
    if sql is None:
        return None
    text = " ".join(sql.split())
    if kind != "table":
        return text
    opening = text.find("(")
    if opening < 0 or not text.endswith(")"):
        return text
    head, body = text[:opening].rstrip(), text[opening + 1 : -1]
    return f"{head} ({', '.join(sorted(_top_level_clauses(body)))})"


_SIGNIFICANT = re.compile(r"""['"`\[\](),]""")


def _top_level_clauses(body: str) -> list[str]:
    """Split a table body at the commas outside parentheses and quotes (only those characters are
    visited, so a definition is split in a few microseconds)."""
    clauses, depth, quote, start = [], 0, "", 0
    for match in _SIGNIFICANT.finditer(body):
        char = match.group()
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"`[":
            quote = "]" if char == "[" else char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            clauses.append(body[start : match.start()].strip())
            start = match.end()
    clauses.append(body[start:].strip())
    return clauses


_KIND_WORDS = {"table": "a table", "index": "an index", "trigger": "a trigger", "view": "a view"}


def schema_problem(
    rows: Iterable[tuple[str, str, str, str | None]],
    revision: str | None,
    also_accepted: dict[tuple[str, str], frozenset[str | None]] | None = None,
) -> str:
    """What in these `sqlite_master` rows plantui did not make at `revision`, or "" when nothing.

    Words to follow the file's name, e.g. "has a trigger 'x' that plantui did not make". A revision
    with no reference (a newer plantui's) is judged by what no plantui makes: triggers and views.
    `also_accepted` adds definitions to the reference (what this installation's SQLAlchemy renders).
    """
    reference = REFERENCE.get(revision)
    if reference is not None and also_accepted:
        reference = {
            key: accepted | also_accepted.get(key, frozenset()) for key, accepted in reference.items()
        }
    seen: set[tuple[str, str]] = set()
    for kind, name, _table, sql in sorted(rows, key=lambda row: (str(row[0]), str(row[1]))):
        key = (kind, name)
        seen.add(key)
        if kind == "table" and name in SQLITE_INTERNAL_TABLES:
            continue
        if reference is None:
            if kind in ("table", "index"):
                continue
            return f"has {_KIND_WORDS.get(kind, kind)} '{visible(str(name))}' that plantui did not make"
        accepted = reference.get(key)
        if accepted is None:
            return f"has {_KIND_WORDS.get(kind, str(kind))} '{visible(str(name))}' that plantui did not make"
        if canonical(kind, sql) not in accepted:
            return f"has {_KIND_WORDS[kind]} '{visible(name)}' whose definition plantui did not make"
    if reference is not None and revision is not None:  # no revision: an empty file, being made
        missing = sorted(set(reference) - seen)
        if missing:
            kind, name = missing[0]
            return f"lacks plantui's {kind} '{name}' (schema {revision})"
    return ""


def sqlite_schema_problem(conn, revision: str | None) -> str:
    """`schema_problem` for an open `sqlite3` connection (or cursor-like object with `execute`)."""
    return schema_problem(conn.execute(SQLITE_MASTER_QUERY).fetchall(), revision)


# Triggers and rules someone added to plantui's tables on a PostgreSQL server (internal triggers are
# the ones PostgreSQL makes for foreign keys). Rules other than a view's own `_RETURN` can rewrite an
# INSERT into something else, as a trigger can.
POSTGRES_ADDED_OBJECTS = """
    SELECT 'trigger', t.tgname, c.relname
    FROM pg_trigger t
    JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE NOT t.tgisinternal AND n.nspname = current_schema() AND c.relname = ANY(:tables)
    UNION ALL
    SELECT 'rule', r.rulename, c.relname
    FROM pg_rewrite r
    JOIN pg_class c ON c.oid = r.ev_class
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE r.rulename <> '_RETURN' AND n.nspname = current_schema() AND c.relname = ANY(:tables)
    ORDER BY 1, 2
"""


def postgres_problem(rows: Iterable[tuple[str, str, str]]) -> str:
    for kind, name, table in rows:
        return (
            f"has a {kind} '{visible(name)}' on plantui's table '{visible(table)}' that plantui did not make"
        )
    return ""


_PLANTUI_REVISION = re.compile(r"^\d{4}$")


def is_plantui_revision(revision: str) -> bool:
    """Whether a revision id is named the way plantui names its revisions ("0002"), so an unknown one
    is a newer plantui's and not another application's (Alembic's own ids are 12 hex digits)."""
    return bool(_PLANTUI_REVISION.match(revision))
