"""The report's charts painted to PNG, for Word (python-docx takes PNG or JPEG, not SVG).

It paints the same `charts.Drawing` the SVG is written from, with Pillow, which needs no system
library (its wheels carry FreeType): cairosvg would need cairo, and WeasyPrint draws SVG into PDF
but cannot rasterise. Text uses DejaVu Sans when the system has it (the Debian default, with the
status symbols), else Pillow's own font.
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path

from plantui.io.reports.charts import Drawing, Line, Rect
from plantui.io.reports.words import one_line

SCALE = 3  # pixels per drawing unit: sharp when printed at the width of an A4 page
_FONT_FILES = {
    False: ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",),
    True: ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",),
}


@cache
def _font(size: float, bold: bool):
    from PIL import ImageFont

    pixels = max(round(size * SCALE), 1)
    for name in _FONT_FILES[bold]:
        if Path(name).is_file():
            return ImageFont.truetype(name, pixels)
    return ImageFont.load_default(pixels)


def to_png(drawing: Drawing) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (drawing.width * SCALE, drawing.height * SCALE), "white")
    pen = ImageDraw.Draw(image)
    for shape in drawing.shapes:
        if isinstance(shape, Rect):
            box = [
                shape.x * SCALE,
                shape.y * SCALE,
                (shape.x + shape.width) * SCALE,
                (shape.y + shape.height) * SCALE,
            ]
            if box[3] - box[1] >= 1 and box[2] - box[0] >= 1:
                pen.rectangle(box, fill=shape.fill, outline=shape.stroke, width=2)
        elif isinstance(shape, Line):
            pen.line(
                [shape.x1 * SCALE, shape.y1 * SCALE, shape.x2 * SCALE, shape.y2 * SCALE],
                fill=shape.stroke,
                width=2,
            )
        else:
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[shape.anchor]  # on the baseline, as in SVG
            pen.text(
                (shape.x * SCALE, shape.y * SCALE), one_line(shape.text), fill="#111111",
                font=_font(shape.size, shape.bold), anchor=anchor,
            )  # fmt: skip
    out = BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
