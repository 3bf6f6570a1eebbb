"""Where the workbench spends its time on a plan of 10,000 actions (headless, in-process).

    .venv/bin/python benchmarks/tui_timings.py [--actions 10000] [--runs 30]

Builds a plan of N actions over 40 themes in a temporary database, opens the App headless at
120x36 and times, each as a median and p90 over the runs:
- opening: App start to the table showing its rows (includes loading 10,000 rows from SQLite);
- a status key: the store commit, then the row, tree counts and totals updated and the visible lines
  drawn again (what follows a `4` in the table);
- a filter keystroke: re-filtering every row in memory and drawing the visible lines;
- a cursor move: one row down and the lines drawn.
The drawing is `render_line` for every line of the table in view, so these are the in-process costs,
without the terminal round trip (issue 7's benchmark measures that through tmux).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from plantui.domain.document import ActionDoc, AreaDoc, ObjectiveDoc, PlanDocument, ThemeDoc
from plantui.domain.statuses import STATUS_CODES

MONTHS = ["January", "March", "June", "September", "November"]


def big_plan(actions: int, seed: int = 7) -> PlanDocument:
    rng = random.Random(seed)
    words = [
        "improve",
        "review",
        "develop",
        "embed",
        "audit",
        "recruit",
        "train",
        "partner",
        "assure",
        "child",
        "family",
        "practice",
    ]
    leads = [f"Head of Service {n}" for n in range(60)]
    doc = PlanDocument(title="Generated plan", organisation="Bench Council", phase="1", foreword="")
    per_objective, n = 10, 0
    for t in range(1, 41):
        theme = ThemeDoc(str(t), f"Theme {t} " + " ".join(rng.sample(words, 3)))
        doc.themes.append(theme)
        for a in range(1, 6):
            area = AreaDoc(f"{t}.{a}", f"Area {t}.{a} " + " ".join(rng.sample(words, 3)))
            theme.areas.append(area)
            for o in range(1, 6):
                objective = ObjectiveDoc(f"{t}.{a}.{o}", " ".join(rng.sample(words, 6)))
                area.objectives.append(objective)
                for i in range(1, per_objective + 1):
                    if n >= actions:
                        return doc
                    n += 1
                    objective.actions.append(
                        ActionDoc(
                            f"{t}.{a}.{o}.{i}",
                            " ".join(rng.choices(words, k=14)).capitalize(),
                            " ".join(rng.choices(words, k=20)),
                            rng.sample(leads, rng.randint(1, 3)),
                            rng.choice(STATUS_CODES),
                            f"{rng.choice(MONTHS)} {rng.choice([2022, 2023, 2024])}",
                            detailed_plan="Service plan",
                        )
                    )
    return doc


def stats(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p90 = ms[min(len(ms) - 1, int(len(ms) * 0.9))]
    return f"median {statistics.median(ms):7.2f} ms   p90 {p90:7.2f} ms   (n={len(ms)})"


def draw(table) -> None:
    for y in range(table.size.height):
        table.render_line(y)


async def measure(path: Path, runs: int) -> None:
    from plantui.store.changes import set_status
    from plantui.store.opening import open_database
    from plantui.tui.app import PlanApp
    from plantui.tui.messages import PlanChanged
    from plantui.tui.presentation import saved_notice

    database = open_database(path)
    app = PlanApp(database, today=date(2022, 11, 1), author="bench")
    app.animation_level = "none"
    started = time.perf_counter()
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.screen.query_one("#table")
        while not table.rows:
            await asyncio.sleep(0.005)
        draw(table)
        print(
            f"open, headless, to {len(table.rows)} rows in the table: {time.perf_counter() - started:.2f} s"
        )
        screen = app.screen

        status_times, commit_times, filter_times, cursor_times = [], [], [], []
        for i in range(runs):
            row = table.current
            code = STATUS_CODES[(STATUS_CODES.index(row.status) + 1 + i % 4) % 6]
            t0 = time.perf_counter()
            result = set_status(database, row.ref, code, author="bench")
            commit_times.append(time.perf_counter() - t0)
            app.model.apply(result.action)
            screen._changed(PlanChanged(result, saved_notice(result)))
            draw(table)
            status_times.append(time.perf_counter() - t0)

            t0 = time.perf_counter()
            screen._apply_filter(["rag:red", "review", "lead:service 1", "due:overdue", ""][i % 5])
            draw(table)
            filter_times.append(time.perf_counter() - t0)

            t0 = time.perf_counter()
            table.action_cursor_down()
            draw(table)
            cursor_times.append(time.perf_counter() - t0)
            await pilot.pause()
        print(f"status key -> committed, row and counts updated, drawn: {stats(status_times)}")
        print(f"  of which the store's set_status (commit included):    {stats(commit_times)}")
        print(f"filter keystroke -> 10,000 rows filtered, drawn:        {stats(filter_times)}")
        print(f"cursor move -> drawn:                                   {stats(cursor_times)}")
    database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    from plantui.store.opening import open_database
    from plantui.store.plans import load_document

    path = Path(tempfile.mkdtemp(prefix="plantui-bench-")) / "plan.db"
    t0 = time.perf_counter()
    database = open_database(path)
    load_document(database, big_plan(args.actions))
    database.close()
    print(f"built a plan of {args.actions} actions in {time.perf_counter() - t0:.1f} s")
    asyncio.run(measure(path, args.runs))


if __name__ == "__main__":
    main()
