"""The user's own keys: `keymap.toml` in the config folder, beside settings.json.

Each line names a workbench key by its id and gives the keys to use instead, as Textual names
them, several separated by commas:

    edit = "e,enter"
    goto = "ctrl+g"
    "status.off_track" = "4,r"

docs/keys.md lists every id with its default keys. This module reads the file and checks its shape
(a string of key names per id); the workbench checks the ids against its own bindings. A bad entry
is reported in one line naming it, and the defaults are kept for it; a file that cannot be read at
all is reported the same way and changes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

from plantui.io.settings import settings_path

# A Textual key name: letters, digits and underscores, with modifiers joined by "+" (ctrl+shift+x);
# a single printable character is a key too.
_KEY = re.compile(r"^(?:[a-z][a-z0-9_]*\+)*(?:[a-z0-9_]+|[^\s,])$")


def keymap_path() -> Path:
    return settings_path().with_name("keymap.toml")


def read_keymap(path: Path | None = None) -> tuple[dict[str, str], list[str]]:
    """The keymap (binding id -> keys) and one line for each entry left out; empty when no file."""
    path = path or keymap_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, []
    except OSError as error:
        return {}, [f"{path}: cannot be read ({error.strerror or error}); the default keys are used"]
    import tomllib

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return {}, [f"{path}: not a TOML file ({error}); the default keys are used"]
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in data.items():
        if not isinstance(keys, str):
            problems.append(f'{path}: {binding_id!r} must be a string of keys, like "ctrl+g"; left as it was')
            continue
        names = [name.strip() for name in keys.split(",")]
        bad = [name for name in names if not _KEY.match(name)]
        if bad or not keys.strip():
            shown = ", ".join(repr(name) for name in bad) or "nothing"
            problems.append(f"{path}: {binding_id!r} gives {shown}, which is no key name; left as it was")
            continue
        keymap[binding_id] = ",".join(names)
    return keymap, problems
