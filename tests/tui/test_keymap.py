"""The user's keymap.toml: read and checked (one line per bad entry, defaults kept for it), applied
to the real workbench, and every rebindable key listed in docs/keys.md."""

from __future__ import annotations

import re
from pathlib import Path

from plantui.io.keymap import keymap_path, read_keymap
from plantui.tui.keys import checked_keymap, rebindable
from tests.tui.conftest import SIZE, screen_text, settle

ROOT = Path(__file__).resolve().parents[2]


def test_docs_list_every_rebindable_key_with_its_default_and_what_it_does():
    listed = re.findall(
        r"^\| `([^`]+)` \| ([^|]+) \| `([^`]+)` \| ([^|]+) \|$", (ROOT / "docs" / "keys.md").read_text(), re.M
    )
    assert listed == [
        (binding_id, where, binding.key, binding.tooltip or binding.description)
        for binding_id, (where, binding) in rebindable().items()
    ]


def test_a_keymap_is_read_and_its_bad_entries_named_one_line_each(tmp_path):
    path = tmp_path / "keymap.toml"
    path.write_text(
        'goto = "ctrl+g"\n"status.off_track" = "4, r"\nnope = "z"\nedit = 5\nfilter = "two words"\n'
    )
    keymap, problems = read_keymap(path)
    assert keymap == {"goto": "ctrl+g", "status.off_track": "4,r", "nope": "z"}
    assert len(problems) == 2 and all("\n" not in p for p in problems)
    assert "'edit' must be a string of keys" in problems[0] and "'filter' gives 'two words'" in problems[1]
    kept, unknown = checked_keymap(keymap)
    assert kept == {"goto": "ctrl+g", "status.off_track": "4,r"}
    assert unknown == ["keymap.toml: 'nope' is not a plantui key id (docs/keys.md lists them); left out"]


def test_no_file_is_no_keymap_and_a_broken_file_changes_nothing(tmp_path):
    assert read_keymap(tmp_path / "missing.toml") == ({}, [])
    broken = tmp_path / "keymap.toml"
    broken.write_bytes(b"goto = [\xff")
    keymap, problems = read_keymap(broken)
    assert keymap == {} and len(problems) == 1 and "the default keys are used" in problems[0]


def test_the_keymap_lives_beside_the_settings(isolated_home):
    assert keymap_path() == isolated_home / ".config" / "plantui" / "keymap.toml"


async def test_a_rebound_key_works_in_the_workbench_and_the_old_one_does_not(make_app):
    app = make_app()
    app.set_keymap({"exceptions": "x"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert "Exceptions" not in screen_text(app)
        await pilot.press("x")
        await settle(pilot)
        assert "Exceptions: " in screen_text(app)


def test_the_cli_passes_a_checked_keymap_and_says_what_it_left_out(tmp_path, isolated_home):
    from plantui.cli.open_tui import _user_keymap

    assert _user_keymap() == ({}, [])
    keymap_path().parent.mkdir(parents=True, exist_ok=True)
    keymap_path().write_text('exceptions = "x"\nnope = "z"\n')
    kept, problems = _user_keymap()
    assert kept == {"exceptions": "x"} and problems == [
        "keymap.toml: 'nope' is not a plantui key id (docs/keys.md lists them); left out"
    ]
