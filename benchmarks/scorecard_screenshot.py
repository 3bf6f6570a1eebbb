"""The scorecard screenshot in docs/ (docs/images/scorecard.svg), from the generated plan.

    python benchmarks/scorecard_screenshot.py

Generates a 2,000-action plan with its 100 measures (`generate.py`, seed 1: generated data, every
measure named "(generated)"), imports it into a temporary store, opens the workbench at 120x36 on
1 April 2026, presses K and saves what the screen shows as SVG. Same code, same picture.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import date
from pathlib import Path

import generate

from plantui.store.opening import open_database
from plantui.store.plans import load_document
from plantui.tui.app import PlanApp

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "images" / "scorecard.svg"


async def shoot(database, out: Path) -> None:
    app = PlanApp(database, today=date(2026, 4, 1), author="Generated data", live_refresh_seconds=None)
    app.animation_level = "none"
    async with app.run_test(size=(120, 36)) as pilot:
        while app.model is None or not app.model.measures:
            await pilot.pause(0.05)
        await pilot.press("K")
        await pilot.pause(0.3)
        app.save_screenshot(filename=out.name, path=str(out.parent))


def main() -> int:
    doc = generate.generate(generate.Shape(actions=2000, history=20000, seed=1))
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(Path(folder) / "plan.db")
        try:
            load_document(database, doc)
            OUT.parent.mkdir(parents=True, exist_ok=True)
            asyncio.run(shoot(database, OUT))
        finally:
            database.close()
    print(f"{OUT.relative_to(ROOT)}: the scorecard of the generated plan", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
