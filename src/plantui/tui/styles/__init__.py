"""The workbench's Textual stylesheets (`.tcss`), gathered in one folder.

`sheet(name)` is the path a screen or dialog gives as its `CSS_PATH`.
"""

from __future__ import annotations

from pathlib import Path

STYLES = Path(__file__).parent


def sheet(name: str) -> Path:
    """The stylesheet `name` (e.g. "app.tcss") in this folder."""
    return STYLES / name
