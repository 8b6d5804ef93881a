"""The initiatives timeline as native shapes: one bar per initiative on a time axis.

Each row names the initiative and says its reported status and what needs
attention in words; the bar runs from its start to its end date, darker as far
as its progress, with its milestones as diamonds (filled when done). A dashed
line marks the as-of date.
"""

from __future__ import annotations

import datetime as dt

from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Inches

from generator.render.deck import draw as d
from generator.render.numbers import format_date, format_number
from generator.render.slides.model import TimelineContent, TimelineRow
from generator.render.style import style

__all__ = ["timeline"]

LABEL_W = 4.3
ROW_H = 0.66
BAR_H = 0.3
NEUTRAL = ("#eef1f4", "#57606a")  # done, not started, not reported: no computed status to colour by


def timeline(slide, content: TimelineContent, top: float) -> float:
    """Draw the timeline from ``top`` (inches); returns the y below it."""
    x0 = d.MARGIN + LABEL_W + 0.2
    x1 = d.SLIDE_W - d.MARGIN - 0.75  # room for the progress label after the last bar
    span = max((content.end - content.start).days, 1)

    def at(day: dt.date) -> float:
        return x0 + (x1 - x0) * (day - content.start).days / span

    axis_y = top + 0.35
    edges = [day for day, _ in content.ticks] + [content.end]
    for (day, label), following in zip(content.ticks, edges[1:], strict=True):
        middle = (at(day) + at(following)) / 2  # a label names the span after its tick
        d.text_box(slide, middle - 0.6, top, 1.2, 0.32, [label], size=13, colour=d.MUTED, space_after=0,
                   align=PP_ALIGN.CENTER)
        tick = d.rectangle(slide, at(day), axis_y, 0.01, ROW_H * len(content.rows) + 0.05, d.RULE)
        tick.name = f"Tick: {label}"
    rows_top = axis_y + 0.08
    for index, row in enumerate(content.rows):
        _row(slide, row, rows_top + index * ROW_H, at)
    bottom = rows_top + ROW_H * len(content.rows)
    if content.as_of is not None:
        x = at(content.as_of)
        line = d.rectangle(slide, x - 0.01, axis_y - 0.05, 0.02, bottom - axis_y + 0.1, d.ACCENT)
        line.name = "As of"
        d.text_box(slide, x - 1.5, bottom + 0.04, 3.0, 0.3, [f"as of {format_date(content.as_of)}"], size=13,
                   colour=d.ACCENT, align=PP_ALIGN.CENTER, space_after=0)
    return bottom + 0.4


def _row(slide, row: TimelineRow, y: float, at) -> None:
    words = row.status_text + (f" \u00b7 {row.flags}" if row.flags else "")
    d.text_box(
        slide, d.MARGIN, y, LABEL_W, ROW_H,
        [[(row.name, {"bold": True, "size": 15})], [(words, {"size": 13, "colour": d.INK, "bold": bool(row.flags)})]],
        size=15, space_after=0, anchor=MSO_ANCHOR.MIDDLE,
    )
    fill, stroke = (style(row.status).fill, style(row.status).stroke) if row.status else NEUTRAL
    start, end = row.start or row.end, row.end or row.start
    if start is None or end is None:
        return
    bar_y = y + (ROW_H - BAR_H) / 2
    left, right = at(start), max(at(end), at(start) + 0.06)
    bar = d.rectangle(slide, left, bar_y, right - left, BAR_H, fill, stroke)
    bar.name = f"Initiative: {row.name}"
    if row.progress:
        done = d.rectangle(slide, left, bar_y, (right - left) * min(row.progress, 100) / 100, BAR_H, stroke)
        done.name = f"Progress: {format_number(row.progress)} %"
    if row.progress is not None:
        d.text_box(slide, right + 0.05, bar_y - 0.02, 0.9, BAR_H + 0.04, [f"{format_number(row.progress)} %"], size=13,
                   space_after=0, anchor=MSO_ANCHOR.MIDDLE)
    for milestone in row.milestones:
        size = 0.2
        mark = slide.shapes.add_shape(MSO_SHAPE.DIAMOND, Inches(at(milestone.due) - size / 2),
                                      Inches(bar_y + BAR_H - size / 2), Inches(size), Inches(size))
        colour = "#c62828" if milestone.overdue else d.INK
        d.fill(mark, colour if milestone.done or milestone.overdue else "#ffffff", colour, 1.25)
        state = "done" if milestone.done else "overdue" if milestone.overdue else "open"
        mark.name = f"Milestone ({state}): {milestone.name}"
