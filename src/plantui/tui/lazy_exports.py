"""Package re-exports that import a module only when one of its names is first asked for.

`screens/`, `dialogs/` and `widgets/` re-export their public classes so a reader can write
`from plantui.tui.dialogs import NoteDialog`; importing them eagerly would load every screen (and
the store behind some of them) before the first frame, so each package's `__getattr__` comes from
`lazy_exports`, which imports the owning module on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any


def lazy_exports(package: str, owners: dict[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` for `package`: each name in `owners` comes from `package.<owner>`."""

    def __getattr__(name: str) -> Any:
        owner = owners.get(name)
        if owner is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(f"{package}.{owner}"), name)

    return __getattr__
