"""The workbench's exports and board report are written like the CLI's: private (0600) and whole, and
a FIFO or device chosen in the report dialog is written into, never replaced (see plantui.io.atomic);
they go to the folder the user chose once (default `reports/` in the data folder), never to wherever
the terminal happened to be."""

from __future__ import annotations

import os
import stat
import threading
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, Label, Static

from tests.tui.conftest import SIZE, notices, settle


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
async def test_workbench_exports_are_private(make_app, tmp_path: Path) -> None:
    app = make_app()
    app.export_folder = tmp_path / "exports"
    app.export_folder.mkdir()
    old_umask = os.umask(0o022)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.action_export()
            app.export_table("csv")
            app.export_table("xlsx")
            await settle(pilot)
    finally:
        os.umask(old_umask)
    written = sorted(p.name for p in app.export_folder.iterdir())
    assert written == [
        "plantui-actions-2022-11-01.csv",
        "plantui-actions-2022-11-01.xlsx",
        "plantui-plan-2022-11-01.json",
    ]
    for path in app.export_folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


@pytest.mark.skipif(os.name != "posix", reason="FIFOs are POSIX")
def test_the_report_dialogs_writer_never_replaces_a_fifo(make_app, tmp_path: Path) -> None:
    from plantui.tui.dialogs.report import ReportChoice, write_board_report

    app = make_app()
    fifo = tmp_path / "report-pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_board_report(app.database, ReportChoice("md", None, fifo), date(2022, 11, 1))
    reader.join(timeout=30)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received and received[0].startswith(b"# ")


async def test_exports_go_to_the_data_folders_reports_not_the_current_folder(
    make_app, tmp_path: Path, monkeypatch
) -> None:
    from plantui.io.settings import default_output_folder

    elsewhere = tmp_path / "where-the-terminal-was"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_export()
        await settle(pilot)
    reports = default_output_folder()
    assert reports.name == "reports" and Path.home() in reports.parents
    assert [p.name for p in reports.iterdir()] == ["plantui-plan-2022-11-01.json"]
    assert list(elsewhere.iterdir()) == []
    assert f"Exported the plan as JSON to {reports / 'plantui-plan-2022-11-01.json'}" in notices(app)


async def test_the_folder_chosen_in_the_palette_is_used_and_remembered(make_app, tmp_path: Path) -> None:
    from plantui.tui.dialogs.folder import FolderDialog

    chosen = tmp_path / "board papers" / "[2022]"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_choose_export_folder()
        await settle(pilot)
        assert isinstance(app.screen, FolderDialog)
        field = app.screen.query_one("#folder-path", Input)
        field.value = str(tmp_path / "a-file")
        (tmp_path / "a-file").write_text("not a folder")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FolderDialog)
        assert "is a file, not a folder" in str(app.screen.query_one("#folder-problem", Static).render())
        field.value = str(chosen)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, FolderDialog)
        assert f"Exports and reports now go to {chosen}" in notices(app)
        app.export_table("csv")
        await settle(pilot)
    assert (chosen / "plantui-actions-2022-11-01.csv").exists()

    again = make_app(name="second.db")  # a new session reads the remembered folder
    assert again.export_folder == chosen


async def test_a_report_written_to_another_folder_makes_it_the_folder_for_next_time(
    make_app, tmp_path: Path
) -> None:
    from plantui.tui.dialogs.report import ReportDialog

    other = tmp_path / "committee"
    other.mkdir()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.board.report()
        await settle(pilot)
        assert isinstance(app.screen, ReportDialog)
        assert f"File, in {app.export_folder}" in app.screen.query_one("#report-file-label", Label).content
        app.screen.query_one("#report-file", Input).value = str(other / "board.html")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert (other / "board.html").exists()
        assert any("now go to that folder" in text for text in notices(app))
    assert make_app(name="second.db").export_folder == other
