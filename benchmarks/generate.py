"""Generate a large, realistic plan file (plantui-plan/1) for the benchmarks, deterministically from a seed.

The shape follows the bundled Sefton plan scaled up to a council that tracks several plans in one
store: themes -> areas -> objectives -> actions, titles and success measures of the same lengths,
several lead officers per action drawn from a pool of posts, every status and every kind of milestone
("Ongoing", "April 2023 onwards", odd spacing), and long histories (status, milestone and note changes,
some undone) spread over years. The history is simulated forwards from each action's first state,
so an action's status and milestone are exactly where its history leaves them, and an action whose
milestone moved keeps its first label as the baseline (so it shows as slipped).

    python benchmarks/generate.py --actions 10000 --history 100000 --seed 1 -o var/bench/plan-10k.json \
        --scorecard var/bench/scorecard-10k.csv

Measures of impact come with it (one per 20 actions, so 500 for 10,000; `--measures N` to choose),
each with 36 monthly values (`--periods`) on a seeded random walk about its target, a few corrected,
linked to actions, objectives and findings. They are generated data, and say so: every value is
recorded by "Generated data", and every name ends "(generated)". They come from a random stream of
their own, so the rest of the plan is the same bytes as without them. `--scorecard FILE` also writes
a council-style wide CSV of fresh values for every measure and period (one row a measure, one column
a month), for the benchmark of `plantui measure import`.

Same arguments, same bytes: nothing here reads the clock or the environment.
"""

from __future__ import annotations

import argparse
import calendar
import random
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from plantui.domain.document import (
    ActionDoc,
    AreaDoc,
    FindingDoc,
    HistoryEntryDoc,
    MeasureDoc,
    MeasureValueDoc,
    ObjectiveDoc,
    PlanDocument,
    ThemeDoc,
)
from plantui.domain.milestones import due_from_label
from plantui.io.plan_json import dumps_plan

# The first four are the sample plan's, so a marker such as "Improving Quality" finds both plans.
THEME_SUBJECTS = (
    "Quality",
    "Implementation of Learning",
    "Tools",
    "Strategic Partnerships",
    "Early Help",
    "the Front Door",
    "Child Protection",
    "Care Planning",
    "Permanence",
    "Placement Sufficiency",
    "Care Leavers",
    "Corporate Parenting",
    "SEND Assessment",
    "Inclusion in Schools",
    "Education, Health and Care Plans",
    "Preparing for Adulthood",
    "Youth Justice",
    "Exploitation and Missing",
    "Domestic Abuse Response",
    "Family Help",
    "Adoption",
    "Fostering",
    "Residential Care",
    "Health Assessments",
    "Emotional Wellbeing",
    "Adult Social Care Assessments",
    "Carers' Support",
    "Safeguarding Adults",
    "Reablement",
    "Commissioning",
    "Workforce Stability",
    "Practice Standards",
    "Quality Assurance",
    "Performance Management",
    "Participation and Voice",
    "Data and Systems",
    "Financial Sustainability",
    "Governance",
    "Communications",
    "Equality and Inclusion",
)

AREA_TOPICS = (
    "The Workforce",
    "Practice Standards",
    "Management Oversight",
    "Audit and Learning",
    "Recording",
    "Supervision",
    "Partnership Working",
    "Performance Information",
    "Voice of the Child",
    "Multi-agency Working",
    "Thresholds",
    "Assessment",
    "Planning",
    "Reviewing",
    "Transitions",
    "Sufficiency",
    "Training and Development",
    "Leadership",
    "Commissioned Services",
    "Health Partnership",
    "Education Partnership",
    "Police Partnership",
    "Family Engagement",
    "Caseloads",
    "Recruitment and Retention",
    "Systems and Tools",
)

VERBS = (
    "Develop and agree",
    "Review and refresh",
    "Embed",
    "Deliver",
    "Implement",
    "Launch",
    "Commission",
    "Establish",
    "Strengthen",
    "Co-produce",
    "Audit",
    "Roll out",
    "Monitor",
    "Design and deliver",
    "Recruit to",
    "Evaluate",
    "Publish",
    "Consult on",
    "Align",
)

OBJECTS = (
    "the Children's Social Care Workforce Strategy",
    "a targeted recruitment drive for senior managers",
    "the practice standards framework",
    "a quality assurance framework with monthly audits",
    "the multi-agency safeguarding hub arrangements",
    "a Corporate Parenting Strategy",
    "the pathway plan template for care leavers",
    "supervision policy and recording guidance",
    "a sufficiency strategy for placements",
    "the Early Help offer across localities",
    "the performance scorecard for the Improvement Board",
    "a participation strategy",
    "the case management system configuration",
    "the local offer for children with SEND",
    "return home interviews for children missing from home",
    "a learning and development programme",
    "the thresholds document with partners",
    "the Public Law Outline tracker",
    "the annual review process for Education, Health and Care Plans",
    "caseload management tools",
    "a fostering recruitment campaign",
    "the edge of care service",
    "the transitions protocol",
    "management oversight guidance",
    "a domestic abuse pathway",
    "the exploitation screening tool",
)

PURPOSES = (
    "that supports delivery of the strategy",
    "so that children receive a timely, consistent service",
    "to ensure practice meets the 'good' standard",
    "across children's services and partners",
    "with clear timescales and accountability",
    "so that plans are reviewed when circumstances change",
    "informed by the voices of children and young people",
    "in line with statutory guidance",
    "including outside of normal office hours",
    "to reduce drift and delay for children",
    "with quarterly reporting to the Improvement Board [Q3]",
    "so that learning is shared (and acted on)",
)

MEASURES = (
    "We will see an increase in employees accessing quality training",
    "Audits will show that management oversight is evident on case files",
    "Children and young people will tell us they feel listened to",
    "Caseloads will be within the agreed range for every team",
    "Assessments will be completed within timescales",
    "Fewer children will experience a change of social worker",
    "Partners will report that thresholds are understood and applied consistently",
    "Care leavers will have up-to-date pathway plans that they helped to write",
    "Plans will be SMART and reviewed at every visit",
    "The proportion of agency staff will fall quarter on quarter",
    "Families will be offered help at the earliest point",
    "Performance data will be accurate, timely and used by managers",
)

MEASURE_TAILS = (
    "and recognise the value of professional development.",
    "as shown by the monthly audit programme.",
    "which will be reported to the Improvement Board each quarter.",
    "and practice will improve as a result.",
    "(measured against the 2022 baseline).",
    "with evidence from dip sampling and feedback from families.",
)

DETAILED_PLANS = (
    "People Strategy and Action Plan",
    "Quality Assurance Framework",
    "Sufficiency Strategy",
    "Corporate Parenting Plan",
    "Early Help Strategy",
    "SEND Improvement Plan",
    "Workforce Plan",
    "Practice Improvement Plan",
    "Partnership Business Plan",
    "Digital Roadmap",
    "",
)

POST_TITLES = (
    "Assistant Director",
    "Head of Service",
    "Service Manager",
    "Team Manager",
    "Principal Social Worker",
    "Strategic Lead",
    "Programme Manager",
    "Designated Nurse",
    "Virtual School Head",
    "Commissioning Manager",
)

POST_REMITS = (
    "Safeguarding Review & Quality Assurance",
    "Help and Protection",
    "Cared for Children",
    "Corporate Resources",
    "Education",
    "Early Help",
    "Children with Disabilities",
    "Care Leavers",
    "Fostering and Adoption",
    "Youth Justice",
    "Performance and Intelligence",
    "Workforce Development",
    "Commissioning",
    "Adult Social Care",
    "Inclusion",
    "Exploitation",
)

TEAMS = (
    "HR",
    "Children's Senior Leadership Team",
    "Cabinet",
    "Chief Executive",
    "Corporate Parenting Officer",
    "Local Safeguarding Children Partnership",
    "Integrated Care Board",
    "Merseyside Police",
    "Business Intelligence",
    "ICT",
    "Finance",
    "Legal Services",
    "Schools Forum",
)

FIRST_NAMES = (
    "Ann",
    "Bola",
    "Ciaran",
    "Deepa",
    "Evan",
    "Fatima",
    "Gareth",
    "Helen",
    "Imran",
    "Jo",
    "Kelly",
    "Liam",
    "Maya",
    "Niamh",
    "Owen",
    "Priya",
    "Rhys",
    "Sam",
    "Tomasz",
    "Yasmin",
)
SURNAMES = (
    "Ahmed",
    "Byrne",
    "Clarke",
    "Davies",
    "Evans",
    "Hughes",
    "Jones",
    "Kowalski",
    "Murphy",
    "Okafor",
    "Patel",
    "Roberts",
    "Smith",
    "Taylor",
    "Williams",
)

NOTE_OPENINGS = (
    "Update to Board:",
    "Discussed at the Improvement Board.",
    "Lead officer reports",
    "Audit found",
    "Following challenge from the independent chair,",
    "Data for the quarter shows",
    "Agreed in the meeting:",
    "Escalated:",
    "Evidence provided:",
    "Partners confirm",
)
NOTE_BODIES = (
    "recruitment is ahead of plan and two posts are filled",
    "progress is slower than expected because of vacancies in the team",
    "the draft has been shared with partners for comment",
    "training dates are set and 60% of staff have booked",
    "the policy is signed off and published on the intranet",
    "timescales have improved but sustainability is not yet evidenced",
    "dependencies on the system upgrade mean the milestone is at risk",
    "young people's feedback has been built into the next version [draft]",
    "the audit programme shows improvement in 7 of 10 standards",
    "capacity has been found within existing budgets",
)
NOTE_CLOSINGS = (
    "",
    " Next update in a month.",
    " Lead to bring evidence to the next Board.",
    " RAG agreed by the Board.",
    " See the detailed plan for dates.",
    " (Action carried forward.)",
)

# Weights of the current status of actions with no history, and of each status a change moves to.
STATUS_WEIGHTS = {
    "complete": 30,
    "on_track": 25,
    "some_issues": 14,
    "off_track": 8,
    "not_started": 9,
    "bau": 14,
}
FIRST = date(2019, 4, 1)  # the earliest change; histories run from here over about seven years
LAST_MONTH = (2027, 3)


@dataclass(frozen=True)
class Shape:
    actions: int
    history: int
    themes: int = 40
    seed: int = 1
    measures: int | None = None  # None: one per 20 actions
    periods: int = 36


# Measures of impact as a children's services scorecard counts them: (name, unit, better direction,
# a typical target).
MEASURE_KINDS = (
    ("Contacts with a decision within 1 working day", "%", "higher", 95),
    ("Assessments completed within 45 working days", "%", "higher", 85),
    ("Children seen within 10 working days of referral", "%", "higher", 90),
    ("Re-referrals within 12 months", "%", "lower", 20),
    ("Initial child protection conferences within 15 days", "%", "higher", 85),
    ("Child protection plans lasting 2 years or more", "%", "lower", 3),
    ("Children in care with 3 or more placements in the year", "%", "lower", 9),
    ("Care leavers in suitable accommodation", "%", "higher", 90),
    ("Care leavers in education, employment or training", "%", "higher", 60),
    ("Average caseload per social worker", "cases", "lower", 18),
    ("Agency social workers", "%", "lower", 15),
    ("Case file audits rated good or better", "%", "higher", 70),
    ("Children in need per 10,000 children", "per 10,000", "lower", 330),
    ("EHC plans issued within 20 weeks", "%", "higher", 60),
    ("Missing episodes with a return home interview", "%", "higher", 80),
    ("Days from entering care to placement with adopters", "days", "lower", 426),
)
GENERATED_AUTHOR = "Generated data"
LAST_PERIOD = (2026, 2)  # the newest month with values: a board on 31 March 2026 sees February's


def _month_label(rng: random.Random, year: int, month: int) -> str:
    label = f"{calendar.month_name[month]} {year}"
    if rng.random() < 0.01:  # the source plan has "September  2022": import tidies it, history keeps it
        label = label.replace(" ", "  ")
    return label


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


class PlanGenerator:
    """Builds one `PlanDocument`; every random choice comes from one seeded `random.Random`."""

    def __init__(self, shape: Shape) -> None:
        if shape.actions < 1 or shape.themes < 1 or shape.history < 0:
            raise ValueError("need at least one action and one theme, and no negative history")
        self.shape = shape
        self.rng = random.Random(shape.seed)
        self.posts = self._posts()
        self.authors = [f"{first} {last}" for first in FIRST_NAMES for last in SURNAMES[:2]]

    def _posts(self) -> list[str]:
        rng = self.rng
        posts = [f"{title} {remit}" for title in POST_TITLES for remit in POST_REMITS]
        rng.shuffle(posts)
        # About one post per 60 actions, at least 20: a large plan names the same officers again and again.
        count = max(20, min(len(posts), self.shape.actions // 60))
        return posts[:count] + list(TEAMS)

    # -- text --------------------------------------------------------------------------------------
    def _title(self) -> str:
        rng = self.rng
        text = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(PURPOSES)}"
        if rng.random() < 0.3:
            text += f", and {rng.choice(VERBS).lower()} {rng.choice(OBJECTS)}"
        return text + "."

    def _measures(self) -> str:
        rng = self.rng
        parts = [
            f"{rng.choice(MEASURES)} {rng.choice(MEASURE_TAILS)}" for _ in range(rng.choice((1, 1, 2, 2, 3)))
        ]
        return " ".join(parts)

    def _note(self) -> str:
        rng = self.rng
        return f"{rng.choice(NOTE_OPENINGS)} {rng.choice(NOTE_BODIES)}.{rng.choice(NOTE_CLOSINGS)}"

    def _leads(self) -> list[str]:
        rng = self.rng
        count = rng.choices((1, 2, 3, 4), weights=(35, 35, 20, 10))[0]
        return rng.sample(self.posts, k=min(count, len(self.posts)))

    # -- structure ---------------------------------------------------------------------------------
    def _split(self, total: int, parts: int) -> list[int]:
        """`total` items over `parts` buckets, each at least one, unevenly, summing exactly."""
        parts = min(parts, total)
        counts = [1] * parts
        for index in self.rng.choices(
            range(parts), weights=[self.rng.uniform(0.3, 1.7) for _ in range(parts)], k=total - parts
        ):
            counts[index] += 1
        return counts

    def document(self) -> PlanDocument:
        shape, rng = self.shape, self.rng
        themes = min(shape.themes, shape.actions)
        doc = PlanDocument(
            title="Children's and Adults' Services Improvement Plans",
            organisation="Generated Borough Council",
            phase="Phases 1-3",
            foreword="Generated for plantui's benchmarks.\n\nEvery name and figure here is invented.",
            status_date=date(2026, 3, 31),
        )
        actions_per_theme = self._split(shape.actions, themes)
        slots: list[ObjectiveDoc] = []
        objective_sizes: list[int] = []
        for t_index, theme_actions in enumerate(actions_per_theme):
            subject = THEME_SUBJECTS[t_index % len(THEME_SUBJECTS)]
            cycle = t_index // len(THEME_SUBJECTS)
            theme = ThemeDoc(
                str(t_index + 1),
                f"Improving {subject}" + (f" ({cycle + 1})" if cycle else ""),
                f"Our aim is that services for {subject.lower()} are consistently good, and that children, "
                "young people and families tell us they make a difference.",
            )
            # Realistic spans: 3-6 areas a theme, objectives of about eight actions each.
            area_count = min(theme_actions, rng.randint(3, 6))
            for a_index, area_actions in enumerate(self._split(theme_actions, area_count)):
                area = AreaDoc(
                    f"{theme.ref}.{a_index + 1}",
                    rng.choice(AREA_TOPICS),
                    f"Outcomes we are aiming for: {rng.choice(MEASURES).lower()}.",
                )
                objective_count = max(1, round(area_actions / rng.uniform(5, 11)))
                for o_index, objective_actions in enumerate(self._split(area_actions, objective_count)):
                    objective = ObjectiveDoc(
                        f"{area.ref}.{o_index + 1}",
                        f"There is {rng.choice(('adequate', 'effective', 'consistent', 'timely'))} "
                        f"{rng.choice(OBJECTS).removeprefix('the ').removeprefix('a ')} "
                        f"{rng.choice(PURPOSES)}",
                    )
                    area.objectives.append(objective)
                    slots.append(objective)
                    objective_sizes.append(objective_actions)
                theme.areas.append(area)
            doc.themes.append(theme)

        history_counts = self._history_counts()
        number = 0
        for objective, size in zip(slots, objective_sizes, strict=True):
            for x_index in range(size):
                objective.actions.append(
                    self._action(f"{objective.ref}.{x_index + 1}", history_counts[number])
                )
                number += 1
        doc.findings = self._findings(doc, slots)
        count = shape.measures if shape.measures is not None else shape.actions // 20
        doc.measures = MeasureGenerator(shape, count).measures(doc, slots)
        return doc

    def _history_counts(self) -> list[int]:
        """How many history rows each action gets: most a few, some many, some none; summing exactly."""
        rng, n = self.rng, self.shape.actions
        weights = [rng.expovariate(1.0) ** 1.5 for _ in range(n)]
        counts = [0] * n
        for index in rng.choices(range(n), weights=weights, k=self.shape.history):
            counts[index] += 1
        return counts

    def _findings(self, doc: PlanDocument, objectives: list[ObjectiveDoc]) -> list[FindingDoc]:
        rng = self.rng
        findings = []
        areas = [area.ref for theme in doc.themes for area in theme.areas]
        for index in range(max(2, len(objectives) // 10)):
            refs = [rng.choice(objectives).ref for _ in range(rng.randint(1, 4))]
            if rng.random() < 0.2:
                refs.append(rng.choice(areas))  # findings cite areas as well as objectives
            if index % 25 == 0:
                refs.append(f"{len(doc.themes) + 1}.1.1")  # and, as printed, refs that name nothing
            findings.append(
                FindingDoc(f"Appendix {'ABC'[index % 3]}: inspection findings", self._note(), refs)
            )
        return findings

    # -- one action and its history ----------------------------------------------------------------
    def _first_milestone(self) -> tuple[str, tuple[int, int] | None, bool]:
        """A label, the (year, month) it names (None for "Ongoing"), and whether it is "... onwards"."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.14:
            return "Ongoing", None, False
        year, month = _add_months(FIRST.year, FIRST.month, rng.randint(3, 72))
        onwards = roll < 0.20
        label = _month_label(rng, year, month) + (" onwards" if onwards else "")
        return label, (year, month), onwards

    def _status_change(self, current: str) -> str:
        codes = [code for code in STATUS_WEIGHTS if code != current]
        return self.rng.choices(codes, weights=[STATUS_WEIGHTS[code] for code in codes])[0]

    def _action(self, ref: str, history_rows: int) -> ActionDoc:
        rng = self.rng
        label, month, onwards = self._first_milestone()
        action = ActionDoc(
            ref=ref,
            title=self._title(),
            success_measures=self._measures(),
            leads=self._leads(),
            rag=rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0],
            milestone=label,
            baseline=label,
            detailed_plan=rng.choice(DETAILED_PLANS),
        )
        if history_rows:
            # The history starts from a fresh action and is played forwards to today's state.
            action.rag = rng.choice(("not_started", "on_track", "on_track", "bau"))
            self._play_history(action, history_rows, month, onwards)
        action.due = due_from_label(action.milestone)
        return action

    def _play_history(
        self, action: ActionDoc, rows: int, month: tuple[int, int] | None, onwards: bool
    ) -> None:
        rng = self.rng
        span_days = (date(*LAST_MONTH, 1) - FIRST).days
        gap = max(1.0, min(45.0, span_days / (rows + 1)))
        at = datetime.combine(FIRST, datetime.min.time()) + timedelta(
            days=rng.uniform(0, max(0.0, span_days - gap * rows)), minutes=rng.randint(8 * 60, 18 * 60)
        )
        live: list[int] = []  # indexes of entries not undone and not themselves undos, oldest first
        for _ in range(rows):
            at += timedelta(days=rng.expovariate(1 / gap), minutes=rng.randint(0, 240))
            author = rng.choice(self.authors)
            roll = rng.random()
            if roll < 0.08 and live:
                undone = live.pop()  # undo reverses the newest change still standing, as `plantui undo` does
                target = action.history[undone]
                if target.field == "status":
                    entry = HistoryEntryDoc(at, author, "status", action.rag, target.old, "", undoes=undone)
                    action.rag = target.old or action.rag
                elif target.field == "milestone":
                    entry = HistoryEntryDoc(
                        at, author, "milestone", action.milestone, target.old, "", undoes=undone
                    )
                    action.milestone = target.old or action.milestone
                else:
                    entry = HistoryEntryDoc(at, author, "note", None, None, "", undoes=undone)
                action.history.append(entry)
                continue
            if roll < 0.50:
                new = self._status_change(action.rag)
                note = self._note() if rng.random() < 0.6 else ""
                entry = HistoryEntryDoc(at, author, "status", action.rag, new, note)
                action.rag = new
            elif roll < 0.62 and month is not None:
                month = _add_months(*month, rng.choice((1, 1, 2, 3, 3, 6, 12)))  # milestones slip later
                new_label = _month_label(rng, *month) + (" onwards" if onwards else "")
                entry = HistoryEntryDoc(at, author, "milestone", action.milestone, new_label, self._note())
                action.milestone = new_label
            else:
                entry = HistoryEntryDoc(at, author, "note", None, None, self._note())
            live.append(len(action.history))
            action.history.append(entry)


def _period(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


class MeasureGenerator:
    """The plan's measures and their values, from a random stream of their own (see the docstring)."""

    def __init__(self, shape: Shape, count: int) -> None:
        self.shape = shape
        self.count = count
        self.rng = random.Random(f"measures-{shape.seed}")
        first = _add_months(*LAST_PERIOD, -(shape.periods - 1))
        self.months = [_add_months(*first, k) for k in range(shape.periods)]

    def measures(self, doc: PlanDocument, objectives: list[ObjectiveDoc]) -> list[MeasureDoc]:
        rng = self.rng
        actions = [a.ref for a in doc.actions()]
        posts = sorted({lead for a in doc.actions() for lead in a.leads})
        measures = []
        for number in range(1, self.count + 1):
            name, unit, direction, target = MEASURE_KINDS[(number - 1) % len(MEASURE_KINDS)]
            target = round(target * rng.uniform(0.9, 1.1), 1) if unit != "%" else min(target, 99)
            measure = MeasureDoc(
                ref=f"M{number}",
                name=f"{name}, area {number} (generated)",
                unit=unit,
                direction=direction,
                target=target,
                tolerance=round(abs(target) * rng.choice((0.03, 0.05, 0.1)), 1)
                if rng.random() < 0.8
                else None,
                frequency="monthly",
                owner=rng.choice(posts) if posts else "",
                actions=sorted(rng.sample(actions, k=min(len(actions), rng.randint(1, 3)))),
                objectives=[rng.choice(objectives).ref] if objectives and rng.random() < 0.5 else [],
                findings=[rng.randrange(len(doc.findings))] if doc.findings and rng.random() < 0.2 else [],
            )
            measure.values = self._values(measure)
            measures.append(measure)
        return measures

    def walk(self, measure: MeasureDoc, *, gaps: bool = True) -> list[float | None]:
        """A value a month: a random walk about the target, now better, now worse; with `gaps`, about
        one month in 50 missing."""
        rng = self.rng
        target = measure.target or 50.0
        spread = abs(target) * 0.15 or 5.0
        level = target + rng.uniform(-1.5, 1.0) * spread
        walk: list[float | None] = []
        for _ in self.months:
            level += rng.gauss(0, spread * 0.25) + (target - level) * 0.1
            value = max(0.0, level)
            if measure.unit == "%":
                value = min(100.0, value)
            walk.append(None if gaps and rng.random() < 0.02 else round(value, 1))
        return walk

    def _values(self, measure: MeasureDoc) -> list[MeasureValueDoc]:
        """Each month's value recorded early the month after; 1 in 100 corrected a week later."""
        rng = self.rng
        values = []
        for (year, month), value in zip(self.months, self.walk(measure), strict=True):
            if value is None:
                continue
            ny, nm = _add_months(year, month, 1)
            at = datetime(ny, nm, 5, 9) + timedelta(minutes=rng.randint(0, 480))
            values.append(MeasureValueDoc(_period(year, month), value, at, GENERATED_AUTHOR))
            if rng.random() < 0.01:
                fixed = round(value * rng.uniform(0.9, 1.1), 1)
                values.append(
                    MeasureValueDoc(
                        _period(year, month), fixed, at + timedelta(days=7), GENERATED_AUTHOR, "corrected"
                    )
                )
        return values

    def scorecard_csv(self, measures: list[MeasureDoc]) -> str:
        """A wide scorecard as councils keep one: a row a measure, a column a month ("Mar-23"), with
        fresh values (another walk), so importing it records a value for every cell."""
        header = ["Ref", "Measure", *(f"{calendar.month_abbr[m]}-{y % 100:02d}" for y, m in self.months)]
        lines = [",".join(header)]
        for measure in measures:
            walk = self.walk(measure, gaps=False)
            cells = ["" if value is None else f"{value:g}" for value in walk]
            lines.append(",".join([measure.ref, f'"{measure.name}"', *cells]))
        return "\n".join(lines) + "\n"


def generate(shape: Shape) -> PlanDocument:
    return PlanGenerator(shape).document()


def summary(doc: PlanDocument) -> str:
    actions = doc.actions()
    history = sum(len(a.history) for a in actions)
    statuses = Counter(a.rag for a in actions)
    areas = sum(len(t.areas) for t in doc.themes)
    objectives = sum(len(a.objectives) for t in doc.themes for a in t.areas)
    spread = ", ".join(f"{code} {statuses[code]}" for code in STATUS_WEIGHTS)
    values = sum(len(m.values) for m in doc.measures)
    return (
        f"{len(doc.themes)} themes, {areas} areas, {objectives} objectives, {len(actions)} actions, "
        f"{history} history rows, {len(doc.measures)} measures with {values} values; {spread}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--history", type=int, default=100_000, help="history rows in the whole plan")
    parser.add_argument("--themes", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--measures", type=int, default=None, help="measures of impact (default: actions / 20)"
    )
    parser.add_argument("--periods", type=int, default=36, help="monthly values of each measure")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the .json file to write")
    parser.add_argument(
        "--scorecard", type=Path, help="also write a wide CSV of fresh values for every measure"
    )
    args = parser.parse_args(argv)
    if args.periods < 1 or (args.measures is not None and args.measures < 0):
        parser.error("need at least one period, and no negative count of measures")
    shape = Shape(args.actions, args.history, args.themes, args.seed, args.measures, args.periods)
    try:
        doc = generate(shape)
    except ValueError as error:
        parser.error(str(error))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(dumps_plan(doc), encoding="utf-8")
    print(f"{args.output}: {summary(doc)}", file=sys.stderr)
    if args.scorecard is not None:
        generator = MeasureGenerator(shape, len(doc.measures))
        generator.rng = random.Random(f"scorecard-{shape.seed}")
        args.scorecard.parent.mkdir(parents=True, exist_ok=True)
        args.scorecard.write_text(generator.scorecard_csv(doc.measures), encoding="utf-8")
        print(f"{args.scorecard}: {len(doc.measures)} measures x {args.periods} months", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
