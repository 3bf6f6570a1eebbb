"""The wheel carries what a non-editable install needs: the sample plan, the migrations, the styles."""

from __future__ import annotations

import zipfile
from pathlib import Path

from hatchling.builders.wheel import WheelBuilder

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_the_sample_and_the_migrations(tmp_path: Path) -> None:
    [wheel] = WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"])
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "plantui/sample/sefton-phase1.json" in names
    assert "plantui/store/migrations/env.py" in names
    assert any(n.startswith("plantui/store/migrations/versions/0001") for n in names)
    with zipfile.ZipFile(wheel) as archive:
        shipped = archive.read("plantui/sample/sefton-phase1.json")
    assert shipped == (ROOT / "data" / "sefton-phase1.json").read_bytes()
