"""Choices that show without colour: an option list whose highlighted option carries a ▶, and a
radio button whose inside is ● when on and empty when off.

Textual marks the highlighted option and the pressed radio button by colour alone, which NO_COLOR
(or a washed-out projector) removes; these keep the choice visible in black and white.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import OptionList, RadioButton

MARK = "▶ "
GUTTER = "  "


class MarkedOptionList(OptionList):
    def _get_left_gutter_width(self) -> int:  # Textual's hook for a gutter (as SelectionList uses)
        return len(MARK)

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            option_index, line_offset = self._lines[self.scroll_offset.y + y]
        except IndexError:
            return strip
        if strip.cell_length >= self.scrollable_content_region.width:
            return strip  # a blank line drawn full width: nothing to mark
        first = option_index == self.highlighted and line_offset == 0
        style = self.get_visual_style("option-list--option").rich_style
        return Strip.join([Strip([Segment(MARK if first else GUTTER, style)]), strip])


class MarkedRadioButton(RadioButton):
    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # read by ToggleButton on each render
        return "●" if self.value else " "
