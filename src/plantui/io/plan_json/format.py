"""What the reader and the writer of the JSON plan format share: its name, the fields a history
entry can change, the statuses it holds and the years its times can have."""

from __future__ import annotations

from plantui.domain.action_text import TEXT_FIELDS
from plantui.domain.evidence import EVIDENCE_FIELD, IMPACT_FIELD
from plantui.domain.statuses import STATUS_CODES

FORMAT = "plantui-plan/1"
# Version 2 adds measures of impact (`measures`), evidence of impact (history entries with the field
# "evidence") and the impact mark (an action's `impact`, and history entries with the field "impact").
# A plan with none of them is still written as version 1, so its file keeps its bytes and an older
# plantui reads it; one with any is written as version 2, which an older plantui refuses by name
# rather than dropping them without a word.
FORMAT_2 = "plantui-plan/2"
FORMATS = (FORMAT, FORMAT_2)
# An action's texts (title, success measures, detailed plan, leads) joined the status, milestone and
# note as fields a change can name; a file from before them still reads.
HISTORY_FIELDS = ("status", "milestone", "note", *TEXT_FIELDS, EVIDENCE_FIELD, IMPACT_FIELD)
# The fields only version 2 has.
VERSION_2_FIELDS = frozenset({EVIDENCE_FIELD, IMPACT_FIELD})
STATUS_SET = frozenset(STATUS_CODES)

# History and meeting times a plan file may carry (UTC). Each can be shown in local time in any time
# zone and on Windows, whose clock functions refuse moments before 1970 or after 3000 (years 1 and
# 9999 cannot even be shifted by a time zone's offset); every real plan's history lies inside.
FIRST_YEAR, LAST_YEAR = 1970, 2999
