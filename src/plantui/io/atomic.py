"""Writing a whole file or nothing: exports never leave half a file behind."""

from __future__ import annotations

from pathlib import Path

from plantui.domain.errors import InputError


def write_file(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it into place."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write ({error.strerror or error})") from None
