"""Evidence of impact in the real workbench (Pilot): `i` opens the dialog and saves evidence as typed
(brackets and markup shown literally), `I` marks the impact evidenced or says in one line why not,
`u` takes either back; the detail pane lists the evidence and the mark, the totals line counts the
delivered and the impact evidenced apart, and the `/` box takes `impact:` and `evidence:`."""

from __future__ import annotations

from datetime import date, datetime

from textual.widgets import Input

from plantui.domain.document import HistoryEntryDoc
from plantui.domain.evidence import encode_evidence
from plantui.store import queries
from plantui.store.evidence import action_evidence
from plantui.tui.dialogs.evidence import EvidenceDialog
from plantui.tui.widgets.action_detail import ActionDetail
from tests.conftest import mini_plan
from tests.tui.conftest import SIZE, notices, screen_text, settle, shown, status_line

TEXT = "Audit [bold]found[/] fewer [red]re-referrals[/] [link=x]"
LINK = "S:\\QA\\[2022]\\audit.docx"


def evidenced_plan():
    """The small plan with markup, 1.1.1.1 (complete) evidenced by an audit and marked."""
    plan = mini_plan(markup=True)
    action = plan.actions()[0]
    action.history.append(
        HistoryEntryDoc(
            datetime(2022, 10, 14, 9),
            "Ann [QA]",
            "evidence",
            None,
            encode_evidence(TEXT, LINK, date(2022, 10, 14)),
        )
    )
    action.history.append(HistoryEntryDoc(datetime(2022, 10, 15, 9), "Ann [QA]", "impact", "no", "yes"))
    action.impact = True
    return plan


async def test_evidence_is_saved_from_the_dialog_exactly_as_typed_and_undone_with_u(make_app):
    app = make_app(markup=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, EvidenceDialog)
        assert "Now: ◇ Impact not yet evidenced · 0 pieces of evidence" in screen_text(app)
        app.screen.query_one("#evidence-text", Input).value = TEXT
        app.screen.query_one("#evidence-link", Input).value = LINK
        app.screen.query_one("#evidence-date", Input).value = "2022-10-14"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, EvidenceDialog)
        assert status_line(app).startswith(
            "1.1.1.1 saved: evidence 'Audit [bold]found[/] fewer [r…' (2022-10-14)"
        )
        [item] = action_evidence(app.database, "1.1.1.1")
        assert (item.text, item.link, item.day) == (TEXT, LINK, date(2022, 10, 14))
        assert app.model.row("1.1.1.1").evidence == 1
        detail = app.screen.query_one(ActionDetail)
        detail.focus()
        await pilot.press("end")
        await settle(pilot)
        text = screen_text(app)
        assert "Evidence of impact" in text and TEXT in text and LINK in text
        await pilot.press("u")
        await settle(pilot)
        assert status_line(app).startswith("Undone — 1.1.1.1: evidence taken back")
        assert action_evidence(app.database, "1.1.1.1") == []
        assert app.model.row("1.1.1.1").evidence == 0


async def test_the_dialog_says_what_is_wrong_and_saves_nothing(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "✖ evidence: say what the evidence is (the text is empty)" in screen_text(app)
        app.screen.query_one("#evidence-text", Input).value = "Audit"
        app.screen.query_one("#evidence-date", Input).value = "14/10/2022"
        await pilot.press("enter")
        await settle(pilot)
        assert "✖ date: '14/10/2022' is not a date" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, EvidenceDialog)
        assert queries.plan_history(app.database) == []


async def test_impact_is_refused_in_one_line_without_evidence_then_marked_counted_and_undone(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("I")
        await settle(pilot)
        said = " ".join([*notices(app), status_line(app)])
        assert "1.1.1.1: impact not marked evidenced: it has no evidence and no linked measure" in said
        assert not queries.get_action(app.database, "1.1.1.1").impact
        await pilot.press("i")
        await settle(pilot)
        app.screen.query_one("#evidence-text", Input).value = "Audit"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("I")
        await settle(pilot)
        assert queries.get_action(app.database, "1.1.1.1").impact
        assert "impact ◇ not evidenced -> ◆ evidenced" in status_line(app)
        assert "✔ 1 delivered · ◆ 1 impact evidenced" in screen_text(app)
        assert "✔ Action complete  ·  ◆ Impact evidenced" in screen_text(app)
        await pilot.press("u")
        await settle(pilot)
        assert not queries.get_action(app.database, "1.1.1.1").impact
        assert "impact evidenced" not in screen_text(app)
        await pilot.press("I")  # evidence stands: marked again
        await settle(pilot)
        await pilot.press("I")  # and unmarked
        await settle(pilot)
        assert not app.model.row("1.1.1.1").impact


async def test_the_filter_box_takes_impact_and_evidence_terms(make_app):
    app = make_app(evidenced_plan(), name="evidenced.db")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for expression, refs in (
            ("impact:yes", ["1.1.1.1"]),
            ("evidence:some", ["1.1.1.1"]),
            ("evidence:none rag:complete", []),
        ):
            await pilot.press("slash")
            app.screen.query_one("#filter", Input).value = expression
            await pilot.press("enter")
            await settle(pilot)
            assert shown(app) == refs, expression
            await pilot.press("escape")


async def _evidence_in_view(pilot) -> None:
    """The detail pane scrolled to its end and then back up to the evidence (the history follows it)."""
    await settle(pilot)
    pilot.app.screen.query_one(ActionDetail).focus()
    await pilot.press("end", *("k" if pilot.app.size.height < 30 else "") * 4)
    await settle(pilot)


def test_detail_pane_with_evidence_120x36(snap_compare, make_app):
    app = make_app(evidenced_plan(), name="evidenced.db")
    assert snap_compare(app, terminal_size=(120, 36), run_before=_evidence_in_view)


def test_detail_pane_with_evidence_80x24(snap_compare, make_app):
    app = make_app(evidenced_plan(), name="evidenced.db")
    assert snap_compare(app, terminal_size=(80, 24), run_before=_evidence_in_view)


async def _dialog_filled(pilot) -> None:
    await settle(pilot)
    await pilot.press("i")
    await settle(pilot)
    pilot.app.screen.query_one("#evidence-text", Input).value = TEXT
    pilot.app.screen.query_one("#evidence-link", Input).value = LINK
    await settle(pilot)


def test_evidence_dialog_120x36(snap_compare, make_app):
    app = make_app(evidenced_plan(), name="evidenced.db")
    assert snap_compare(app, terminal_size=(120, 36), run_before=_dialog_filled)


def test_evidence_dialog_80x24(snap_compare, make_app):
    app = make_app(evidenced_plan(), name="evidenced.db")
    assert snap_compare(app, terminal_size=(80, 24), run_before=_dialog_filled)


async def test_the_plan_as_at_a_day_shows_the_evidence_and_the_mark_as_they_stood(tmp_path):
    from plantui.store.opening import open_database
    from plantui.store.plans import load_document
    from plantui.tui.app import PlanApp
    from tests.tui.conftest import AUTHOR, TODAY

    plan = evidenced_plan()
    plan.actions()[0].history.append(
        HistoryEntryDoc(
            datetime(2022, 10, 25, 9),
            "Ben",
            "evidence",
            None,
            encode_evidence("Later survey", "", date(2022, 10, 25)),
        )
    )
    database = open_database(tmp_path / "plan.db")
    load_document(database, plan)
    app = PlanApp(database, today=TODAY, author=AUTHOR, as_at=date(2022, 10, 14))
    app.animation_level = "none"
    try:
        async with app.run_test(size=SIZE) as pilot:
            await _evidence_in_view(pilot)
            text = screen_text(app)
            assert TEXT in text and "Later survey" not in text
            assert "◇ Impact not yet evidenced" in text and "◆ Impact evidenced" not in text
            assert app.model.row("1.1.1.1").evidence == 1
    finally:
        database.close()


async def test_evidence_recorded_elsewhere_arrives_with_its_text_shown_as_typed(tmp_path):
    import asyncio

    from plantui.store.changes import add_evidence
    from plantui.store.opening import open_database
    from tests.tui.conftest import build_app

    app = build_app(tmp_path / "plan.db", live_refresh_seconds=0.1)
    try:
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(200):  # not `settle`: the watcher's worker runs until the app ends
                if app.model is not None:
                    break
                await asyncio.sleep(0.05)
                await pilot.pause()
            other = open_database(tmp_path / "plan.db")  # another window, or plantui evidence add
            try:
                add_evidence(other, "1.1.1.1", "Ben's [bold]audit[/]", day=date(2022, 10, 14), author="Ben")
            finally:
                other.close()
            for _ in range(200):
                if app.model.row("1.1.1.1").evidence == 1 and any("Ben ·" in m for m in notices(app)):
                    break
                await asyncio.sleep(0.05)
                await pilot.pause()
            assert app.model.row("1.1.1.1").evidence == 1
            words = 'Ben · 1.1.1.1: evidence "Ben\'s [bold]audit[/]" (2022-10-14)'
            # shown as typed: the notice is not read as markup (the same private read as `notices`)
            assert [n.markup for n in app._notifications if n.message == words] == [False]
            app.workers.cancel_all()
            await settle(pilot)
    finally:
        app.database.close()
