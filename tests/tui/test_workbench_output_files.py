"""The workbench's exports and board report are written like the CLI's: private (0600) and whole, and
a FIFO or device chosen in the report dialog is written into, never replaced (see plantui.io.atomic)."""

from __future__ import annotations

import os
import stat
import threading
from datetime import date
from pathlib import Path

import pytest

from tests.tui.conftest import SIZE, settle


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
