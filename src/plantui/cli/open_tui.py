"""Opening the terminal workbench: the one place the CLI hands over to the TUI."""

from __future__ import annotations

from plantui.cli.main import Options


def open_tui(options: Options) -> None:
    from plantui.io.sample import load_sample
    from plantui.io.settings import load_settings
    from plantui.store.location import resolve
    from plantui.store.plans import is_empty, load_document
    from plantui.tui.app import PlanApp

    location = resolve(options.db)
    is_new = location.path is not None and not location.path.exists()
    database = options.open()
    notices = list(database.notices)
    if is_empty(database) and not database.readonly and options.as_at is None:
        load_document(database, load_sample())
        what = "new" if is_new else "empty"
        notices.append(f"Loaded the bundled sample plan into the {what} database {database.display}")
    app = PlanApp(
        database,
        today=options.today,
        author=options.who(database),
        notices=notices,
        theme=load_settings().get("theme"),
        as_at=options.as_at,
    )
    try:
        app.run()
    finally:
        database.close()
