"""Step 3: every arrow as a smooth cubic Bezier, threaded through the gaps of the rows it crosses.

Attach points are spread along a box edge, ordered by where each arrow goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np

from generator.render.strategy_map.geometry import ARROW_BEND, LABEL_W, RADIUS, SAME_ROW_ARC, WIDTH, coord

if TYPE_CHECKING:
    from generator.render.strategy_map.layout import Box, MapLayout

__all__ = ["Arrow", "route_arrows", "sample_path"]


@dataclass(frozen=True)
class Arrow:
    """One drawn link: its SVG path data, its two ends and its kind."""

    cause: str
    effect: str
    d: str
    start: tuple[float, float]
    end: tuple[float, float]
    kind: str  # up, down, side, arc
    against_flow: bool  # the effect sits in a lower perspective than its cause (lint warns)


def _kind(cause: Box, effect: Box) -> str:
    if effect.row < cause.row:
        return "up"
    if effect.row > cause.row:
        return "down"
    return "side" if abs(effect.slot - cause.slot) == 1 else "arc"


def _edges(kind: str, cause: Box, effect: Box) -> tuple[str, str]:
    """The edge of the cause the arrow leaves from and the edge of the effect it reaches."""
    if kind == "up":
        return "top", "bottom"
    if kind == "down":
        return "bottom", "top"
    if kind == "arc":
        return "top", "top"
    return ("right", "left") if effect.x > cause.x else ("left", "right")


def _attach_points(layout: MapLayout) -> dict[tuple[int, str], tuple[float, float]]:
    """Where each arrow meets each box: spread along the edge, ordered by where the arrow goes.

    Keyed by (link index, "start" | "end").
    """
    requests: dict[tuple[str, str], list[tuple[float, int, str]]] = {}
    for index, (c, e) in enumerate(layout.links):
        cause, effect = layout.boxes[c], layout.boxes[e]
        kind = _kind(cause, effect)
        out_edge, in_edge = _edges(kind, cause, effect)
        horizontal = out_edge in ("top", "bottom")
        requests.setdefault((c, out_edge), []).append((effect.cx if horizontal else effect.y, index, "start"))
        requests.setdefault((e, in_edge), []).append((cause.cx if horizontal else cause.y, index, "end"))
    points: dict[tuple[int, str], tuple[float, float]] = {}
    for (oid, edge), wanted in sorted(requests.items()):
        box = layout.boxes[oid]
        wanted.sort()
        for i, (_, index, end) in enumerate(wanted):
            share = (i + 1) / (len(wanted) + 1)
            points[(index, end)] = _point_on_edge(box, edge, share)
    return points


def _point_on_edge(box: Box, edge: str, share: float) -> tuple[float, float]:
    """A point ``share`` of the way along an edge, kept clear of the rounded corners."""
    if edge in ("top", "bottom"):
        x = box.x + RADIUS + (box.w - 2 * RADIUS) * share
        return (x, box.y if edge == "top" else box.bottom)
    y = box.y + RADIUS + (box.h - 2 * RADIUS) * share
    return (box.x if edge == "left" else box.right, y)


def route_arrows(layout: MapLayout) -> list[Arrow]:
    """Every link as a smooth path from the cause's edge to the effect's edge."""
    points = _attach_points(layout)
    used_gaps: dict[tuple[int, int], int] = {}
    boxes = _RowBoxes(layout.rows)
    arrows = []
    for index, (c, e) in enumerate(layout.links):
        cause, effect = layout.boxes[c], layout.boxes[e]
        kind = _kind(cause, effect)
        start, end = points[(index, "start")], points[(index, "end")]
        if kind in ("up", "down"):
            d = _vertical_path(layout, boxes, start, end, cause.row, effect.row, used_gaps)
        elif kind == "side":
            d = _side_path(start, end)
        else:
            d = _arc_path(start, end)
        arrows.append(Arrow(c, e, d, start, end, kind, effect.band > cause.band))
    return arrows


def _vertical_path(
    layout: MapLayout,
    boxes: _RowBoxes,
    start: tuple[float, float],
    end: tuple[float, float],
    from_row: int,
    to_row: int,
    used_gaps: dict[tuple[int, int], int],
) -> str:
    """An up or down arrow; through the gap of any row between its ends that it would hit."""
    step = -1 if to_row < from_row else 1
    between = list(range(from_row + step, to_row, step))
    through: dict[int, float] = {}
    for _ in range(len(between) + 1):
        points = _waypoints(layout, start, end, through, step)
        samples = sample_path(points)
        crossed = boxes.rows_hit(samples, between)
        hit = [r for r in between if r not in through and r in crossed]
        if not hit:
            return _path_through(points)
        row = hit[0]
        through[row] = _gap_x(layout, row, _x_at(samples, _row_mid(layout.rows[row])), used_gaps)
    return _path_through(_waypoints(layout, start, end, through, step))


def _row_mid(row: list[Box]) -> float:
    return row[0].y + row[0].h / 2


def _waypoints(
    layout: MapLayout, start: tuple[float, float], end: tuple[float, float], through: dict[int, float], step: int
) -> list[tuple[float, float]]:
    """Start, a vertical pass through each row's chosen gap (in travel order), end."""
    points = [start]
    for row in sorted(through, reverse=step < 0):
        top, bottom = layout.rows[row][0].y, layout.rows[row][0].bottom
        x = through[row]
        points += [(x, bottom), (x, top)] if step < 0 else [(x, top), (x, bottom)]
    points.append(end)
    return points


def _segments(points: list[tuple[float, float]]) -> list[tuple[tuple[float, float], ...]]:
    """The cubic segments of a curve through ``points``, each as its four control points.

    Every other segment (the second, the fourth, ...) is the straight pass
    through a row's gap; the others bend with vertical tangents at both ends,
    so the joins are smooth.
    """
    segments: list[tuple[tuple[float, float], ...]] = []
    for i, (p0, p1) in enumerate(pairwise(points)):
        if i % 2 == 1:
            segments.append((p0, p0, p1, p1))
            continue
        bend = (abs(p1[1] - p0[1]) * ARROW_BEND) or 20.0
        bend *= 1 if p1[1] > p0[1] else -1
        segments.append((p0, (p0[0], p0[1] + bend), (p1[0], p1[1] - bend), p1))
    return segments


def _path_through(points: list[tuple[float, float]]) -> str:
    """SVG path data of the curve through ``points`` (see :func:`_segments`)."""
    parts = [f"M{coord(points[0][0])} {coord(points[0][1])}"]
    for i, (_, c1, c2, end) in enumerate(_segments(points)):
        if i % 2 == 1:
            parts.append(f"L{coord(end[0])} {coord(end[1])}")
        else:
            parts.append(
                f"C{coord(c1[0])} {coord(c1[1])} {coord(c2[0])} {coord(c2[1])} {coord(end[0])} {coord(end[1])}"
            )
    return "".join(parts)


def _side_path(start: tuple[float, float], end: tuple[float, float]) -> str:
    """Between neighbours in a row: out of one side, into the facing side."""
    (x0, y0), (x1, y1) = start, end
    mid = (x0 + x1) / 2
    return f"M{coord(x0)} {coord(y0)}C{coord(mid)} {coord(y0)} {coord(mid)} {coord(y1)} {coord(x1)} {coord(y1)}"


def _arc_path(start: tuple[float, float], end: tuple[float, float]) -> str:
    """Between two boxes of a row with boxes between them: an arc over the row."""
    (x0, y0), (x1, y1) = start, end
    lift = SAME_ROW_ARC / 0.75  # a cubic with both controls at -h peaks at 0.75 h
    return (
        f"M{coord(x0)} {coord(y0)}"
        f"C{coord(x0)} {coord(y0 - lift)} {coord(x1)} {coord(y1 - lift)} {coord(x1)} {coord(y1)}"
    )


_STEPS = 24
_T = np.arange(1, _STEPS + 1) / _STEPS
# Cubic Bernstein weights at each sample t: one matrix product samples a whole segment.
_BERNSTEIN = np.stack([(1 - _T) ** 3, 3 * (1 - _T) ** 2 * _T, 3 * (1 - _T) * _T**2, _T**3], axis=1)


def sample_path(points: list[tuple[float, float]]) -> np.ndarray:
    """Points along the curve :func:`_path_through` draws through ``points``, as an (n, 2) array."""
    segments = [_BERNSTEIN @ np.array(controls, dtype=float) for controls in _segments(points)]
    return np.vstack([np.array([points[0]], dtype=float), *segments])


_MARGIN = 6.0  # a curve this close beside a box counts as passing over it


class _RowBoxes:
    """Every box of the map as (left - margin, right + margin, top, bottom), row after row.

    Routing asks ~4,000 times which rows a curve crosses on a 250-objective map: one array
    step over the boxes of the rows in between answers it, where a call per row and box
    was most of the map's drawing time.
    """

    def __init__(self, rows: list[list[Box]]) -> None:
        self.bounds = np.array(
            [(box.x - _MARGIN, box.right + _MARGIN, box.y, box.bottom) for row in rows for box in row], dtype=float
        ).reshape(-1, 4)
        self.row_of = np.array([r for r, row in enumerate(rows) for _ in row], dtype=int)
        self.first = np.cumsum([0] + [len(row) for row in rows])  # where each row's boxes start

    def rows_hit(self, samples: np.ndarray, rows: list[int]) -> set[int]:
        """The rows among ``rows`` (consecutive) with a box the curve (its :func:`sample_path` points) passes over."""
        if not rows:
            return set()
        part = slice(int(self.first[min(rows)]), int(self.first[max(rows) + 1]))
        b = self.bounds[part]
        x, y = samples[:, 0], samples[:, 1]
        over = ((b[:, 0:1] < x) & (x < b[:, 1:2]) & (b[:, 2:3] < y) & (y < b[:, 3:4])).any(axis=1)
        return set(self.row_of[part][over].tolist())


def _x_at(samples: np.ndarray, y: float) -> float:
    """Where a curve (its :func:`sample_path` points) is at height ``y`` (nearest sample)."""
    return float(samples[int(np.argmin(np.abs(samples[:, 1] - y))), 0])


def _gap_x(layout: MapLayout, row: int, want: float, used: dict[tuple[int, int], int]) -> float:
    """The x of the gap in ``row`` nearest ``want``; arrows sharing a gap are fanned out."""
    boxes = layout.rows[row]
    left, right = LABEL_W + 4, WIDTH - 4
    edges = [left, *(v for b in boxes for v in (b.x, b.right)), right]
    gaps = [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2)]
    index, (a, b) = min(enumerate(gaps), key=lambda g: (abs((g[1][0] + g[1][1]) / 2 - want), g[0]))
    count = used.get((row, index), 0)
    used[(row, index)] = count + 1
    spread = min(8.0, (b - a) / 6)
    offset = spread * ((count + 1) // 2) * (1 if count % 2 else -1)
    return (a + b) / 2 + offset
