"""Writing an output file (an export, a report) whole or not at all, privately, and safely in a shared folder.

`write_file(path, data)` is what every command and dialog that writes a file the user named goes through:

- A regular file, or a name not yet taken, is written to a temporary file made beside it with an
  unpredictable name, created exclusively and without following a symbolic link (`tempfile.mkstemp`),
  flushed to the disk, then renamed over the target. A reader sees the old file or the new one, never
  half of one; if anything fails the temporary file is removed and the old file is left as it was.
  A temporary file left by a write that was killed is removed by the next write of the same file.
- The file gets the database's permissions, 0600 (its owner only), whether it is new or replaces one:
  plans hold personal data, and files written by older plantui versions were readable by everyone on
  the machine. Replacing another user's file as root keeps that user as its owner.
- Something that is not a regular file (a FIFO, a character device such as /dev/null, a terminal), and
  the process's own descriptors (`/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N`, even when stdout was sent
  to a file: that file is added to, as the shell opened it) are written straight into and never
  replaced. A folder or a socket is refused.
- A symbolic link is written through: the file it points to is replaced as above and the link stays.
  Only links owned by the user running plantui (or by the system, root) are followed; a link planted
  by another user, in a shared folder for instance, is refused so it cannot redirect the write.
- Every failure is one `InputError` line naming the file; a full disk says "disk full".
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import time
from pathlib import Path

from plantui.domain.errors import InputError

PRIVATE_MODE = 0o600  # as the database file itself
MAX_LINK_HOPS = 40  # as the kernel's own limit on a chain of symbolic links
# The process's own open files (`-o /dev/stdout` with stdout sent to a file): written into, never replaced.
DESCRIPTOR_PATH = re.compile(r"/dev/(stdout|stderr|fd/\d+)|/proc/[^/]+/fd/\d+")
TEMPORARY_SUFFIX = ".tmp"
STALE_AFTER_SECONDS = 600  # a temporary file this old was left by a write that was killed
FULL_DISK = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def write_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all (see the module's docstring). Raises `InputError`."""
    path = Path(path)
    _refuse_foreign_links(path)
    try:
        status = os.stat(path)
    except FileNotFoundError:
        status = None
    except NotADirectoryError:
        raise InputError(f"{path}: cannot write (a part of the path is a file, not a folder)") from None
    except OSError as error:
        raise _write_error(path, error, existed=False) from None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise InputError(f"{path} is a folder: name a file to write")
    if status is not None and stat.S_ISSOCK(status.st_mode):
        raise InputError(f"{path} is a socket: name a file to write")
    if status is not None and (not stat.S_ISREG(status.st_mode) or _is_descriptor(path)):
        _write_into(path, data, append=stat.S_ISREG(status.st_mode))
        return
    # Through the user's own links to the file they point at, which is replaced; the link stays.
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    _replace(target, data, status, shown=path)


def free_path(path: Path) -> Path:
    """`path`, or `name-2.json`, `name-3.json`… when it is taken: for files that never overwrite one."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def _refuse_foreign_links(path: Path) -> None:
    """Refuse `path` if it is, or leads through, a symbolic link owned by someone else (not root)."""
    if not hasattr(os, "geteuid"):  # Windows: only administrators make links, and there are no uids
        return
    trusted = {os.geteuid(), 0}
    current = path
    for _ in range(MAX_LINK_HOPS):
        try:
            link = os.lstat(current)
        except OSError:  # nothing there (yet), or a /proc link whose target is not a path: stop walking
            return
        if not stat.S_ISLNK(link.st_mode):
            return
        if link.st_uid not in trusted:
            raise InputError(
                f"{path} is a symbolic link owned by another user: plantui does not write through it "
                "(name the file itself, or remove the link)"
            )
        current = current.parent / os.readlink(current)
    raise InputError(f"{path}: cannot write (too many levels of symbolic links)")


def _is_descriptor(path: Path) -> bool:
    return os.name == "posix" and DESCRIPTOR_PATH.fullmatch(os.path.abspath(path)) is not None


def _write_into(path: Path, data: bytes, *, append: bool) -> None:
    """Write into a FIFO, a device or a descriptor as it is: no temporary file, no rename, no truncation."""
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    if append:  # a regular file reached through /dev/stdout: add to what the shell opened, as `>>` would
        flags |= os.O_APPEND
    if not path.is_symlink():  # a FIFO swapped for a link since it was looked at is not followed
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise _write_error(path, error, existed=False) from None
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as error:
        raise _write_error(path, error, existed=False, partial=True) from None
    finally:
        os.close(fd)


def _replace(target: Path, data: bytes, status: os.stat_result | None, *, shown: Path) -> None:
    """Write a temporary file beside `target`, flush it, and rename it over `target`."""
    folder = target.parent
    prefix = f".{target.name[:64]}."
    _remove_stale_temporaries(folder, prefix)
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=TEMPORARY_SUFFIX)
    except FileNotFoundError:
        raise InputError(f"{shown}: cannot write (the folder {folder} does not exist)") from None
    except OSError as error:
        raise _write_error(shown, error, existed=status is not None) from None
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(temporary, PRIVATE_MODE)  # mkstemp makes it 0600 already; say so for any platform
        if status is not None and hasattr(os, "chown") and status.st_uid != os.geteuid():
            with contextlib.suppress(OSError):  # root replacing a user's file: the file stays theirs
                os.chown(temporary, status.st_uid, status.st_gid)
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise _write_error(shown, error, existed=status is not None) from None
        raise
    _sync_folder(folder)


def _remove_stale_temporaries(folder: Path, prefix: str) -> None:
    """Remove the temporary files a killed write of this same file left behind (hidden, 0600, whole or
    not): only regular files of ours, named as `mkstemp` names them, untouched for a while (a write in
    progress in another process takes milliseconds)."""
    pattern = re.compile(re.escape(prefix) + r"[a-z0-9_]{8}" + re.escape(TEMPORARY_SUFFIX))
    now = time.time()
    try:
        names = [entry for entry in os.scandir(folder) if pattern.fullmatch(entry.name)]
    except OSError:
        return
    for entry in names:
        try:
            status = entry.stat(follow_symlinks=False)
            ours = not hasattr(os, "geteuid") or status.st_uid == os.geteuid()
            if stat.S_ISREG(status.st_mode) and ours and now - status.st_mtime > STALE_AFTER_SECONDS:
                os.unlink(entry.path)
        except OSError:
            continue


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no way to open a folder for this)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the data itself is on disk
    finally:
        os.close(fd)


def _write_error(path: Path, error: OSError, *, existed: bool, partial: bool = False) -> InputError:
    """One line: the file, what went wrong in plain words, and what was left behind."""
    if error.errno in FULL_DISK:
        reason = "disk full"
    elif error.errno == errno.EROFS:
        reason = "the file system is read-only"
    elif error.errno in (errno.EACCES, errno.EPERM):
        # Windows refuses to replace a file another program (Excel) has open.
        reason = "permission denied" + (
            ": is it open in another program?" if existed and os.name == "nt" else ""
        )
    else:
        reason = (error.strerror or str(error)).lower()
    if partial:
        outcome = "the output may be incomplete"
    elif existed:
        outcome = "the old file is unchanged"
    else:
        outcome = "nothing was written"
    return InputError(f"{path}: cannot write ({reason}); {outcome}")
