"""A second program writing to a plan store, for the fault tests:
`python plan_writer.py DB REF MODE COUNT [PAUSE]`.

Changes REF's status COUNT times (0: until its stdin is closed, or it is killed), cycling through
every status so each change is a real one, and prints `saved <history id> <ref> <status>` only
after the change is committed.

MODE is how the change is made:
  tui  one Database held open for the whole run, each change made on a worker thread while the main
       thread waits for the result, as the workbench does (it uses the same store services)
  cli  each change through the real `plantui set` command, in this process: open, change, close

PAUSE is seconds to wait between changes (default 0: flat out).

Exits 1 with the errors on stderr if any change failed (e.g. "database is locked").
"""

from __future__ import annotations

import io
import re
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stdout
from itertools import count as counter

from plantui.domain.statuses import STATUS_CODES

stop = threading.Event()


def _stop_when_stdin_closes() -> None:
    sys.stdin.read()
    stop.set()


def next_codes(current: str):
    """Every status in turn, starting after the current one, so no change is a no-op."""
    start = STATUS_CODES.index(current) + 1
    for i in counter(start):
        yield STATUS_CODES[i % len(STATUS_CODES)]


def tui_writer(db: str, ref: str, count: int, pause: float) -> list[str]:
    from plantui.store.changes import set_status
    from plantui.store.opening import open_database
    from plantui.store.queries import get_action

    database = open_database(db, create=False)
    failures = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-worker") as worker:
        current = worker.submit(get_action, database, ref).result().status
        for n, code in enumerate(next_codes(current), start=1):
            try:
                result = worker.submit(set_status, database, ref, code, author=f"tui-{ref}").result()
            except Exception as error:  # report every failure, keep going
                failures.append(f"change {n}: {type(error).__name__}: {error}")
            else:
                if result.entry is None:  # another program had set this status meanwhile
                    failures.append(f"change {n}: {ref} already had {code}; nothing changed")
                else:
                    print(f"saved {result.entry.id} {ref} {code}", flush=True)
                worker.submit(get_action, database, ref).result()  # the screen refreshes its row
            if n == count or stop.wait(pause):
                break
    database.close()
    return failures


_SAVED = re.compile(r"\(history #(\d+)\)")


def cli_writer(db: str, ref: str, count: int, pause: float) -> list[str]:
    from plantui.cli.main import cli
    from plantui.store.opening import open_database
    from plantui.store.queries import get_action

    database = open_database(db, create=False)
    current = get_action(database, ref).status
    database.close()
    failures = []
    for n, code in enumerate(next_codes(current), start=1):
        out = io.StringIO()
        with redirect_stdout(out):
            status = cli.main(
                ["--db", db, "set", ref, "--rag", code, "--author", f"cli-{ref}"],
                prog_name="plantui",
                standalone_mode=False,
            )
        saved = _SAVED.search(out.getvalue())
        if status not in (None, 0) or saved is None:
            failures.append(f"change {n}: exit {status}: {out.getvalue().strip()}")
        else:
            print(f"saved {saved[1]} {ref} {code}", flush=True)
        if n == count or stop.wait(pause):
            break
    return failures


def main() -> int:
    db, ref, mode, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    pause = float(sys.argv[5]) if len(sys.argv) > 5 else 0.0
    writer = {"tui": tui_writer, "cli": cli_writer}[mode]
    if count == 0:
        threading.Thread(target=_stop_when_stdin_closes, daemon=True).start()
    failures = writer(db, ref, count, pause)
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
