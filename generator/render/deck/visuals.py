"""The deck's pictures as native PowerPoint objects: the strategy map and the charts.

The map is one rounded rectangle per objective, placed from the site's map
layout (:func:`generator.render.strategy_map.layout_map`), on bands per
perspective, joined by connectors glued to the boxes (cause -> effect, with
arrow heads), so a presenter can move a box and the arrows follow. Charts are
native chart objects with their data in the embedded workbook, editable in
PowerPoint.
"""

from __future__ import annotations

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_CONNECTOR
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from generator.render.deck import dml
from generator.render.deck import draw as d
from generator.render.slides.model import KpiChart, MapBox, MapContent, ScoreBar
from generator.render.slides.words import status_score, style_label
from generator.render.strategy_map.geometry import BAND_FILLS, LABEL_FILLS, LABEL_W
from generator.render.style import STALE_ICON, style

__all__ = ["score_chart", "kpi_chart", "strategy_map"]

_SITE = {"top": 0, "left": 1, "bottom": 2, "right": 3}  # connection sites of a (rounded) rectangle
_EDGES = {"up": ("top", "bottom"), "down": ("bottom", "top"), "arc": ("top", "top")}


# -- the strategy map ------------------------------------------------------------------------


def strategy_map(slide, content: MapContent, x: float, y: float, w: float, h: float) -> None:
    """Bands, objective boxes and cause-and-effect connectors in the box ``(x, y, w, h)`` (inches)."""
    layout = content.layout
    top = layout.bands[0].y if layout.bands else 0.0
    bottom = layout.bands[-1].y + layout.bands[-1].h if layout.bands else 1.0
    sx, sy = w / layout.width, h / max(bottom - top, 1.0)

    def at(px: float, py: float) -> tuple[float, float]:
        return x + px * sx, y + (py - top) * sy

    for index, band in enumerate(layout.bands):
        bx, by = at(0, band.y)
        d.rectangle(slide, bx, by, w, band.h * sy, BAND_FILLS[index % 2]).name = f"Band: {content.bands[band.pid].name}"
        _band_label(slide, content.bands[band.pid], bx, by, LABEL_W * sx, band.h * sy, LABEL_FILLS[index % 2])
    # One size for every name, so no box shouts: the largest at which every name fits its box.
    size = min(
        (
            _name_size(content.boxes[oid].name, _status_text(content.boxes[oid]), b.w * sx - 0.1, b.h * sy - 0.04)
            for oid, b in layout.boxes.items()
        ),
        default=13.0,
    )
    boxes = {}
    for oid, box in layout.boxes.items():
        bx, by = at(box.x, box.y)
        boxes[oid] = _objective_box(slide, content, oid, (bx, by, box.w * sx, box.h * sy), size)
    first_box = min(shape._element.getparent().index(shape._element) for shape in boxes.values()) if boxes else 0
    for arrow in layout.arrows:
        _connector(slide, arrow, boxes, at, first_box)


def _band_label(slide, bar: ScoreBar, x: float, y: float, w: float, h: float, colour: str) -> None:
    shape = d.rectangle(slide, x, y, w, h, colour)
    look = style(bar.status)
    d.shape_text(
        shape,
        [
            [(bar.name, {"bold": True, "size": 15})],
            [(status_score(bar.status, bar.score), {"size": 13, "colour": look.ink, "bold": True})],
        ],
        size=15, colour=d.INK, align=PP_ALIGN.LEFT, margin=0.1,
    )
    shape.name = f"Perspective: {bar.name}"


def _objective_box(slide, content: MapContent, oid: str, place: tuple[float, float, float, float], size: float):
    x, y, w, h = place
    box = content.boxes[oid]
    look = style(box.status)
    shape = d.rectangle(slide, x, y, w, h, look.fill, look.stroke, rounded=True, width=1.75, dashed=box.stale)
    status = _status_text(box)
    d.shape_text(
        shape, [[(box.name, {"bold": True})], [(status, {"size": size - 1, "bold": True})]], size=size,
        colour=look.ink, margin=0.05,
    )
    shape.text_frame.margin_top = shape.text_frame.margin_bottom = Inches(0.02)
    shape.name = f"Objective: {box.name}"
    return shape


def _status_text(box: MapBox) -> str:
    """``✖ Off track: 4 below goal``: the status word, and the gap to goal as the portal's map says it
    ("0.0 of 10" read as "nothing done"); the score where there is no gap to tell."""
    status = f"{style_label(box.status)}: {box.gap}" if box.gap else status_score(box.status, box.score)
    return status + (f"  {STALE_ICON} stale" if box.stale else "")


def _name_size(name: str, status: str, width: float, height: float) -> float:
    """The largest size from 14 pt down to 8 pt at which the wrapped name and status fit the box."""
    for size in (14.0, 13.0, 12.0, 11.0, 10.0, 9.0):
        text_lines = _lines(name, width, size) * size + _lines(status, width, size - 1) * (size - 1)
        if text_lines * 1.15 / 72 <= height:
            return size
    return 8.0  # a map of dozens of objectives: small, but inside its boxes


def _lines(text: str, width: float, size: float) -> int:
    """How many lines ``text`` wraps to in ``width`` inches at ``size`` pt, bold."""
    per_line = max(1, int(width * 72 / (size * 0.62)))  # bold characters per line (DejaVu Sans, wider than Calibri)
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > per_line:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines


def _connector(slide, arrow, boxes, at, first_box: int) -> None:
    cause, effect = boxes[arrow.cause], boxes[arrow.effect]
    start, end = at(*arrow.start), at(*arrow.end)
    kind = MSO_CONNECTOR.ELBOW if arrow.kind == "arc" else MSO_CONNECTOR.STRAIGHT
    line = slide.shapes.add_connector(kind, Inches(start[0]), Inches(start[1]), Inches(end[0]), Inches(end[1]))
    rightwards = arrow.end[0] > arrow.start[0]
    out_edge, in_edge = _EDGES.get(arrow.kind) or (("right", "left") if rightwards else ("left", "right"))
    # Glued to both boxes (move a box and the arrow follows), drawn from the spread points the map uses:
    # the glue written directly, as begin_connect/end_connect would move the ends to the sites' middles.
    glue = line._element.find(qn("p:nvCxnSpPr") + "/" + qn("p:cNvCxnSpPr"))
    etree.SubElement(glue, qn("a:stCxn"), id=str(cause.shape_id), idx=str(_SITE[out_edge]))
    etree.SubElement(glue, qn("a:endCxn"), id=str(effect.shape_id), idx=str(_SITE[in_edge]))
    ln = etree.SubElement(line._element.spPr, qn("a:ln"), w=str(Pt(1.75)))
    dml.solid(ln, d.MUTED)
    etree.SubElement(ln, qn("a:tailEnd"), type="triangle", w="med", len="med")
    line.name = f"Drives: {arrow.cause} -> {arrow.effect}"
    tree = line._element.getparent()
    tree.remove(line._element)
    tree.insert(first_box, line._element)  # under the boxes: a line passing behind a box stays hidden


# -- charts ------------------------------------------------------------------------------------


def score_chart(slide, bars: tuple[ScoreBar, ...], x: float, y: float, w: float, h: float) -> None:
    """A bar chart of scores (0-10), each bar in its status colour, labelled with its score and status word."""
    data = CategoryChartData(number_format="0.0")
    data.categories = [f"{bar.name}  {style_label(bar.status)}" for bar in bars]
    data.add_series("Score (0-10)", [None if bar.score is None else round(bar.score, 1) for bar in bars])
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Inches(x), Inches(y), Inches(w), Inches(h), data)
    frame.name = "Chart: perspective scores"
    chart = frame.chart
    chart.has_legend = False
    chart.font.size = Pt(16)
    chart.font.name = d.FONT
    plot = chart.plots[0]
    plot.gap_width = 60
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format, labels.number_format_is_linked = "0.0", False
    labels.font.size, labels.font.bold = Pt(16), True
    for index, bar in enumerate(bars):
        point = plot.series[0].points[index]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = d.rgb(style(bar.status).stroke)
    values = chart.value_axis
    values.minimum_scale, values.maximum_scale, values.major_unit = 0, 10, 2
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = d.rgb(d.RULE)
    values.tick_labels.font.size = Pt(14)
    categories = chart.category_axis
    categories.reverse_order = True  # top to bottom, as on the map
    categories.tick_labels.font.size = Pt(16)
    categories.format.line.color.rgb = d.rgb(d.RULE)


def kpi_chart(slide, chart_data: KpiChart, x: float, y: float, w: float, h: float) -> None:
    """A KPI's actuals against its goal: a native line chart (actual solid, goal dashed)."""
    data = CategoryChartData(number_format="#,##0.##")
    data.categories = list(chart_data.categories) or ["no data"]
    unit = f" ({chart_data.unit})" if chart_data.unit else ""
    data.add_series(f"Actual{unit}", list(chart_data.actual) or [None])
    if chart_data.goal_high is None:
        data.add_series("Goal", list(chart_data.goal) or [None])
    else:
        data.add_series("Goal range, low", list(chart_data.goal) or [None])
        data.add_series("Goal range, high", list(chart_data.goal_high) or [None])
    frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, Inches(x), Inches(y), Inches(w), Inches(h), data)
    frame.name = f"Chart: {chart_data.title}"
    chart = frame.chart
    chart.font.size = Pt(13)
    chart.font.name = d.FONT
    chart.has_legend = False  # the slide's key says which line is which; the plot keeps the room
    series = list(chart.plots[0].series)
    _line(series[0], d.ACCENT, 2.75, dashed=False, marker=XL_MARKER_STYLE.CIRCLE)
    for goal in series[1:]:
        _line(goal, d.MUTED, 2.0, dashed=True, marker=XL_MARKER_STYLE.NONE)
    values = chart.value_axis
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = d.rgb(d.RULE)
    values.tick_labels.font.size = Pt(13)
    chart.category_axis.tick_labels.font.size = Pt(13)


def _line(series, colour: str, width: float, *, dashed: bool, marker) -> None:
    series.smooth = False
    line = series.format.line
    line.color.rgb = d.rgb(colour)
    line.width = Pt(width)
    if dashed:
        line.dash_style = MSO_LINE_DASH_STYLE.DASH
    series.marker.style = marker
    if marker != XL_MARKER_STYLE.NONE:
        series.marker.size = 7
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = d.rgb(colour)
        series.marker.format.line.color.rgb = d.rgb(colour)
