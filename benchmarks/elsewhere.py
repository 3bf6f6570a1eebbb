"""Another process's change, timed to the open workbench's screen, and the workbench's idle CPU.

`measure_elsewhere(open_window, close_window, shows_first_screen, target, ...)` opens the workbench
on the plan at `target` (a SQLite file or a PostgreSQL URL) in a tmux window, then:

- idle CPU: the workbench's user + system time (`/proc/PID/stat`, the whole process, its watcher
  thread included) over `idle_seconds` of nobody touching it, as a share of one core;
- change to screen: a writer process (plantui's own `store.changes.set_status`, kept running so its
  start-up is not measured and does not compete) sets action 1.1.1.1 off track and on track in
  turn, as the workbench's own user (see AUTHOR), and says `time.monotonic()` the moment the commit
  returned. The clock stops at the terminal write that put the new status on 1.1.1.1's row in the
  table (CLOCK_MONOTONIC is one clock for every process).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from measures import Row
from terminal import TerminalError, Window

REF = "1.1.1.1"
STEPS = (("off_track", "✖ Off track"), ("on_track", "● On track"))  # as the table says them
CHANGE_TIMEOUT = 5.0
# The writer records as the workbench's own user (the same person's other window or `plantui set`):
# a colleague's change also raises a toast, and a stack of toasts would cover the row being watched.
# The way to the screen is the same.
AUTHOR = "Bench"

# The writer: one line in ("CODE"), one line out (the monotonic time its commit returned).
WRITER = """
import sys, time
from plantui.store.changes import set_status
from plantui.store.opening import open_database
database = open_database(sys.argv[1])
print("ready", flush=True)
for line in sys.stdin:
    set_status(database, sys.argv[2], line.strip(), author=sys.argv[3])
    print(time.monotonic(), flush=True)
database.close()
"""


def cpu_seconds(pid: int) -> float:
    """User + system time of process `pid` so far (all its threads), from /proc."""
    # The command name (field 2) is in brackets and may hold spaces: count fields after it.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def idle_cpu_percent(window: Window, seconds: float) -> float:
    pid = window.pid()
    before, started = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    used, elapsed = cpu_seconds(pid) - before, time.monotonic() - started
    return used / elapsed * 100


def row_shows(words: str) -> Callable[[str], bool]:
    """Whether the table's row for REF shows the status `words`. Only what follows the ref counts (the
    plan tree to its left shows counts by status), and only REF itself, not 1.1.1.10 or 1.1.1.11; a
    toast's line says "->" and does not count."""
    ref = re.compile(rf"(?<![\d.]){re.escape(REF)}(?![\d.])")

    def shows(screen: str) -> bool:
        for line in screen.splitlines():
            found = ref.search(line)
            if found and "->" not in line and words in line[found.end() :]:
                return True
        return False

    return shows


def measure_elsewhere(
    open_window: Callable[[], Window],
    close_window: Callable[[Window], None],
    shows_first_screen: Callable[[str], bool],
    target: str,
    change_row: Row,
    idle_row: Row,
    reps: int,
    idle_seconds: float,
) -> None:
    """Fill `idle_row` and `change_row` for the workbench `open_window()` starts on `target`."""
    window = open_window()
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, target, REF, AUTHOR],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        window.wait(shows_first_screen, 60)
        window.settle(quiet=1.0, timeout=15)
        if writer.stdout is None or writer.stdout.readline().strip() != "ready":
            raise RuntimeError(f"the writer did not start: {writer.stderr.read() if writer.stderr else ''}")
        idle_row.samples = [idle_cpu_percent(window, idle_seconds)]
        idle_row.note = f"user + system of the workbench over {idle_seconds:.0f} s untouched, /proc/PID/stat"
        for rep in range(reps + 1):  # the first is a warm-up, not counted
            code, words = STEPS[rep % len(STEPS)]
            window.settle(quiet=0.15)
            assert writer.stdin is not None
            writer.stdin.write(code + "\n")
            writer.stdin.flush()
            line = writer.stdout.readline()
            if not line:
                raise RuntimeError(f"the writer stopped: {writer.stderr.read() if writer.stderr else ''}")
            committed = float(line)
            try:
                seen, _ = window.wait(row_shows(words), CHANGE_TIMEOUT)
            except TerminalError as error:
                raise TerminalError(
                    f"{REF} did not show {words!r} within {CHANGE_TIMEOUT:.0f} s of the commit", error.screen
                ) from None
            if rep:
                change_row.samples.append(window.drawn_at(committed, seen) - committed)
    finally:
        if writer.stdin is not None:
            writer.stdin.close()
        try:
            writer.wait(10)
        except subprocess.TimeoutExpired:
            writer.kill()
        close_window(window)
