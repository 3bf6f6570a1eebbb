"""The `plantui` process ends at once after its command, and loses nothing by it: its exit status,
everything it wrote to stdout and stderr, the atexit handlers, a thread still running, the store
closed clean."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from plantui.cli.process_end import exit_status


def python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


def plantui(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "plantui", *args], capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("code", "status"), [(None, 0), (0, 0), (2, 2), (130, 130), (True, 1), (False, 0), ("a message", 1)]
)
def test_exit_status_is_what_sys_exit_gives(code: object, status: int) -> None:
    assert exit_status(code) == status


def test_buffered_output_and_atexit_handlers_survive() -> None:
    proc = python(
        "import atexit, sys\n"
        "from plantui.cli.process_end import end_process\n"
        "atexit.register(lambda: print('handler ran'))\n"
        "sys.stdout.write('x' * 100_000)\n"  # more than one buffer's worth, none of it flushed
        "sys.stderr.write('to stderr')\n"
        "end_process(3)\n"
    )
    assert proc.returncode == 3
    assert proc.stdout == "x" * 100_000 + "handler ran\n"
    assert proc.stderr == "to stderr"


def test_a_message_goes_to_stderr_with_status_1() -> None:
    proc = python("from plantui.cli.process_end import end_process\nend_process('plantui: stopped')\n")
    assert (proc.returncode, proc.stderr) == (1, "plantui: stopped\n")


def test_a_running_thread_is_waited_for() -> None:
    proc = python(
        "import threading, time\n"
        "from plantui.cli.process_end import end_process\n"
        "def late():\n"
        "    time.sleep(0.2)\n"
        "    print('thread finished', flush=True)\n"
        "threading.Thread(target=late).start()\n"
        "end_process(0)\n"
    )
    assert (proc.returncode, proc.stdout) == (0, "thread finished\n")


def test_commands_keep_their_output_and_status(tmp_path: Path) -> None:
    db = str(tmp_path / "plan.db")
    demo = plantui("--db", db, "demo")
    assert demo.returncode == 0 and demo.stdout.startswith("Loaded the sample plan")
    exported = plantui("--db", db, "export", "--format", "json")
    assert exported.returncode == 0
    assert len(json.loads(exported.stdout)["themes"]) == 4  # the whole document, to its last byte
    refused = plantui("--db", db, "list", "--rag", "mauve")
    assert refused.returncode == 2 and refused.stderr.startswith("plantui: --rag: unknown status 'mauve'")
    assert "Traceback" not in refused.stderr
    # Every command closed the store itself: SQLite's last close checkpointed and removed the WAL.
    assert not Path(db + "-wal").exists()
    assert not Path(db + "-shm").exists()


def test_a_reader_that_goes_away_is_not_a_traceback(tmp_path: Path) -> None:
    db = str(tmp_path / "plan.db")
    plantui("--db", db, "demo")
    proc = subprocess.run(
        f"{shlex.quote(sys.executable)} -m plantui --db {shlex.quote(db)} export | head -c 10",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert len(proc.stdout) == 10
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr
