"""`statuses_at` rebuilds every action's status at many moments in one pass, and agrees with
`actions_at` (the full rebuild) at each of them, undo included."""

from __future__ import annotations

from datetime import datetime, timedelta

from plantui.store.as_at import actions_at, statuses_at
from plantui.store.changes import set_status, undo_step
from plantui.store.opening import open_database
from plantui.store.plans import load_document
from tests.conftest import mini_plan


def test_statuses_at_many_moments_match_the_full_rebuild(db_path) -> None:
    db = open_database(db_path)
    try:
        load_document(db, mini_plan())
        start = datetime(2022, 6, 1, 9)
        refs = [r.ref for r in actions_at(db, None)][:4]
        moments: list[datetime | None] = [start - timedelta(days=1)]
        for n, code in enumerate(["off_track", "some_issues", "complete", "on_track", "off_track", "bau"]):
            set_status(db, refs[n % len(refs)], code, author="Lead", at=start + timedelta(days=n))
            moments.append(start + timedelta(days=n, hours=1))
        undo_step(db, author="Lead", at=start + timedelta(days=9))
        moments += [start + timedelta(days=10), None]
        shuffled = moments[::2] + moments[1::2]  # any order in, each answered in its place
        rebuilt = statuses_at(db, shuffled)
        for moment, statuses in zip(shuffled, rebuilt, strict=True):
            assert statuses == {r.ref: r.status for r in actions_at(db, moment)}, moment
        assert len({tuple(sorted(s.items())) for s in rebuilt}) >= 6  # the moments really differ
    finally:
        db.close()
