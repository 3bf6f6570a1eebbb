"""The no-circles contracts in .importlinter cover store, CLI and TUI, and they bite.

`make contract` (part of `make test`) runs the contracts over plantui itself. These tests prove they
are there and that the contract type catches what it should: a circle closed by an import inside a
function, and a new circle beside an allowed one.
"""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _acyclic_ancestors() -> set[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    ancestors: set[str] = set()
    for section in config.sections():
        if config[section].get("type") == "acyclic_siblings":
            ancestors.update(config[section]["ancestors"].split())
    return ancestors


def _write_package(root: Path, modules: dict[str, str]) -> None:
    package = root / "circled"
    package.mkdir()
    (package / "__init__.py").write_text('"""A package made to test the contract."""\n')
    for name, source in modules.items():
        (package / f"{name}.py").write_text(source)


def _lint(root: Path, ignore_imports: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    lines = [
        "[importlinter]",
        "root_package = circled",
        "[importlinter:contract:acyclic]",
        "name = No circles in circled",
        "type = acyclic_siblings",
        "ancestors = circled",
    ]
    if ignore_imports:
        lines.append("ignore_imports =")
        lines.extend(f"    {line}" for line in ignore_imports)
    config = root / "contracts.ini"
    config.write_text("\n".join(lines) + "\n")
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(config)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


# opening needs checks at the top; checks reaches back for opening inside a function.
HIDDEN_CIRCLE = {
    "opening": "from circled.checks import check\n\ndef open_file():\n    check()\n",
    "checks": "def check():\n    from circled.opening import open_file\n\n    return open_file\n",
}


def test_the_store_the_cli_and_the_tui_each_have_a_no_circles_contract() -> None:
    assert {"plantui.store", "plantui.cli", "plantui.tui"} <= _acyclic_ancestors()


def test_a_circle_hidden_inside_a_function_breaks_the_contract(tmp_path: Path) -> None:
    _write_package(tmp_path, HIDDEN_CIRCLE)
    result = _lint(tmp_path)
    assert result.returncode != 0, result.stdout
    assert "No cycles are allowed in circled." in result.stdout
    assert ".checks -> .opening" in result.stdout or ".opening -> .checks" in result.stdout


def test_a_package_without_circles_keeps_the_contract(tmp_path: Path) -> None:
    _write_package(tmp_path, {"opening": HIDDEN_CIRCLE["opening"], "checks": "def check():\n    pass\n"})
    result = _lint(tmp_path)
    assert result.returncode == 0, result.stdout


def test_an_allowed_circle_passes_but_a_new_one_beside_it_still_breaks(tmp_path: Path) -> None:
    allowed = ["circled.checks -> circled.opening"]
    _write_package(tmp_path, HIDDEN_CIRCLE)
    assert _lint(tmp_path, allowed).returncode == 0

    (tmp_path / "circled" / "engine.py").write_text("import circled.backup\n")
    (tmp_path / "circled" / "backup.py").write_text("def copy():\n    import circled.engine\n")
    result = _lint(tmp_path, allowed)
    assert result.returncode != 0, result.stdout
    assert ".backup -> .engine" in result.stdout or ".engine -> .backup" in result.stdout


def test_an_allowance_outliving_its_circle_breaks_the_contract(tmp_path: Path) -> None:
    """Once the circle is gone, its line in ignore_imports must go too, so none lingers."""
    _write_package(tmp_path, {"opening": HIDDEN_CIRCLE["opening"], "checks": "def check():\n    pass\n"})
    result = _lint(tmp_path, ["circled.checks -> circled.opening"])
    assert result.returncode != 0, result.stdout
