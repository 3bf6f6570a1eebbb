"""The fault script for whole-plan commands: `restore`, `backup`, `import` (a JSON plan file and a
workbook) and `copy`, each run as a real `python -m plantui` process and killed with SIGKILL at a
seeded random moment while other processes keep changing the plan.

After each kill:

- every store involved passes `PRAGMA integrity_check`, each action's status is its latest status
  change, and a store that holds a plan holds all of it;
- every change a writer reported as saved is in the store. Where the command replaced the plan
  before it was killed (restore, import --force, copy --force), the changes saved before that are
  gone with the plan they were made to, as the command says; they must come before every change
  still there, and a restore must have kept them in its before-restore copy;
- a file the command writes is whole or absent: a backup copy passes the checks `restore` makes;
- the next open needs no manual help: a real `plantui list` exits 0 and a real `plantui set`
  saves; a plan that did not land can be loaded by running the command again.

How long a command takes is measured once, by running it to its end; each seed then kills it at
`Random(seed).uniform(0, that duration)`. The writers are tests/faults/plan_writer.py processes.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from plantui.cli.main import cli
from plantui.io.plan_json import dumps_plan
from plantui.store.opening import open_database
from plantui.store.plans import load_document
from plantui.store.sqlite_file import check_backup_file
from tests.faults.fault_checks import (
    Saved,
    assert_all_saved_are_there,
    assert_whole_and_agreeing,
    history_rows,
    saved_lines,
    start_writer,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import generate  # benchmarks/ is a folder of scripts, put on the path above

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="kills processes with SIGKILL"),
]

# Large enough that each command works for a few hundred milliseconds, small enough to set up fast.
ACTIONS, HISTORY = 500, 5000
# History ids of changes made to a template store start above this, above every id a plan loaded
# afresh is given, so a change made before a plan was replaced is never mistaken for one made after.
HIGH_ID = 10_000_000
NO_PLAN = "has no plan yet"


@dataclass(frozen=True)
class Templates:
    folder: Path
    live: Path  # the store the commands work on, holding the generated plan
    other: Path  # another store holding its own load of the plan: the existing target of a copy
    restore_copy: Path  # a backup copy (by `plantui backup -o`) of a third load of the plan
    plan_json: Path
    plan_xlsx: Path
    writer_refs: tuple[str, str]
    set_ref: str  # changed by the closing `plantui set`


def _created_at(db: Path) -> str | None:
    """When the plan in `db` was loaded: a load that landed gives a new value."""
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT min(created_at) FROM plan").fetchone()
    return row[0]


def _store_with_plan(path: Path, document) -> Path:
    db = open_database(path)
    try:
        load_document(db, document)
    finally:
        db.close()
    return path


def _raise_history_ids(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO history (id, action_id, at, author, field, old, new, note) "
            "SELECT ?, min(id), '2022-01-01 00:00:00.000000', 'setup', 'note', NULL, NULL, '' FROM action",
            (HIGH_ID,),
        )
    conn.close()


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    folder = tmp_path_factory.mktemp("templates")
    document = generate.generate(generate.Shape(ACTIONS, HISTORY, themes=8, seed=1))
    refs = [action.ref for action in document.actions()[:3]]
    plan_json = folder / "plan.json"
    plan_json.write_text(dumps_plan(replace(document, title="The imported plan")), encoding="utf-8")
    live = _store_with_plan(folder / "live.db", document)
    other = _store_with_plan(folder / "other.db", replace(document, title="Another plan"))
    for path in (live, other):
        _raise_history_ids(path)
    copied = _store_with_plan(folder / "copied.db", replace(document, title="The restored plan"))
    restore_copy = folder / "restore-copy.db"
    plan_xlsx = folder / "plan.xlsx"
    runner = CliRunner()
    for args in (
        ["--db", str(copied), "backup", "-o", str(restore_copy)],
        ["--db", str(live), "export", "-o", str(plan_xlsx)],
    ):
        result = runner.invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
    return Templates(folder, live, other, restore_copy, plan_json, plan_xlsx, (refs[0], refs[1]), refs[2])


# --- the commands -----------------------------------------------------------------------------------


@dataclass
class Scene:
    """One command about to run in its own folder, and what to check after it was killed."""

    args: list[str]  # after `python -m plantui`
    writers: list[tuple[Path, str, str]]  # (store, ref, mode) of each writer running meanwhile
    replaceable: Path | None = None  # the store whose plan the command may replace
    new_store: Path | None = None  # a store the command creates (first load or copy target)
    rerun: list[str] = field(default_factory=list)  # loads the plan into new_store again
    output: Path | None = None  # a backup copy the command writes
    backups: Path | None = None  # the backups folder a plain `backup` writes into


def _copy_of(template: Path, folder: Path, name: str) -> Path:
    target = folder / name
    shutil.copyfile(template, target)
    return target


def restore_scene(t: Templates, folder: Path) -> Scene:
    live = _copy_of(t.live, folder, "live.db")
    return Scene(
        ["--db", str(live), "restore", str(t.restore_copy)],
        [(live, t.writer_refs[0], "tui"), (live, t.writer_refs[1], "cli")],
        replaceable=live,
    )


def backup_to_file_scene(t: Templates, folder: Path) -> Scene:
    live = _copy_of(t.live, folder, "live.db")
    output = folder / "copy.db"
    return Scene(
        ["--db", str(live), "backup", "-o", str(output)],
        [(live, t.writer_refs[0], "tui"), (live, t.writer_refs[1], "cli")],
        output=output,
    )


def backup_scene(t: Templates, folder: Path) -> Scene:
    live = _copy_of(t.live, folder, "live.db")
    return Scene(
        ["--db", str(live), "backup"],
        [(live, t.writer_refs[0], "tui"), (live, t.writer_refs[1], "cli")],
        backups=folder / "backups",
    )


def import_json_scene(t: Templates, folder: Path) -> Scene:
    live = _copy_of(t.live, folder, "live.db")
    return Scene(
        ["--db", str(live), "import", str(t.plan_json), "--force"],
        [(live, t.writer_refs[0], "tui"), (live, t.writer_refs[1], "cli")],
        replaceable=live,
    )


def import_xlsx_scene(t: Templates, folder: Path) -> Scene:
    live = _copy_of(t.live, folder, "live.db")
    return Scene(
        ["--db", str(live), "import", str(t.plan_xlsx), "--force"],
        [(live, t.writer_refs[0], "tui"), (live, t.writer_refs[1], "cli")],
        replaceable=live,
    )


def first_import_scene(t: Templates, folder: Path) -> Scene:
    """The first load into a file that does not exist yet: nobody else can be writing to it."""
    new = folder / "new.db"
    return Scene(
        ["--db", str(new), "import", str(t.plan_json)],
        [],
        new_store=new,
        rerun=["--db", str(new), "import", str(t.plan_json), "--force"],
    )


def copy_to_new_scene(t: Templates, folder: Path) -> Scene:
    live = _copy_of(t.live, folder, "live.db")
    new = folder / "new.db"
    return Scene(
        ["--db", str(live), "copy", "--to", str(new)],
        [(live, t.writer_refs[0], "tui"), (live, t.writer_refs[1], "cli")],
        new_store=new,
        rerun=["--db", str(live), "copy", "--to", str(new), "--force"],
    )


def copy_over_existing_scene(t: Templates, folder: Path) -> Scene:
    live = _copy_of(t.live, folder, "live.db")
    other = _copy_of(t.other, folder, "other.db")
    return Scene(
        ["--db", str(live), "copy", "--to", str(other), "--force"],
        [(live, t.writer_refs[0], "tui"), (other, t.writer_refs[1], "cli")],
        replaceable=other,
    )


SCENES: dict[str, Callable[[Templates, Path], Scene]] = {
    "restore": restore_scene,
    "backup-o": backup_to_file_scene,
    "backup": backup_scene,
    "import-json-force": import_json_scene,
    "import-xlsx-force": import_xlsx_scene,
    "import-json-new-file": first_import_scene,
    "copy-to-new": copy_to_new_scene,
    "copy-force-existing": copy_over_existing_scene,
}
SEEDS = range(3)


def plantui(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "plantui", *args], capture_output=True, text=True, timeout=120, check=False
    )


@dataclass(frozen=True)
class Measure:
    """A command left to finish: how long it took, and how large the store it made grew."""

    seconds: float
    new_store_bytes: int


@pytest.fixture(scope="module")
def measure(templates: Templates, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Measure]:
    """Each command run once to its end, without writers, the first time a test asks."""
    measured: dict[str, Measure] = {}

    def run(name: str) -> Measure:
        if name not in measured:
            scene = SCENES[name](templates, tmp_path_factory.mktemp(f"measure-{name}"))
            started = time.monotonic()
            finished = plantui(*scene.args)
            seconds = time.monotonic() - started
            assert finished.returncode == 0, finished.stderr
            size = bytes_written(scene.new_store) if scene.new_store is not None else 0
            measured[name] = Measure(seconds, size)
        return measured[name]

    return run


def kill_at_a_moment(command: subprocess.Popen, seconds: float) -> None:
    time.sleep(seconds)
    command.send_signal(signal.SIGKILL)  # nothing happens if it has already finished


def files_for(store: Path) -> list[Path]:
    """`store` and every file made for it (its journal, a file it is made under)."""
    return [path for path in store.parent.iterdir() if store.name in path.name]


def bytes_written(store: Path) -> int:
    total = 0
    for path in files_for(store):
        with contextlib.suppress(FileNotFoundError):  # gone since it was listed
            total += path.stat().st_size
    return total


def kill_when(command: subprocess.Popen, seen: Callable[[], object]) -> None:
    """Kill as soon as `seen()` is true: part-way through making a new file, writing its pages or a
    backup copy, windows of a few milliseconds that a moment in time seldom falls in."""
    while command.poll() is None:
        if seen():
            command.send_signal(signal.SIGKILL)
            return
        time.sleep(0.0002)


def copy_being_written(scene: Scene) -> bool:
    """The command's backup copy is being written: its staging file is there (not that of a daily
    copy a writer's first open takes)."""
    folder, ending = (scene.backups, "-manual.db.part") if scene.backups else (scene.output.parent, ".part")
    with contextlib.suppress(FileNotFoundError):
        return any(path.name.endswith(ending) for path in folder.iterdir())
    return False


# --- writers ----------------------------------------------------------------------------------------


class RunningWriter:
    """A plan_writer.py process changing one action flat out, its reports read as they come."""

    def __init__(self, db: Path, ref: str, mode: str) -> None:
        self.db, self.ref = db, ref
        self.process = start_writer(db, ref, mode, 0)
        self.lines: list[str] = []
        self.arrived = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self.arrived:
                self.lines.append(line)
                self.arrived.notify_all()
        with self.arrived:
            self.arrived.notify_all()

    def saved_so_far(self) -> int:
        with self.arrived:
            return len(self.lines)

    def wait_for(self, count: int, timeout: float = 60.0) -> None:
        """Until the writer has reported `count` saved changes (it stops at nothing else)."""
        with self.arrived:
            done = self.arrived.wait_for(
                lambda: len(self.lines) >= count or self.process.poll() is not None, timeout
            )
            have = len(self.lines)
        if have < count:
            assert self.process.stderr is not None
            problem = self.process.stderr.read() if self.process.poll() is not None else "still running"
            raise AssertionError(
                f"the writer of {self.ref} in {self.db.name} saved {have} changes, not {count} "
                f"({'timed out' if not done else 'it ended'}): {problem}"
            )

    def stop(self, plan_replaced: bool) -> list[Saved]:
        """Stop it and return what it saved. Once its plan has been replaced, the status it sets next
        may be the one the new plan gave its action: that change is refused as a no-op, and only that."""
        assert self.process.stdin is not None and self.process.stderr is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)
        self.reader.join(timeout=30)
        errors = self.process.stderr.read().splitlines()
        if plan_replaced:
            errors = [line for line in errors if not line.endswith("; nothing changed")]
        assert errors == [], f"the writer of {self.ref} failed: {errors}"
        return saved_lines("".join(self.lines))


def stop_all(writers: list[RunningWriter]) -> None:
    for writer in writers:
        if writer.process.poll() is None:
            writer.process.kill()
            writer.process.wait(timeout=30)


# --- the checks ---------------------------------------------------------------------------------------


def _action_count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        count = conn.execute("SELECT count(*) FROM action").fetchone()[0]
    conn.close()
    return count


def _newest_before_restore_copy(db: Path) -> Path:
    copies = sorted((db.parent / "backups").glob(f"{db.stem}-*-before-restore.db"))
    assert copies, "the restore replaced the plan but kept no before-restore copy"
    return copies[-1]


def check_saved_changes(scene: Scene, db: Path, saved: list[Saved], template_created_at: str | None) -> None:
    rows = history_rows(db)
    missing = [s for s in saved if rows.get(s[0]) != (s[1], s[2])]
    if not missing:
        return
    replaced = db == scene.replaceable and _created_at(db) != template_created_at
    assert replaced, f"reported as saved but not in {db.name}: {missing[:5]} (of {len(missing)})"
    # The plan was replaced: what is gone was saved before, to the plan that was replaced.
    assert saved[: len(missing)] == missing, (
        f"{db.name}: changes saved after the plan was replaced are missing: "
        f"{[s for s in saved[len(missing) :] if s in missing][:5]}"
    )
    assert all(s[0] >= HIGH_ID for s in missing), f"changes made to the new plan are missing: {missing[:5]}"
    if scene.args[2] == "restore":
        assert_all_saved_are_there(_newest_before_restore_copy(db), missing)


def check_whole_plan(db: Path) -> None:
    assert_whole_and_agreeing(db)
    count = _action_count(db)
    assert count in (0, ACTIONS), f"{db.name} holds {count} of the plan's {ACTIONS} actions"


def check_opens(db: Path) -> None:
    """The first thing after the kill: plantui opens the store as it is, with no help."""
    listed = plantui("--db", str(db), "list", "--json")
    assert (listed.returncode, listed.stderr) == (0, ""), listed.stderr
    assert len(json.loads(listed.stdout)) == ACTIONS


def check_takes_a_change(db: Path, ref: str) -> None:
    with sqlite3.connect(db) as conn:
        (current,) = conn.execute("SELECT status FROM action WHERE ref = ?", (ref,)).fetchone()
    conn.close()
    code = "complete" if current != "complete" else "on_track"
    changed = plantui("--db", str(db), "set", ref, "--rag", code, "--author", "after the kill")
    assert changed.returncode == 0 and changed.stdout.startswith("Saved "), changed.stderr


def check_new_store(scene: Scene, ref: str) -> None:
    """A store the command was creating: absent, empty of plans, or holding all of it; and the
    command run again gives the plan without any help."""
    new = scene.new_store
    assert new is not None
    landed = False
    if new.exists():
        listed = plantui("--db", str(new), "list", "--json")
        if listed.returncode != 0:
            assert listed.returncode == 3 and NO_PLAN in listed.stderr, listed.stderr
        check_whole_plan(new)
        landed = listed.returncode == 0
    if not landed:
        again = plantui(*scene.rerun)
        assert again.returncode == 0, again.stderr
        check_whole_plan(new)
        check_opens(new)
    check_takes_a_change(new, ref)


def check_outputs(scene: Scene, live: Path) -> None:
    if scene.output is not None and scene.output.exists():
        check_backup_file(scene.output)  # raises with the reason when it is not a whole plantui copy
        check_whole_plan(scene.output)
        assert _action_count(scene.output) == ACTIONS
    if scene.backups is not None:
        for copy in scene.backups.glob("*.db"):
            check_backup_file(copy)
            check_whole_plan(copy)
        # The next backup removes a dead copy's .part once it is two minutes old and unlocked (a live
        # one is locked, or moments old): the retry comes "later" by ageing what the kill left.
        for leftover in scene.backups.iterdir():
            if leftover.name.startswith("."):
                then = time.time() - 180
                os.utime(leftover, (then, then))
        again = plantui("--db", str(live), "backup")
        assert again.returncode == 0, again.stderr
        leftovers = sorted(p.name for p in scene.backups.iterdir() if p.name.endswith(".part"))
        assert leftovers == [], f"the next backup left what a killed one was writing: {leftovers}"


# --- the script -----------------------------------------------------------------------------------------


GROWN_SEEDS = range(2)


def _cases() -> list:
    cases = []
    for name in SCENES:
        cases += [pytest.param(name, "moment", seed, id=f"{name}-{seed}") for seed in SEEDS]
    # a new file is made, and its pages written at the commit, in a few milliseconds: aim at them too
    for name in ("import-json-new-file", "copy-to-new"):
        cases.append(pytest.param(name, "appears", 0, id=f"{name}-appears"))
        cases += [pytest.param(name, "size", seed, id=f"{name}-grown-{seed}") for seed in GROWN_SEEDS]
    for name in ("backup", "backup-o"):
        cases.append(pytest.param(name, "copying", 0, id=f"{name}-mid-copy"))
    return cases


@pytest.mark.parametrize(("name", "trigger", "seed"), _cases())
def test_a_command_killed_mid_way_loses_nothing_saved(
    templates: Templates,
    measure: Callable[[str], Measure],
    tmp_path: Path,
    name: str,
    trigger: str,
    seed: int,
) -> None:
    usual = measure(name)
    rng = random.Random(seed)
    scene = SCENES[name](templates, tmp_path)
    created_at = {db: _created_at(db) for db, _ref, _mode in scene.writers}
    writers = [RunningWriter(db, ref, mode) for db, ref, mode in scene.writers]
    try:
        for writer in writers:
            writer.wait_for(1)  # it is writing
        command = subprocess.Popen(
            [sys.executable, "-m", "plantui", *scene.args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        if trigger == "moment":
            kill_at_a_moment(command, rng.uniform(0.0, usual.seconds))
        elif trigger == "copying":
            kill_when(command, lambda: copy_being_written(scene))
        else:
            new = scene.new_store
            assert new is not None
            size = int(rng.uniform(0.02, 1.0) * usual.new_store_bytes)
            kill_when(
                command, (lambda: bytes_written(new) >= size) if trigger == "size" else lambda: files_for(new)
            )
        _out, errors = command.communicate(timeout=120)
        assert command.returncode in (0, -signal.SIGKILL), errors
        # the writers go on through the kill, and save more after it
        for writer in writers:
            writer.wait_for(writer.saved_so_far() + 2)
        replaced = {db: db == scene.replaceable and _created_at(db) != created_at[db] for db in created_at}
        saved = {id(writer): writer.stop(replaced[writer.db]) for writer in writers}
    finally:
        stop_all(writers)
    stores = {db for db, _ref, _mode in scene.writers}
    for db in stores:
        check_opens(db)
        check_whole_plan(db)
    for writer in writers:
        check_saved_changes(scene, writer.db, saved[id(writer)], created_at[writer.db])
    for db in stores:
        check_takes_a_change(db, templates.set_ref)
    if scene.new_store is not None:
        check_new_store(scene, templates.set_ref)
    check_outputs(scene, next(iter(stores), tmp_path / "live.db"))


# --- found by the script ------------------------------------------------------------------------------


def _sqlite_steps(database, work: Callable[[], object]) -> int:
    """Thousands of SQLite virtual-machine instructions `work` runs on `database`: a measure of work
    done that, unlike time, does not depend on how busy the machine is."""
    from sqlalchemy import event

    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0  # go on

    def on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.set_progress_handler(count, 1000)

    database.engine.dispose()  # the connections made from here on count
    event.listen(database.engine, "connect", on_connect)
    try:
        work()
    finally:
        event.remove(database.engine, "connect", on_connect)
    return steps[0]


def test_replacing_a_plan_costs_about_what_loading_it_did(tmp_path: Path) -> None:
    """Killing `import --force` found it holding the write lock for 14 s on a 2,000-action plan:
    deleting the old history checked every row against every other for an undo pointing at it."""
    document = generate.generate(generate.Shape(300, 6000, themes=4, seed=2))
    database = open_database(tmp_path / "plan.db")
    try:
        loading = _sqlite_steps(database, lambda: load_document(database, document))
        replacing = _sqlite_steps(database, lambda: load_document(database, document, replace=True))
    finally:
        database.close()
    assert replacing < 3 * loading, (loading, replacing)
