"""A small inline SVG of one arrow's evidence: the two aligned change series, one above the other's line.

The evidence page shows at most a few dozen arrows, so the chart is a light
hand-written SVG (no matplotlib, no cache): two lines over the effect's
periods, the cause's changes shifted by the lag so that what moved together
sits together. The two KPIs have different units, so each series is scaled
to its own largest change (the shape is what the correlation reads; the
sizes are in the KPI pages). The lines differ by dash and weight, not
only by colour; the words for them are the page's, next to the chart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import escape

from generator.compute.results import ChangePoint

__all__ = ["change_chart"]

WIDTH = 320.0
HEIGHT = 96.0
_PAD = 6.0
# Characters Markdown or a later Jinja pass would act on, written as character references.
_INERT = {c: f"&#{ord(c)};" for c in "*_`[]{}\\"}


def _inert(text: str) -> str:
    return "".join(_INERT.get(c, c) for c in str(escape(text)))


def _scaled(values: Sequence[float]) -> list[float]:
    """Each value divided by the largest size in the series (all zero stays zero)."""
    top = max((abs(v) for v in values), default=0.0) or 1.0
    return [v / top for v in values]


def _polyline(xs: Sequence[float], ys: Sequence[float]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))


def change_chart(changes: Sequence[ChangePoint], label: str) -> str:
    """The two change series of an arrow's best pair as an inline ``<svg>`` (empty without points).

    Args:
        changes: the aligned changes (cause period order), each pointed the good way.
        label: the chart's accessible name (a sentence naming both KPIs); escaped here.

    Returns:
        One ``<svg>`` element on one line, no blank lines (safe in a Markdown raw HTML block).
    """
    points = sorted(changes, key=lambda c: c.cause_period.index)
    if len(points) < 2:
        return ""
    cause = _scaled([p.cause for p in points])
    effect = _scaled([p.effect for p in points])
    step = (WIDTH - 2 * _PAD) / (len(points) - 1)
    xs = [_PAD + i * step for i in range(len(points))]
    mid, half = HEIGHT / 2, HEIGHT / 2 - _PAD

    def ys(values: list[float]) -> list[float]:
        return [mid - v * half if math.isfinite(v) else mid for v in values]

    return (
        f'<svg class="sp-evchart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}" '
        f'width="{WIDTH:.0f}" height="{HEIGHT:.0f}" role="img" aria-label="{_inert(label)}">'
        f'<line class="sp-evchart__zero" x1="0" y1="{mid:.1f}" x2="{WIDTH:.0f}" y2="{mid:.1f}" stroke="#d0d7de"/>'
        # Presentation attributes as a fallback; the portal's CSS sets the colours (and dark mode).
        f'<polyline class="sp-evchart__cause" points="{_polyline(xs, ys(cause))}" fill="none" stroke="#424a53" '
        'stroke-width="2"/>'
        f'<polyline class="sp-evchart__effect" points="{_polyline(xs, ys(effect))}" fill="none" stroke="#0969da" '
        'stroke-width="2" stroke-dasharray="5 3"/>'
        "</svg>"
    )
