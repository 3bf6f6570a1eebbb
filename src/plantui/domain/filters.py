"""The filter language shared by the TUI's `/` box and `plantui list`.

    free words        every word must appear in the title, leads or success measures; a word that
                      is a ref (2.1) picks that ref and everything under it
    rag:CODE          status code, its letter or its short words (rag:off_track, rag:r, rag:red)
    lead:WORDS        a lead's name contains WORDS (quote spaces: lead:"Assistant Director")
    theme:REF         under a theme, area or objective ref (theme:1.2)
    due:overdue|soon|none|done|YYYY-MM    due state as at today, no date, or a due month
    due:month         due in the month of today (follows --today, unlike due:YYYY-MM)
    slipped           due later than its baseline milestone
    exceptions        off track, overdue, some issues, not started but due, or slipped (see
                      plantui.domain.exceptions)
    stale:DAYS        not complete, and not updated for DAYS days or more (or never): whom to chase
    owing             asked about in the open update round by a lead who has not returned yet (the
                      caller binds which actions those are: `Filter.with_owed`)
    impact:yes|no     marked impact evidenced, or not (`plantui.domain.evidence`)
    evidence:none|some  with no evidence of impact recorded, or with some
    -TERM             leaves out what TERM picks: -rag:complete, -rag:complete,bau, -lead:smith,
                      -theme:4, -2.1, -slipped, -due:none, -foster

Terms of different kinds combine with AND, and a row must match none of the `-` terms. Several
`rag:` terms combine with OR among themselves, and so do several `theme:` (or `ref:`) terms:
`theme:1.2.1 theme:3.2.1` is everything under either, which is how the findings view shows the
actions under every ref a finding cites. Matching ignores case. A term that cannot be read is an
`InputError` naming it as typed; the text itself is never markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from plantui.domain.due import DueState, is_overdue
from plantui.domain.errors import InputError
from plantui.domain.exceptions import is_exception
from plantui.domain.refs import is_ref, within
from plantui.domain.statuses import STATUSES
from plantui.domain.views import ActionRow

_STATUS_WORDS: dict[str, str] = {}
for _s in STATUSES:
    for _word in (
        _s.code,
        _s.letter,
        _s.short,
        _s.code.replace("_", " "),
        _s.code.replace("_", "-"),
    ):
        _STATUS_WORDS[_word.lower()] = _s.code
_STATUS_WORDS.update(
    {"blue": "complete", "green": "on_track", "amber": "some_issues", "red": "off_track",
     "grey": "not_started", "gray": "not_started", "purple": "bau", "-": "not_started", "done": "complete",
     "completed": "complete", "not on track": "off_track", "business as usual": "bau"}
)  # fmt: skip
_STATUS_WORDS.update({_s.label.lower(): _s.code for _s in STATUSES})  # the legend's own words
_DUE_WORDS = {"overdue", "soon", "none", "done", "ongoing", "month"}
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def status_code_for(word: str) -> str | None:
    """A status code from a code, letter, colour or short words; None if it names none."""
    return _STATUS_WORDS.get(" ".join(word.lower().replace("_", " ").split())) or _STATUS_WORDS.get(
        word.lower()
    )


@dataclass(frozen=True)
class Filter:
    words: tuple[str, ...] = ()
    statuses: frozenset[str] = frozenset()
    leads: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    due: tuple[str, ...] = ()
    slipped: bool = False
    exceptions: bool = False
    stale: int | None = None  # days without an update (`stale:DAYS`)
    owing: bool = False
    owed: frozenset[str] | None = None  # the refs `owing` picks, bound by the caller (None: none)
    text: str = field(default="", compare=False)
    excluded: tuple[Filter, ...] = ()  # one per `-` term: a row matching any of them is left out
    impact: bool | None = None  # `impact:yes` (True) or `impact:no` (False)
    evidence: bool | None = None  # `evidence:some` (True) or `evidence:none` (False)

    @property
    def empty(self) -> bool:
        picks = (
            self.words,
            self.statuses,
            self.leads,
            self.scopes,
            self.due,
            self.slipped,
            self.exceptions,
            self.stale is not None,
            self.owing,
            self.excluded,
            self.impact is not None,
            self.evidence is not None,
        )
        return not any(picks)

    def matches(self, row: ActionRow, today: date) -> bool:
        if not self._matches_terms(row, today):
            return False
        return not any(term._matches_terms(row, today) for term in self.excluded)

    def _matches_terms(self, row: ActionRow, today: date) -> bool:
        if self.statuses and row.status not in self.statuses:
            return False
        if self.scopes and not any(within(row.ref, scope) for scope in self.scopes):
            return False
        if self.leads:
            names = [lead.lower() for lead in row.leads]
            if not all(any(want in name for name in names) for want in self.leads):
                return False
        if self.slipped and not row.slipped:
            return False
        if self.exceptions and not is_exception(row, today):
            return False
        if self.stale is not None and not is_stale(row, today, self.stale):
            return False
        if self.owing and (self.owed is None or row.ref not in self.owed):
            return False
        if self.impact is not None and row.impact != self.impact:
            return False
        if self.evidence is not None and (row.evidence > 0) != self.evidence:
            return False
        for due in self.due:
            if not _due_matches(due, row, today):
                return False
        if self.words:
            haystack = " ".join((row.title, " ".join(row.leads), row.success_measures)).lower()
            for word in self.words:
                if is_ref(word.rstrip(".")):
                    if not within(row.ref, word.rstrip(".")):
                        return False
                elif word not in haystack:
                    return False
        return True

    @property
    def needs_owed(self) -> bool:
        """Whether the filter (or one of its `-` terms) says `owing`, so the caller must bind the refs."""
        return self.owing or any(term.owing for term in self.excluded)

    def with_owed(self, refs: Iterable[str]) -> Filter:
        """The filter with the refs `owing` picks (from the store's open update round)."""
        owed = frozenset(refs)
        return replace(self, owed=owed, excluded=tuple(replace(t, owed=owed) for t in self.excluded))

    def apply(self, rows: list[ActionRow], today: date) -> list[ActionRow]:
        if self.empty:
            return list(rows)
        return [row for row in rows if self.matches(row, today)]


def is_stale(row: ActionRow, today: date, days: int) -> bool:
    """Not complete, and its last update (any change or note) was `days` or more days before `today`,
    or it has none: an action whose lead is due a reminder."""
    if row.status == "complete":
        return False
    return row.updated_at is None or (today - row.updated_at.date()).days >= days


def check_names(query: Filter, rows: Iterable[ActionRow]) -> None:
    """Raise `InputError` for a `theme:` term that names nothing in the plan, or a `lead:` term that
    no lead's name contains: a typing slip is told, like `rag:foo`, rather than shown as no actions."""
    refs: set[str] = set()
    leads: set[str] = set()
    for row in rows:
        refs.add(row.ref)
        leads.update(lead.lower() for lead in row.leads)
    for term in (query, *query.excluded):
        for scope in term.scopes:
            if not any(within(ref, scope) for ref in refs):
                raise InputError(f"filter term 'theme:{scope}': the plan has nothing numbered {scope}")
        for want in term.leads:
            if not any(want in lead for lead in leads):
                raise InputError(f"filter term 'lead:{want}': no lead's name contains {want!r}")


def _due_matches(term: str, row: ActionRow, today: date) -> bool:
    if term == "overdue":
        return is_overdue(row.status, row.due, today)
    if term == "none" or term == "ongoing":
        return row.due is None
    if term == "soon":
        return row.due_state(today) is DueState.SOON
    if term == "done":
        return row.status == "complete"
    if term == "month":
        return row.due is not None and (row.due.year, row.due.month) == (today.year, today.month)
    year, month = (int(part) for part in term.split("-"))
    return row.due is not None and row.due.year == year and row.due.month == month


def parse_filter(text: str, *, terms: Iterable[str] = ()) -> Filter:
    """Read a filter expression; raise `InputError` naming the first term that cannot be read.

    `terms` are more terms already split (`lead:O'Brien`, `rag:red`), as command options give them:
    their values are taken as they are, never re-read for quotes."""
    tokens = [*split_terms(text), *terms]
    kept = [token for token in tokens if not _is_exclusion(token)]
    excluded = tuple(_parse_terms([token[1:]], token) for token in tokens if _is_exclusion(token))
    return replace(_parse_terms(kept), text=text, excluded=excluded)


def split_terms(text: str) -> list[str]:
    """The terms of a filter as typed: split at white space, with quotes to keep spaces in a term.

    Not a shell's rules: a backslash is an ordinary character (`lead:\\` looks for a backslash), an
    apostrophe inside a word is part of it (`lead:O'Brien`), and a quote with no partner is left out.
    A `"` pair quotes anywhere (`lead:"Assistant Director"`); a `'` pair only from the start of a term
    or just after its colon up to a `'` that ends the term (`lead:'Assistant Director'`).
    """
    tokens: list[str] = []
    current: list[str] = []
    index, size = 0, len(text)
    while index < size:
        char = text[index]
        if char.isspace():
            tokens.append("".join(current))
            current = []
            index += 1
            continue
        if char == '"' or (char == "'" and (not current or current[-1] == ":")):
            end = _closing_quote(text, index)
            if end is None:
                if char == '"' or not current:  # a quote with no partner: left out
                    index += 1
                    continue
            else:
                current.append(text[index + 1 : end])
                index = end + 1
                continue
        current.append(char)
        index += 1
    tokens.append("".join(current))
    return [token for token in tokens if token]  # "" alone is no term


def _closing_quote(text: str, start: int) -> int | None:
    """Where the quote opened at `start` closes, or None when nothing closes it."""
    quote = text[start]
    end = text.find(quote, start + 1)
    if quote == '"':
        return end if end != -1 else None
    while end != -1:  # an apostrophe closes only at the end of a term: 'Children's Services'
        if end + 1 == len(text) or text[end + 1].isspace():
            return end
        end = text.find(quote, end + 1)
    return None


def _is_exclusion(token: str) -> bool:
    # "-" alone stays a word (it is also how some plans write "not started"); "--x" is no term.
    return len(token) > 1 and token[0] == "-" and token[1] != "-"


def _parse_terms(tokens: list[str], written: str | None = None) -> Filter:
    """The terms of `tokens`, combined as the module says; `written` is how a `-` term was typed,
    for errors."""
    words: list[str] = []
    statuses: set[str] = set()
    leads: list[str] = []
    scopes: list[str] = []
    due: list[str] = []
    slipped = False
    exceptions = False
    stale: int | None = None
    owing = False
    impact: bool | None = None
    evidence: bool | None = None
    for token in tokens:
        shown = written or token
        key, colon, value = token.partition(":")
        key = key.lower()
        if not colon or key not in {
            "rag",
            "status",
            "lead",
            "theme",
            "ref",
            "due",
            "stale",
            "impact",
            "evidence",
        }:
            if token.lower() == "slipped":
                slipped = True
            elif token.lower() in ("exceptions", "exception"):
                exceptions = True
            elif token.lower() == "owing":
                owing = True
            else:
                words.append(token.lower())
            continue
        value = value.strip()
        if not value:
            raise InputError(f"filter term {shown!r} needs a value after the colon")
        if key in {"rag", "status"}:
            for part in value.split(","):
                code = status_code_for(part)
                if code is None:
                    raise InputError(f"filter term {shown!r}: {part!r} is not a status")
                statuses.add(code)
        elif key == "lead":
            leads.append(value.lower())
        elif key == "impact":
            impact = _yes_or_no(value, shown, _IMPACT_WORDS, "write impact:yes or impact:no")
        elif key == "evidence":
            evidence = _yes_or_no(value, shown, _EVIDENCE_WORDS, "write evidence:none or evidence:some")
        elif key == "stale":
            if not value.isascii() or not value.isdigit() or len(value) > 5:
                raise InputError(
                    f"filter term {shown!r}: write stale:DAYS with a number of days, e.g. stale:30"
                )
            stale = int(value)
        elif key in {"theme", "ref"}:
            ref = value.rstrip(".")
            if not is_ref(ref):
                raise InputError(f"filter term {shown!r}: {value!r} is not a ref like 1.2")
            scopes.append(ref)
        else:
            term = value.lower()
            if term not in _DUE_WORDS and not _valid_month(term):
                raise InputError(
                    f"filter term {shown!r}: use due:overdue, due:soon, due:month, due:none or due:YYYY-MM"
                )
            due.append(term)
    return Filter(
        tuple(words),
        frozenset(statuses),
        tuple(leads),
        tuple(scopes),
        tuple(due),
        slipped,
        exceptions,
        stale,
        owing,
        impact=impact,
        evidence=evidence,
    )


_IMPACT_WORDS = {"yes": True, "y": True, "no": False, "n": False}
_EVIDENCE_WORDS = {"some": True, "any": True, "yes": True, "none": False, "no": False}


def _yes_or_no(value: str, shown: str, words: dict[str, bool], hint: str) -> bool:
    found = words.get(value.lower())
    if found is None:
        raise InputError(f"filter term {shown!r}: {hint}")
    return found


def _valid_month(term: str) -> bool:
    m = _MONTH.match(term)
    return bool(m) and 1 <= int(m.group(2)) <= 12
