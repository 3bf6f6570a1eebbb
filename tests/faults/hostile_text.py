"""Text a user, a spreadsheet or a hostile file might hold, and the small plan with it in every field:
shared by the hostile-input tests here and the hostile-spreadsheet tests in tests/io."""

from __future__ import annotations

from tests.conftest import mini_plan

# Text a user, a spreadsheet or a hostile file might hold.
HOSTILE = [
    "[bold]x[/]",
    "[/]",
    "[link=https://example.invalid]click[/link]",
    "[",
    "a [draft] b [Q3]",
    "\x1b[31mred\x1b[0m",
    "\x1b]0;retitled\x07",
    "\x1b[2J\x1b[H",
    "\x9b31m C1 CSI",
    "\x00nul \x07bel \x08bs \x7fdel",
    "\u202eevil\u202c \u2066isolate\u2069",
    "שלום עולם",
    "مرحبا بالعالم",
    "🧑‍🤝‍🧑 👍🏽 🇬🇧",
    "line one\nline two\r\n\ttabbed",
    "x" * 10_000,
]


def hostile_plan():
    """The small plan with a hostile value in every text field a user or a file can fill."""
    document = mini_plan()
    texts = iter(HOSTILE * 8)
    document.title, document.organisation, document.phase, document.foreword = (next(texts) for _ in range(4))
    for theme in document.themes:
        theme.title, theme.aim = next(texts), next(texts)
        for area in theme.areas:
            area.title, area.outcomes = next(texts), next(texts)
            for objective in area.objectives:
                objective.text = next(texts)
                for action in objective.actions:
                    action.title, action.success_measures, action.detailed_plan = (
                        next(texts),
                        next(texts),
                        next(texts),
                    )
                    action.leads = [next(texts), next(texts)]
    for finding in document.findings:
        finding.source, finding.text = next(texts), next(texts)
    document.actions()[-1].milestone = HOSTILE[5]  # an unreadable milestone label, kept as written
    return document
