"""Opening the terminal workbench: the one place the CLI hands over to the TUI.

A SQLite file at the current schema is read as a snapshot with the standard library and shown at
once; the store opens behind the first frame. Anything else (a server, a file to migrate or to fill
with the sample, an "as at" view) opens the store first, as every other command does.
"""

from __future__ import annotations

from plantui.cli.options import Options


def open_tui(options: Options) -> None:
    from plantui.domain.errors import StoreError
    from plantui.io.settings import load_settings
    from plantui.store.location import resolve
    from plantui.store.snapshot import read_snapshot

    location = resolve(options.db)
    snapshot = read_snapshot(location) if options.as_at is None else None
    opened = []
    keymap, keymap_problems = _user_keymap()

    def open_store():  # -> Database, in the app's worker after the first frame
        opened.append(options.open(create=False, echo=False))
        return opened[-1]

    if snapshot is not None:
        from plantui.tui.app import PlanApp

        app = PlanApp(
            today=options.today,
            author=options.who(),
            open_store=open_store,
            snapshot=snapshot,
            theme=load_settings().get("theme"),
            keymap=keymap,
            notices=keymap_problems,
        )
    else:
        opened.append(_open_before_the_app(options, location))
        from plantui.tui.app import PlanApp

        app = PlanApp(
            opened[0],
            today=options.today,
            author=options.who(opened[0]),
            notices=[*opened[0].notices, *keymap_problems],
            theme=load_settings().get("theme"),
            keymap=keymap,
            as_at=options.as_at,
        )
    try:
        app.run()
    finally:
        for database in opened:
            database.close()
    if app.store_error is not None:
        raise StoreError(app.store_error)


def _user_keymap() -> tuple[dict[str, str], list[str]]:
    """The user's keymap.toml, checked: the entries to use, and a line for each one left out.
    Nothing is imported for it unless the file exists, so the first frame does not wait for it."""
    from plantui.io.keymap import keymap_path, read_keymap

    if not keymap_path().exists():
        return {}, []
    keymap, problems = read_keymap()
    from plantui.tui.keys import checked_keymap

    kept, unknown = checked_keymap(keymap)
    return kept, [*problems, *unknown]


def _open_before_the_app(options: Options, location):  # -> Database, with the sample in a new file
    from plantui.io.sample import load_sample
    from plantui.store.plans import is_empty, load_document

    is_new = location.path is not None and not location.path.exists()
    database = options.open(echo=False)
    if is_empty(database) and not database.readonly and options.as_at is None:
        load_document(database, load_sample())
        what = "new" if is_new else "empty"
        database.notices.append(f"Loaded the bundled sample plan into the {what} database {database.display}")
    return database
