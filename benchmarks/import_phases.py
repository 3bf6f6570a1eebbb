"""Where `plantui import` of a plan file into a new SQLite file spends its time, phase by phase.

Each repetition runs in a new interpreter (imports are phases too) and calls what `plantui import`
calls, in its order: importing the CLI, reading and checking the file, importing SQLAlchemy and the
store, creating the file, loading the plan, closing. Prints the median CPU and wall time of each.

    python benchmarks/import_phases.py var/bench/plan-10000-100000-seed1.json --reps 7

To compare with other code, run it again with PYTHONPATH naming that code's `src`, interleaving the
runs yourself: on a shared machine only figures taken side by side mean anything.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PHASES = (
    "import plantui.cli.main",
    "read the file",
    "json.loads",
    "check the plan",
    "import SQLAlchemy",
    "import the tables",
    "import the store",
    "open: create the file",
    "load the plan",
    "close",
)


def one_run(plan: Path, database: Path) -> dict[str, tuple[float, float]]:
    """The phases of one import in this interpreter: {phase: (wall, cpu)} in seconds."""
    marks = [(time.perf_counter(), time.process_time())]

    def mark() -> None:
        marks.append((time.perf_counter(), time.process_time()))

    import plantui.cli.main

    mark()
    gc.disable()  # as `plantui import` does for the whole command
    from plantui.io.plan_json import parse_plan

    raw = plan.read_bytes()
    mark()
    data = json.loads(raw.decode("utf-8-sig"))
    mark()
    document = parse_plan(data, str(plan))
    del data
    mark()
    import sqlalchemy  # noqa: F401

    mark()
    import plantui.store.tables  # noqa: F401

    mark()
    from plantui.store.opening import open_database
    from plantui.store.plans import load_document

    mark()
    db = open_database(database)
    mark()
    load_document(db, document)
    mark()
    db.close()
    mark()
    return {
        phase: (end[0] - start[0], end[1] - start[1])
        for phase, start, end in zip(PHASES, marks[:-1], marks[1:], strict=True)
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", type=Path)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # a child: import into this file
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(one_run(args.plan, args.one)))
        return
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        for rep in range(args.reps):
            database = Path(folder) / f"import-{rep}.db"
            child = [sys.executable, __file__, str(args.plan), "--one", str(database)]
            result = subprocess.run(child, capture_output=True, text=True, check=True, env=os.environ.copy())
            runs.append(json.loads(result.stdout.splitlines()[-1]))
    print(f"{'phase (median of ' + str(len(runs)) + ')':32s} {'CPU ms':>7s} {'wall ms':>8s}")
    for phase in (*PHASES, "total"):
        if phase == "total":
            walls = [sum(w for w, _ in run.values()) for run in runs]
            cpus = [sum(c for _, c in run.values()) for run in runs]
        else:
            walls = [run[phase][0] for run in runs]
            cpus = [run[phase][1] for run in runs]
        print(f"{phase:32s} {1000 * statistics.median(cpus):7.0f} {1000 * statistics.median(walls):8.0f}")


if __name__ == "__main__":
    main()
