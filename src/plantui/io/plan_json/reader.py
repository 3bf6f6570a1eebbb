"""Reading a plan file in the JSON plan format, `plantui-plan/1` (documented in docs/plan-format.md).

`read_plan_file` reads the bytes and parses the JSON, refusing numbers and escapes no plan can hold;
`parse_plan` checks every field and names the one at fault: `plan.json: action 1.2.1.3: rag: unknown
status 'purple'`.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from plantui.domain.action_text import is_leads_value
from plantui.domain.carried import CARRIED_FIELDS, Carried, in_field_order
from plantui.domain.document import (
    ActionDoc,
    AreaDoc,
    FindingDoc,
    HistoryEntryDoc,
    LeadDoc,
    MeasureChangeDoc,
    MeasureDoc,
    MeasureValueDoc,
    MeetingDoc,
    ObjectiveDoc,
    PlanDocument,
    ThemeDoc,
)
from plantui.domain.errors import InputError, NotFoundError
from plantui.domain.evidence import EVIDENCE_FIELD, IMPACT_FIELD, NO, YES, is_evidence_value
from plantui.domain.refs import is_ref
from plantui.domain.saved_views import SavedView, checked_name, name_key, parse_sort, sort_text
from plantui.domain.statuses import STATUS_CODES
from plantui.domain.text import visible
from plantui.io.plan_json.format import (
    FIRST_YEAR,
    FORMAT,
    FORMAT_2,
    FORMATS,
    HISTORY_FIELDS,
    LAST_YEAR,
    STATUS_SET,
    VERSION_2_FIELDS,
)

# The only numbers a plan file holds are small list indexes (`undoes`, `meeting`). A number written
# with more characters than this is refused where it stands rather than handed to Python, whose
# int-from-text limit (4,300 digits) would end the read in a ValueError with no place named.
MAX_NUMBER_CHARS = 100


class _Reader:
    """Pulls typed values out of parsed JSON, naming the place of anything wrong."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, message: str) -> InputError:
        return InputError(f"{self.source}: {where}: {message}")

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected an object, found {_kind(value)}")
        return value

    def items(self, parent: dict[str, Any], key: str, where: str, *, required: bool = False) -> list[Any]:
        if key not in parent:
            if required:
                raise self.fail(where, f"'{key}' is missing")
            return []
        value = parent[key]
        if not isinstance(value, list):
            raise self.fail(f"{where}: {key}", f"expected a list, found {_kind(value)}")
        return value

    def text(self, parent: dict[str, Any], key: str, where: str, *, required: bool = False) -> str:
        if key not in parent or parent[key] is None:
            if required:
                raise self.fail(where, f"'{key}' is missing")
            return ""
        value = parent[key]
        if not isinstance(value, str):
            raise self.fail(f"{where}: {key}", f"expected text, found {_kind(value)}")
        return value

    def ref(self, parent: dict[str, Any], where: str, parent_ref: str | None) -> str:
        ref = self.text(parent, "ref", where, required=True)
        if not is_ref(ref):
            raise self.fail(where, f"ref {ref!r} is not a ref like 1.2.3")
        if parent_ref is not None and ref.rpartition(".")[0] != parent_ref:
            raise self.fail(where, f"ref {ref} does not lie under {parent_ref}")
        return ref

    def date(self, parent: dict[str, Any], key: str, where: str) -> date | None:
        value = parent.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(f"{where}: {key}", f"expected an ISO date (YYYY-MM-DD), found {_kind(value)}")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.fail(f"{where}: {key}", f"{value!r} is not an ISO date (YYYY-MM-DD)") from None

    def moment(self, parent: dict[str, Any], key: str, where: str) -> datetime:
        value = parent.get(key)
        if not isinstance(value, str):
            raise self.fail(f"{where}: {key}", "expected an ISO timestamp, e.g. 2022-10-05T14:03:00Z")
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise self.fail(f"{where}: {key}", f"{value!r} is not an ISO timestamp") from None
        if moment.tzinfo is not None:
            from datetime import UTC

            try:
                moment = moment.astimezone(UTC).replace(tzinfo=None)
            except OverflowError:  # 0001-01-01T00:00+01:00 lies before the first moment Python has
                raise self.fail(f"{where}: {key}", _out_of_range(value)) from None
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise self.fail(f"{where}: {key}", _out_of_range(value))
        return moment


def _out_of_range(value: str) -> str:
    return f"{value!r} is outside the years {FIRST_YEAR} to {LAST_YEAR} a plan's times can have"


class _Number:
    """A number in the file that a plan cannot hold (too long, or not finite), kept as written until
    `_refuse_unusable_values` finds where it stands."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


class _NumberReader:
    """json.loads's number hooks, noting whether any number was odd (so a good file, the usual case,
    is not walked again to look for one)."""

    def __init__(self) -> None:
        self.odd = False

    def odd_number(self, text: str) -> _Number:
        self.odd = True
        return _Number(text)

    def integer(self, text: str) -> int | _Number:
        return int(text) if len(text) <= MAX_NUMBER_CHARS else self.odd_number(text)

    def real(self, text: str) -> float | _Number:
        value = float(text)  # a long or huge one reads as a float or inf: never an error
        if len(text) > MAX_NUMBER_CHARS or value in (float("inf"), float("-inf")):
            return self.odd_number(text)
        return value


# A JSON escape for half of a UTF-16 pair with no partner ("\\ud800") reads as a lone surrogate,
# which is no character: SQLite, files and terminals all refuse to encode it.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text)


def _refuse_unusable_values(data: Any, source: str) -> None:
    """Raise `InputError` naming the place of the first `_Number`, or of the first text holding a lone
    surrogate, in parsed JSON (depth first)."""
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            if _has_surrogate(value):
                raise InputError(
                    f"{source}: {where or 'top level'}: holds a \\uD800-\\uDFFF escape with no partner, "
                    "which is no character"
                )
        elif isinstance(value, dict):
            for key in value:
                if _has_surrogate(key):
                    place = where or "top level"
                    raise InputError(f"{source}: {place}: a key holds an escape that is no character")
            pairs = reversed(value.items())
            # A key is user text: shown safely, so a "\n" key cannot break the one-line error.
            stack.extend((item, f"{where}.{visible(key)}" if where else visible(key)) for key, item in pairs)
        elif isinstance(value, list):
            stack.extend((item, f"{where}[{index}]") for index, item in reversed(list(enumerate(value))))
        elif isinstance(value, _Number):
            text = value.text
            if len(text) > MAX_NUMBER_CHARS:
                text = f"a number of {len(text):,} characters ({text[:12]}…{text[-6:]})"
            else:
                text = f"the number {text}"
            raise InputError(f"{source}: {where or 'top level'}: {text} cannot be part of a plan")


def _kind(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "text",
        bool: "true/false",
        type(None): "null",
    }.get(type(value), "a number")


def parse_plan(data: Any, source: str = "plan") -> PlanDocument:
    """Turn parsed JSON into a `PlanDocument`, or raise `InputError` naming the field at fault."""
    r = _Reader(source)
    top = r.obj(data, "top level")
    fmt = top.get("format")
    if fmt not in FORMATS:
        raise r.fail(
            "format", f"expected {FORMAT!r} or {FORMAT_2!r}, found {fmt!r}: is this a plantui plan file?"
        )
    plan = r.obj(top.get("plan"), "plan")
    doc = PlanDocument(
        title=r.text(plan, "title", "plan", required=True),
        organisation=r.text(plan, "organisation", "plan"),
        phase=r.text(plan, "phase", "plan"),
        foreword=r.text(plan, "foreword", "plan"),
        status_date=r.date(plan, "status_date", "plan"),
    )
    doc.meetings = _parse_meetings(r, top)
    for t_index, t in enumerate(r.items(top, "themes", "top level", required=True)):
        where = f"themes[{t_index}]"
        t = r.obj(t, where)
        theme = ThemeDoc(
            r.ref(t, where, None), r.text(t, "title", where, required=True), r.text(t, "aim", where)
        )
        where = f"theme {theme.ref}"
        for a_index, a in enumerate(r.items(t, "areas", where)):
            a = r.obj(a, f"{where}: areas[{a_index}]")
            area_where = f"{where}: areas[{a_index}]"
            area = AreaDoc(
                r.ref(a, area_where, theme.ref),
                r.text(a, "title", area_where),
                r.text(a, "outcomes", area_where),
            )
            for o_index, o in enumerate(r.items(a, "objectives", f"area {area.ref}")):
                o_where = f"area {area.ref}: objectives[{o_index}]"
                o = r.obj(o, o_where)
                objective = ObjectiveDoc(r.ref(o, o_where, area.ref), r.text(o, "text", o_where))
                for x_index, x in enumerate(r.items(o, "actions", f"objective {objective.ref}")):
                    x_where = f"objective {objective.ref}: actions[{x_index}]"
                    objective.actions.append(
                        _parse_action(r, r.obj(x, x_where), x_where, objective.ref, len(doc.meetings))
                    )
                area.objectives.append(objective)
            theme.areas.append(area)
        doc.themes.append(theme)
    for f_index, f in enumerate(r.items(top, "findings", "top level")):
        where = f"findings[{f_index}]"
        f = r.obj(f, where)
        refs = r.items(f, "refs", where)
        for ref in refs:
            if not isinstance(ref, str):
                raise r.fail(f"{where}: refs", f"expected text, found {_kind(ref)}")
        doc.findings.append(
            FindingDoc(r.text(f, "source", where), r.text(f, "text", where, required=True), refs)
        )
    if "views" in top:  # a file from before saved views has none: the plan gets the first views
        doc.views = _parse_views(r, top)
    if "measures" in top and fmt == FORMAT:
        raise r.fail("measures", f"measures need format {FORMAT_2!r}; this file says {FORMAT!r}")
    if fmt == FORMAT:
        _refuse_version_2_actions(r, doc)
    doc.measures = _parse_measures(r, top, len(doc.findings))
    doc.people = _parse_people(r, top, {name for action in doc.actions() for name in action.leads})
    return doc


def _refuse_version_2_actions(r: _Reader, doc: PlanDocument) -> None:
    """A version 1 file never holds evidence or the impact mark: one that does was not written by
    plantui, and saying so beats reading what an older plantui would have dropped."""
    for action in doc.actions():
        if action.impact:
            raise r.fail(
                f"action {action.ref}: impact", f"needs format {FORMAT_2!r}; this file says {FORMAT!r}"
            )
        for index, h in enumerate(action.history):
            if h.field in VERSION_2_FIELDS:
                raise r.fail(
                    f"action {action.ref}: history[{index}]: field",
                    f"{h.field!r} needs format {FORMAT_2!r}; this file says {FORMAT!r}",
                )


def _parse_views(r: _Reader, top: dict[str, Any]) -> list[SavedView]:
    """The plan's saved views. Their filters are read as the `/` box reads them; whether a `theme:` or
    `lead:` names something is left to the plan's own check, as a view may outlive an action."""
    from plantui.domain.filters import parse_filter

    views: list[SavedView] = []
    seen: set[str] = set()
    for index, v in enumerate(r.items(top, "views", "top level")):
        where = f"views[{index}]"
        v = r.obj(v, where)
        try:
            name = checked_name(r.text(v, "name", where, required=True))
            expression = " ".join(r.text(v, "filter", where).split())
            parse_filter(expression)
            node = r.text(v, "node", where).strip().rstrip(".")
            if node and not is_ref(node):
                raise InputError(f"node '{visible(node)}' is not a ref like 1.2")
            sort = sort_text(*parse_sort(r.text(v, "sort", where)))
        except InputError as error:
            if str(error).startswith(r.source):
                raise
            raise r.fail(where, str(error)) from None
        if name_key(name) in seen:
            raise r.fail(
                f"{where}: name", f"'{visible(name)}' names an earlier view too (names are one per plan)"
            )
        seen.add(name_key(name))
        views.append(SavedView(name, expression, node, sort))
    return views


def _parse_measures(r: _Reader, top: dict[str, Any], finding_count: int) -> list[MeasureDoc]:
    from plantui.domain.measures import DIRECTIONS, FREQUENCIES, is_measure_ref, is_period

    measures = []
    for index, m in enumerate(r.items(top, "measures", "top level")):
        where = f"measures[{index}]"
        m = r.obj(m, where)
        ref = r.text(m, "ref", where, required=True)
        if not is_measure_ref(ref):
            raise r.fail(f"{where}: ref", f"{ref!r} is not a measure ref like M12")
        where = f"measure {visible(ref)}"
        measure = MeasureDoc(
            ref=ref,
            name=r.text(m, "name", where, required=True),
            unit=r.text(m, "unit", where),
            direction=r.text(m, "direction", where) or "higher",
            target=_optional_number(r, m, "target", where),
            tolerance=_optional_number(r, m, "tolerance", where),
            frequency=r.text(m, "frequency", where) or "monthly",
            owner=r.text(m, "owner", where).strip(),
        )
        if measure.direction not in DIRECTIONS:
            raise r.fail(f"{where}: direction", f"expected one of {', '.join(DIRECTIONS)}")
        if measure.frequency not in FREQUENCIES:
            raise r.fail(f"{where}: frequency", f"expected one of {', '.join(FREQUENCIES)}")
        if measure.tolerance is not None and measure.tolerance < 0:
            raise r.fail(f"{where}: tolerance", "a tolerance cannot be negative")
        for key in ("objectives", "actions"):
            refs = r.items(m, key, where)
            for ref in refs:
                if not isinstance(ref, str) or not is_ref(ref):
                    raise r.fail(f"{where}: {key}", "each entry must be a plan ref like 1.2.3")
            setattr(measure, key, list(dict.fromkeys(refs)))
        positions = r.items(m, "findings", where)
        for position in positions:
            if type(position) is not int or not 0 <= position < finding_count:
                raise r.fail(
                    f"{where}: findings", "each entry must be the index of an entry of the findings list"
                )
        measure.findings = list(dict.fromkeys(positions))
        for v_index, v in enumerate(r.items(m, "values", where)):
            v_where = f"{where}: values[{v_index}]"
            v = r.obj(v, v_where)
            period = r.text(v, "period", v_where, required=True)
            if not is_period(period):
                raise r.fail(f"{v_where}: period", f"{period!r} is not a period like 2022-10 or 2022-Q3")
            value = _optional_number(r, v, "value", v_where)
            if value is None:
                raise r.fail(v_where, "'value' is missing")
            measure.values.append(
                MeasureValueDoc(
                    period=period,
                    value=value,
                    at=r.moment(v, "at", v_where),
                    author=r.text(v, "author", v_where, required=True),
                    note=r.text(v, "note", v_where),
                )
            )
        for c_index, c in enumerate(r.items(m, "changes", where)):
            c_where = f"{where}: changes[{c_index}]"
            c = r.obj(c, c_where)
            old, new = c.get("from"), c.get("to")
            for key, value in (("from", old), ("to", new)):
                if value is not None and not isinstance(value, str):
                    raise r.fail(f"{c_where}: {key}", f"expected text or null, found {_kind(value)}")
            measure.changes.append(
                MeasureChangeDoc(
                    at=r.moment(c, "at", c_where),
                    author=r.text(c, "author", c_where, required=True),
                    field=r.text(c, "field", c_where, required=True),
                    old=old,
                    new=new,
                )
            )
        measures.append(measure)
    return measures


def _optional_number(r: _Reader, parent: dict[str, Any], key: str, where: str) -> float | None:
    value = parent.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise r.fail(f"{where}: {key}", f"expected a number, found {_kind(value)}")
    return float(value)


def _parse_people(r: _Reader, top: dict[str, Any], roles: set[str]) -> list[LeadDoc]:
    """The top-level `leads`: the person and e-mail behind each lead's role (an action must name it)."""
    people: list[LeadDoc] = []
    seen: set[str] = set()
    for index, item in enumerate(r.items(top, "leads", "top level")):
        where = f"leads[{index}]"
        item = r.obj(item, where)
        role = r.text(item, "role", where, required=True)
        if role not in roles:
            raise r.fail(f"{where}: role", f"{role!r} leads no action in the plan")
        if role in seen:
            raise r.fail(f"{where}: role", f"{role!r} is listed twice")
        seen.add(role)
        people.append(LeadDoc(role, r.text(item, "person", where), r.text(item, "email", where)))
    return people


def _parse_meetings(r: _Reader, top: dict[str, Any]) -> list[MeetingDoc]:
    from plantui.domain.scopes import parse_scope

    meetings = []
    for index, m in enumerate(r.items(top, "meetings", "top level")):
        where = f"meetings[{index}]"
        m = r.obj(m, where)
        scope = r.text(m, "scope", where) or "plan"
        try:
            scope = parse_scope(scope).text
        except InputError as error:
            raise r.fail(f"{where}: scope", str(error)) from None
        ended = r.moment(m, "ended_at", where) if m.get("ended_at") is not None else None
        meetings.append(
            MeetingDoc(
                title=r.text(m, "title", where),
                scope=scope,
                started_at=r.moment(m, "started_at", where),
                ended_at=ended,
                recorded_by=r.text(m, "recorded_by", where, required=True),
            )
        )
    if sum(1 for m in meetings if m.ended_at is None) > 1:
        raise r.fail("meetings", "more than one meeting is open (ended_at null); at most one can be")
    return meetings


def _parse_action(
    r: _Reader, x: dict[str, Any], where: str, objective_ref: str, meeting_count: int = 0
) -> ActionDoc:
    ref = r.ref(x, where, objective_ref)
    where = f"action {ref}"
    rag = r.text(x, "rag", where, required=True)
    if rag not in STATUS_CODES:
        raise r.fail(f"{where}: rag", f"unknown status {rag!r}: use one of {', '.join(STATUS_CODES)}")
    leads = r.items(x, "leads", where)
    for lead in leads:
        if not isinstance(lead, str) or not lead.strip():
            raise r.fail(f"{where}: leads", "each lead must be a name (non-empty text)")
    baseline = x.get("baseline")
    if baseline is not None and not isinstance(baseline, str):
        raise r.fail(f"{where}: baseline", f"expected text, found {_kind(baseline)}")
    action = ActionDoc(
        ref=ref,
        title=r.text(x, "title", where, required=True),
        success_measures=r.text(x, "success_measures", where),
        leads=list(leads),
        rag=rag,
        milestone=r.text(x, "milestone", where),
        due=r.date(x, "due", where),
        baseline=baseline,
        detailed_plan=r.text(x, "detailed_plan", where),
        objective_statement=r.text(x, "objective_statement", where),
        commentary=r.text(x, "commentary", where),
        impact=_flag(r, x, "impact", where),
    )
    action.carried = _parse_carried(r, x, where)
    for h_index, h in enumerate(r.items(x, "history", where)):
        entry = _quick_entry(h, h_index, meeting_count)
        action.history.append(
            entry if entry is not None else _parse_entry(r, h, h_index, where, meeting_count)
        )
    return action


def _flag(r: _Reader, x: dict[str, Any], key: str, where: str) -> bool:
    value = x.get(key, False)
    if not isinstance(value, bool):
        raise r.fail(f"{where}: {key}", f"expected true or false, found {_kind(value)}")
    return value


def _parse_carried(r: _Reader, x: dict[str, Any], where: str) -> list[Carried]:
    """`carried` ({field: the ref of the action it was carried down from}) and `doubtful` (the fields
    among them whose value looks wrong for this action)."""
    carried = x.get("carried")
    doubtful = x.get("doubtful")
    if carried is None:
        carried = {}
    elif not isinstance(carried, dict):
        raise r.fail(f"{where}: carried", f"expected an object, found {_kind(carried)}")
    marks = []
    for field, from_ref in carried.items():
        if field not in CARRIED_FIELDS:
            raise r.fail(f"{where}: carried", f"{field!r} is not a field a value is carried down to: "
                         f"use {', '.join(CARRIED_FIELDS)}")  # fmt: skip
        if not isinstance(from_ref, str):
            raise r.fail(
                f"{where}: carried: {field}", f"expected the ref of an action, found {_kind(from_ref)}"
            )
        if not is_ref(from_ref) or from_ref.count(".") != 3:
            raise r.fail(
                f"{where}: carried: {field}", f"{from_ref!r} is not the ref of an action, like 1.2.3.4"
            )
        marks.append(Carried(field, from_ref))
    if doubtful is not None:
        if not isinstance(doubtful, list):
            raise r.fail(f"{where}: doubtful", f"expected a list, found {_kind(doubtful)}")
        for field in doubtful:
            if not isinstance(field, str) or field not in carried:
                raise r.fail(f"{where}: doubtful", "each entry must name one of the fields in 'carried'")
        marks = [mark._replace(doubtful=mark.field in doubtful) for mark in marks]
    return in_field_order(marks)


def _quick_entry(h: Any, index: int, meeting_count: int = 0) -> HistoryEntryDoc | None:
    """The common, well-formed history entry read without the checker's bookkeeping, else None.

    A long history is most of a plan file; this path makes reading one several times faster.
    Anything unusual (a missing key, a time zone other than Z, a wrong type) returns None and is
    read by `_parse_entry`, which names what is wrong.
    """
    if type(h) is not dict:
        return None
    field, author, at, old, new = h.get("field"), h.get("author"), h.get("at"), h.get("from"), h.get("to")
    note, undoes, meeting = h.get("note"), h.get("undoes"), h.get("meeting")
    if type(author) is not str or type(at) is not str or not at.endswith("Z"):
        return None
    if field == "status":
        if old not in STATUS_SET or new not in STATUS_SET:
            return None
    elif (
        field not in HISTORY_FIELDS
        or field in VERSION_2_FIELDS  # few, and checked by `_parse_entry`
        or (field == "leads" and not (is_leads_value(old) and is_leads_value(new)))
        or not (old is None or type(old) is str)
        or not (new is None or type(new) is str)
    ):
        return None
    if note is None:
        note = ""
    elif type(note) is not str:
        return None
    if undoes is not None and (type(undoes) is not int or not 0 <= undoes < index):
        return None
    if meeting is not None and (type(meeting) is not int or not 0 <= meeting < meeting_count):
        return None
    try:
        moment = datetime.fromisoformat(at[:-1])
    except ValueError:
        return None
    if moment.tzinfo is not None or not FIRST_YEAR <= moment.year <= LAST_YEAR:
        return None
    return HistoryEntryDoc(moment, author, field, old, new, note, undoes, meeting)


def _parse_entry(r: _Reader, h: Any, h_index: int, where: str, meeting_count: int = 0) -> HistoryEntryDoc:
    h_where = f"{where}: history[{h_index}]"
    h = r.obj(h, h_where)
    field = r.text(h, "field", h_where, required=True)
    if field not in HISTORY_FIELDS:
        raise r.fail(f"{h_where}: field", f"expected one of {', '.join(HISTORY_FIELDS)}, found {field!r}")
    old, new = h.get("from"), h.get("to")
    for key, value in (("from", old), ("to", new)):
        if value is not None and not isinstance(value, str):
            raise r.fail(f"{h_where}: {key}", f"expected text or null, found {_kind(value)}")
    if field == "status":
        for key, value in (("from", old), ("to", new)):
            if value not in STATUS_CODES:
                raise r.fail(f"{h_where}: {key}", f"unknown status {value!r}")
    if field == "leads":
        for key, value in (("from", old), ("to", new)):
            if not is_leads_value(value):
                raise r.fail(
                    f"{h_where}: {key}",
                    "expected text holding a JSON list of names, as plantui writes the leads",
                )
    if field == EVIDENCE_FIELD:
        for key, value in (("from", old), ("to", new)):
            if value is not None and not is_evidence_value(value):
                raise r.fail(
                    f"{h_where}: {key}",
                    'expected text holding a JSON object {"text": ..., "date": "YYYY-MM-DD"}, as plantui '
                    "writes evidence",
                )
        if (old is None) == (new is None):
            raise r.fail(f"{h_where}: to", "expected the evidence in 'to' (or, for an undo, in 'from')")
    if field == IMPACT_FIELD:
        for key, value in (("from", old), ("to", new)):
            if value not in (YES, NO):
                raise r.fail(f"{h_where}: {key}", f"expected 'yes' or 'no', found {value!r}")
    undoes = h.get("undoes")
    if undoes is not None and (
        not isinstance(undoes, int) or isinstance(undoes, bool) or not 0 <= undoes < h_index
    ):
        raise r.fail(
            f"{h_where}: undoes",
            "expected the index of an earlier entry of this action's history",
        )
    meeting = h.get("meeting")
    if meeting is not None and (
        not isinstance(meeting, int) or isinstance(meeting, bool) or not 0 <= meeting < meeting_count
    ):
        raise r.fail(f"{h_where}: meeting", "expected the index of an entry of the top-level meetings list")
    return HistoryEntryDoc(
        at=r.moment(h, "at", h_where),
        author=r.text(h, "author", h_where, required=True),
        field=field,
        old=old,
        new=new,
        note=r.text(h, "note", h_where),
        undoes=undoes,
        meeting=meeting,
    )


def read_plan_file(path: str | Path) -> PlanDocument:
    """Read and check a plan file; every problem is an `InputError` that names the file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a plan file") from None
    except PermissionError:
        raise InputError(f"{path}: cannot be read (permission denied)") from None
    numbers = _NumberReader()
    try:
        text = raw.decode("utf-8-sig")
        data = json.loads(
            text,
            parse_int=numbers.integer,
            parse_float=numbers.real,
            parse_constant=numbers.odd_number,  # NaN, Infinity: not JSON at all
        )
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (byte {error.start})") from None
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path}: line {error.lineno}, column {error.colno}: not valid JSON ({error.msg})"
        ) from None
    except RecursionError:
        raise InputError(f"{path}: nested too deeply to be a plan file") from None
    if numbers.odd or _SURROGATE_ESCAPE.search(text):
        _refuse_unusable_values(data, str(path))
    return parse_plan(data, str(path))
