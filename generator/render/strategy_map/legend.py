"""The map's legend: its entries, laid out in rows (shared by the height computation and the writer)."""

from __future__ import annotations

from collections.abc import Iterable

from generator.compute.results import Results
from generator.render import style as st
from generator.render import text_metrics as tm
from generator.render.strategy_map.geometry import LEGEND_ROW_H, LEGEND_SIZE, STATUS_CLASS, WIDTH, coord

__all__ = ["flow", "legend_height", "legend_items", "legend_mark", "stale_icon"]

_LEGEND_MARK_W = 22.0
_LEGEND_GAP = 22.0
_LEGEND_TEXT_MAX = 300.0


def legend_items(results: Results) -> list[tuple[str, tuple, str]]:
    """(kind, payload, text) of every legend entry: statuses, stale, arrows, then themes."""
    items: list[tuple[str, tuple, str]] = [
        ("status", (status,), st.style(status).label) for status in STATUS_CLASS
    ]
    items.append(("stale", (), "Stale data"))
    items.append(("arrow", (), "Drives (cause \u2192 effect)"))
    for i, theme in enumerate(results.scorecard.themes):
        items.append(("theme", (i, theme.id), tm.truncate(theme.title, _LEGEND_TEXT_MAX, LEGEND_SIZE)))
    return items


def flow(items: Iterable[tuple[str, tuple, str]], top: float) -> list[tuple[str, tuple, str, float, float]]:
    """Legend entries placed left to right, wrapping to a new row at the map's width."""
    placed = []
    x, y = 16.0, top + 24.0
    for kind, payload, text in items:
        w = _LEGEND_MARK_W + tm.text_width(text, LEGEND_SIZE)
        if x > 16.0 and x + w > WIDTH - 16:
            x, y = 16.0, y + LEGEND_ROW_H
        placed.append((kind, payload, text, x, y))
        x += w + _LEGEND_GAP
    return placed


def legend_height(results: Results) -> float:
    placed = flow(legend_items(results), 0.0)
    return (placed[-1][4] if placed else 0.0) + 20.0


def stale_icon(cx: float, cy: float) -> str:
    """A small stopwatch drawn with shapes: unlike the emoji, it needs no font to show."""
    return (
        f'<g class="stl"><circle cx="{coord(cx)}" cy="{coord(cy + 0.5)}" r="5.5"/>'
        f'<path d="M{coord(cx)} {coord(cy - 7)}V{coord(cy - 5)}'
        f"M{coord(cx)} {coord(cy + 0.5)}V{coord(cy - 2.5)}"
        f'M{coord(cx)} {coord(cy + 0.5)}H{coord(cx + 2.5)}"/></g>'
    )


def legend_mark(kind: str, payload: tuple, x: float, y: float, prefix: str) -> str:
    """The little picture before a legend entry's words."""
    if kind == "status":
        status = payload[0]
        cls = STATUS_CLASS[status]
        return (
            f'<rect class="{cls}" x="{coord(x)}" y="{coord(y - 8)}" width="16" height="16" rx="3" stroke-width="1.5"/>'
            f'<text class="st i-{cls}" x="{coord(x + 8)}" y="{coord(y + 4.5)}" text-anchor="middle">'
            f"{st.style(status).icon}</text>"
        )
    if kind == "stale":
        key = f'<rect class="stale-key" x="{coord(x - 1)}" y="{coord(y - 9.5)}" width="18" height="19" rx="3"/>'
        return key + stale_icon(x + 8, y)
    if kind == "arrow":
        return f'<path class="ln" d="M{coord(x)} {coord(y)}H{coord(x + 17)}" marker-end="url(#{prefix}-ah)"/>'
    return (
        f'<rect x="{coord(x + 2)}" y="{coord(y - 8)}" width="6" height="16" rx="2"'
        f' fill="{st.theme_colour(payload[0])}"/>'
    )
