"""The user's saved settings (who is recording changes, theme, how many backups to keep, where the
workbench writes exports and reports), in a small JSON file in the user's config folder
(`PLANTUI_CONFIG` overrides the folder). Read lazily; never written unless asked."""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path
from typing import Any

from plantui.domain.errors import InputError
from plantui.io.atomic import write_file

CONFIG_ENV = "PLANTUI_CONFIG"


def settings_path() -> Path:
    folder = os.environ.get(CONFIG_ENV)
    if not folder:
        import platformdirs

        folder = platformdirs.user_config_dir("plantui", appauthor=False)
    return Path(folder) / "settings.json"


def load_settings() -> dict[str, Any]:
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_setting(key: str, value: Any) -> None:
    path = settings_path()
    data = load_settings()
    data[key] = value
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Whole or not at all, private, through an unpredictable temporary name (see plantui.io.atomic).
    write_file(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment or the password database
        return "unknown"


def default_author(explicit: str | None = None) -> str:
    """Who is recording changes: `--author`, else the saved setting, else the login name."""
    if explicit and explicit.strip():
        return explicit.strip()
    saved = load_settings().get("author")
    if isinstance(saved, str) and saved.strip():
        return saved.strip()
    return login_name()


DEFAULT_BACKUPS_KEEP = 10


def backups_keep() -> int:
    """How many automatic backup copies to keep (`backups_keep`, at least 1; default 10)."""
    value = load_settings().get("backups_keep")
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    return DEFAULT_BACKUPS_KEEP


OUTPUT_FOLDER = "output_folder"


def default_output_folder() -> Path:
    """Where exports and reports go until the user chooses: `reports/` in the user's data folder."""
    import platformdirs

    return Path(platformdirs.user_data_dir("plantui", appauthor=False)) / "reports"


def output_folder() -> Path:
    """The folder the workbench writes exports and reports into: the one the user chose (the
    `output_folder` setting), else `default_output_folder()`. Never the current directory by accident."""
    chosen = load_settings().get(OUTPUT_FOLDER)
    if isinstance(chosen, str) and chosen.strip():
        return Path(chosen.strip()).expanduser()
    return default_output_folder()


def choose_output_folder(folder: Path) -> Path:
    """Remember `folder` (made absolute) for exports and reports; an `InputError` naming it when it is
    not a folder that exists or can be made."""
    folder = folder.expanduser().absolute()
    if folder.exists() and not folder.is_dir():
        raise InputError(f"folder: {folder} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        raise InputError(f"folder: cannot make {folder}: {error.strerror or error}") from None
    save_setting(OUTPUT_FOLDER, str(folder))
    return folder
