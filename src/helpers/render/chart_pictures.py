"""The report's charts as PNG pictures for report.docx: the HTML report's SVG charts
(helpers.render.svg_charts) drawn with Pillow, so the Word document and the page show the same chart
from the same code, in a fraction of the time a plotting library takes.

Only the few SVG elements svg_charts writes are understood (rect, line, polyline, circle,
text); anything else raises, so a chart feature added to the SVG cannot silently go missing
from the Word pictures. Text is set in the bundled Noto Sans CJK SC (the `mplfonts` package),
so Chinese renders the same on a fresh machine; a picture with lines or dots is drawn at twice
its size and reduced, which smooths them. Same SVG, same Pillow: same bytes (no metadata).
"""

from __future__ import annotations

import functools
import importlib.util
import io
import itertools
import math
import xml.etree.ElementTree as ET
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from helpers.metrics.report_data import ReportData

FONT_PACKAGE = "mplfonts"
FONT_FILE = "NotoSansCJKsc-Regular.otf"
SVG_NS = "{http://www.w3.org/2000/svg}"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SCALE = 2.0  # picture pixels per SVG px: about 250 dpi across the Word text width
OVERSAMPLE = 2  # drawn this many times larger, then reduced: smooth lines without a renderer
_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}  # left/middle/right, on the baseline
_SMOOTHED = {"line", "polyline", "circle"}


class ChartPictureError(ValueError):
    """The SVG uses something the picture renderer does not draw."""


@functools.cache
def font_path() -> str:
    """Path of the bundled Noto Sans CJK SC font file."""
    # found, not imported: importing mplfonts imports matplotlib (~0.15 s of report.docx's
    # process, which draws no chart with it)
    spec = importlib.util.find_spec(FONT_PACKAGE)
    folders = [] if spec is None else list(spec.submodule_search_locations or [])
    path = next((Path(folder) / "fonts" / FONT_FILE for folder in folders), None)
    if path is None or not path.is_file():
        raise FileNotFoundError(f"{FONT_FILE} not found in the {FONT_PACKAGE} package")
    return str(path)


@functools.lru_cache(maxsize=32)
def _font(size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_path(), size)


def heatmap_png(data: ReportData) -> bytes:
    """The completion heatmap (svg_charts.heatmap_svg) as a PNG picture."""
    from helpers.render.svg_charts import heatmap_svg

    return svg_png(heatmap_svg(data))


def timeline_png(data: ReportData) -> bytes:
    """The progress timeline (svg_charts.timeline_svg) as a PNG picture."""
    from helpers.render.svg_charts import timeline_svg

    return svg_png(timeline_svg(data))


def svg_png(svg: str, scale: float = SCALE) -> bytes:
    """An SVG chart written by helpers.render.svg_charts, drawn as PNG bytes `scale` times its
    size."""
    root = ET.fromstring(svg)
    if root.tag != f"{SVG_NS}svg":
        raise ChartPictureError(f"not an SVG document: <{root.tag}>")
    width, height = float(root.get("width")), float(root.get("height"))
    # lines and dots need the smoothing; rectangles on the pixel grid and text (which
    # FreeType smooths itself) do not, and a chart of only those is drawn at its size
    smoothed = any(element.tag.removeprefix(SVG_NS) in _SMOOTHED for element in root)
    oversample = OVERSAMPLE if smoothed else 1
    k = scale * oversample
    size = (math.ceil(width * scale), math.ceil(height * scale))
    image = Image.new("RGB", (size[0] * oversample, size[1] * oversample), "#FFFFFF")
    draw = ImageDraw.Draw(image)
    for element in root:
        tag = element.tag.removeprefix(SVG_NS)
        drawer = _DRAWERS.get(tag)
        if drawer is None:
            raise ChartPictureError(f"chart picture: <{tag}> is not drawn")
        drawer(draw, element, k)
    if oversample > 1:
        image = image.reduce(oversample)
    buffer = io.BytesIO()
    # Pillow writes no date or software chunk; level 1: a tenth larger, a third faster
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _f(element: ET.Element, name: str, k: float = 1.0) -> float:
    return float(element.get(name)) * k


def _stroke_px(element: ET.Element, k: float) -> int:
    return max(1, round(_f(element, "stroke-width", k)))


def _draw_title(draw: ImageDraw.ImageDraw, element: ET.Element, k: float) -> None:
    """The chart's accessible name: the Word caption says it; nothing to draw."""


def _draw_rect(draw: ImageDraw.ImageDraw, element: ET.Element, k: float) -> None:
    if element.get("width") == "100%":  # the white background the image already has
        return
    x, y = _f(element, "x", k), _f(element, "y", k)
    box = [x, y, x + _f(element, "width", k) - 1, y + _f(element, "height", k) - 1]
    if element.get("stroke"):
        draw.rectangle(box, fill=element.get("fill"), outline=element.get("stroke"),
                       width=_stroke_px(element, k))
    else:
        draw.rectangle(box, fill=element.get("fill"))


def _draw_line(draw: ImageDraw.ImageDraw, element: ET.Element, k: float) -> None:
    points = [(_f(element, "x1", k), _f(element, "y1", k)),
              (_f(element, "x2", k), _f(element, "y2", k))]
    _stroke(draw, element, points, k)


def _draw_polyline(draw: ImageDraw.ImageDraw, element: ET.Element, k: float) -> None:
    if element.get("fill") != "none":
        raise ChartPictureError("chart picture: a filled <polyline> is not drawn")
    points = [tuple(float(v) * k for v in pair.split(","))
              for pair in element.get("points").split()]
    _stroke(draw, element, points, k)


def _draw_circle(draw: ImageDraw.ImageDraw, element: ET.Element, k: float) -> None:
    cx, cy, r = _f(element, "cx", k), _f(element, "cy", k), _f(element, "r", k)
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=element.get("fill"))


def _draw_text(draw: ImageDraw.ImageDraw, element: ET.Element, k: float) -> None:
    size = _f(element, "font-size", k)
    colour = element.get("fill")
    outline: dict = {}
    if element.get("stroke"):  # the white halo (paint-order stroke): half the width outside
        outline = {"stroke_width": round(_f(element, "stroke-width", k) / 2),
                   "stroke_fill": element.get("stroke")}
    elif element.get("font-weight") == "bold":  # the font has one weight: embolden it
        outline = {"stroke_width": max(1, round(size / 28)), "stroke_fill": colour}
    draw.text((_f(element, "x", k), _f(element, "y", k)), element.text or "", font=_font(size),
              fill=colour, anchor=_ANCHORS[element.get("text-anchor", "start")], **outline)


def _stroke(draw: ImageDraw.ImageDraw, element: ET.Element,
            points: list[tuple[float, float]], k: float) -> None:
    width, colour = _stroke_px(element, k), element.get("stroke")
    dashes = element.get("stroke-dasharray")
    if not dashes:
        draw.line(points, fill=colour, width=width, joint="curve")
        return
    on, off = (float(v) * k for v in dashes.split())
    for piece in dash_pieces(points, on, off):
        draw.line(piece, fill=colour, width=width)


def dash_pieces(points: list[tuple[float, float]], on: float,
                off: float) -> list[list[tuple[float, float]]]:
    """The drawn pieces of a dashed path through `points` (dash `on`, gap `off`); as in SVG
    the pattern runs on across the corners."""
    pieces: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    drawing, left = True, on  # in a dash or a gap, and how much of it remains
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        length = math.hypot(x2 - x1, y2 - y1)
        done = 0.0
        if drawing and not current:
            current = [(x1, y1)]
        while length - done > left:
            done += left
            point = (x1 + (x2 - x1) * done / length, y1 + (y2 - y1) * done / length)
            if drawing:
                current.append(point)
                pieces.append(current)
                current = []
            else:
                current = [point]
            drawing = not drawing
            left = on if drawing else off
        left -= length - done
        if drawing:
            current.append((x2, y2))
    if drawing and len(current) > 1:
        pieces.append(current)
    return pieces


_DRAWERS = {"title": _draw_title, "rect": _draw_rect, "line": _draw_line,
            "polyline": _draw_polyline, "circle": _draw_circle, "text": _draw_text}
