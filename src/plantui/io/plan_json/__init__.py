"""The JSON plan format, `plantui-plan/1` (documented in docs/plan-format.md): `reader` reads and
checks a plan file, naming the field at fault; `writer` writes one, byte for byte the same each time;
`format` holds what both share. The names callers use are importable from here.
"""

from plantui.io.plan_json.format import FORMAT
from plantui.io.plan_json.reader import parse_plan, read_plan_file
from plantui.io.plan_json.writer import dumps_plan, plan_to_data

__all__ = ["FORMAT", "dumps_plan", "parse_plan", "plan_to_data", "read_plan_file"]
