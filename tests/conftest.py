"""Shared fixtures. Every test runs with a temporary home, data and config folder, so nothing
touches the real user's files, and `PLANTUI_DB` from the environment never leaks in."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from plantui.domain.document import (
    ActionDoc,
    AreaDoc,
    FindingDoc,
    MeasureChangeDoc,
    MeasureDoc,
    ObjectiveDoc,
    PlanDocument,
    ThemeDoc,
)

TODAY = date(2022, 11, 1)
AT = datetime(2022, 10, 5, 14, 3)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("PLANTUI_CONFIG", str(home / ".config" / "plantui"))
    monkeypatch.delenv("PLANTUI_DB", raising=False)
    monkeypatch.setenv("TZ", "UTC")
    return home


async def wait_for_workers(app) -> None:
    """Wait until the app has no worker left running. A worker cancelled meanwhile (an exclusive group
    starting its next one, or the app closing) counts as done: Textual's `wait_for_complete` raises
    `WorkerCancelled` for it, which says nothing about the test."""
    from textual.worker import WorkerCancelled

    for _ in range(100):
        workers = [worker for worker in app.workers if not worker.is_finished]
        if not workers:
            return
        try:
            await app.workers.wait_for_complete(workers)
        except WorkerCancelled:
            continue
    raise AssertionError(f"workers still running: {[worker.name for worker in app.workers]}")


def stored_plan(path: Path, document: PlanDocument | None = None) -> Path:
    """A SQLite plan store at `path` holding `document` (the mini plan by default); returns `path`."""
    from plantui.store.opening import open_database
    from plantui.store.plans import load_document

    database = open_database(path)
    try:
        load_document(database, document or mini_plan())
    finally:
        database.close()
    return path


def mini_plan(markup: bool = False) -> PlanDocument:
    """A small plan with every shape the real one has: several leads, carried milestones,
    'Ongoing', 'onwards', odd spacing, BAU, and findings citing refs that name nothing."""
    m = "[bold]x[/] [link=y] [" if markup else ""
    return PlanDocument(
        title=f"Test Improvement Plan{m}",
        organisation="Test Council",
        phase="Phase 1",
        foreword=f"Working together.{m}\n\nSecond paragraph.",
        themes=[
            ThemeDoc(
                "1",
                f"Improving Quality{m}",
                "The right staff.",
                areas=[
                    AreaDoc(
                        "1.1",
                        f"The Workforce{m}",
                        "A skilled workforce.",
                        objectives=[
                            ObjectiveDoc(
                                "1.1.1",
                                f"There is adequate capacity{m}",
                                actions=[
                                    ActionDoc(
                                        "1.1.1.1",
                                        f"Develop a workforce strategy{m}",
                                        f"More staff trained{m}",
                                        ["Assistant Director Safeguarding", f"HR Lead{m}"],
                                        "complete",
                                        "September 2022",
                                        detailed_plan=f"People Strategy{m}",
                                    ),
                                    ActionDoc(
                                        "1.1.1.2",
                                        "Recruit senior leaders",
                                        "A permanent team",
                                        ["Assistant Director Safeguarding"],
                                        "off_track",
                                        "September  2022",
                                    ),
                                    ActionDoc(
                                        "1.1.1.3",
                                        "Recruit a participation officer",
                                        "Voices heard",
                                        ["Head of Service"],
                                        "on_track",
                                        "March 2023",
                                    ),
                                ],
                            )
                        ],
                    ),
                    AreaDoc(
                        "1.2",
                        "Practice Standards",
                        "Good practice.",
                        objectives=[
                            ObjectiveDoc(
                                "1.2.1",
                                "Practice standards are embedded",
                                actions=[
                                    ActionDoc(
                                        "1.2.1.1",
                                        "Audit practice monthly",
                                        "Audits show improvement",
                                        ["Head of Quality Assurance"],
                                        "bau",
                                        "Ongoing",
                                    ),
                                    ActionDoc(
                                        "1.2.1.2",
                                        "Refresh the QA framework",
                                        "A new framework",
                                        ["Head of Quality Assurance"],
                                        "some_issues",
                                        "October 2022 onwards",
                                    ),
                                ],
                            )
                        ],
                    ),
                ],
            ),
            ThemeDoc(
                "2",
                "Improving Tools",
                "The right tools.",
                areas=[
                    AreaDoc(
                        "2.1",
                        "Technology",
                        "Systems that work.",
                        objectives=[
                            ObjectiveDoc(
                                "2.1.1",
                                "A case recording system that works",
                                actions=[
                                    ActionDoc(
                                        "2.1.1.1",
                                        "Replace the case system",
                                        "Staff use it",
                                        ["Chief Digital Officer"],
                                        "not_started",
                                        "April 2023",
                                    ),
                                    ActionDoc(
                                        "2.1.1.2",
                                        "Train staff on the system",
                                        "Staff trained",
                                        [],
                                        "off_track",
                                        "Spring",
                                    ),
                                ],
                            )
                        ],
                    )
                ],
            ),
        ],
        findings=[
            FindingDoc("Appendix A: Notice", f"Caseloads and oversight{m}", ["1.1.1", "2.1"]),
            FindingDoc("Appendix A: Notice", "Visits to children", ["1.2.1", "1.2.2"]),
        ],
    )


@pytest.fixture
def plan_doc() -> PlanDocument:
    return mini_plan()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "plan.db"


# --- backends: tests that take `db_target` (or `database`) run on SQLite and on PostgreSQL -----------


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
        metafunc.parametrize("backend", ["sqlite"] if only_sqlite else ["sqlite", "postgres"], indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL server for the session (one per test worker), or a skip saying why."""
    from tests import pg_cluster as pg

    cluster = pg.start()
    if isinstance(cluster, str):
        pytest.skip(f"PostgreSQL tests skipped: {cluster}")
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster) -> Iterator[str]:
    """A fresh PostgreSQL database with the current schema, dropped after the test."""
    name = pg_cluster.new_database()
    yield pg_cluster.url(name)
    pg_cluster.drop_database(name)


@pytest.fixture
def db_target(backend: str, db_path: Path, request: pytest.FixtureRequest) -> str:
    """What `--db` names for this backend: a SQLite file path, or a PostgreSQL URL."""
    if backend == "postgres":
        return request.getfixturevalue("pg_url")
    return str(db_path)


@pytest.fixture
def database(db_target: str, plan_doc: PlanDocument):
    from plantui.store.opening import open_database
    from plantui.store.plans import load_document

    db = open_database(db_target)
    load_document(db, plan_doc)
    yield db
    db.close()


def run_cli(*args: str, ok: bool = True):
    """Run the `plantui` command in-process through click's runner; by default it must succeed."""
    from click.testing import CliRunner

    from plantui.cli.main import cli

    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


# --- a plan with measures of impact in every status (the scorecard, the report's scorecard) ------------

SCORED_NAME = "Visits on time [b]within[/b] 10 days"


def _monthly(ref: str, values: list[float], first_month: int = 1, who: str = "Performance team"):
    """Values of 2022's months from `first_month`, each recorded on the 5th of the month after."""
    return [
        (datetime(2022, month + 1, 5, 9, 0), ref, f"2022-{month:02d}", value, who, "")
        for month, value in enumerate(values, start=first_month)
    ]


def scored_plan() -> PlanDocument:
    """The mini plan with measures defined in every status to come (`record_scores` gives the values):
    M1 linked to an action, an objective and a finding, with its definition's history."""
    doc = mini_plan()
    doc.measures = [
        MeasureDoc(
            "M1", SCORED_NAME, "%", "higher", 80, 5, "monthly", "Jane Smith",
            objectives=["1.1.1"], actions=["1.1.1.2"], findings=[0],
            changes=[
                MeasureChangeDoc(datetime(2022, 1, 2, 9, 0), "Test Lead", "added", None, "M1"),
                MeasureChangeDoc(datetime(2022, 3, 2, 9, 0), "Test Lead", "target", "75", "80"),
            ],
        ),
        MeasureDoc("M2", "Re-referrals within 12 months", "%", "lower", 20, 2),
        MeasureDoc("M3", "Average caseload", "cases", "lower", 18, None, owner="Head of Service"),
        MeasureDoc("M10", "Agency social workers", "%", "lower", 15, 3),
        MeasureDoc("M4", "Audits rated good", "%", "higher", None, None, "quarterly"),
    ]  # fmt: skip
    return doc


def record_scores(path: Path) -> None:
    """The measures' values as a performance team records them, in time order: off target after a
    correction (M1), within tolerance (M2), met (M3), none (M10), no target (M4)."""
    values = [
        *_monthly("M1", [70, 74, 76, 78, 80, 82, 79, 83, 81]),
        *_monthly("M2", [24, 22, 21.5], first_month=8),
        *_monthly("M3", [19, 17], first_month=9),
        (datetime(2022, 7, 5), "M4", "2022-Q2", 40, "Audit team", ""),
        (datetime(2022, 10, 5), "M4", "2022-Q3", 55, "Audit team", ""),
        (datetime(2022, 10, 15, 9, 0), "M1", "2022-10", 85, "Performance team", ""),
        (datetime(2022, 10, 28, 9, 0), "M1", "2022-10", 72, "Jane Smith", "late [returns]"),
    ]
    from plantui.store.measures import record_value
    from plantui.store.opening import open_database

    database = open_database(path)
    try:
        for at, ref, period, value, who, note in sorted(values):
            record_value(database, ref, period, value, author=who, note=note, at=at)
    finally:
        database.close()
