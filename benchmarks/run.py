"""`make bench`: measure plantui against the targets of the performance issue and print the table.

    python benchmarks/run.py [--reps 7] [--key-reps 21] [--idle-seconds 30]
                             [--only first-screen,keys,live,cli,startup]

Every row is printed, whatever happens: a measurement that fails says why in its row (ERROR), and
one whose command does not exist yet says "not available". Targets that are ratios compare with the
minimal Textual app (benchmarks/minimal_app.py) measured the same way, interleaved, in the same run.
What is awaited on screen and which keys are pressed is set in benchmarks/markers.py.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import markers
from elsewhere import AUTHOR as ELSEWHERE_AUTHOR
from elsewhere import measure_elsewhere
from measures import Row, Target, Unit, format_table, summary
from terminal import TerminalError, TmuxTerminal, Window

from plantui.io.reports.model import PAPER_LIST_LIMIT

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "var" / "bench"
BIG = {"actions": 10_000, "history": 100_000, "seed": 1}
TODAY = "2022-11-01"
SCREEN_TIMEOUT = 60.0
KEY_TIMEOUT = 5.0


def plantui_argv() -> list[str]:
    script = Path(sys.executable).with_name("plantui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "plantui"]


def run_quiet(argv: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, **kwargs)


def checked(argv: list[str]) -> None:
    result = run_quiet(argv)
    if result.returncode:
        last = (result.stderr.strip() or result.stdout.strip()).splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"{' '.join(argv[-3:])} exited {result.returncode}: {last[0]}")


def fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


# -- preparing the plans ---------------------------------------------------------------------------
def scorecard_file() -> Path:
    """The wide scorecard CSV (500 measures x 36 months) written beside the big plan."""
    return WORK / f"scorecard-{BIG['actions']}-seed{BIG['seed']}.csv"


def big_plan() -> Path:
    """The generated 10k/100k plan file with its 500 measures (36 months of values each), and the
    scorecard CSV for the measure import, made once and kept (regenerated when the generator changes)."""
    path = WORK / f"plan-{BIG['actions']}-{BIG['history']}-seed{BIG['seed']}.json"
    generator = ROOT / "benchmarks" / "generate.py"
    stale = [
        p for p in (path, scorecard_file()) if not p.exists() or p.stat().st_mtime < generator.stat().st_mtime
    ]
    if stale:
        print(f"generating {path.relative_to(ROOT)} ...", file=sys.stderr)
        checked(
            [
                sys.executable,
                str(generator),
                "--actions",
                str(BIG["actions"]),
                "--history",
                str(BIG["history"]),
                "--seed",
                str(BIG["seed"]),
                "-o",
                str(path),
                "--scorecard",
                str(scorecard_file()),
            ]
        )
    return path


def prepare_databases(plan: Path) -> tuple[Path, Path]:
    sample = fresh(WORK / "sample.db")
    checked([*plantui_argv(), "--db", str(sample), "demo"])
    big = fresh(WORK / "plan-10k.db")
    checked([*plantui_argv(), "--db", str(big), "import", str(plan)])
    return sample, big


# -- command-line figures --------------------------------------------------------------------------
def time_command(
    argv: list[str], reps: int, before: Callable[[], None] | None = None, cpu: list[float] | None = None
) -> list[float]:
    """Wall times of `reps` runs; with `cpu`, also collects each run's CPU time (user + system)."""
    samples = []
    for _ in range(reps):
        if before is not None:
            before()
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        result = run_quiet(argv)
        elapsed = time.monotonic() - started
        if result.returncode:
            message = (result.stderr.strip() or result.stdout.strip() or "no output").splitlines()[-1]
            raise RuntimeError(f"exit {result.returncode}: {message}")
        samples.append(elapsed)
        if cpu is not None:
            now = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(now.ru_utime - used.ru_utime + now.ru_stime - used.ru_stime)
    return samples


def measure_import(row: Row, cpu_row: Row, plan: Path, reps: int) -> None:
    target = WORK / "import-timing.db"
    row.samples = time_command(
        [*plantui_argv(), "--db", str(target), "import", str(plan)],
        reps,
        before=lambda: fresh(target),
        cpu=cpu_row.samples,
    )


def report_row(fmt: str) -> str:
    return f"plantui report --format {fmt}: 10k plan"


def measure_report(row: Row, db: Path, reps: int, fmt: str) -> None:
    probe = run_quiet([*plantui_argv(), "report", "--help"])
    if probe.returncode:
        row.not_available = "not available: this plantui has no `report` command yet"
        return
    if f"{fmt}" not in probe.stdout:
        row.not_available = f"not available: this plantui's report has no --format {fmt}"
        return
    out = WORK / f"report.{fmt}"
    argv = [*plantui_argv(), *(part.format(db=db, fmt=fmt, out=out) for part in markers.REPORT_COMMAND)]
    row.samples = time_command(argv, reps)


MEASURE_IMPORT = "plantui measure import: 500 x 36 values"
SCORECARD_OPEN = "scorecard screen open: 500 measures"


def measure_measure_import(row: Row, big_db: Path, reps: int) -> None:
    """`plantui measure import` of the wide scorecard into a fresh copy of the 10k plan each time: every
    cell a value, nearly all of them a correction of the value the plan holds (a new row each)."""
    target = WORK / "measure-import.db"
    row.samples = time_command(
        [
            *plantui_argv(),
            "--db",
            str(target),
            "--author",
            "Bench",
            "measure",
            "import",
            str(scorecard_file()),
        ],
        reps,
        before=lambda: fresh_copy(big_db, target.name),
    )


ROUND_REQUESTS = "plantui round requests: 10k plan"
ROUND_COLLECT = "plantui round collect: 10k plan"


def fill_returns(requests: Path, returns: Path) -> list[str]:
    """Every request filled in as an officer would: a new status and a commentary on its first rows."""
    import openpyxl

    shutil.rmtree(returns, ignore_errors=True)
    returns.mkdir(parents=True)
    for path in sorted(requests.glob("*.xlsx")):
        book = openpyxl.load_workbook(path)
        sheet = book.active
        for row in (4, 5):
            if sheet.cell(row=row, column=1).value:
                sheet.cell(row=row, column=7, value="Some issues")
                sheet.cell(row=row, column=8, value="Benchmark return")
        book.save(returns / path.name)
    return sorted(str(path) for path in returns.glob("*.xlsx"))


def measure_round(rows: dict[str, Row], big_db: Path, reps: int) -> None:
    """One update round over the whole 10k plan: every lead's request written, then every return
    collected (a fresh copy of the store with the round started before each collect)."""
    db = fresh_copy(big_db, "round.db")
    base = [*plantui_argv(), "--db", str(db), "--today", "2022-11-01", "--author", "Bench"]
    checked([*base, "round", "start", "--due", "2022-11-30"])
    requests = WORK / "round-requests"
    shutil.rmtree(requests, ignore_errors=True)
    rows[ROUND_REQUESTS].samples = time_command([*base, "round", "requests", "-o", str(requests)], reps)
    files = fill_returns(requests, WORK / "round-returns")
    started = fresh_copy(db, "round-started.db")
    rows[ROUND_COLLECT].samples = time_command(
        [*base, "round", "collect", *files], reps, before=lambda: fresh_copy(started, "round.db")
    )


SYNC_ROW = "plantui sync: 1,000 offline changes into the 10k plan"


def measure_sync(row: Row, big_db: Path, reps: int) -> None:
    """A replica of the 10k plan (a local file upstream) given 1,000 changes offline (500 statuses,
    500 milestones, in two `plantui set` calls), then synced; each rep starts from the same pair."""
    probe = run_quiet([*plantui_argv(), "sync", "--help"])
    if probe.returncode:
        row.not_available = "not available: this plantui has no `sync` command yet"
        return
    upstream = fresh_copy(big_db, "sync-upstream.db")
    replica = fresh(WORK / "sync-replica.db")
    checked([*plantui_argv(), "checkout", "--from", str(upstream), "-o", str(replica)])
    with sqlite3.connect(replica) as conn:  # actions not already as asked: each gives an entry
        statuses = [ref for (ref,) in conn.execute(
            "SELECT ref FROM action WHERE status != 'off_track' ORDER BY id LIMIT 500"
        )]  # fmt: skip
        milestones = [ref for (ref,) in conn.execute(
            "SELECT ref FROM action WHERE milestone != 'June 2031' ORDER BY id DESC LIMIT 500"
        )]  # fmt: skip
    conn.close()
    base = [*plantui_argv(), "--db", str(replica), "--author", "Bench"]
    checked([*base, "set", *statuses, "--rag", "off_track"])
    checked([*base, "set", *milestones, "--milestone", "June 2031"])
    kept = {path: fresh_copy(path, f"{path.stem}-kept.db") for path in (upstream, replica)}

    def put_back() -> None:
        for path, copy in kept.items():
            fresh_copy(copy, path.name)

    row.samples = time_command([*base, "sync"], reps, before=put_back)


def measure_startup(rows: dict[str, Row], reps: int) -> None:
    python = sys.executable
    checks = {
        "startup: python -c pass": [python, "-c", "pass"],
        "startup: import plantui.cli.main": [python, "-c", "import plantui.cli.main"],
        "startup: plantui --version": [*plantui_argv(), "--version"],
        "startup: import textual.app": [python, "-c", "import textual.app"],
        "startup: import sqlalchemy": [python, "-c", "import sqlalchemy"],
        "startup: import sqlmodel": [python, "-c", "import sqlmodel"],
        "startup: import plantui.store.plans": [python, "-c", "import plantui.store.plans"],
        "startup: import plantui.store.snapshot": [python, "-c", "import plantui.store.snapshot"],
        "startup: import plantui.tui.app": [python, "-c", "import plantui.tui.app"],
    }
    for _ in range(reps):  # interleaved, so load on the machine falls on all alike
        for name, argv in checks.items():
            rows[name].samples.extend(time_command(argv, 1))


# -- the terminal ----------------------------------------------------------------------------------
def shows_first_screen(screen: str) -> bool:
    return all(marker in screen for marker in markers.FIRST_SCREEN)


def open_app(term: TmuxTerminal, argv: list[str], trace: Path | None = None) -> Window:
    env = {"TERM": "xterm-256color", "COLORTERM": "truecolor", "HOME": os.environ.get("HOME", "/tmp")}
    if trace is not None:
        env[markers.TRACE_VARIABLE] = str(trace)
    return term.open(argv, env=env, cwd=str(ROOT))


def peak_mib(window: Window) -> float:
    for line in Path(f"/proc/{window.pid()}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/PID/status")


def quit_app(window: Window) -> None:
    try:
        window.send("q")
        deadline = time.monotonic() + 5
        while window.alive() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        window.close()


def measure_first_screens(
    term: TmuxTerminal, rows: dict[str, Row], sample_db: Path, big_db: Path, reps: int
) -> None:
    apps = {
        "minimal": [sys.executable, str(ROOT / "benchmarks" / "minimal_app.py")],
        "sample": [*plantui_argv(), "--db", str(sample_db), "--today", TODAY],
        "big": [*plantui_argv(), "--db", str(big_db), "--today", TODAY],
    }
    results: dict[str, list[float]] = {name: [] for name in apps}
    errors: dict[str, str] = {}
    memory: list[float] = []
    for rep in range(reps):
        order = list(apps)[rep % len(apps) :] + list(apps)[: rep % len(apps)]  # rotate: none always first
        for name in order:
            if name in errors:
                continue
            window = open_app(term, apps[name])
            try:
                shown, _ = window.wait(shows_first_screen, SCREEN_TIMEOUT)
                results[name].append(shown - window.started_at)
                if name == "big":
                    window.settle()
                    memory.append(peak_mib(window))
            except (TerminalError, RuntimeError, OSError) as error:
                errors[name] = first_line(error)
            finally:
                quit_app(window)
    minimal = results["minimal"]
    rows["first screen: minimal Textual app"].samples = minimal
    for name, key in (
        ("sample", "first screen: sample plan"),
        ("big", "first screen: 10k plan"),
    ):
        rows[key].samples = results[name]
        rows[key].baseline = minimal
        if name in errors:
            rows[key].error = errors[name]
        elif "minimal" in errors:
            rows[key].error = f"the minimal app failed: {errors['minimal']}"
    if "minimal" in errors:
        rows["first screen: minimal Textual app"].error = errors["minimal"]
    rows["peak memory after first screen: 10k plan"].samples = memory


def history_state(db: Path) -> tuple[int, str | None, str | None]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        count = conn.execute("SELECT count(*) FROM history").fetchone()[0]
        newest = conn.execute("SELECT field, new FROM history ORDER BY id DESC LIMIT 1").fetchone()
    return (count, *(newest or (None, None)))


def changed_from(before: str) -> Callable[[str], bool]:
    return lambda screen: screen != before


def timed_keys(
    window: Window,
    keys: tuple[str, ...],
    done: Callable[[str], bool],
    trace: Path,
    event: str,
    literal: bool = False,
    styled: bool = False,
) -> float:
    """Send keys, wait until `done(screen)`, and return the latency to the frame that showed it."""
    offset = trace.stat().st_size if trace.exists() else 0
    sent = window.send(*keys, literal=literal)
    seen, _ = window.wait(done, KEY_TIMEOUT, styled=styled)
    traced = trace_time(trace, offset, event, sent, seen)
    return (traced if traced is not None else window.drawn_at(sent, seen)) - sent


def trace_time(trace: Path, offset: int, event: str, sent: float, seen: float) -> float | None:
    """When the TUI reported drawing the `event` frame between `sent` and `seen`, if it writes a trace."""
    if not trace.exists():
        return None
    with trace.open() as handle:
        handle.seek(offset)
        for line in handle:
            parts = line.split()
            try:
                moment = float(parts[0])
            except (ValueError, IndexError):
                continue
            if parts[1:2] == [event] and sent <= moment <= seen:
                return moment
    return None


def measure_keys(term: TmuxTerminal, rows: dict[str, Row], big_db: Path, reps: int) -> None:
    trace = fresh(WORK / "trace.log")
    window = open_app(term, [*plantui_argv(), "--db", str(big_db), "--today", TODAY], trace=trace)
    try:
        window.wait(shows_first_screen, SCREEN_TIMEOUT)
        window.settle()
        if markers.FOCUS_ACTION_TABLE:
            window.send(*markers.FOCUS_ACTION_TABLE)
            window.settle()
        keyed_rows = [
            ("status key -> saved and on screen", status_step(window, big_db, trace)),
            ("cursor: one row", cursor_step(window, trace)),
        ]
        for name, step in keyed_rows:
            run_steps(rows[name], step, reps, window)
        rows["peak memory of the TUI: 10k plan"].samples = [peak_mib(window)]
        rows["peak memory of the TUI: 10k plan"].note = "VmHWM after first screen and the key figures"
        if markers.OPEN_FILTER:
            window.send(*markers.OPEN_FILTER)
            window.settle()
        run_steps(rows["filter keystroke -> table redrawn"], filter_step(window, trace), reps, window)
        window.send("Escape")
        window.settle()
        if markers.FOCUS_TREE:
            window.send(*markers.FOCUS_TREE)
            window.settle()
        run_steps(rows["cursor: one tree node"], cursor_step(window, trace), reps, window)
        rows["peak memory of the TUI: 10k plan"].samples = [peak_mib(window)]
    except (TerminalError, RuntimeError, OSError) as error:
        for name in (
            "status key -> saved and on screen",
            "cursor: one row",
            "filter keystroke -> table redrawn",
            "cursor: one tree node",
        ):
            if not rows[name].samples and rows[name].error is None:
                rows[name].error = f"could not reach it: {first_line(error)}"
    finally:
        quit_app(window)


def measure_scorecard(term: TmuxTerminal, row: Row, big_db: Path, reps: int) -> None:
    """`K` on the 10k plan's main screen until the scorecard shows its 500 measures, then Escape back."""
    window = open_app(term, [*plantui_argv(), "--db", str(big_db), "--today", TODAY])
    try:
        window.wait(shows_first_screen, SCREEN_TIMEOUT)
        window.settle()

        def step(rep: int) -> float:
            sent = window.send(*markers.OPEN_SCORECARD)
            try:
                seen, _ = window.wait(lambda screen: markers.SCORECARD_SHOWN in screen, KEY_TIMEOUT)
            except TerminalError as error:
                raise TerminalError(
                    f"{markers.OPEN_SCORECARD} did not show {markers.SCORECARD_SHOWN!r} "
                    f"in {KEY_TIMEOUT:.0f} s ({first_line(error)})"
                ) from None
            latency = window.drawn_at(sent, seen) - sent
            window.send("Escape")
            window.wait(lambda screen: markers.SCORECARD_SHOWN not in screen, KEY_TIMEOUT)
            return latency

        run_steps(row, step, reps, window)
    finally:
        quit_app(window)


def measure_key_floor(term: TmuxTerminal, row: Row, reps: int) -> None:
    """Down/Up in the minimal app's DataTable: what a key-to-frame round trip costs on this machine now."""
    trace = fresh(WORK / "trace-minimal.log")
    window = open_app(term, [sys.executable, str(ROOT / "benchmarks" / "minimal_app.py")])
    try:
        window.wait(shows_first_screen, SCREEN_TIMEOUT)
        window.settle()
        window.send("Tab")  # from the tree to the table
        window.settle()
        run_steps(row, cursor_step(window, trace), reps, window)
    finally:
        quit_app(window)


def run_steps(row: Row, step: Callable[[int], float], reps: int, window: Window) -> None:
    try:
        # A warm-up, not counted: it also puts the state where the next press expects it. It may change
        # nothing (the row already had that status), so its failure is not the row's.
        with contextlib.suppress(TerminalError, RuntimeError):
            step(0)
        for rep in range(1, reps + 1):
            window.settle(quiet=0.15)
            row.samples.append(step(rep))
    except (TerminalError, RuntimeError) as error:
        row.samples = []
        row.error = first_line(error)
        screen = getattr(error, "screen", "")
        print(
            f"{row.name}: {row.error}" + (f"; the screen showed:\n{screen}" if screen else ""),
            file=sys.stderr,
        )


def status_step(window: Window, db: Path, trace: Path) -> Callable[[int], float]:
    def step(rep: int) -> float:
        code, key, mark = markers.STATUS_STEPS[rep % len(markers.STATUS_STEPS)]
        before_screen = window.screen()
        before_count = history_state(db)[0]
        marks = before_screen.count(mark)
        try:
            latency = timed_keys(window, (key,), lambda screen: screen.count(mark) > marks, trace, "status")
        except TerminalError as error:
            raise TerminalError(
                f"key {key} did not show {mark} on screen in {KEY_TIMEOUT:.0f} s ({first_line(error)})"
            ) from None
        count, field, new = history_state(db)
        if count != before_count + 1 or (field, new) != ("status", code):
            raise RuntimeError(
                f"after key {key} the newest history row is {field} -> {new} "
                f"({count - before_count} new rows), not status -> {code}"
            )
        return latency

    return step


def cursor_step(window: Window, trace: Path) -> Callable[[int], float]:
    def step(rep: int) -> float:
        key = markers.CURSOR_STEPS[rep % len(markers.CURSOR_STEPS)]
        try:
            return timed_keys(
                window, (key,), changed_from(window.screen(styled=True)), trace, "cursor", styled=True
            )
        except TerminalError as error:
            raise TerminalError(
                f"{key} changed nothing on screen in {KEY_TIMEOUT:.0f} s ({first_line(error)})"
            ) from None

    return step


def filter_step(window: Window, trace: Path) -> Callable[[int], float]:
    def step(rep: int) -> float:
        typing = rep % 2 == 0
        keys = (markers.FILTER_TEXT,) if typing else ("BSpace",)
        try:
            return timed_keys(
                window,
                keys,
                changed_from(window.screen(styled=True)),
                trace,
                "filter",
                literal=typing,
                styled=True,
            )
        except TerminalError as error:
            raise TerminalError(
                f"{'typing' if typing else 'pressing'} {keys[0]!r} in the filter changed nothing "
                f"in {KEY_TIMEOUT:.0f} s ({first_line(error)})"
            ) from None

    return step


def measure_live(
    term: TmuxTerminal, rows: dict[str, Row], sample_db: Path, reps: int, idle_seconds: float
) -> None:
    """Another process's change to the workbench's screen, and its idle CPU, on SQLite and PostgreSQL."""
    for backend in ("SQLite", "PostgreSQL"):
        change_row = rows[f"another process's change -> on screen: {backend}"]
        idle_row = rows[f"idle CPU of the workbench: {backend}"]
        guarded(
            [change_row, idle_row],
            lambda backend=backend, change_row=change_row, idle_row=idle_row: _measure_live_on(
                term, backend, sample_db, change_row, idle_row, reps, idle_seconds
            ),
        )


def _measure_live_on(
    term: TmuxTerminal,
    backend: str,
    sample_db: Path,
    change_row: Row,
    idle_row: Row,
    reps: int,
    idle_seconds: float,
) -> None:
    cluster = None
    if backend == "SQLite":
        target = str(fresh_copy(sample_db, "live.db"))
    else:
        sys.path.insert(0, str(ROOT / "tests"))
        import pg_cluster  # the throwaway server the test suite starts, made the same way

        started = pg_cluster.start()
        if isinstance(started, str):
            change_row.not_available = idle_row.not_available = f"no PostgreSQL: {started}"
            return
        cluster = started
        target = cluster.url(cluster.new_database())
        checked([*plantui_argv(), "--db", target, "demo"])
    try:
        argv = [*plantui_argv(), "--db", target, "--today", TODAY, "--author", ELSEWHERE_AUTHOR]
        measure_elsewhere(
            lambda: open_app(term, argv),
            quit_app,
            shows_first_screen,
            target,
            change_row,
            idle_row,
            reps,
            idle_seconds,
        )
    finally:
        if cluster is not None:
            cluster.stop()


def first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


# -- the table -------------------------------------------------------------------------------------
def make_rows() -> dict[str, Row]:
    rows = [
        Row("first screen: minimal Textual app", note="the yardstick (Header, Footer, Tree, DataTable)"),
        Row("first screen: sample plan", target=Target(ratio=1.25)),
        Row("first screen: 10k plan", target=Target(ratio=1.5)),
        Row(
            "status key -> saved and on screen",
            target=Target(median=0.020, p90=0.040),
            note="key to the frame showing it; history row checked",
        ),
        Row("filter keystroke -> table redrawn", target=Target(median=0.050)),
        Row("cursor: one row", target=Target(median=0.020)),
        Row("cursor: one tree node", target=Target(median=0.020)),
        Row(
            "cursor: minimal app's DataTable", note="the floor: a key-to-frame round trip on this machine now"
        ),
        Row(
            "another process's change -> on screen: SQLite",
            target=Target(median=0.100),
            note="sample plan; from the writer's commit to the frame showing it",
        ),
        Row(
            "another process's change -> on screen: PostgreSQL",
            target=Target(median=0.100),
            note="sample plan; from the writer's commit to the frame showing it",
        ),
        Row("idle CPU of the workbench: SQLite", unit=Unit.PERCENT, target=Target(median=1.0)),
        Row("idle CPU of the workbench: PostgreSQL", unit=Unit.PERCENT, target=Target(median=1.0)),
        Row("plantui import: 10k plan", target=Target(median=2.0), note="fresh database each time"),
        Row("plantui import: 10k plan, CPU time", note="user + system: less moved by a busy machine"),
        Row(
            report_row("html"),
            target=Target(median=2.0),
            note="with its 500 measures x 36 months: the scorecard and SVG sparklines",
        ),
        Row(
            report_row("pdf"),
            target=Target(median=10.0),
            note=f"A4, fonts embedded; lists cut to their first {PAPER_LIST_LIMIT}",
        ),
        Row(
            report_row("docx"),
            target=Target(median=10.0),
            note=f"lists cut to their first {PAPER_LIST_LIMIT}, as in the PDF",
        ),
        Row(MEASURE_IMPORT, target=Target(median=2.0), note="wide CSV, into a fresh copy of the 10k plan"),
        Row(SCORECARD_OPEN, target=Target(median=0.100), note="K on the 10k plan until 500 measures show"),
        Row(ROUND_REQUESTS, target=Target(median=10.0), note="every lead's workbook and e-mail draft"),
        Row(ROUND_COLLECT, target=Target(median=10.0), note="every lead's return, each one undo step"),
        Row(SYNC_ROW, target=Target(median=2.0), note="replica and upstream both files; whole process"),
        Row("peak memory of the TUI: 10k plan", unit=Unit.MIB, target=Target(median=120)),
        Row("peak memory after first screen: 10k plan", unit=Unit.MIB, note="VmHWM, each first-screen run"),
        Row("startup: python -c pass"),
        Row("startup: import plantui.cli.main"),
        Row("startup: plantui --version"),
        Row("startup: import textual.app"),
        Row("startup: import sqlalchemy"),
        Row("startup: import sqlmodel", note="SQLAlchemy with pydantic and SQLModel"),
        Row("startup: import plantui.store.plans", note="what every command that opens the store imports"),
        Row("startup: import plantui.store.snapshot", note="what reads the plan for the first frame"),
        Row("startup: import plantui.tui.app", note="the workbench, without the store"),
    ]
    return {row.name: row for row in rows}


def guarded(rows: list[Row], what: Callable[[], None]) -> None:
    """Run a measurement; whatever goes wrong lands in the rows it was filling, never stops the run."""
    try:
        what()
    except Exception as error:  # the table must come out whatever breaks
        traceback.print_exc(file=sys.stderr)
        for row in rows:
            if not row.samples and row.error is None and row.not_available is None:
                row.error = first_line(error)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure plantui against its performance targets.")
    parser.add_argument("--reps", type=int, default=7, help="repetitions of each first screen and command")
    parser.add_argument("--key-reps", type=int, default=21, help="repetitions of each key figure")
    parser.add_argument(
        "--only",
        default="first-screen,keys,live,cli,startup",
        help="comma-separated parts to run: first-screen, keys, live, cli, startup",
    )
    parser.add_argument(
        "--idle-seconds", type=float, default=30.0, help="how long the workbench's idle CPU is measured"
    )
    args = parser.parse_args(argv)
    parts = set(args.only.split(","))
    WORK.mkdir(parents=True, exist_ok=True)
    rows = make_rows()
    print(
        f"plantui benchmark: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", file=sys.stderr
    )

    plan: Path | None = None
    sample_db = big_db = None
    try:
        plan = big_plan()
        sample_db, big_db = prepare_databases(plan)
    except Exception as error:
        for row in rows.values():
            if not row.name.startswith("startup"):
                row.error = f"preparing the plans failed: {first_line(error)}"

    if "cli" in parts and plan is not None and big_db is not None:
        guarded(
            [rows["plantui import: 10k plan"], rows["plantui import: 10k plan, CPU time"]],
            lambda: measure_import(
                rows["plantui import: 10k plan"], rows["plantui import: 10k plan, CPU time"], plan, args.reps
            ),
        )
        for fmt in markers.REPORT_FORMATS:
            report = rows[report_row(fmt)]
            guarded([report], lambda report=report, fmt=fmt: measure_report(report, big_db, args.reps, fmt))
        imported = rows[MEASURE_IMPORT]
        guarded([imported], lambda: measure_measure_import(imported, big_db, args.reps))
        round_rows = [rows[ROUND_REQUESTS], rows[ROUND_COLLECT]]
        guarded(round_rows, lambda: measure_round(rows, big_db, args.reps))
        guarded([rows[SYNC_ROW]], lambda: measure_sync(rows[SYNC_ROW], big_db, args.reps))
    if "startup" in parts:
        startup = [row for name, row in rows.items() if name.startswith("startup")]
        guarded(startup, lambda: measure_startup(rows, args.reps))
    if {"first-screen", "keys", "live"} & parts and sample_db is not None and big_db is not None:
        if shutil.which("tmux") is None:
            for row in rows.values():
                if row.name.startswith(
                    ("first screen", "status", "filter", "cursor", "peak", "another", "idle", "scorecard")
                ):
                    row.error = "tmux is not installed (apt-get install -y tmux)"
        else:
            with TmuxTerminal() as term:
                if "first-screen" in parts:
                    screen_rows = [
                        row for name, row in rows.items() if name.startswith(("first", "peak memory after"))
                    ]
                    guarded(
                        screen_rows, lambda: measure_first_screens(term, rows, sample_db, big_db, args.reps)
                    )
                if "keys" in parts:
                    key_rows = [
                        rows[name]
                        for name in (
                            "status key -> saved and on screen",
                            "cursor: one row",
                            "filter keystroke -> table redrawn",
                            "cursor: one tree node",
                            "peak memory of the TUI: 10k plan",
                        )
                    ]
                    guarded(key_rows, lambda: measure_keys(term, rows, fresh_copy(big_db), args.key_reps))
                    floor = rows["cursor: minimal app's DataTable"]
                    guarded([floor], lambda: measure_key_floor(term, floor, args.key_reps))
                    scorecard = rows[SCORECARD_OPEN]
                    guarded([scorecard], lambda: measure_scorecard(term, scorecard, big_db, args.reps))
                if "live" in parts:
                    measure_live(term, rows, sample_db, args.key_reps, args.idle_seconds)
    for row in rows.values():
        if not row.samples and row.error is None and row.not_available is None:
            row.not_available = "not measured in this run (see --only)"

    print(format_table(list(rows.values())))
    print(f"\n{summary(list(rows.values()))}; load average now {os.getloadavg()[0]:.1f}")
    return 0


def fresh_copy(db: Path, name: str = "keys.db") -> Path:
    """A copy to change: status keys write to it, and the first-screen runs keep the original."""
    copy = fresh(WORK / name)
    with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    return copy


if __name__ == "__main__":
    sys.exit(main())
