"""The board report's pictures, drawn by our own small code: a stacked bar of the six statuses per
theme and for the whole plan, and the status counts at each of the last boards.

A chart is laid out once as a `Drawing` (rectangles, lines and text in pixels), then written as
inline SVG (`to_svg`) for HTML and PDF, or painted to PNG with Pillow (`plantui.io.reports.raster`)
for Word, so every format shows the same picture. Each segment carries its status letter and count
where it fits, and every bar has its counts written out beside it, so a chart read in black and
white, or by a screen reader (its `<title>` and `<desc>`), says what the colours say.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from plantui.domain.rollup import StatusCounts
from plantui.domain.statuses import STATUSES, Status
from plantui.domain.wording import day_text
from plantui.io.reports.model import BoardReport
from plantui.io.reports.trend import TrendPoint
from plantui.io.reports.words import one_line, point_heading

FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
INK = "#111111"
CHAR_WIDTH = 0.6  # a sans-serif character's width as a share of its size, for fitting labels


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    stroke: str = INK


@dataclass(frozen=True, slots=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = "#777777"


@dataclass(frozen=True, slots=True)
class Text:
    x: float
    y: float  # the baseline
    text: str  # plain text; escaped when written
    size: float = 11
    anchor: str = "start"  # "start", "middle" or "end"
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Drawing:
    width: int
    height: int
    title: str
    description: str
    shapes: tuple[Rect | Line | Text, ...]


def text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def fitted(text: str, size: float, room: float) -> str:
    """`text`, cut with an ellipsis so it fits in `room` pixels."""
    if text_width(text, size) <= room:
        return text
    keep = max(int(room / (size * CHAR_WIDTH)) - 1, 1)
    return text[:keep].rstrip() + "…"


def counts_words(counts: StatusCounts) -> str:
    """`B 9 · G 60 · R 3`: the statuses present, letter and count, in the legend's order."""
    return " · ".join(f"{s.letter} {counts[s.code]}" for s in STATUSES if counts[s.code]) or "no actions"


def _segments(counts: StatusCounts) -> list[tuple[Status, int]]:
    return [(s, counts[s.code]) for s in STATUSES if counts[s.code]]


def status_bars(rows: list[tuple[str, StatusCounts]], title: str) -> Drawing:
    """One 100% stacked bar per row (a theme, or the whole plan last), its label on the left, the
    share on track or complete on the right and every count written beneath."""
    width, label_room, share_room, bar_height, row_height, top = 680, 200, 70, 16, 36, 6
    bar_room = width - label_room - share_room
    shapes: list[Rect | Line | Text] = []
    y = top
    for label, counts in rows:
        shapes.append(Text(0, y + 12, fitted(label, 11, label_room - 8), 11))
        x = float(label_room)
        for status, count in _segments(counts):
            span = bar_room * count / counts.total
            shapes.append(Rect(x, y, span, bar_height, status.colour))
            if text_width(status.letter, 10) + 4 <= span:
                shapes.append(Text(x + span / 2, y + 12, status.letter, 10, "middle", bold=True))
            x += span
        if not counts.total:
            shapes.append(Rect(label_room, y, bar_room, bar_height, "#ffffff"))
        share = counts.share_on_track
        shapes.append(Text(width, y + 12, f"{share:.0%}" if share is not None else "–", 11, "end", bold=True))
        shapes.append(Text(label_room, y + bar_height + 12, counts_words(counts), 9.5))
        y += row_height
    height = int(y + 4)
    description = "; ".join(f"{label}: {counts_words(counts)}" for label, counts in rows)
    return Drawing(width, height, title, description, tuple(shapes))


def status_trend(points: list[tuple[str, str, StatusCounts]], title: str) -> Drawing:
    """The count of each status at each point (a board or a month end; the as-at day last): one strip
    per status, its letter and words on the left, a column per point on one scale for every strip,
    each column's count written above it, and the point's name and day beneath the strips."""
    width, left, strip, tallest, top = 680, 118, 30, 19.0, 4
    highest = max((counts[s.code] for _, _, counts in points for s in STATUSES), default=0) or 1
    step = (width - left) / max(len(points), 1)
    column = min(step * 0.5, 46)
    shapes: list[Rect | Line | Text] = []
    y = top
    for status in STATUSES:
        base = y + strip - 3
        name = status.short if status.letter == status.short else f"{status.letter} {status.short}"
        shapes.append(Text(0, base - 4, name, 10, bold=True))
        shapes.append(Line(left, base, width, base))
        for index, (_, _, counts) in enumerate(points):
            centre = left + step * (index + 0.5)
            count = counts[status.code]
            span = tallest * count / highest
            if count:
                shapes.append(Rect(centre - column / 2, base - span, column, span, status.colour))
            shapes.append(Text(centre + column / 2 + 3, base - 2, str(count), 9.5, bold=True))
        y += strip
    for index, (name, day, _) in enumerate(points):
        centre = left + step * (index + 0.5)
        shapes.append(Text(centre, y + 13, fitted(name, 9, step - 4), 9, "middle"))
        shapes.append(Text(centre, y + 25, day, 9, "middle"))
    description = "; ".join(f"{name} ({day}): {counts_words(counts)}" for name, day, counts in points)
    return Drawing(width, int(y + 32), title, description, tuple(shapes))


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def to_svg(drawing: Drawing, element_id: str) -> str:
    """The drawing as an inline `<svg>` that scales to its box; every text escaped."""
    body = []
    for shape in drawing.shapes:
        if isinstance(shape, Rect):
            body.append(
                f'<rect x="{_number(shape.x)}" y="{_number(shape.y)}" width="{_number(shape.width)}" '
                f'height="{_number(shape.height)}" fill="{shape.fill}" stroke="{shape.stroke}" '
                'stroke-width="0.75"/>'
            )
        elif isinstance(shape, Line):
            body.append(
                f'<line x1="{_number(shape.x1)}" y1="{_number(shape.y1)}" x2="{_number(shape.x2)}" '
                f'y2="{_number(shape.y2)}" stroke="{shape.stroke}" stroke-width="0.75"/>'
            )
        else:
            weight = ' font-weight="700"' if shape.bold else ""
            body.append(
                f'<text x="{_number(shape.x)}" y="{_number(shape.y)}" font-size="{_number(shape.size)}" '
                f'text-anchor="{shape.anchor}"{weight}>{escape(one_line(shape.text))}</text>'
            )
    return (
        f'<svg id="{element_id}" class="chart" role="img" '
        f'viewBox="0 0 {drawing.width} {drawing.height}" width="100%" '
        f'aria-labelledby="{element_id}-title {element_id}-desc" font-family="{FONT}" fill="{INK}">'
        f'<title id="{element_id}-title">{escape(one_line(drawing.title))}</title>'
        f'<desc id="{element_id}-desc">{escape(one_line(drawing.description))}</desc>'
        + "".join(body)
        + "</svg>"
    )


def plan_bars(report: BoardReport) -> Drawing:
    """The report's stacked bars: each theme, then the whole plan."""
    rows = [(f"{t.theme.ref} {one_line(t.theme.title)}", t.theme.counts) for t in report.themes]
    rows.append(("Whole plan", report.plan))
    return status_bars(rows, f"Status of each theme and the whole plan as at {day_text(report.as_at)}")


def trend_drawing(points: tuple[TrendPoint, ...], what: str = "the plan") -> Drawing:
    """The trend chart for `what` (the plan, a theme or an area)."""
    return status_trend(
        [(*point_heading(point), point.counts) for point in points],
        f"Status counts for {what} at the last boards",
    )
