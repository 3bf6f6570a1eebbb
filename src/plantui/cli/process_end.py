"""Ending the `plantui` process once its command is done, without Python's object-by-object teardown.

At a normal exit the interpreter frees every module and every object it still holds, one at a time:
about 70 ms after any command that opened the store (SQLAlchemy is large), and 0.1-0.2 s after
importing a 10,000-action plan, for memory the system takes back at once when the process ends.
`end_process` does what a normal exit does that anyone can see (the atexit handlers, flushing stdout
and stderr) and then leaves with `os._exit`. Where another thread is still running, it takes the
normal exit, which waits for that thread as Python always does.

Nothing plantui writes depends on a finaliser: every command closes its database and its files
itself before it returns, and SQLite has made each commit durable by then.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn


def exit_status(code: object) -> int:
    """The process exit status `sys.exit(code)` gives: None is 0, an int is itself (a bool too, as
    an int), anything else (a message) is 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return int(code)
    return 1


def end_process(code: object) -> NoReturn:
    """Leave the process with the status `sys.exit(code)` would give, skipping the interpreter's
    teardown when no other thread is running."""
    if threading.active_count() > 1:
        raise SystemExit(code)
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)  # what sys.exit does with a message
    status = exit_status(code)
    # atexit's own runner is not public API, but it is the one the interpreter itself calls; handlers
    # registered by libraries (logging's flush among them) still run, in their usual order.
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None and not stream.closed:
                stream.flush()
        except (BrokenPipeError, ValueError):
            # A reader that went away (`plantui list | head`) is not an error of the command's.
            pass
    os._exit(status)
