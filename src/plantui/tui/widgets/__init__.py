"""Widgets of the workbench, each reusable by the screens that need it."""

from plantui.tui.lazy_exports import lazy_exports

_OWNERS = {
    "ActionDetail": "action_detail",
    "ActionTable": "action_table",
    "FilterBox": "filter_box",
    "LineCursor": "line_cursor",
    "MarkedOptionList": "marked_list",
    "MarkedRadioButton": "marked_list",
    "MeasureTable": "measure_table",
    "OneLine": "plan_header",
    "PlanFooter": "plan_footer",
    "PlanHeader": "plan_header",
    "PlanTree": "plan_tree",
    "TotalsLine": "plan_header",
}
__all__ = sorted(_OWNERS)
__getattr__ = lazy_exports(__name__, _OWNERS)
