"""Fixtures for the workbench tests: an App over a temporary database, fixed day, author and size."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from plantui.domain.document import PlanDocument
from plantui.tui.app import PlanApp
from plantui.tui.widgets.action_table import ActionTable
from tests.conftest import TODAY, mini_plan, wait_for_workers

AUTHOR = "Test Lead"
SIZE = (120, 36)


_TEMPLATES: dict[bool, Path] = {}

NOTICE_SECONDS_IN_TESTS = 600.0


@pytest.fixture(autouse=True)
def notices_outlast_the_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """A notice lasts a few seconds of wall time; on a loaded machine a test could look for it after
    it went. In the tests every notice stays up until the test is over (what it says is unchanged)."""
    from textual.app import App

    real_notify = App.notify

    def notify(self, message, *, title="", severity="information", timeout=None, markup=True):
        return real_notify(
            self, message, title=title, severity=severity, timeout=NOTICE_SECONDS_IN_TESTS, markup=markup
        )

    monkeypatch.setattr(App, "notify", notify)


def _template(markup: bool, folder: Path) -> Path:
    """A plan database made once per test process and copied for each test (migrations take time)."""
    from plantui.store.opening import open_database
    from plantui.store.plans import load_document

    if markup not in _TEMPLATES:
        path = folder / f"template-{'markup' if markup else 'plain'}.db"
        db = open_database(path)
        load_document(db, mini_plan(markup=markup))
        db.close()
        _TEMPLATES[markup] = path
    return _TEMPLATES[markup]


def build_app(
    path: Path,
    doc: PlanDocument | None = None,
    *,
    readonly: bool = False,
    markup: bool = False,
    live_refresh_seconds: float | None = None,
) -> PlanApp:
    """The app over `path`; it does not watch for other people's changes unless asked, so that
    `settle` can wait for every worker to finish."""
    from plantui.store.opening import open_database
    from plantui.store.plans import load_document

    if not path.exists():
        if doc is None:
            shutil.copyfile(_template(markup, Path(tempfile.mkdtemp(prefix="plantui-template-"))), path)
        else:
            db = open_database(path)
            load_document(db, doc)
            db.close()
    database = open_database(path, readonly=readonly)
    app = PlanApp(database, today=TODAY, author=AUTHOR, live_refresh_seconds=live_refresh_seconds)
    app.animation_level = "none"
    return app


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., PlanApp]:
    apps: list[PlanApp] = []

    def make(
        doc: PlanDocument | None = None,
        *,
        readonly: bool = False,
        markup: bool = False,
        name: str = "plan.db",
    ) -> PlanApp:
        app = build_app(tmp_path / name, doc, readonly=readonly, markup=markup)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.database.close()


def screen_text(app) -> str:
    """The text the terminal shows now, line by line. Textual offers no public read of the rendered
    screen short of an SVG screenshot, so this one helper reads the compositor's strips."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def notices(app) -> list[str]:
    """The messages of the notifications the app is showing now."""
    return [message for _title, message in titled_notices(app)]


def titled_notices(app) -> list[tuple[str, str]]:
    """(title, message) of each notification the app is showing now (one private read, kept here)."""
    return [(str(n.title), str(n.message)) for n in app._notifications]


# Every action of the mini plan, in plan order.
ALL_REFS = ["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.2.1.1", "1.2.1.2", "2.1.1.1", "2.1.1.2"]


def shown(app) -> list[str]:
    """The refs of the rows the action table shows now, top to bottom."""
    return [row.ref for row in app.screen.query_one("#table", ActionTable).rows]


def status_line(app) -> str:
    """What the status line above the table says now (saved changes are told there, not in toasts)."""
    return app.screen.query_one("#filter-status").render().plain


async def settle(pilot: Pilot) -> None:
    """Wait until every worker (loading, saving, history) is done and the screen has caught up."""
    await pilot.pause()
    await wait_for_workers(pilot.app)
    await pilot.pause()
    await wait_for_workers(pilot.app)
    await pilot.pause()
    for widget in pilot.app.screen.query("Input, TextArea"):
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = False
