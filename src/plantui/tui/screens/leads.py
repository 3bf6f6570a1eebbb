"""The leads: each lead's role and person, their actions' statuses, last update and what they owe.

`LeadsScreen(summaries, today)` takes `store.rounds.lead_summaries(...)` and does no database work.
Each lead is one line: the role (and the person who holds it), the status counts (symbol, number and
words, so colour is never the only signal), when any of their actions was last updated, and how many
actions they still owe in the open update round. Choosing one (Enter or a click) dismisses with a
filter expression for the action table (`lead:"ROLE"`); Escape dismisses with None.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from plantui.domain.errors import PlantuiError
from plantui.domain.statuses import STATUSES
from plantui.domain.text import visible
from plantui.domain.wording import day_text, plural, status_words
from plantui.store.rounds import LeadSummary, Review
from plantui.tui.styles import sheet
from plantui.tui.widgets.marked_list import MarkedOptionList
from plantui.tui.widgets.plan_footer import PlanFooter


def lead_filter(role: str) -> str | None:
    """The filter expression for a lead's actions: `lead:"ROLE"` (or with single quotes when the role
    holds a double one); None when the role holds both kinds of quote and cannot be written as a term."""
    for quote in ('"', "'"):
        if quote not in role:
            return f"lead:{quote}{role}{quote}"
    return None


def lead_text(summary: LeadSummary, today: date) -> Text:
    lead = summary.lead
    text = Text(visible(lead.role), style="bold")
    if lead.person:
        text.append(f"  ({visible(lead.person)})")
    text.append("\n  ")
    text.append(plural(sum(summary.counts.values()), "action"))
    for s in STATUSES:
        if summary.counts.get(s.code):
            text.append("  ")
            text.append(
                f"{s.symbol} {summary.counts[s.code]} {s.short}", style=s.colour
            )  # as the totals line
    text.append("  ·  ")
    if summary.last_update is None:
        text.append("never updated", style="italic")
    else:
        days = (today - summary.last_update.date()).days
        ago = f" ({plural(days, 'day')} ago)" if days > 0 else ""
        text.append(f"last update {day_text(summary.last_update.date())}{ago}")
    if summary.owing:
        text.append("  ·  ")
        text.append(f"owes {plural(summary.owing, 'action')} in the open round", style="bold")
    return text


def review_text(review: Review) -> Text:
    """An update a return proposed that was held: the action had changed since the request went out."""

    def shown(value: str) -> str:
        return status_words(value) if review.field == "status" else (visible(value) or "(none)")

    text = Text(f"{review.ref}  ", style="bold")
    text.append(f"{visible(review.lead)} proposes {review.field} {shown(review.proposed)}")
    text.append(f"\n  issued as {shown(review.issued)}, now {shown(review.found)}")
    if review.note:
        text.append(f"  ·  “{visible(review.note)}”")
    text.append(f"  ·  {visible(review.file_name)}", style="dim")
    return text


class LeadsScreen(Screen[str | None]):
    """The leads, and the updates their returns proposed that were held for review. Dismisses with a
    filter expression for the action table (a lead's actions, or the ref of a held update), or None."""

    CSS_PATH = sheet("leads.tcss")
    AUTO_FOCUS = "#leads-list"
    BINDINGS: ClassVar = [
        Binding("enter", "choose", "Show their actions", id="leads.choose", priority=True),
        Binding("o", "owing_only", "Owing only", id="leads.owing"),
        Binding(
            "p",
            "person",
            "Person",
            id="leads.person",
            tooltip="Who holds the selected lead's role, and their e-mail",
        ),
        Binding(
            "r",
            "reviews",
            "For review",
            id="leads.reviews",
            tooltip="Updates held because the action changed since",
        ),
        Binding("escape", "close", "Back", id="leads.close"),
    ]

    def __init__(
        self,
        summaries: Iterable[LeadSummary],
        today: date,
        *,
        reviews: Iterable[Review] = (),
        name: str | None = None,
    ) -> None:
        super().__init__(name=name)
        self.summaries = tuple(summaries)
        self.today = today
        self.reviews = tuple(reviews)  # of the open (or newest) update round
        self.owing_only = False
        self.showing_reviews = False

    def compose(self) -> ComposeResult:
        owing = sum(1 for s in self.summaries if s.owing)
        heading = Text("Leads", style="bold")
        heading.append(f"  ·  {plural(len(self.summaries), 'lead')}  ·  ")
        heading.append(f"{owing} owing a return in the open round", style="bold" if owing else "")
        if self.reviews:
            heading.append(f"  ·  {plural(len(self.reviews), 'update')} held for review (r)", style="bold")
        heading.append("  (Enter: their actions · o: owing only · p: person and e-mail)", style="dim")
        yield Static(heading, id="leads-heading")
        yield MarkedOptionList(id="leads-list")
        yield Static(id="leads-problem")
        yield PlanFooter()

    def on_mount(self) -> None:
        self._fill()

    def shown(self) -> list[LeadSummary]:
        return [s for s in self.summaries if s.owing or not self.owing_only]

    def _fill(self) -> None:
        listing = self.query_one("#leads-list", OptionList)
        listing.clear_options()
        if self.showing_reviews:
            listing.add_options(
                [Option(review_text(review), id=f"review-{i}") for i, review in enumerate(self.reviews)]
                or [Option(Text("No update is held for review.", style="italic"), disabled=True)]
            )
            listing.highlighted = 0 if self.reviews else None
            return
        shown = self.shown()
        if not shown:
            listing.add_option(Option(Text("No leads to show.", style="italic"), disabled=True))
            return
        listing.add_options(
            [Option(lead_text(summary, self.today), id=f"lead-{summary.lead.id}") for summary in shown]
        )
        listing.highlighted = 0

    def action_owing_only(self) -> None:
        self.owing_only = not self.owing_only
        self.showing_reviews = False
        self.sub_title = "owing only" if self.owing_only else ""
        self._fill()

    def action_reviews(self) -> None:
        """The updates held for review, or back to the leads; Enter on one shows its action."""
        self.showing_reviews = not self.showing_reviews
        self._fill()

    def _highlighted_lead(self) -> LeadSummary | None:
        listing = self.query_one("#leads-list", OptionList)
        if self.showing_reviews or listing.highlighted is None:
            return None
        option_id = listing.get_option_at_index(listing.highlighted).id or ""
        if not option_id.startswith("lead-"):
            return None
        return next(s for s in self.summaries if s.lead.id == int(option_id.removeprefix("lead-")))

    def action_person(self) -> None:
        """Ask who holds the selected lead's role and their e-mail, and record it."""
        summary = self._highlighted_lead()
        if summary is None:
            self.app.bell()
            return
        if self.app.refuse_if_read_only():
            return
        from plantui.tui.dialogs.lead_person import LeadPersonDialog

        def typed(answer: tuple[str, str] | None) -> None:
            if answer is not None:
                self.run_worker(lambda: self._save_person(summary, *answer), thread=True, group="lead-person")

        self.app.push_screen(LeadPersonDialog(summary.lead), typed)

    def _save_person(self, summary: LeadSummary, person: str, email: str) -> None:
        from plantui.store.leads import set_lead

        try:
            lead = set_lead(
                self.app.database, summary.lead.role, person=person, email=email, author=self.app.author
            )
        except PlantuiError as error:
            self.app.call_from_thread(self._problem, f"✖ Not saved: {error}")
            return
        self.app.call_from_thread(self._person_saved, replace(summary, lead=lead))

    def _problem(self, text: str) -> None:
        self.query_one("#leads-problem", Static).update(Text(text))

    def _person_saved(self, saved: LeadSummary) -> None:
        self.summaries = tuple(saved if s.lead.id == saved.lead.id else s for s in self.summaries)
        listing = self.query_one("#leads-list", OptionList)
        at = listing.highlighted
        self._fill()
        listing.highlighted = at
        who = saved.lead.person or "no person named"
        email = f" <{saved.lead.email}>" if saved.lead.email else ""
        self._problem(f"Saved: {visible(saved.lead.role)}: {visible(who)}{visible(email)}")

    def action_choose(self) -> None:
        listing = self.query_one("#leads-list", OptionList)
        if listing.highlighted is not None:
            listing.action_select()

    @on(OptionList.OptionSelected, "#leads-list")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if (event.option.id or "").startswith("review-"):
            self.dismiss(self.reviews[int(event.option.id.removeprefix("review-"))].ref)
            return
        lead_id = int((event.option.id or "lead-0").removeprefix("lead-"))
        summary = next(s for s in self.summaries if s.lead.id == lead_id)
        expression = lead_filter(summary.lead.role)
        if expression is None:
            self.app.bell()
            self.query_one("#leads-problem", Static).update(
                Text("✖ this lead's role holds both kinds of quote: filter with / and part of it")
            )
            return
        self.dismiss(expression)

    def action_close(self) -> None:
        self.dismiss(None)
