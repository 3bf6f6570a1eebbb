"""Checks the sample plan data/sefton-phase1.json against the source text it was transcribed from.

The source is an exact copy of the council's PDF-extracted text, kept at
tests/data/sefton-phase1-source.txt. Everything here uses the standard library ``json``
module only: these tests check the data file, not the plantui package.

Every count compared is taken from the source text at test time; the few numbers typed in by
hand are extra cross-checks. The constants below are the documented judgement calls of
data/README.md, and nothing else is special-cased.
"""

from __future__ import annotations

import calendar
import json
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLAN_PATH = ROOT / "data" / "sefton-phase1.json"
SOURCE_PATH = ROOT / "tests" / "data" / "sefton-phase1-source.txt"

STATUS_CODES = ("complete", "on_track", "some_issues", "off_track", "not_started", "bau")

# How each RAG rating is printed in the plan tables (whitespace normalised, case-insensitive).
# The tables print "Action Complete" once, "Business as Usual Activity" twice and
# "Actions not yet completed, but on track" twice, hence the case folding and "Actions?".
# Note "action tracker" in 2.2.1 contains "on track": never count the bare words.
RAG_PATTERNS = {
    "complete": r"Action complete",
    "on_track": r"Actions? not yet completed, but on track",
    "some_issues": r"Activity progressing, some issues but realistic plans in place to recover",
    "off_track": r"Action not on track, risk to implementation",
    "not_started": r"Longer-term action not yet started\. No risk to implementation currently anticipated",
    "bau": r"Business As Usual Activity",
}
ANY_RAG = re.compile("|".join(f"(?:{p})" for p in RAG_PATTERNS.values()), re.I)

# The legend as printed near the top of the document (the long on_track wording).
LEGEND = {
    "complete": "Action complete",
    "on_track": "Action not yet completed, but on track and will be completed by milestone",
    "some_issues": "Activity progressing, some issues but realistic plans in place to recover",
    "off_track": "Action not on track, risk to implementation",
    "not_started": "Longer-term action not yet started. No risk to implementation currently anticipated",
    "bau": "Business As Usual Activity",
}

# Leads spelled one way for the same post where the source prints variants (data/README.md).
LEAD_PRINTED_VARIANTS = {
    "Assistant Director Help and Protection": [
        "Assistant Director of Help & Protection",
    ],
    "Assistant Director for Education": [
        "Assitant Director for Education",
        "Assistant Director of Education",
    ],
}

# The one place a blank detailed-plan cell is NOT filled from the row above, although it is in
# the same numbered objective: the row starts a new, unnumbered objective statement
# ("Legal Services will actively support ...") and the plan above is the "ITrent Development Plan".
PLAN_NOT_CARRIED = {"4.3.2.3"}

MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}
MONTH_NAMES = "|".join(MONTHS)
MILESTONE_RE = re.compile(r"^(?:Ongoing|(" + MONTH_NAMES + r") +(\d{4})( onwards)?)$")


# --------------------------------------------------------------------------- helpers


def collapse(text: str) -> str:
    """Normalise whitespace: every run of spaces, tabs, newlines and no-break spaces becomes one space."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def normalise_source(text: str) -> str:
    """The source as one line of words, the way the JSON text reads when its newlines are spaces.

    Drops the U+FFFD artefact and the Wingdings bullet glyph (a tab and "n" at a line start),
    and joins a line that ends in a hyphen to the next when that starts with a lower-case letter
    (the hyphen is kept: "high-\\nquality" is "high-quality").
    """
    text = text.replace("\ufffd", "").replace("\xa0", " ")
    text = re.sub(r"(?m)^\tn ", "", text)
    text = re.sub(r"-[ \t]*\n[ \t]*(?=[a-z])", "-", text)
    return collapse(text)


def walk_actions(plan):
    for theme in plan["themes"]:
        for area in theme["areas"]:
            for objective in area["objectives"]:
                for index, action in enumerate(objective["actions"]):
                    yield theme, area, objective, index, action


def last_day(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def raw_plan_text() -> str:
    return PLAN_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def plan(raw_plan_text):
    return json.loads(raw_plan_text)


@pytest.fixture(scope="module")
def source() -> str:
    return SOURCE_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sections(source):
    """The source cut into its parts: foreword, themes page, legend, plan tables, appendices."""
    themes_at = source.index("The Four Themes of Improvement")
    legend_at = source.index("RAG Rating")
    tables_at = source.index("Priority 1")
    appendix_at = source.index("Appendix A:")
    assert 0 < themes_at < legend_at < tables_at < appendix_at
    foreword = source[:themes_at]
    foreword = foreword[foreword.index("Foreword") + len("Foreword") :]
    return {
        "foreword": foreword,
        "themes": source[themes_at:legend_at],
        "legend": source[legend_at:tables_at],
        "tables": source[tables_at:appendix_at],
        "appendices": source[appendix_at:],
    }


@pytest.fixture(scope="module")
def tables(sections) -> str:
    return normalise_source(sections["tables"])


@pytest.fixture(scope="module")
def actions(plan):
    return [a for *_, a in walk_actions(plan)]


@pytest.fixture(scope="module")
def windows(plan, tables):
    """For each action ref: (start, end of title, end) of its stretch of the plan tables, from its
    title to the next action's title.

    Titles are searched for in order, each after the one before, so this also proves that the
    actions are in the order the source prints them.
    """
    found = []
    position = 0
    for *_, action in walk_actions(plan):
        title = collapse(action["title"])
        at = tables.find(title, position)
        assert at >= 0, "title of {} not found in source after the previous action".format(action["ref"])
        found.append((action["ref"], at, at + len(title)))
        position = at + len(title)
    ends = [start for _, start, _ in found[1:]] + [len(tables)]
    return {ref: (start, title_end, end) for (ref, start, title_end), end in zip(found, ends, strict=True)}


@pytest.fixture(scope="module")
def known_plans(plan):
    # longest first, so "Cared for Children Service Plans" wins over "... Service Plan"
    return sorted(
        {a["detailed_plan"] for *_, a in walk_actions(plan) if a["detailed_plan"]}, key=len, reverse=True
    )


def parse_row(tables, action, window, known_plans):
    """Locate each field of one action in its stretch of the source.

    Returns a dict of (start, end) spans into ``tables``: "title", "success" (None when the cell
    is not printed in this row), "leads" (a list, empty when not printed), "rag", "milestone",
    "plan" (None when not printed), and "printed_plan" (the plan name printed, or None).
    Asserts what must hold whatever the carry-down rules say.
    """
    start, title_end, end = window
    ref = action["ref"]
    text = tables[:end]
    rags = list(ANY_RAG.finditer(text, title_end))
    assert len(rags) == 1, (ref, [m.group(0) for m in rags])  # exactly one RAG rating in the row
    rag = rags[0]
    assert re.fullmatch(RAG_PATTERNS[action["rag"]], rag.group(0), re.I), ref

    # the milestone follows the rating (a BAU cell may add "- annual/quarterly monitoring")
    milestone = re.compile(
        r" (?:- [a-z]+ monitoring )?({})(?= |$)".format(re.escape(collapse(action["milestone"])))
    )
    match = milestone.match(text, rag.end())
    assert match, (ref, text[rag.end() : rag.end() + 60])
    after = match.end(1) + 1

    printed_plan = next((p for p in known_plans if text.startswith(p, after)), None)
    spans = {
        "title": (start, title_end),
        "rag": (rag.start(), rag.end()),
        "milestone": (match.start(1), match.end(1)),
        "plan": (after, after + len(printed_plan)) if printed_plan else None,
        "printed_plan": printed_plan,
        "success": None,
        "leads": [],
    }

    # success measures come straight after the title, then the lead cell, then the rating
    success = collapse(action["success_measures"])
    leads_from = title_end
    if text.startswith(" " + success, title_end):
        spans["success"] = (title_end + 1, title_end + 1 + len(success))
        leads_from = spans["success"][1]
    for lead in action["leads"]:
        for printed in [lead, *LEAD_PRINTED_VARIANTS.get(lead, [])]:
            for m in re.finditer(re.escape(printed), text[: rag.start()]):
                if m.start() >= leads_from:
                    spans["leads"].append((m.start(), m.end()))
    return spans


def carried_in_source(plan, tables, windows, known_plans):
    """{action ref: {field: ref of the action that printed the value}} for every lead or detailed-plan
    cell the source leaves blank, read from the source alone: a lead not found in the action's own row,
    or no plan name printed after its milestone. The value comes from the nearest row above, in the
    same numbered objective, that printed one (4.3.2.3's blank plan is not carried: PLAN_NOT_CARRIED)."""
    carried = {}
    for theme in plan["themes"]:
        for area in theme["areas"]:
            for objective in area["objectives"]:
                printed_leads = printed_plan = None  # the ref of the last row that printed each
                for action in objective["actions"]:
                    ref = action["ref"]
                    spans = parse_row(tables, action, windows[ref], known_plans)
                    marks = {}
                    if spans["leads"]:
                        printed_leads = ref
                    elif printed_leads is not None:
                        marks["leads"] = printed_leads
                    if spans["printed_plan"] is not None:
                        printed_plan = ref
                    elif printed_plan is not None and ref not in PLAN_NOT_CARRIED:
                        marks["detailed_plan"] = printed_plan
                    if marks:
                        carried[ref] = marks
    return carried


# --------------------------------------------------------------------------- format


def test_source_copy_is_the_shared_source_text(source):
    assert source.count("\n") == 3556  # `wc -l` of the shared file
    assert source.startswith(" Foreword")
    assert "Appendix C:" in source


def test_file_is_canonical_pretty_json(raw_plan_text, plan):
    assert raw_plan_text.endswith("}\n")
    assert raw_plan_text == json.dumps(plan, ensure_ascii=False, indent=2) + "\n"
    assert "\\u2019" not in raw_plan_text  # curly apostrophes written as UTF-8, not escaped


def test_key_order(plan):
    assert list(plan) == ["format", "plan", "themes", "findings"]
    assert plan["format"] == "plantui-plan/1"
    assert list(plan["plan"]) == ["title", "organisation", "phase", "foreword", "status_date"]
    for theme in plan["themes"]:
        assert list(theme) == ["ref", "title", "aim", "areas"]
        for area in theme["areas"]:
            assert list(area) == ["ref", "title", "outcomes", "objectives"]
            for objective in area["objectives"]:
                assert list(objective) == ["ref", "text", "actions"]
                for action in objective["actions"]:
                    statement = [key for key in ("objective_statement",) if key in action]
                    optional = [key for key in ("commentary", "carried", "doubtful") if key in action]
                    assert list(action) == [
                        "ref",
                        "title",
                        *statement,
                        "success_measures",
                        "leads",
                        "rag",
                        "milestone",
                        "due",
                        "detailed_plan",
                        *optional,
                        "history",
                    ]
    for finding in plan["findings"]:
        assert list(finding) == ["source", "text", "refs"]


def test_no_extraction_artefacts_in_any_string(plan):
    def strings(node):
        if isinstance(node, dict):
            for value in node.values():
                yield from strings(value)
        elif isinstance(node, list):
            for value in node:
                yield from strings(value)
        elif isinstance(node, str):
            yield node

    for text in strings(plan):
        assert "\ufffd" not in text
        assert "\t" not in text and "\xa0" not in text
        assert text == text.strip()
        assert "\n\n\n" not in text
        assert "'" not in text  # the source prints curly quotes only


# --------------------------------------------------------------------------- plan header


def test_plan_header(plan, source):
    header = plan["plan"]
    assert header["organisation"] == "Sefton Council"
    assert header["phase"] == "Phase 1"
    assert header["status_date"] is None
    # the running title on the pages is "Children’s Improvement Plan – Phase 1"
    assert header["title"] == "Children’s Improvement Plan"
    assert "{} – {}".format(header["title"], header["phase"]) in source


def test_foreword_is_complete_and_in_paragraphs(plan, sections):
    foreword = plan["plan"]["foreword"]
    assert collapse(foreword) == collapse(sections["foreword"])
    paragraphs = foreword.split("\n\n")
    assert all(p and "\n" not in p for p in paragraphs)
    assert (
        paragraphs[0] == "Working together to improve services for children, young people and their families"
    )
    assert paragraphs[1] == "Welcome to our Improvement Plan."
    # the body paragraphs are separated by blank lines in the source
    body = sections["foreword"].split("Welcome to our Improvement Plan.")[1]
    assert len(paragraphs) == 2 + len([b for b in re.split(r"\n\s*\n", body) if b.strip()])


# --------------------------------------------------------------------------- themes and areas


def test_themes_match_the_four_themes_page(plan, sections):
    page = normalise_source(sections["themes"])
    assert [t["ref"] for t in plan["themes"]] == ["1", "2", "3", "4"]
    for theme in plan["themes"]:
        assert "{}. {}".format(theme["ref"], theme["title"]) in page


def test_areas_match_the_four_themes_page(plan, sections):
    page = sections["themes"].replace("\ufffd", "")
    printed = {}
    for block in re.split(r"\n\s*\n", page):
        match = re.match(r"\s*(\d\.\d) (.*)", block, re.S)
        if match:
            printed[match.group(1)] = collapse(match.group(2))
    assert len(printed) == 15
    in_json = {a["ref"]: a["title"] for t in plan["themes"] for a in t["areas"]}
    assert in_json == printed
    for theme in plan["themes"]:
        assert all(a["ref"].split(".")[0] == theme["ref"] for a in theme["areas"])


def test_theme_aims_are_the_priority_pages_overall_aims(plan, sections):
    tables = sections["tables"]
    headings = list(re.finditer(r"Priority\s(\d)\s–", tables))  # a no-break space before the dash
    assert [m.group(1) for m in headings] == ["1", "2", "3", "4"]
    for theme, heading in zip(plan["themes"], headings, strict=True):
        rest = tables[heading.end() :]
        aim = rest.split("Our overall aim for this priority area:", 1)[1]
        aim = collapse(aim.split("How we plan to improve")[0])
        assert theme["aim"] == aim


def test_area_refs_printed_in_the_tables(plan, sections):
    printed = re.findall(r"(?m)^\s*(\d\.\d)\.? [A-Z]", sections["tables"])
    with_objectives = [a["ref"] for t in plan["themes"] for a in t["areas"] if a["objectives"]]
    assert printed == with_objectives
    empty = [a for t in plan["themes"] for a in t["areas"] if not a["objectives"]]
    assert [(a["ref"], a["outcomes"]) for a in empty] == [("3.4", "")]


def test_area_outcomes_sit_between_the_area_ref_and_its_first_objective(plan, tables):
    for theme in plan["themes"]:
        for area in theme["areas"]:
            if not area["objectives"]:
                continue
            start = re.search(r"(?<![\d.]){}\.? ".format(re.escape(area["ref"])), tables).end()
            end = tables.index(area["objectives"][0]["ref"] + " ", start)
            between = tables[start:end]
            assert area["outcomes"]
            for paragraph in area["outcomes"].split("\n\n"):
                assert paragraph in between, (area["ref"], paragraph)


# --------------------------------------------------------------------------- objectives


def test_objective_refs_match_the_source(plan, sections):
    printed = re.findall(r"(?m)^\s*(\d\.\d\.\d) ", sections["tables"])
    in_json = [o["ref"] for t in plan["themes"] for a in t["areas"] for o in a["objectives"]]
    assert len(set(printed)) == len(printed)
    assert in_json == printed
    for theme in plan["themes"]:
        for area in theme["areas"]:
            for objective in area["objectives"]:
                assert objective["ref"].startswith(area["ref"] + ".")
                assert objective["actions"], objective["ref"]


def test_objective_text_follows_its_ref(plan, tables):
    for theme in plan["themes"]:
        for area in theme["areas"]:
            for objective in area["objectives"]:
                paragraphs = objective["text"].split("\n\n")
                assert "{} {}".format(objective["ref"], paragraphs[0]) in tables
                for paragraph in paragraphs[1:]:
                    assert paragraph in tables


# --------------------------------------------------------------------------- actions


def test_status_counts_match_the_rag_phrases_in_the_plan_tables(actions, sections, tables):
    legend = collapse(sections["legend"])
    for code, label in LEGEND.items():
        assert label in legend, code  # so counting the legend too would have been wrong
    assert "and will be completed by milestone" not in tables  # the tables abbreviate it
    printed = {code: len(re.findall(p, tables, re.I)) for code, p in RAG_PATTERNS.items()}
    in_json = Counter(a["rag"] for a in actions)
    assert {code: in_json.get(code, 0) for code in STATUS_CODES} == printed
    assert len(actions) == sum(printed.values()) == len(ANY_RAG.findall(tables))


def test_every_action_is_filled_in(actions):
    assert len(actions) > 100
    for action in actions:
        ref = action["ref"]
        assert action["title"].strip(), ref
        assert action["leads"] and all(isinstance(x, str) and x.strip() for x in action["leads"]), ref
        assert len(set(action["leads"])) == len(action["leads"]), ref
        assert action["rag"] in STATUS_CODES, ref
        assert MILESTONE_RE.match(action["milestone"]), (ref, action["milestone"])
        assert isinstance(action["detailed_plan"], str), ref
        assert action["history"] == [], ref


def test_due_is_last_day_of_the_milestone_month(actions):
    for action in actions:
        match = MILESTONE_RE.match(action["milestone"])
        if action["milestone"] == "Ongoing":
            assert action["due"] is None, action["ref"]
        else:
            year, month = int(match.group(2)), MONTHS[match.group(1)]
            assert action["due"] == last_day(year, month), action["ref"]
    dues = {a["milestone"]: a["due"] for a in actions}
    assert dues["February 2022"] == "2022-02-28"
    assert dues["September 2022 onwards"] == "2022-09-30"


def test_milestone_spacing_is_as_printed(actions, sections):
    tables = sections["tables"].replace("\xa0", " ")
    joined = re.sub(r"[ \t]*\n[ \t]*", " ", tables)  # line breaks become one space, other spacing kept
    for action in actions:
        assert action["milestone"] in joined, action["ref"]
    odd = re.findall(r"(?:" + MONTH_NAMES + r") {2,}\d{4}", tables)
    assert sorted(odd) == sorted(a["milestone"] for a in actions if "  " in a["milestone"])
    assert len(odd) == 2


def test_action_refs_are_objective_ref_and_position(plan):
    for *_, objective, index, action in walk_actions(plan):
        assert action["ref"] == f"{objective['ref']}.{index + 1}"


def test_action_refs_fourth_number_is_plantuis(plan, source):
    """The document prints no action numbers: no four-part ref anywhere, so the fourth number of an
    action ref can only be plantui's, its row's place within the printed objective (data/README.md)."""
    assert re.findall(r"(?<![\d.])\d+\.\d+\.\d+\.\d+", source) == []
    assert all(len(ref.split(".")) <= 3 for finding in plan["findings"] for ref in finding["refs"])
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert "fourth number of every action ref is made by plantui" in collapse(readme)


def test_success_measures_are_empty_only_where_the_row_prints_none(plan, tables, windows, known_plans):
    """4.4.1.2's row prints a title and a rating and nothing between them: no measures, no lead."""
    empty = []
    for *_, action in walk_actions(plan):
        spans = parse_row(tables, action, windows[action["ref"]], known_plans)
        between = tables[spans["title"][1] : spans["rag"][0]].strip()
        if action["success_measures"]:
            assert between.startswith(collapse(action["success_measures"])), action["ref"]
        else:
            empty.append(action["ref"])
            assert between == "", action["ref"]
    assert empty == ["4.4.1.2"]


def test_each_action_reads_as_printed_in_its_own_row(plan, tables, windows, known_plans):
    """Title, success measures, status, milestone, leads and plan, each found in the action's
    own row of the source, or carried down from the row above where the cell is blank."""
    previous = None
    for _theme, _area, _objective, index, action in walk_actions(plan):
        ref = action["ref"]
        spans = parse_row(tables, action, windows[ref], known_plans)
        if index == 0:
            previous = None  # never carry across objectives

        assert spans["success"] is not None, ref  # success measures are never carried (J23)

        printed = [
            any(
                p in tables[spans["title"][1] : spans["rag"][0]]
                for p in [lead, *LEAD_PRINTED_VARIANTS.get(lead, [])]
            )
            for lead in action["leads"]
        ]
        if not all(printed):
            assert not any(printed), ref
            assert previous is not None and action["leads"] == previous["leads"], ref

        if spans["printed_plan"] is not None:
            assert action["detailed_plan"] == spans["printed_plan"], ref
        elif ref in PLAN_NOT_CARRIED:
            assert action["detailed_plan"] == "" and previous["detailed_plan"], ref
        elif previous is None:
            assert action["detailed_plan"] == "", ref
        else:
            assert action["detailed_plan"] == previous["detailed_plan"], ref
        previous = action


def test_objective_statements_printed_beside_actions_stay_with_them(plan, tables, windows):
    """Where one numbered objective prints several statements, each beside its own action (4.3.2), each
    is that action's `objective_statement`, read from the source: the text printed straight before the
    action's title after the row above. The objective keeps the statement printed with its ref."""
    with_statement = {}
    for *_, objective, _index, action in walk_actions(plan):
        statement = action.get("objective_statement")
        if statement is None:
            continue
        with_statement[action["ref"]] = statement
        start = windows[action["ref"]][0]
        assert tables[:start].rstrip().endswith(collapse(statement)), action["ref"]
        assert statement not in objective["text"] or objective["actions"][0] is action, action["ref"]
    assert sorted(with_statement) == ["4.3.2.1", "4.3.2.2", "4.3.2.3"]
    objective = next(
        o for t in plan["themes"] for a in t["areas"] for o in a["objectives"] if o["ref"] == "4.3.2"
    )
    assert objective["text"] == with_statement["4.3.2.1"]
    assert "4.3.2 " + objective["text"] in tables
    # the statements are three, and the other two are printed with no ref of their own
    for ref in ("4.3.2.2", "4.3.2.3"):
        at = tables.index(with_statement[ref])
        assert not re.search(r"\d+\.\d+\.\d+ $", tables[at - 12 : at]), ref


def test_business_as_usual_notes_are_the_actions_commentary(plan, tables, windows, known_plans):
    """A RAG cell printing "Business As Usual Activity - annual monitoring" keeps its note as the
    action's commentary; no other action has any."""
    printed = {}
    for *_, action in walk_actions(plan):
        spans = parse_row(tables, action, windows[action["ref"]], known_plans)
        note = re.match(r" - ([a-z]+ monitoring)\b", tables[spans["rag"][1] : spans["milestone"][0]])
        if note:
            printed[action["ref"]] = note.group(1)
        assert action.get("commentary") == printed.get(action["ref"]), action["ref"]
    assert printed == {"4.1.1.7": "annual monitoring", "4.1.1.8": "quarterly monitoring"}
    assert len(re.findall(r"Business As Usual Activity - [a-z]+ monitoring", tables, re.I)) == 2


# Carried plans that read as wrong for their action (data/README.md, J22): apprenticeships and
# leadership-team oversight under "Virtual School Service Plan".
DOUBTFUL_PLANS = {"4.1.1.9", "4.1.1.10"}


def test_values_carried_down_are_marked_with_the_row_that_printed_them(plan, tables, windows, known_plans):
    """Every lead and detailed plan the source leaves blank is marked `carried` with the ref of the row
    that printed the value, and nothing else is: found from the source text, not from the data."""
    expected = carried_in_source(plan, tables, windows, known_plans)
    by_ref = {a["ref"]: a for *_, a in walk_actions(plan)}
    assert {ref: a["carried"] for ref, a in by_ref.items() if "carried" in a} == expected
    assert sum("leads" in marks for marks in expected.values()) == 35
    assert sum("detailed_plan" in marks for marks in expected.values()) == 71
    assert expected["1.1.1.6"] == {"leads": "1.1.1.5", "detailed_plan": "1.1.1.1"}
    for ref, marks in expected.items():
        action = by_ref[ref]
        for field, origin in marks.items():
            assert action[field] == by_ref[origin][field], (ref, field)  # the value is the printed one
            assert origin.rpartition(".")[0] == ref.rpartition(".")[0], ref  # never across objectives
    assert {ref for ref, a in by_ref.items() if "doubtful" in a} == DOUBTFUL_PLANS
    for ref in DOUBTFUL_PLANS:
        assert by_ref[ref]["doubtful"] == ["detailed_plan"] and "detailed_plan" in expected[ref]
        assert f"{ref}" in (ROOT / "data" / "README.md").read_text(encoding="utf-8")


# Text in the plan tables that is layout, not plan content: the repeated column headings, page
# headers and footers, the priority headings (their titles differ from the themes page and the
# JSON takes the themes page's), the area titles that 1.2 and 1.3 print in the outcomes column,
# and the joining words of lead cells split into several posts.
BOILERPLATE = [
    r"(?:The Outcomes We Are )?Aiming For",
    r"Action Ref Objective (?:The )?Actions we are taking How we will know it has worked "
    r"Responsible Lead Officer Rag Rating Milestones Detailed Action Plan",
    r"Children’s Improvement Plan – Phase 1",
    r"PAGE \d+",
    r"Priority \d – (?:Improving Quality|Implementation of Learning|Improving tools"
    r"|Improving Strategic Partnerships)",
    r"How we plan to improve this area of significant weakness(?: - Please note that these actions should be "
    r"considered with 1\.2 above)?",
    r"Practice Standards & Quality Assurance Framework",
    r"Address Ofsted Specific Concerns",
    r"\b(?:Joint|and|with)\b|&",
]


def test_nothing_in_the_plan_tables_is_left_out(plan, tables, windows, known_plans):
    """Mark every character of the plan tables that some JSON field accounts for; what is left
    must be layout boilerplate, refs and stray punctuation. Catches truncated or dropped text."""
    covered = bytearray(len(tables))

    def cover(start, end):
        covered[start:end] = b"\x01" * (end - start)

    def cover_text(text, start=0):
        at = tables.find(text, start)
        assert at >= 0, text
        cover(at, at + len(text))
        return at + len(text)

    position = 0
    for theme in plan["themes"]:
        position = cover_text("Our overall aim for this priority area: " + theme["aim"], position)
        for area in theme["areas"]:
            if not area["objectives"]:
                continue
            area_ref = re.compile(r"(?<![\d.])" + re.escape(area["ref"]) + r"\.?(?= )")
            match = area_ref.search(tables, position)
            cover(match.start(), match.end())
            position = match.end()
            for paragraph in area["outcomes"].split("\n\n"):
                position = cover_text(paragraph, position)
            for objective in area["objectives"]:
                position = cover_text(objective["ref"] + " ", position)
                for paragraph in objective["text"].split("\n\n"):
                    cover_text(paragraph, position)
                for action in objective["actions"]:
                    spans = parse_row(tables, action, windows[action["ref"]], known_plans)
                    for key in ("title", "success", "rag", "milestone", "plan"):
                        if spans[key]:
                            cover(*spans[key])
                    if action.get("objective_statement"):
                        cover_text(action["objective_statement"], position)
                    if action.get("commentary"):
                        cover_text("- " + action["commentary"], spans["rag"][1])
                    for span in spans["leads"]:
                        cover(*span)
                    position = spans["milestone"][1]

    left = "".join(ch if not covered[i] else "\x00" for i, ch in enumerate(tables))
    for pattern in BOILERPLATE:
        left = re.sub(pattern, "\x00", left, flags=re.I)
    leftover = [piece.strip() for piece in left.split("\x00") if piece.strip(" .")]
    assert leftover == []


# Fields where a blank line inside one sentence of the source is an extraction artefact, and the
# text is joined into one paragraph (data/README.md lists them).
JOINED_OVER_BLANK_LINE = {
    ("outcomes", "2.1"),  # "Feedback from" / "families. staff and partners ..."
    ("outcomes", "3.2"),  # "... live management and" / "Performance information ..."
    ("text", "1.2.1"),  # "... procedures" / "and ‘Working Together’"
    ("success_measures", "4.3.2.1"),  # "... thus enabling." / "effective service planning ..."
}
# Fields whose paragraphs come from separate rows of the table, so other text lies between them.
NOT_ADJACENT: set[tuple[str, str]] = set()
# Lists printed as a lead-in and items; the items are separated by single newlines.
BULLETED = {("title", "2.1.1.13"), ("success_measures", "2.1.1.13"), ("title", "2.2.1.1")}


def test_paragraphs_and_bullets_follow_the_source(plan, source):
    """A "\\n\\n" in a field is a blank line between two blocks of one cell in the source, a "\\n"
    an item of a printed list; inside a paragraph the source has line breaks only."""
    raw = source.replace("\ufffd", "").replace("\xa0", " ")
    raw = re.sub(r"(?m)^\tn ", "", raw)

    def item_pattern(item, blank_inside):
        gap = r"\s+" if blank_inside else r"[ \t]*(?:\n[ \t]*)?"
        words = [re.escape(w).replace(r"\-", r"-(?:[ \t]*\n[ \t]*)?") for w in item.split()]
        return gap.join(words)

    fields = []
    for theme in plan["themes"]:
        for area in theme["areas"]:
            if area["outcomes"]:
                fields.append(("outcomes", area["ref"], area["outcomes"]))
            for objective in area["objectives"]:
                fields.append(("text", objective["ref"], objective["text"]))
                for action in objective["actions"]:
                    fields.append(("title", action["ref"], action["title"]))
                    if "objective_statement" in action:
                        fields.append(("objective_statement", action["ref"], action["objective_statement"]))
                    fields.append(("success_measures", action["ref"], action["success_measures"]))
    seen_bullets = set()
    for name, ref, value in fields:
        key = (name, ref)
        items = [item for block in value.split("\n\n") for item in block.split("\n")]
        if "\n" in value.replace("\n\n", ""):
            seen_bullets.add(key)
            for block in value.split("\n\n"):
                lines = block.split("\n")
                if len(lines) > 1:
                    assert lines[0].endswith(":") or key == ("success_measures", "2.1.1.13"), key
        patterns = [re.compile(item_pattern(i, key in JOINED_OVER_BLANK_LINE)) for i in items]
        between = r"[ \t]*\n[ \t]*\n\s*" if key not in NOT_ADJACENT else r"[ \t]*\n[ \t]*\n[\s\S]*?"

        def chains(first, patterns=patterns, between=between):
            at = first.end()
            for pattern in patterns[1:]:
                match = re.compile(between + pattern.pattern).match(raw, at)
                if not match:
                    return False
                at = match.end()
            return True

        assert any(chains(m) for m in patterns[0].finditer(raw)), key
        if key in JOINED_OVER_BLANK_LINE:  # and the join did happen: some item spans a blank line
            assert not all(re.search(item_pattern(i, False), raw) for i in items), key
    assert seen_bullets == BULLETED


def test_leads_are_spelled_one_way_per_post(actions, tables):
    def key(lead):
        words = lead.lower().replace("&", "and").replace("assitant", "assistant")
        words = re.sub(r"[^a-z ]", "", words).split()
        return " ".join(w for w in words if w not in {"of", "for"})

    spellings = {}
    for action in actions:
        for lead in action["leads"]:
            assert lead in tables, (action["ref"], lead)
            spellings.setdefault(key(lead), set()).add(lead)
    assert {k: v for k, v in spellings.items() if len(v) > 1} == {}
    # a lead list is never a whole cell that still holds two posts
    for action in actions:
        for lead in action["leads"]:
            assert not lead.startswith("Joint ") and not lead.endswith(" HR"), (action["ref"], lead)


# --------------------------------------------------------------------------- findings


APPENDIX_TITLES = {
    "A": "Appendix A: Sefton’s Improvement Notice",
    "B": "Appendix B: Children’s Services Focused Visit March 2021",
    "C": (
        "Appendix C: Joint targeted area inspection of the multi-agency response to children’s "
        "mental health in Sefton September 2019"
    ),
}
REF_GROUP = re.compile(r"(?<![\w.])\d+\.\d+(?:\.\d+)*\.?(?:\s*[,¸]?\s*\d+\.\d+(?:\.\d+)*\.?)*\s*,?")
SUBHEADING = "What needs to improve in this area of social work practice"


@pytest.fixture(scope="module")
def appendices(sections):
    text = normalise_source(sections["appendices"])
    parts = {}
    starts = [text.index(f"Appendix {letter}:") for letter in "ABC"] + [len(text)]
    for i, letter in enumerate("ABC"):
        body = text[starts[i] : starts[i + 1]]
        heading, body = body.split(
            "Ofsted Improvement Measures Objective & Actions that seek to address measure:"
        )
        parts[letter] = (collapse(heading), body)
    return parts


def test_finding_sources_are_the_appendix_headings(plan, appendices):
    for letter, (heading, _) in appendices.items():
        assert heading == APPENDIX_TITLES[letter]
    assert [f["source"] for f in plan["findings"]] == sorted(
        (f["source"] for f in plan["findings"]), key=lambda s: s[9]
    )  # A, then B, then C
    assert {f["source"] for f in plan["findings"]} == set(APPENDIX_TITLES.values())


def test_findings_count_per_appendix(plan, appendices):
    for letter, (heading, body) in appendices.items():
        printed = len(REF_GROUP.findall(body))
        in_json = sum(1 for f in plan["findings"] if f["source"] == heading)
        assert in_json == printed, letter
    assert len(plan["findings"]) == 14 + 5 + 3


def test_findings_text_and_refs_as_printed(plan, appendices):
    for letter, (heading, body) in appendices.items():
        findings = [f for f in plan["findings"] if f["source"] == heading]
        position = 0
        for finding in findings:
            assert finding["text"] and "\n" not in finding["text"]
            at = body.find(finding["text"], position)
            assert at >= 0, finding["text"]
            assert not body[position:at].strip(" ") or body[position:at].strip() == SUBHEADING
            end = at + len(finding["text"])
            group = REF_GROUP.match(body, end + 1 if body[end : end + 1] == " " else end)
            assert group, finding["text"]
            assert re.findall(r"\d+(?:\.\d+)+", group.group(0)) == finding["refs"], finding["text"]
            position = group.end()
            while body[position : position + 1] == " ":
                position += 1
        assert body[position:].strip() == "", letter


def test_refs_kept_as_printed_even_when_odd(plan):
    refs = {f["text"][:30]: f["refs"] for f in plan["findings"]}
    assert refs["Visits to children are respons"] == ["1.2.1", "1.2.2"]  # 1.2.2 is no objective
    assert refs["The quality of assessments, pl"] == ["1.1.1", "1.1.2", "1.2.1", "3.2.2"]
    assert refs["The performance and quality as"] == ["1.2.1", "1.2.1", "3.2.1"]
    assert refs["The provision of suitable, full"[:30]] == ["4.4"]  # an area, not an objective
    assert all(re.fullmatch(r"\d+(?:\.\d+)+", r) for f in plan["findings"] for r in f["refs"])


def test_subheading_is_not_a_finding(plan, appendices):
    assert SUBHEADING in appendices["B"][1]
    assert all(f["text"] != SUBHEADING for f in plan["findings"])
