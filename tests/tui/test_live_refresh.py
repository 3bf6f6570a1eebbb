"""The workbench takes in changes committed elsewhere (another window, a CLI call, a colleague on the
shared server) without a restart, and tells the user whose change it was: on SQLite by polling, on
PostgreSQL by LISTEN/NOTIFY."""

from __future__ import annotations

import asyncio

from plantui.store.changes import set_status
from plantui.store.opening import open_database
from plantui.tui.app import PlanApp
from plantui.tui.widgets.action_table import ActionTable
from tests.conftest import TODAY
from tests.tui.conftest import AUTHOR, SIZE, notices, settle


async def wait_for(pilot, condition, seconds: float = 10.0) -> bool:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await asyncio.sleep(0.05)
        await pilot.pause()
    return condition()


async def test_a_change_made_elsewhere_appears_with_who_made_it(database, db_target: str) -> None:
    app = PlanApp(database, today=TODAY, author=AUTHOR, live_refresh_seconds=0.1)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert await wait_for(pilot, lambda: app.model is not None)
        other = open_database(db_target)  # a second connection: another person or window
        try:
            set_status(other, "1.1.1.3", "off_track", note="Post withdrawn", author="Colleague")
        finally:
            other.close()
        table = pilot.app.screen.query_one(ActionTable)
        assert await wait_for(pilot, lambda: app.model.row("1.1.1.3").status == "off_track")
        assert next(r for r in table.rows if r.ref == "1.1.1.3").status == "off_track"
        assert app.model.total["off_track"] == 3  # the counts moved with it
        messages = notices(app)
        assert any("Colleague · 1.1.1.3: ● On track -> ✖ Off track" in m for m in messages)
        app.workers.cancel_all()
        await settle(pilot)
