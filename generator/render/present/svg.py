"""Small inline SVG pictures of present mode: a KPI's sparkline, its trend chart, an initiative's bar.

Each is a plain function of numbers and already-worded labels; every label is
escaped with markupsafe. Sizes are CSS pixels of the 1280 x 720 slide, so the
text in them is never under 16 px on a 720p projector.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence

from markupsafe import Markup

from generator.compute.results import Status
from generator.render.style import style

__all__ = ["sparkline", "trend_chart"]

_INK = "#1f2328"
_MUTED = "#57606a"


def _c(value: float) -> str:
    """A coordinate, rounded so the output is short and stable."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _scale(values: Sequence[float | None], extra: Sequence[float | None] = ()) -> tuple[float, float]:
    known = [v for v in (*values, *extra) if v is not None]
    low, high = min(known), max(known)
    if low == high:
        low, high = low - 1, high + 1
    return low, high


def _points(
    values: Sequence[float | None], x0: float, width: float, y0: float, height: float, low: float, high: float
) -> list[list[tuple[float, float]]]:
    """Runs of known values as points (a gap in the data breaks the line)."""
    step = width / max(len(values) - 1, 1)
    runs: list[list[tuple[float, float]]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            runs.append([])
            continue
        runs[-1].append((x0 + index * step, y0 + height - (value - low) / (high - low) * height))
    return [run for run in runs if run]


def _path(run: list[tuple[float, float]]) -> str:
    return "M" + "L".join(f"{_c(x)} {_c(y)}" for x, y in run)


def sparkline(values: Sequence[float | None], status: Status | None, label: str) -> Markup:
    """A 120 x 32 line of a KPI's latest values, its last point marked in its status colour.

    Args:
        values: the actual values, oldest first (None: no value that period).
        status: the KPI's status (the last point's colour; the word is beside it on the slide).
        label: the accessible name (``Customer satisfaction: rising``).
    """
    if sum(1 for v in values if v is not None) < 2:
        return Markup("")
    low, high = _scale(values)
    runs = _points(values, 4, 112, 4, 24, low, high)
    colour = style(status).stroke if status else _INK
    last = runs[-1][-1]
    lines = "".join(f'<path d="{_path(run)}" fill="none" stroke="{_INK}" stroke-width="2.5"/>' for run in runs)
    return Markup(
        '<svg class="spark" viewBox="0 0 120 32" role="img" aria-label="{}">{}'
        '<circle cx="{}" cy="{}" r="4.5" fill="{}"/></svg>'
    ).format(label, Markup(lines), _c(last[0]), _c(last[1]), colour)


def trend_chart(
    title: str,
    categories: Sequence[str],
    actual: Sequence[float | None],
    goal: Sequence[float | None],
    status: Status,
    caption: str,
    *,
    goal_high: Sequence[float | None] | None = None,
    scale_text: Callable[[Sequence[float]], Sequence[str]] | None = None,
) -> Markup:
    """A KPI's actuals (solid) against its goal (dashed) over its latest periods, 540 x 160.

    The first and last period are written under the axis and the latest value's
    caption under the chart, so the chart is read without its colours.

    Args:
        goal_high: a range KPI's upper goal: the range is then a band between ``goal``
            and it, each edge dashed.
        scale_text: writes values as an axis's labels (``4,400``, ``80 %``); with it, the
            lowest and highest value drawn are written at the left of the plot, so a reader
            sees how far apart they are and the line is not read as steeper than it is.
    """
    width, height, right, top, bottom = 540.0, 160.0, 12.0, 12.0, 32.0
    if not any(v is not None for v in actual):
        return Markup('<p class="muted">No data yet</p>')
    low, high = _scale(actual, [*goal, *(goal_high or ())])
    labels: tuple[str, ...] = ()
    if scale_text:
        low, high = _rounded(low, high)  # labelled ends read as round numbers, not 40.92 %
        labels = tuple(scale_text([high, low]))
    # About 0.62 em a character at 17 px (digits), and a gap before the plot.
    left = max((len(label) for label in labels), default=0) * 10.5 + 10 if labels else 12.0
    inner_w, inner_h = width - left - right, height - top - bottom
    parts = [
        f'<line x1="{_c(left)}" y1="{_c(top + inner_h)}" x2="{_c(width - right)}" y2="{_c(top + inner_h)}" '
        'stroke="#d0d7de" stroke-width="2"/>'
    ]
    if goal_high is not None:
        parts += _band(goal, goal_high, left, inner_w, top, inner_h, low, high)
    for edge in (goal, goal_high or ()):
        for run in _points(edge, left, inner_w, top, inner_h, low, high):
            if len(run) > 1:
                parts.append(
                    f'<path d="{_path(run)}" fill="none" stroke="{_MUTED}" stroke-width="2.5" stroke-dasharray="8 6"/>'
                )
    for run in _points(actual, left, inner_w, top, inner_h, low, high):
        if len(run) > 1:
            parts.append(f'<path d="{_path(run)}" fill="none" stroke="{_INK}" stroke-width="3.5"/>')
        parts += [f'<circle cx="{_c(x)}" cy="{_c(y)}" r="4" fill="{_INK}"/>' for x, y in run]
    runs = _points(actual, left, inner_w, top, inner_h, low, high)
    last = runs[-1][-1]
    parts.append(
        f'<circle cx="{_c(last[0])}" cy="{_c(last[1])}" r="8" fill="{style(status).stroke}" '
        'stroke="#fff" stroke-width="2"/>'
    )
    text = Markup("")
    if categories:
        baseline = _c(height - 10)
        text = Markup(
            '<text x="{}" y="{}" font-size="17" fill="{}">{}</text>'
            '<text x="{}" y="{}" font-size="17" fill="{}" text-anchor="end">{}</text>'
        ).format(_c(left), baseline, _MUTED, categories[0], _c(width - right), baseline, _MUTED, categories[-1])
    for label, y in zip(labels, (top + 6, top + inner_h), strict=False):
        text += Markup('<text x="{}" y="{}" font-size="17" fill="{}" text-anchor="end">{}</text>').format(
            _c(left - 8), _c(y), _MUTED, label
        )
    return Markup('<svg class="trend" viewBox="0 0 {w} {h}" role="img" aria-label="{label}">{body}{text}</svg>').format(
        w=_c(width), h=_c(height), label=f"{title}: {caption}", body=Markup("".join(parts)), text=text
    )


def _rounded(low: float, high: float) -> tuple[float, float]:
    """``low`` and ``high`` widened to multiples of a round step (1, 2, 2.5 or 5 times a power of ten)."""
    rough = (high - low) / 4
    power = 10 ** math.floor(math.log10(rough))
    step = next(s * power for s in (1, 2, 2.5, 5, 10) if s * power >= rough)
    return math.floor(low / step) * step, math.ceil(high / step) * step


def _band(
    low_edge: Sequence[float | None], high_edge: Sequence[float | None],
    x0: float, width: float, y0: float, height: float, low: float, high: float,
) -> list[str]:
    """A range KPI's goal range as a light band, one polygon per run of periods with both edges."""
    both = [a is not None and b is not None for a, b in zip(low_edge, high_edge, strict=True)]
    place = (x0, width, y0, height, low, high)
    bottoms = _points([a if ok else None for a, ok in zip(low_edge, both, strict=True)], *place)
    tops = _points([b if ok else None for b, ok in zip(high_edge, both, strict=True)], *place)
    return [
        f'<path d="{_path(bottom + top[::-1])}Z" fill="{_MUTED}" fill-opacity="0.15" stroke="none"/>'
        for bottom, top in zip(bottoms, tops, strict=True)
        if len(bottom) > 1
    ]


def timeline_bar(
    start: dt.date | None,
    end: dt.date | None,
    axis: tuple[dt.date, dt.date],
    as_of: dt.date | None,
    milestones: Sequence[tuple[dt.date, bool, bool]],
    status: Status | None,
) -> Markup:
    """An initiative's bar on the shared time axis (600 x 28), the as-of day as a line, milestones as diamonds.

    ``milestones`` are ``(due, done, overdue)``; an overdue one is drawn hollow and red,
    and the slide lists it in words too.
    """
    width, height = 600.0, 28.0
    first, last = axis
    days = max((last - first).days, 1)

    def x(day: dt.date) -> float:
        # 12 px of room at both ends, so a milestone's diamond on the first or last day shows whole.
        return 12 + max(0.0, min(1.0, (day - first).days / days)) * (width - 24)

    parts = [f'<rect x="0" y="12" width="{_c(width)}" height="4" fill="#eaeef2"/>']
    if start or end:
        x0, x1 = x(start or first), x(end or last)
        fill = style(status).stroke if status else "#5c6bc0"
        parts.append(f'<rect x="{_c(x0)}" y="6" width="{_c(max(x1 - x0, 4))}" height="16" rx="4" fill="{fill}"/>')
    for due, done, overdue in milestones:
        cx = x(due)
        fill = "#fff" if overdue or not done else _INK
        stroke = "#c62828" if overdue else _INK
        parts.append(
            f'<path d="M{_c(cx)} 3L{_c(cx + 11)} 14L{_c(cx)} 25L{_c(cx - 11)} 14z" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="2.5"/>'
        )
    if as_of:
        parts.append(
            f'<line x1="{_c(x(as_of))}" y1="0" x2="{_c(x(as_of))}" y2="{_c(height)}" stroke="{_INK}" stroke-width="3"/>'
        )
    return Markup('<svg class="bar" viewBox="0 0 {} {}" aria-hidden="true">{}</svg>').format(
        _c(width), _c(height), Markup("".join(parts))
    )
