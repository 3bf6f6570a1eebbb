"""Writing a plan in the JSON plan format, `plantui-plan/1` (documented in docs/plan-format.md).

`dumps_plan` gives the file's text. Writing is deterministic (fixed key order, two-space indent,
UTF-8, a final newline), so export -> import -> export gives the same bytes.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from plantui.domain.document import ActionDoc, HistoryEntryDoc, MeasureDoc, PlanDocument
from plantui.domain.errors import StoreError
from plantui.domain.saved_views import DEFAULT_VIEWS
from plantui.domain.statuses import STATUS_CODES
from plantui.domain.text import escape_json_controls
from plantui.io.plan_json.format import FORMAT, FORMAT_2, STATUS_SET, VERSION_2_FIELDS


def _moment_text(moment: datetime) -> str:
    return moment.isoformat() + "Z"


def plan_to_data(doc: PlanDocument) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": FORMAT_2 if doc.measures or _has_evidence(doc) else FORMAT,
        "plan": {
            "title": doc.title,
            "organisation": doc.organisation,
            "phase": doc.phase,
            "foreword": doc.foreword,
            "status_date": doc.status_date.isoformat() if doc.status_date else None,
        },
        "themes": [
            {
                "ref": t.ref,
                "title": t.title,
                "aim": t.aim,
                "areas": [
                    {
                        "ref": a.ref,
                        "title": a.title,
                        "outcomes": a.outcomes,
                        "objectives": [
                            {
                                "ref": o.ref,
                                "text": o.text,
                                "actions": [_action_data(x) for x in o.actions],
                            }
                            for o in a.objectives
                        ],
                    }
                    for a in t.areas
                ],
            }
            for t in doc.themes
        ],
        "findings": [{"source": f.source, "text": f.text, "refs": list(f.refs)} for f in doc.findings],
    }
    if doc.meetings:  # written only when there are any, so plans without meetings keep their bytes
        data["meetings"] = [
            {
                "title": m.title,
                "scope": m.scope,
                "started_at": _moment_text(m.started_at),
                "ended_at": _moment_text(m.ended_at) if m.ended_at is not None else None,
                "recorded_by": m.recorded_by,
            }
            for m in doc.meetings
        ]
    if doc.views is not None and doc.views != list(DEFAULT_VIEWS):
        # Written only when they are not the views every plan starts with (a file without them
        # gets those), so plans whose views nobody changed keep their bytes.
        data["views"] = [
            {"name": v.name, "filter": v.filter, "node": v.node, "sort": v.sort} for v in doc.views
        ]
    if doc.measures:
        data["measures"] = [_measure_data(m) for m in doc.measures]
    if doc.people:  # likewise: only plans that name the people behind their leads
        data["leads"] = [{"role": p.role, "person": p.person, "email": p.email} for p in doc.people]
    return data


def _has_evidence(doc: PlanDocument) -> bool:
    """Whether any action is marked impact evidenced or has evidence or impact in its history."""
    return any(
        action.impact or any(h.field in VERSION_2_FIELDS for h in action.history) for action in doc.actions()
    )


def _measure_data(m: MeasureDoc) -> dict[str, Any]:
    return {
        "ref": m.ref,
        "name": m.name,
        "unit": m.unit,
        "direction": m.direction,
        "target": m.target,
        "tolerance": m.tolerance,
        "frequency": m.frequency,
        "owner": m.owner,
        "objectives": list(m.objectives),
        "actions": list(m.actions),
        "findings": list(m.findings),
        "values": [
            {
                "period": v.period,
                "value": v.value,
                "at": _moment_text(v.at),
                "author": v.author,
                "note": v.note,
            }
            for v in m.values
        ],
        "changes": [
            {"at": _moment_text(c.at), "author": c.author, "field": c.field, "from": c.old, "to": c.new}
            for c in m.changes
        ],
    }


def _action_data(x: ActionDoc) -> dict[str, Any]:
    data: dict[str, Any] = {
        "ref": x.ref,
        "title": x.title,
    }
    if x.objective_statement:  # the optional keys are written only when set, so other plans keep their bytes
        data["objective_statement"] = x.objective_statement
    data |= {
        "success_measures": x.success_measures,
        "leads": list(x.leads),
        "rag": x.rag,
        "milestone": x.milestone,
        "due": x.due.isoformat() if x.due else None,
        "baseline": x.baseline if x.baseline is not None else x.milestone,
        "detailed_plan": x.detailed_plan,
    }
    if x.commentary:
        data["commentary"] = x.commentary
    if x.impact:  # only when marked, so other plans keep their bytes
        data["impact"] = True
    if x.carried:
        data["carried"] = {mark.field: mark.from_ref for mark in x.carried}
        doubtful = [mark.field for mark in x.carried if mark.doubtful]
        if doubtful:
            data["doubtful"] = doubtful
    data["history"] = [_history_data(h) for h in x.history]
    return data


def _history_data(h: HistoryEntryDoc) -> dict[str, Any]:
    data: dict[str, Any] = {
        "at": _moment_text(h.at),
        "author": h.author,
        "field": h.field,
        "from": h.old,
        "to": h.new,
        "note": h.note,
        "undoes": h.undoes,
    }
    if h.meeting is not None:  # only entries made in a board meeting carry the key
        data["meeting"] = h.meeting
    return data


def _refuse_unknown_statuses(doc: PlanDocument) -> None:
    """A plan read from a database edited by hand can hold a status that is no code; written out, it
    would make a file that `import` refuses. Say so now, naming the action."""
    for theme in doc.themes:
        for area in theme.areas:
            for objective in area.objectives:
                for action in objective.actions:
                    codes = [action.rag]
                    codes += [code for h in action.history if h.field == "status" for code in (h.old, h.new)]
                    for code in codes:
                        if code not in STATUS_SET:
                            raise StoreError(
                                f"the database holds an unknown status {code!r} for action {action.ref} "
                                f"(a status is one of {', '.join(STATUS_CODES)}): restore a backup or "
                                "correct the database"
                            )


def dumps_plan(doc: PlanDocument) -> str:
    """The plan file's text: what `json.dumps(data, ensure_ascii=False, indent=2)` writes, plus a final
    newline. Control characters in plan text are written as JSON escapes, so the file reads back to
    exactly the same text and is safe to print to a terminal."""
    _refuse_unknown_statuses(doc)
    out: list[str] = []
    _emit_indented(plan_to_data(doc), "", out)
    return escape_json_controls("".join(out)) + "\n"


# json.dumps with an indent runs its pure-Python encoder (the C one only writes compact JSON): 3-4 s
# for a plan of 10,000 actions and 100,000 history entries. This writes the same bytes (tests compare
# them with json.dumps) several times faster, encoding strings with json's own C routine and
# recursing only into containers.
_encode_text = json.encoder.encode_basestring  # what ensure_ascii=False uses


def _scalar(value: Any) -> str | None:
    if type(value) is str:
        return _encode_text(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    return None


def _emit_indented(value: Any, pad: str, out: list[str]) -> None:
    text = _scalar(value)
    if text is not None:
        out.append(text)
        return
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = pad + "  "
        separator = "{\n" + inner
        for key, item in value.items():
            out.append(separator)
            out.append(_encode_text(key))
            out.append(": ")
            text = _scalar(item)
            if text is not None:
                out.append(text)
            else:
                _emit_indented(item, inner, out)
            separator = ",\n" + inner
        out.append("\n" + pad + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = pad + "  "
        separator = "[\n" + inner
        for item in value:
            out.append(separator)
            text = _scalar(item)
            if text is not None:
                out.append(text)
            else:
                _emit_indented(item, inner, out)
            separator = ",\n" + inner
        out.append("\n" + pad + "]")
    else:  # floats and anything else: exactly as json writes them (or its TypeError)
        out.append(json.dumps(value, ensure_ascii=False))
