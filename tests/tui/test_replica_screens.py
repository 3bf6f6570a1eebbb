"""The workbench on a replica: the banner says of what, when it last synced and what waits; the palette
syncs; the conflicts screen keeps what stands or re-applies what it replaced."""

from __future__ import annotations

from pathlib import Path

from plantui.store.changes import set_status
from plantui.store.opening import open_database
from plantui.store.replicas import checkout, list_conflicts, replica_summary, sync
from tests.conftest import stored_plan
from tests.tui.conftest import SIZE, build_app, notices, screen_text, settle


def two_replicas_in_conflict(tmp_path: Path) -> tuple[Path, Path]:
    """A shared file and two replicas that set 1.1.1.1 differently; Ben's sync came last, so his
    value stands and Ann's replica (not synced since) still holds her own."""
    shared = stored_plan(tmp_path / "shared.db")
    upstream = open_database(shared, daily_backup=False)
    paths = tmp_path / "ann.db", tmp_path / "ben.db"
    try:
        for path in paths:
            checkout(upstream, str(shared), path)
        for path, who, code in ((paths[0], "Ann", "off_track"), (paths[1], "Ben", "on_track")):
            replica = open_database(path, daily_backup=False)
            set_status(replica, "1.1.1.1", code, author=who)
            sync(replica, upstream)
            replica.close()
    finally:
        upstream.close()
    return paths


async def test_the_banner_says_what_waits_and_syncing_from_the_palette_brings_the_conflict(tmp_path: Path):
    ann, _ben = two_replicas_in_conflict(tmp_path)
    with _opened(ann) as database:
        set_status(database, "1.1.1.2", "complete", author="Ann")  # made offline since
    app = build_app(ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        banner = screen_text(app).splitlines()[1]
        assert "Replica of shared.db, synced" in banner and "1 to send" in banner
        assert "changed on both sides" not in banner
        names = [command.name for command in app.screen.palette_commands()]
        assert "Sync with the upstream" in names and "Review sync conflicts" in names
        await pilot.press("ctrl+p", *"sync with", "enter")
        await settle(pilot)
        assert any(n.startswith("Sent 1 change, brought down 1") for n in notices(app))
        banner = screen_text(app).splitlines()[1]
        assert "0 to send" in banner and "1 field changed on both sides" in banner
        row = next(r for r in app.model.rows if r.ref == "1.1.1.1")
        assert row.status == "on_track"  # Ben's, which the upstream ordered last


async def test_the_conflicts_screen_reapplies_the_replaced_value_as_a_new_change(tmp_path: Path):
    ann, _ben = two_replicas_in_conflict(tmp_path)
    with _opened(ann) as database, _opened(tmp_path / "shared.db") as upstream:
        sync(database, upstream)
    app = build_app(ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.action_conflicts()
        await settle(pilot)
        shown = screen_text(app)
        assert "1.1.1.1" in shown and "stands:   ● On track  by Ben" in shown
        assert "replaced: ✖ Off track  by Ann" in shown
        await pilot.press("r")
        await settle(pilot)
        assert "No conflicts to review." in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        row = next(r for r in app.model.rows if r.ref == "1.1.1.1")
        assert row.status == "off_track"
        assert "changed on both sides" not in screen_text(app).splitlines()[1]
    with _opened(ann) as database:
        [conflict] = list_conflicts(database, all_of_them=True)
        assert (conflict.outcome, conflict.reviewed_by) == ("reapplied", app.author)
        assert replica_summary(database).waiting == 1  # the re-applied change waits to go up


class _opened:
    def __init__(self, path: Path) -> None:
        self.database = open_database(path, daily_backup=False)

    def __enter__(self):
        return self.database

    def __exit__(self, *exc) -> None:
        self.database.close()


async def test_a_sync_from_the_palette_says_it_ended_the_meeting_left_open_here(tmp_path: Path):
    """A meeting on the laptop and a later one on the server, both still open: the sync leaves the
    later one open, the notice says one was ended, and the workbench is then in the server's meeting."""
    from datetime import datetime

    from plantui.store.meetings import start_meeting

    shared = stored_plan(tmp_path / "shared.db")
    ann = tmp_path / "ann.db"
    with _opened(shared) as upstream:
        checkout(upstream, str(shared), ann)
        start_meeting(upstream, "Board", author="Chair", at=datetime(2022, 11, 1, 11, 0))
    with _opened(ann) as database:
        start_meeting(database, "Ann's board", author="Ann", at=datetime(2022, 11, 1, 10, 0))
    app = build_app(ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.session.open_meeting.title == "Ann's board"
        await pilot.press("ctrl+p", *"sync with", "enter")
        await settle(pilot)
        assert any(
            "1 meeting left open on both sides was ended: the one started last stays open" in n
            for n in notices(app)
        )
        assert app.session.open_meeting is not None and app.session.open_meeting.title == "Board"
