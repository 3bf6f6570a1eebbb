"""Writing exports and reports: never replacing a device, FIFO or link, private temporary files that a
planted link cannot redirect, the database's permissions, and the old file left whole when a write fails
(a read-only folder, a full disk). Real processes, real files, real FIFOs and device nodes."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from plantui.domain.errors import InputError
from plantui.io.atomic import write_file
from tests.conftest import stored_plan

pytestmark = pytest.mark.slow

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs, device nodes and uids are POSIX")
root_only = pytest.mark.skipif(not IS_ROOT, reason="needs root (mknod, lchown, mount)")

# Every way to write a file the user names: (arguments after --db, what the file starts with).
WRITERS = {
    "export json": (["export"], b"{"),
    "export csv": (["export", "--format", "csv"], b"\xef\xbb\xbfTheme ref"),
    "export xlsx": (["export", "--format", "xlsx"], b"PK"),
    "report md": (["report", "--today", "2022-11-01"], b"# "),
    "report html": (["report", "--format", "html", "--today", "2022-11-01"], b"<!"),
}


@pytest.fixture
def plan_db(tmp_path: Path) -> Path:
    path = tmp_path / "db" / "plan.db"  # its own folder: plantui keeps backups beside it
    path.parent.mkdir()
    return stored_plan(path)


def plantui(plan_db: Path, *args: str, prefix: list[str] | None = None, cwd: Path | None = None):
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "plantui", "--db", str(plan_db), *args],
        capture_output=True, check=False, timeout=60, cwd=cwd,
    )  # fmt: skip


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode != 0, stderr
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("plantui: "), stderr
    return lines[0]


def leftovers(folder: Path, *expected: str) -> set[str]:
    """Names in `folder` beyond the expected ones: a temporary file left behind shows up here."""
    return {p.name for p in folder.iterdir()} - set(expected)


@pytest.mark.parametrize("writer", ["export json", "export csv", "export xlsx", "report md"])
def test_dash_means_stdout(plan_db: Path, tmp_path: Path, writer: str) -> None:
    args, start = WRITERS[writer]
    proc = plantui(plan_db, *args, "-o", "-", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    start = start.removeprefix(b"\xef\xbb\xbf")  # no byte-order mark on stdout
    assert proc.stdout.startswith(start)
    assert not (tmp_path / "-").exists()
    named = plantui(plan_db, *args, "-o", "./-", cwd=tmp_path)  # a file called "-" is still possible
    assert named.returncode == 0, named.stderr
    assert (tmp_path / "-").read_bytes().startswith(WRITERS[writer][1])


@posix_only
@pytest.mark.parametrize("writer", ["export json", "report html"])
def test_a_fifo_is_written_into_not_replaced(plan_db: Path, tmp_path: Path, writer: str) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    args, start = WRITERS[writer]
    proc = plantui(plan_db, *args, "-o", str(fifo))
    if proc.returncode != 0:  # unblock the reader before failing
        with open(fifo, "wb"):
            pass
    reader.join(timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received and received[0].startswith(start) and len(received[0]) > 200
    assert leftovers(tmp_path, "db", "pipe") == set()


@posix_only
@root_only
@pytest.mark.parametrize("writer", ["export json", "export xlsx", "report md"])
def test_a_device_node_is_written_into_never_replaced(plan_db: Path, tmp_path: Path, writer: str) -> None:
    """As `-o /dev/null` run as root, on a null device made here so the real one is never at risk."""
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    before = os.lstat(null)
    proc = plantui(plan_db, *WRITERS[writer][0], "-o", str(null))
    assert proc.returncode == 0, proc.stderr
    after = os.lstat(null)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev and after.st_ino == before.st_ino
    assert after.st_mode == before.st_mode  # a device's permissions are not made private either
    assert leftovers(tmp_path, "db", "null") == set()


@posix_only
def test_dev_stdout_writes_to_stdout(plan_db: Path, tmp_path: Path) -> None:
    proc = plantui(plan_db, "export", "-o", "/dev/stdout")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(b"{")
    log = tmp_path / "log.txt"  # stdout sent to a file with `>>`: added to, not replaced
    log.write_bytes(b"earlier\n")
    for path in ("/dev/stdout", "/dev/fd/1"):
        with open(log, "ab") as stdout:
            done = subprocess.run(
                [sys.executable, "-m", "plantui", "--db", str(plan_db), "export", "-o", path],
                stdout=stdout, stderr=subprocess.PIPE, check=False, timeout=60,
            )  # fmt: skip
        assert done.returncode == 0, done.stderr
    data = log.read_bytes()
    assert data.startswith(b"earlier\n{") and data.count(b'"format"') == 2


@posix_only
def test_the_users_own_symlink_is_written_through(plan_db: Path, tmp_path: Path) -> None:
    """The file the link names is replaced (privately, whole) and the link stays a link."""
    real = tmp_path / "reports" / "board-2022-11.md"
    real.parent.mkdir()
    real.write_text("old report\n")
    link = tmp_path / "latest.md"
    link.symlink_to(real)
    proc = plantui(plan_db, *WRITERS["report md"][0], "-o", str(link))
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text().startswith("# ")
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    dangling = tmp_path / "next.json"
    dangling.symlink_to(tmp_path / "reports" / "next-target.json")
    proc = plantui(plan_db, "export", "-o", str(dangling))
    assert proc.returncode == 0, proc.stderr
    assert dangling.is_symlink() and (tmp_path / "reports" / "next-target.json").read_bytes().startswith(b"{")
    assert leftovers(real.parent, real.name, "next-target.json") == set()


@posix_only
@root_only
def test_a_symlink_planted_by_another_user_is_refused(plan_db: Path, tmp_path: Path) -> None:
    """In a shared folder another user's link at the report's name must not send root's write elsewhere."""
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o1777)
    victim = tmp_path / "victim.conf"
    victim.write_text("root's file\n")
    planted = shared / "report.md"
    planted.symlink_to(victim)
    os.lchown(planted, 4242, 4242)
    line = one_line_error(plantui(plan_db, *WRITERS["report md"][0], "-o", str(planted)))
    assert str(planted) in line and "symbolic link owned by another user" in line
    assert victim.read_text() == "root's file\n"
    assert planted.is_symlink()
    assert leftovers(shared, "report.md") == set()


@posix_only
def test_a_link_at_the_old_temporary_name_redirects_nothing(plan_db: Path, tmp_path: Path) -> None:
    """Exports used to write `.NAME.tmp` beside the target, following whatever was there."""
    victim = tmp_path / "victim.conf"
    victim.write_text("root's file\n")
    target = tmp_path / "out" / "plan.json"
    target.parent.mkdir()
    (target.parent / ".plan.json.tmp").symlink_to(victim)
    proc = plantui(plan_db, "export", "-o", str(target))
    assert proc.returncode == 0, proc.stderr
    assert victim.read_text() == "root's file\n"
    assert not target.is_symlink() and target.read_bytes().startswith(b"{")
    assert leftovers(target.parent, "plan.json", ".plan.json.tmp") == set()


@pytest.mark.parametrize("writer", ["export json", "export csv", "export xlsx", "report html"])
def test_new_and_replaced_files_get_the_databases_permissions(
    plan_db: Path, tmp_path: Path, writer: str
) -> None:
    old_umask = os.umask(0o022)
    try:
        args, start = WRITERS[writer]
        new = tmp_path / "new-output"
        proc = plantui(plan_db, *args, "-o", str(new))
        assert proc.returncode == 0, proc.stderr
        assert new.read_bytes().startswith(start)
        existing = tmp_path / "shared-output"
        existing.write_text("made world-readable by an older plantui\n")
        existing.chmod(0o644)
        proc = plantui(plan_db, *args, "-o", str(existing))
        assert proc.returncode == 0, proc.stderr
        assert existing.read_bytes().startswith(start)
    finally:
        os.umask(old_umask)
    if os.name == "posix":
        assert stat.S_IMODE(new.stat().st_mode) == 0o600
        assert stat.S_IMODE(existing.stat().st_mode) == 0o600
    assert leftovers(tmp_path, "db", "new-output", "shared-output") == set()


@posix_only
@root_only
def test_root_replacing_a_users_file_leaves_it_theirs(tmp_path: Path) -> None:
    target = tmp_path / "ann-report.md"
    target.write_text("old\n")
    os.chown(target, 4242, 4243)
    write_file(target, b"# new\n")
    assert target.read_bytes() == b"# new\n"
    assert (target.stat().st_uid, target.stat().st_gid) == (4242, 4243)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@posix_only
@pytest.mark.parametrize("writer", ["export json", "report md"])
def test_a_read_only_folder_leaves_the_old_file_and_no_temporary(
    plan_db: Path, tmp_path: Path, writer: str
) -> None:
    from tests.faults.fault_checks import unprivileged_prefix

    prefix = unprivileged_prefix()
    folder = tmp_path / "read-only"
    folder.mkdir()
    target = folder / "out.txt"
    target.write_text("the old export\n")
    folder.chmod(0o555)
    try:
        line = one_line_error(plantui(plan_db, *WRITERS[writer][0], "-o", str(target), prefix=prefix))
        assert line == f"plantui: {target}: cannot write (permission denied); the old file is unchanged"
        assert target.read_text() == "the old export\n"
        assert leftovers(folder, "out.txt") == set()
    finally:
        folder.chmod(0o755)


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A 64 KB tmpfs mounted for the test: a real full disk. Skipped where mounting is not allowed."""
    mount, umount = shutil.which("mount"), shutil.which("umount")
    if not IS_ROOT or mount is None or umount is None:
        pytest.skip("mounting a tiny tmpfs needs root and mount(8)")
    point = tmp_path / "tiny"
    point.mkdir()
    proc = subprocess.run([mount, "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(point)], capture_output=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.decode().strip()}")
    try:
        yield point
    finally:
        subprocess.run([umount, str(point)], check=False)


@posix_only
@pytest.mark.parametrize("writer", ["export json", "export xlsx", "report html"])
def test_a_full_disk_says_so_and_leaves_the_old_file(plan_db: Path, tiny_disk: Path, writer: str) -> None:
    target = tiny_disk / "out"
    target.write_bytes(b"the old export\n")
    with open(tiny_disk / "filler", "wb", buffering=0) as filler:  # fill every block that is left
        try:
            while True:
                filler.write(b"\0" * 4096)
        except OSError:
            pass
    line = one_line_error(plantui(plan_db, *WRITERS[writer][0], "-o", str(target)))
    assert line == f"plantui: {target}: cannot write (disk full); the old file is unchanged"
    assert target.read_bytes() == b"the old export\n"
    assert leftovers(tiny_disk, "out", "filler") == set()


def test_a_folder_or_a_missing_folder_is_one_clear_line(plan_db: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    line = one_line_error(plantui(plan_db, "export", "-o", str(missing / "plan.json")))
    assert line == f"plantui: {missing / 'plan.json'}: cannot write (the folder {missing} does not exist)"
    with pytest.raises(InputError, match="is a folder"):
        write_file(tmp_path, b"x")


KILLED_WRITER = """
import sys
from pathlib import Path
from plantui.io.atomic import write_file

target, size = Path(sys.argv[1]), int(sys.argv[2])
payloads = [b"A" * size, b"B" * size]
write_file(target, payloads[0])
print("first write done", flush=True)
n = 1
while True:
    write_file(target, payloads[n % 2])
    n += 1
"""


@posix_only
def test_a_write_killed_at_any_moment_leaves_a_whole_file(tmp_path: Path) -> None:
    """kill -9 at seeded random moments while a file is rewritten over and over: always one whole file."""
    import random
    import signal

    rng = random.Random(15)
    size = 4 * 1024 * 1024
    target = tmp_path / "plan.json"
    for _ in range(5):
        writer = subprocess.Popen(
            [sys.executable, "-c", KILLED_WRITER, str(target), str(size)], stdout=subprocess.PIPE, text=True
        )
        assert writer.stdout is not None and writer.stdout.readline() == "first write done\n"
        threading.Event().wait(rng.uniform(0.0, 0.3))  # a random moment, not a synchronisation
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        data = target.read_bytes()
        assert len(data) == size and data in (b"A" * size, b"B" * size)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    # What a kill can leave: hidden temporary files of our own, never a half-written target. The next
    # write of the same file removes them once they are old enough not to be another write's.
    left = [p for p in tmp_path.iterdir() if p.name != "plan.json"]
    assert all(p.name.startswith(".plan.json.") and p.name.endswith(".tmp") for p in left)
    left.append(tmp_path / ".plan.json.zz_0zz9z.tmp")  # as a kill leaves one, should none have landed
    left[-1].write_bytes(b"A" * 100)
    (tmp_path / ".plan.json.notours.tmp").write_text("not a name mkstemp makes: left alone")
    (tmp_path / ".plan.json.abcdefgh.tmp").symlink_to(tmp_path / "plan.json")  # a link: left alone
    for path in [*left, tmp_path / ".plan.json.notours.tmp"]:
        os.utime(path, (0, 0))
    write_file(target, b"{}")
    assert leftovers(tmp_path, "plan.json", ".plan.json.notours.tmp", ".plan.json.abcdefgh.tmp") == set()
    assert target.read_bytes() == b"{}"


@posix_only
def test_a_workbook_is_not_sent_to_a_terminal(plan_db: Path) -> None:
    import pty

    main_fd, terminal_fd = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "plantui", "--db", str(plan_db), "export", "--format", "xlsx", "-o", "-"],
            stdout=terminal_fd, stderr=subprocess.PIPE, check=False, timeout=60,
        )  # fmt: skip
    finally:
        os.close(terminal_fd)
        os.close(main_fd)
    assert proc.returncode == 2
    assert proc.stderr.decode().strip() == (
        "plantui: export --format xlsx -o - writes a workbook: send stdout to a file, not a terminal"
    )


def test_settings_are_saved_privately_past_a_planted_link(tmp_path: Path, monkeypatch) -> None:
    """settings.json was written through the fixed name settings.tmp with the umask's mode (0644):
    a link planted there redirected the write, and the file was readable by everyone."""
    from plantui.io.settings import load_settings, save_setting, settings_path

    folder = tmp_path / "config"
    monkeypatch.setenv("PLANTUI_CONFIG", str(folder))
    folder.mkdir(mode=0o700)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (folder / "settings.tmp").symlink_to(victim)
    save_setting("author", "Ann")
    assert victim.read_text() == "keep me"
    assert load_settings() == {"author": "Ann"}
    assert stat.S_IMODE(settings_path().stat().st_mode) == 0o600
