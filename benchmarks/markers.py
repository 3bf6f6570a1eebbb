"""What the benchmark looks for on screen and which keys it presses: the one place to change them.

The harness drives whatever TUI is on main. Adjust here when the screens or keys change, not in
run.py. A measurement whose keys do nothing on the current TUI fails with the reason in its row.
"""

from __future__ import annotations

# The first screen is "shown" when every one of these is on it. plantui's filter line says "N of N
# actions" once the action table is filled (its tree shows counts, not always the theme titles), and
# the minimal app shows an "... actions" line of its own when its table and tree are drawn; both have
# a footer with the quit key.
FIRST_SCREEN = (" actions", "Quit")

# Keys sent once after the first screen, before the interactive measurements: put the cursor on
# an action in the action table. plantui starts with the table focused, its cursor on the first row.
FOCUS_ACTION_TABLE: tuple[str, ...] = ()

# Status changes alternate between these (status code, key that sets it, a mark the row shows). Keys
# 1-6 set the status of the table's selected row (domain/statuses.py gives each status its key).
STATUS_STEPS = (("off_track", "4", "✖"), ("on_track", "2", "●"))

# The filter: keys that open it (sent once), then each repetition types one character and the
# next deletes it again.
OPEN_FILTER: tuple[str, ...] = ("/",)  # tmux key names or literal characters ("slash" would be typed)
FILTER_TEXT = "e"  # not "q": where the filter does not open, q quits

# Cursor moves: keys that focus each widget (sent once), then Down and Up alternately. After the
# filter is closed with Escape the table has the focus; Shift+Tab (tmux "BTab") moves it to the tree,
# whose cursor picks the part of the plan the table shows, so a tree step also refilters the table.
FOCUS_TREE: tuple[str, ...] = ("BTab",)
CURSOR_STEPS = ("Down", "Up")

# The scorecard: the key that opens it from the main screen, and what it shows once its table is
# filled with the big plan's 500 measures (the heading counts them).
OPEN_SCORECARD: tuple[str, ...] = ("K",)
SCORECARD_SHOWN = "500 measures"

# How `plantui report` is called, once for each of REPORT_FORMATS. {db}, {fmt} and {out} are filled in.
REPORT_COMMAND = ("--db", "{db}", "--today", "2026-03-31", "report", "--format", "{fmt}", "-o", "{out}")
REPORT_FORMATS = ("html", "pdf", "docx")

# The TUI may write "<time.monotonic()> <event> <detail>" lines to this file when a frame with a
# change has been drawn (see README.md); where it does, latencies come from it.
TRACE_VARIABLE = "PLANTUI_BENCH_TRACE"
