"""The strategy map: perspectives as bands, objectives as boxes, ``drives`` as arrows.

:func:`render_map` returns one inline ``<svg>`` element. The work is split in
four steps, each a plain function of the previous one's output:

1. **order** the objectives within each perspective so arrows stay short and
   uncrossed (barycentre sweeps, Sugiyama style; ties keep the written order);
2. **lay out** bands, rows and boxes (box size adapts to the longest name,
   measured with real font metrics in :mod:`.text_metrics`);
3. **route** every arrow as a smooth cubic Bézier, spreading attach points
   along a box edge and threading long arrows through the gaps of the rows
   they cross;
4. **write** the SVG: every user string escaped, ids prefixed per map,
   coordinates rounded, shared styles in one ``<style>`` block.

The output is deterministic: the same results give the same bytes.
"""

from __future__ import annotations

import functools

import logging
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from markupsafe import escape

from generator.compute.results import Results, RollUp, Status
from generator.model import Objective
from generator.render import style as st
from generator.render import text_metrics as tm

__all__ = ["Arrow", "Band", "Box", "MapLayout", "layout_map", "order_objectives", "render_map", "route_arrows"]

log = logging.getLogger(__name__)

# -- geometry (viewBox units; the map is WIDTH wide and scales to the page) -------

WIDTH = 1200.0
LABEL_W = 160.0  # the perspective label column at the left of every band
INNER_PAD = 16.0  # between the label column / right edge and the boxes
GAP_X = 32.0  # least space between two boxes of a row (arrows pass through)
ROW_GAP = 44.0  # between two rows of one band
BAND_PAD = 30.0  # above and below the boxes of a band (arrows curve here)
MAX_PER_ROW = 5  # a band with more objectives wraps to another row
MIN_BOX_W = 170.0
MAX_BOX_W = 260.0
MAX_LINES = 4  # of an objective's name; the last resort is an ellipsis

NAME_SIZE = 15.0  # readable from the back of a town hall at 1920 px
LINE_H = 19.0
STATUS_SIZE = 13.0
STATUS_H = 17.0
BOX_PAD_Y = 10.0
BOX_PAD_L = 18.0  # the theme strip sits in the left padding
BOX_PAD_R = 10.0
STRIP_X = 5.0
STRIP_W = 5.0
RADIUS = 8.0

LABEL_SIZE = 16.0
LABEL_LINE_H = 20.0
TITLE_SIZE = 22.0
TITLE_H = 46.0
LEGEND_SIZE = 14.0
LEGEND_ROW_H = 26.0

ARROW_BEND = 0.45  # control-point distance as a share of an arrow's vertical run
SAME_ROW_ARC = 26.0  # height of the arc between two non-adjacent boxes of a row
SWEEPS = 4

BAND_FILLS = ("#f6f8fa", "#eceff3")
LABEL_FILLS = ("#e7ebf0", "#dde2e8")
ARROW_COLOUR = "#57606a"
FOCUS_COLOUR = "#0b57d0"

_STATUS_CLASS = {Status.ON_TRACK: "on", Status.AT_RISK: "ar", Status.OFF_TRACK: "off", Status.NO_DATA: "nd"}

# Characters that Markdown (emphasis, links, code) or a later Jinja pass would act
# on: written as character references they stay plain text wherever the SVG lands.
_INERT = {c: f"&#{ord(c)};" for c in "*_`[]{}\\"}


# -- public entry point --------------------------------------------------------------


def render_map(
    results: Results,
    href: Callable[[str], str],
    *,
    title: str | None = None,
    theme: str | None = None,
    id_prefix: str | None = None,
    layout: MapLayout | None = None,
) -> str:
    """The strategy map as an inline ``<svg>`` element.

    No XML declaration and no blank lines, so it can sit in Markdown as a raw
    HTML block. Wrap it in a ``<div>`` there all the same: Python-Markdown does
    not treat ``<svg>`` as a block tag (the text stays safe either way, see
    :data:`_INERT`).

    Args:
        results: the computed scorecard.
        href: the link of an objective's page (given its id) relative to the
            page the map lands on.
        title: a heading drawn above the map (also its accessible name).
        theme: a theme id: its objectives and the links between them stay
            bright, the rest is dimmed (for a theme's page).
        id_prefix: prefix of the ids inside the SVG; two maps on one page need
            different prefixes. Default ``sp-map-<organization id>[-<theme>]``.
        layout: the result of ``layout_map(results, title=title)``, when several maps
            of one build (home, map page, theme pages) share it.

    Returns:
        The ``<svg>`` element as text, ending with a newline.
    """
    layout = layout or layout_map(results, title=title)
    prefix = id_prefix or _default_prefix(results, theme)
    return _Writer(results, layout, href, prefix, theme).svg()


# -- step 1: order ---------------------------------------------------------------------


def _links(objectives: Sequence[Objective]) -> list[tuple[str, str]]:
    """Every ``drives`` link (cause, effect) in written order; unknown ids and self links dropped."""
    known = {o.id for o in objectives}
    links = []
    for objective in objectives:
        for effect in objective.drives:
            if effect in known and effect != objective.id and (objective.id, effect) not in links:
                links.append((objective.id, effect))
            else:
                log.debug("map: skipping link %s -> %s", objective.id, effect)
    return links


def _row_sizes(count: int, cols: int) -> list[int]:
    """How many boxes each row of a band holds: balanced, the fuller rows on top."""
    if count == 0:
        return []
    rows = math.ceil(count / cols)
    base, extra = divmod(count, rows)
    return [base + 1 if i < extra else base for i in range(rows)]


def _positions(layers: list[list[str]], cols: int) -> dict[str, tuple[float, int]]:
    """Each objective's x (0..1, its slot centre) and its global row index (0 = top)."""
    positions: dict[str, tuple[float, int]] = {}
    row = 0
    for layer in layers:
        start = 0
        for size in _row_sizes(len(layer), cols):
            for slot, oid in enumerate(layer[start : start + size]):
                positions[oid] = ((slot + 0.5) / size, row)
            start += size
            row += 1
    return positions


def _crossings(segments: list[tuple[float, float, float, float]]) -> int:
    """How many pairs of straight segments cross (shared end points do not count)."""
    count = 0
    for i, a in enumerate(segments):
        for b in segments[i + 1 :]:
            if _segments_cross(a, b):
                count += 1
    return count


def _segments_cross(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    def side(px: float, py: float, qx: float, qy: float, rx: float, ry: float) -> float:
        return (qx - px) * (ry - py) - (qy - py) * (rx - px)

    d1 = side(*a[:2], *a[2:], *b[:2])
    d2 = side(*a[:2], *a[2:], *b[2:])
    d3 = side(*b[:2], *b[2:], *a[:2])
    d4 = side(*b[:2], *b[2:], *a[2:])
    return d1 * d2 < 0 and d3 * d4 < 0


def _cost(layers: list[list[str]], links: list[tuple[str, str]], cols: int) -> tuple[int, float]:
    """Crossings first, then total horizontal run: lower is a tidier map."""
    pos = _positions(layers, cols)
    segments = [(pos[c][0], float(pos[c][1]), pos[e][0], float(pos[e][1])) for c, e in links]
    run = sum(abs(x1 - x2) for x1, _, x2, _ in segments)
    return (_crossings(segments), round(run, 9))


def order_objectives(layers: list[list[str]], links: list[tuple[str, str]], cols: int) -> list[list[str]]:
    """The objectives of each band in the order that keeps arrows short and uncrossed.

    A few barycentre sweeps down and up the bands: each objective moves to the
    mean x of the objectives it is linked to (in other bands). Ties keep the
    written order. Of the written order and every sweep's result, the one with
    the fewest crossings (then the shortest arrows) wins, the earliest on a tie.
    """
    written = {oid: i for i, oid in enumerate(oid for layer in layers for oid in layer)}
    band_of = {oid: b for b, layer in enumerate(layers) for oid in layer}
    neighbours: dict[str, list[str]] = {oid: [] for oid in written}
    for cause, effect in links:
        neighbours[cause].append(effect)
        neighbours[effect].append(cause)
    current = [list(layer) for layer in layers]
    candidates = [[list(layer) for layer in current]]
    for sweep in range(SWEEPS):
        bands = range(len(current)) if sweep % 2 == 0 else range(len(current) - 1, -1, -1)
        for band in bands:
            pos = _positions(current, cols)

            def barycentre(oid: str, band: int = band, pos: dict = pos) -> tuple[float, int]:
                xs = [pos[n][0] for n in neighbours[oid] if band_of[n] != band]
                return (sum(xs) / len(xs) if xs else pos[oid][0], written[oid])

            current[band] = sorted(current[band], key=barycentre)
        candidates.append([list(layer) for layer in current])
    return min(candidates, key=lambda c: _cost(c, links, cols))


# -- step 2: lay out ---------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """An objective's box: its place, its row and its wrapped name."""

    oid: str
    x: float
    y: float
    w: float
    h: float
    row: int
    slot: int
    lines: tuple[str, ...]
    band: int

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass(frozen=True)
class Band:
    """A perspective's band across the map."""

    pid: str
    y: float
    h: float
    label: tuple[str, ...]
    count: int
    label_size: float = LABEL_SIZE


@dataclass
class MapLayout:
    """Where everything goes; :func:`layout_map` makes it, the writer draws it."""

    width: float
    height: float
    title: str | None
    bands: list[Band] = field(default_factory=list)
    boxes: dict[str, Box] = field(default_factory=dict)
    rows: list[list[Box]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    legend_y: float = 0.0

    @functools.cached_property
    def arrows(self) -> list[Arrow]:
        """The routed arrows (routing is the costly step: done once, shared by every map drawn)."""
        return route_arrows(self)


def _label_size(name: str) -> float:
    """The largest perspective-label size, down to 12 px, at which no word must be cut
    ("Organisational" rather than "Organisation-al")."""
    words = tm.clean(name).split(" ")
    for size in (LABEL_SIZE, 15.0, 14.0, 13.0):
        if all(tm.text_width(word, size, bold=True) <= LABEL_W - 24 for word in words):
            return size
    return 12.0


def _text_width_for(box_w: float) -> float:
    return box_w - BOX_PAD_L - BOX_PAD_R


def _box_width(cols: int) -> float:
    inner = WIDTH - LABEL_W - 2 * INNER_PAD
    return min(MAX_BOX_W, (inner - (cols - 1) * GAP_X) / cols)


def _choose_columns(names: list[str], widest_band: int) -> int:
    """The most boxes per row whose width still fits every name in :data:`MAX_LINES` lines."""
    most = max(1, min(MAX_PER_ROW, widest_band))
    least = min(3, most)
    for cols in range(most, least - 1, -1):
        width = _box_width(cols)
        if width < MIN_BOX_W and cols > least:
            continue
        if all(tm.fits(n, _text_width_for(width), NAME_SIZE, bold=True, max_lines=MAX_LINES) for n in names):
            return cols
    return least


def _box_height(lines: int) -> float:
    return 2 * BOX_PAD_Y + lines * LINE_H + 6 + STATUS_H


def layout_map(results: Results, *, title: str | None = None) -> MapLayout:
    """Place bands, boxes and arrows for ``results`` (no drawing yet)."""
    scorecard = results.scorecard
    pids = [p.id for p in scorecard.perspectives]
    layers = [[o.id for o in scorecard.objectives_in(pid)] for pid in pids]
    stray = [o.id for o in scorecard.objectives if o.perspective not in pids]
    if stray:
        log.warning("map: objectives in no known perspective left out: %s", ", ".join(stray))
    placed = [o for o in scorecard.objectives if o.perspective in pids]
    links = _links(placed)
    names = {o.id: o.name for o in placed}
    cols = _choose_columns(list(names.values()), max((len(layer) for layer in layers), default=0))
    layers = order_objectives(layers, links, cols)
    box_w = _box_width(cols)
    wrapped = {oid: tm.wrap(n, _text_width_for(box_w), NAME_SIZE, bold=True, max_lines=MAX_LINES) for oid, n in names.items()}
    lines = max([2, *(len(v) for v in wrapped.values())])
    layout = MapLayout(width=WIDTH, height=0.0, title=title, links=links)
    y = TITLE_H if title else 0.0
    for perspective, layer in zip(scorecard.perspectives, layers):
        y = _place_band(layout, perspective.id, perspective.title, layer, wrapped, cols, box_w, _box_height(lines), y)
    layout.legend_y = y
    layout.height = y + _legend_height(results)
    return layout


def _place_band(
    layout: MapLayout,
    pid: str,
    name: str,
    layer: list[str],
    wrapped: dict[str, list[str]],
    cols: int,
    box_w: float,
    box_h: float,
    y: float,
) -> float:
    """Add one band and its boxes at ``y``; returns the y of the next band."""
    label_size = _label_size(name)
    label = tuple(tm.wrap(name, LABEL_W - 24, label_size, bold=True, max_lines=3))
    sizes = _row_sizes(len(layer), cols)
    boxes_h = len(sizes) * box_h + max(0, len(sizes) - 1) * ROW_GAP
    label_h = len(label) * LABEL_LINE_H + STATUS_H + 8
    band_h = max(boxes_h + 2 * BAND_PAD, label_h + 2 * BAND_PAD, 96.0)
    layout.bands.append(Band(pid, y, band_h, label, len(layer), label_size))
    row_y = y + (band_h - boxes_h) / 2
    inner_x = LABEL_W + INNER_PAD
    inner_w = WIDTH - LABEL_W - 2 * INNER_PAD
    start = 0
    for size in sizes:
        slot_w = inner_w / size
        row: list[Box] = []
        for slot, oid in enumerate(layer[start : start + size]):
            x = inner_x + slot_w * (slot + 0.5) - box_w / 2
            box = Box(oid, x, row_y, box_w, box_h, len(layout.rows), slot, tuple(wrapped[oid]), len(layout.bands) - 1)
            layout.boxes[oid] = box
            row.append(box)
        layout.rows.append(row)
        start += size
        row_y += box_h + ROW_GAP
    return y + band_h


# -- step 3: route -----------------------------------------------------------------------


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
    arrows = []
    for index, (c, e) in enumerate(layout.links):
        cause, effect = layout.boxes[c], layout.boxes[e]
        kind = _kind(cause, effect)
        start, end = points[(index, "start")], points[(index, "end")]
        if kind in ("up", "down"):
            d = _vertical_path(layout, start, end, cause.row, effect.row, used_gaps)
        elif kind == "side":
            d = _side_path(start, end)
        else:
            d = _arc_path(start, end)
        arrows.append(Arrow(c, e, d, start, end, kind, effect.band > cause.band))
    return arrows


def _vertical_path(
    layout: MapLayout,
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
        hit = [r for r in between if r not in through and _hits_row(layout.rows[r], samples)]
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
    segments = []
    for i, (p0, p1) in enumerate(zip(points, points[1:])):
        if i % 2 == 1:
            segments.append((p0, p0, p1, p1))
            continue
        bend = (abs(p1[1] - p0[1]) * ARROW_BEND) or 20.0
        bend *= 1 if p1[1] > p0[1] else -1
        segments.append((p0, (p0[0], p0[1] + bend), (p1[0], p1[1] - bend), p1))
    return segments


def _path_through(points: list[tuple[float, float]]) -> str:
    """SVG path data of the curve through ``points`` (see :func:`_segments`)."""
    parts = [f"M{_n(points[0][0])} {_n(points[0][1])}"]
    for i, (_, c1, c2, end) in enumerate(_segments(points)):
        if i % 2 == 1:
            parts.append(f"L{_n(end[0])} {_n(end[1])}")
        else:
            parts.append(f"C{_n(c1[0])} {_n(c1[1])} {_n(c2[0])} {_n(c2[1])} {_n(end[0])} {_n(end[1])}")
    return "".join(parts)


def _side_path(start: tuple[float, float], end: tuple[float, float]) -> str:
    """Between neighbours in a row: out of one side, into the facing side."""
    (x0, y0), (x1, y1) = start, end
    mid = (x0 + x1) / 2
    return f"M{_n(x0)} {_n(y0)}C{_n(mid)} {_n(y0)} {_n(mid)} {_n(y1)} {_n(x1)} {_n(y1)}"


def _arc_path(start: tuple[float, float], end: tuple[float, float]) -> str:
    """Between two boxes of a row with boxes between them: an arc over the row."""
    (x0, y0), (x1, y1) = start, end
    lift = SAME_ROW_ARC / 0.75  # a cubic with both controls at -h peaks at 0.75 h
    return f"M{_n(x0)} {_n(y0)}C{_n(x0)} {_n(y0 - lift)} {_n(x1)} {_n(y1 - lift)} {_n(x1)} {_n(y1)}"


_STEPS = 24
_T = np.arange(1, _STEPS + 1) / _STEPS
# Cubic Bernstein weights at each sample t: one matrix product samples a whole segment.
_BERNSTEIN = np.stack([(1 - _T) ** 3, 3 * (1 - _T) ** 2 * _T, 3 * (1 - _T) * _T**2, _T**3], axis=1)


def sample_path(points: list[tuple[float, float]]) -> np.ndarray:
    """Points along the curve :func:`_path_through` draws through ``points``, as an (n, 2) array."""
    segments = [_BERNSTEIN @ np.array(controls, dtype=float) for controls in _segments(points)]
    return np.vstack([np.array([points[0]], dtype=float), *segments])


def _hits_row(row: list[Box], samples: np.ndarray) -> bool:
    """Whether a curve (its :func:`sample_path` points) passes over a box of ``row`` (with a small margin)."""
    margin = 6.0
    x, y = samples[:, 0], samples[:, 1]
    for box in row:
        if np.any((box.x - margin < x) & (x < box.right + margin) & (box.y < y) & (y < box.bottom)):
            return True
    return False


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


# -- step 4: write ----------------------------------------------------------------------


def _n(value: float) -> str:
    """A coordinate, rounded to 0.1 and written short (``12``, ``12.5``)."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _t(text: str) -> str:
    """A user string as SVG text content or attribute value: escaped and inert."""
    return "".join(_INERT.get(c, c) for c in str(escape(tm.clean(text))))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _default_prefix(results: Results, theme: str | None) -> str:
    base = f"sp-map-{results.scorecard.organization.id}"
    return f"{base}-{theme}" if theme else base


def _score_text(rollup: RollUp) -> str:
    return "" if rollup.score is None else f"{rollup.score:.1f}"


def _describe(rollup: RollUp, stale: bool) -> str:
    """``At risk, score 4.2, stale data``: the status said in words."""
    parts = [st.style(rollup.status).label]
    if rollup.score is not None:
        parts.append(f"score {rollup.score:.1f}")
    if stale:
        parts.append("stale data")
    return ", ".join(parts)


_CSS = (
    ".sp-map{{width:100%;height:auto;display:block;font-family:{font}}}"
    ".sp-map text{{font-family:{font}}}"
    ".sp-map .bg{{fill:#fff}}"
    ".sp-map .ttl{{font-size:{title}px;font-weight:700;fill:#1f2328}}"
    ".sp-map .pl{{font-size:{label}px;font-weight:700;fill:#1f2328}}"
    ".sp-map .nm{{font-size:{name}px;font-weight:700}}"
    ".sp-map .st{{font-size:{status}px}}"
    ".sp-map .sc{{font-size:{status}px;font-weight:700}}"
    ".sp-map .lg{{font-size:{legend}px;fill:#1f2328}}"
    ".sp-map .mt{{font-size:{status}px;fill:#57606a;font-style:italic}}"
    ".sp-map .ln{{fill:none;stroke:{arrow};stroke-width:2}}"
    ".sp-map .ln.dn{{stroke-dasharray:6 4}}"
    ".sp-map .ah{{fill:{arrow}}}"
    ".sp-map .bx{{stroke-width:2}}"
    ".sp-map a:hover .bx{{stroke-width:4}}"
    ".sp-map a:focus{{outline:none}}"
    ".sp-map a:focus .bx,.sp-map a:focus-visible .bx{{stroke:{focus};stroke-width:4}}"
    ".sp-map .dim{{opacity:.3}}"
    ".sp-map .stl{{fill:#fff;stroke:#1f2328;stroke-width:1.5;stroke-linecap:round}}"
    # Old data shows from the back of a town hall too: the box's outline is broken.
    ".sp-map .stale .bx{{stroke-dasharray:7 4}}"
    ".sp-map .stale-key{{fill:none;stroke:#1f2328;stroke-width:1.5;stroke-dasharray:3.5 2.5}}"
)


def _status_css() -> str:
    rules = []
    for status, cls in _STATUS_CLASS.items():
        s = st.style(status)
        rules.append(
            f".sp-map .{cls} .bx,.sp-map rect.{cls}{{fill:{s.fill};stroke:{s.stroke}}}"
            f".sp-map .{cls} text{{fill:{s.ink}}}"
            f".sp-map .i-{cls}{{fill:{s.stroke}}}"
        )
    return "".join(rules)


class _Writer:
    """Writes one map's SVG from its layout (a class only to share the map's context)."""

    def __init__(self, results: Results, layout: MapLayout, href: Callable[[str], str], prefix: str, theme: str | None) -> None:
        self.results = results
        self.layout = layout
        self.href = href
        self.prefix = _t(prefix)
        self.theme = theme
        self.scorecard = results.scorecard
        self.theme_index = {t.id: i for i, t in enumerate(self.scorecard.themes)}
        self.stale = {k.kpi.objective for k in results.kpis.values() if k.stale}

    def svg(self) -> str:
        """The whole ``<svg>`` element."""
        w, h = _n(self.layout.width), _n(self.layout.height)
        p = self.prefix
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="sp-map" id="{p}" viewBox="0 0 {w} {h}" '
            f'width="100%" role="group" aria-labelledby="{p}-t {p}-d">',
            f'<title id="{p}-t">{_t(self._title())}</title>',
            f'<desc id="{p}-d">{_t(self._desc())}</desc>',
            "<style>" + _CSS.format(
                font=tm.FONT_STACK, title=_n(TITLE_SIZE), label=_n(LABEL_SIZE), name=_n(NAME_SIZE),
                status=_n(STATUS_SIZE), legend=_n(LEGEND_SIZE), arrow=ARROW_COLOUR, focus=FOCUS_COLOUR,
            ) + _status_css() + "</style>",
            "<defs>"
            f'<marker id="{p}-ah" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="11" markerHeight="11" '
            'markerUnits="userSpaceOnUse" orient="auto"><path class="ah" d="M0 0L10 5L0 10z"/></marker>'
            "</defs>",
            f'<rect class="bg" width="{w}" height="{h}" rx="10"/>',
        ]
        if self.layout.title:
            parts.append(f'<text class="ttl" x="16" y="31">{_t(tm.truncate(self.layout.title, WIDTH - 32, TITLE_SIZE, bold=True))}</text>')
        parts += self._bands()
        parts += self._arrows()
        parts += self._boxes()
        parts += self._legend()
        parts.append("</svg>")
        return "\n".join(parts) + "\n"

    # -- words -------------------------------------------------------------------

    def _title(self) -> str:
        if self.layout.title:
            return self.layout.title
        return f"Strategy map of {self.scorecard.organization.name}"

    def _desc(self) -> str:
        """A summary for screen readers: the boxes themselves are links with their own names."""
        count = len(self.layout.boxes)
        bands = ", ".join(p.title for p in self.scorecard.perspectives)
        text = (
            f"{_plural(count, 'objective')} in {_plural(len(self.layout.bands), 'perspective')} "
            f"from top to bottom: {bands}. {_plural(len(self.layout.links), 'arrow')} from cause to effect."
        )
        if self.theme is not None and self.theme in self.theme_index:
            text += f" Objectives of the theme {self.scorecard.themes[self.theme_index[self.theme]].title} are highlighted."
        return text

    # -- bands -------------------------------------------------------------------

    def _bands(self) -> list[str]:
        out = ["<g>"]
        for i, band in enumerate(self.layout.bands):
            perspective = next(p for p in self.scorecard.perspectives if p.id == band.pid)
            rollup = self.results.perspectives.get(band.pid, RollUp(band.pid, None, Status.NO_DATA))
            y, h = _n(band.y), _n(band.h)
            out.append(f'<rect class="bd" data-id="{_t(band.pid)}" x="0" y="{y}" width="{_n(WIDTH)}" height="{h}" fill="{BAND_FILLS[i % 2]}"/>')
            out.append(f'<rect x="0" y="{y}" width="{_n(LABEL_W)}" height="{h}" fill="{LABEL_FILLS[i % 2]}"/>')
            # A theme's map shows the whole organisation: the perspective's own status would
            # read as the theme's, so there the band names only the perspective.
            scored = self.theme is None
            summary = f": {_describe(rollup, False)}" if scored else ""
            out.append(f"<g><title>{_t(perspective.title)}{_t(summary)}</title>")
            text_h = len(band.label) * LABEL_LINE_H + (4 + STATUS_H if scored else 0)
            top = band.y + (band.h - text_h) / 2
            size = "" if band.label_size == LABEL_SIZE else f' style="font-size:{_n(band.label_size)}px"'
            for j, line in enumerate(band.label):
                out.append(f'<text class="pl" x="14" y="{_n(top + j * LABEL_LINE_H + 15)}"{size}>{_t(line)}</text>')
            if scored:
                status_y = top + len(band.label) * LABEL_LINE_H + 4 + 13
                out.append(self._status_line(rollup, 14, status_y, stale=False, width=LABEL_W - 24))
            out.append("</g>")
            if band.count == 0:
                out.append(f'<text class="mt" x="{_n(LABEL_W + INNER_PAD)}" y="{_n(band.y + band.h / 2 + 5)}">No objectives in this perspective</text>')
        out.append("</g>")
        return out

    def _status_line(self, rollup: RollUp, x: float, y: float, *, stale: bool, width: float) -> str:
        """``▲ At risk`` at the left; the stale clock and ``4.2`` at the right of ``width``."""
        s = st.style(rollup.status)
        cls = _STATUS_CLASS[rollup.status]
        out = f'<text class="st" x="{_n(x)}" y="{_n(y)}"><tspan class="i-{cls}">{s.icon}</tspan> {_t(s.label)}</text>'
        score = _score_text(rollup)
        right = x + width
        if score:
            out += f'<text class="sc" x="{_n(right)}" y="{_n(y)}" text-anchor="end">{score}</text>'
            right -= tm.text_width(score, STATUS_SIZE, bold=True) + 4
        if stale:
            out += _stale_icon(right - 6, y - 4.5)
        return out

    # -- arrows ------------------------------------------------------------------

    def _arrows(self) -> list[str]:
        out = ['<g class="lns">']
        for arrow in self.layout.arrows:
            classes = "ln dn" if arrow.against_flow else "ln"
            if self._dimmed(arrow.cause) or self._dimmed(arrow.effect):
                classes += " dim"
            out.append(
                f'<path class="{classes}" data-from="{_t(arrow.cause)}" data-to="{_t(arrow.effect)}" '
                f'd="{arrow.d}" marker-end="url(#{self.prefix}-ah)"/>'
            )
        out.append("</g>")
        return out

    def _dimmed(self, oid: str) -> bool:
        return self.theme is not None and self.theme not in self.scorecard.objective(oid).themes

    # -- boxes -------------------------------------------------------------------

    def _boxes(self) -> list[str]:
        out = ['<g class="objs">']
        for row in self.layout.rows:
            for box in row:
                out += self._box(box)
        out.append("</g>")
        return out

    def _box(self, box: Box) -> list[str]:
        objective = self.scorecard.objective(box.oid)
        rollup = self.results.objectives.get(box.oid, RollUp(box.oid, None, Status.NO_DATA))
        stale = box.oid in self.stale
        classes = _STATUS_CLASS[rollup.status] + (" stale" if stale else "") + (" dim" if self._dimmed(box.oid) else "")
        out = [
            f'<a href="{_t(self.href(box.oid))}" class="{classes}" data-id="{_t(box.oid)}">',
            f"<title>{_t(objective.name)} \u2014 {_t(_describe(rollup, stale))}</title>",
            f'<rect class="bx" x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.w)}" height="{_n(box.h)}" rx="{_n(RADIUS)}"/>',
        ]
        out += self._theme_strip(box, objective)
        name_h = len(box.lines) * LINE_H
        room = box.h - 2 * BOX_PAD_Y - STATUS_H - 6
        top = box.y + BOX_PAD_Y + (room - name_h) / 2
        text_x = box.x + BOX_PAD_L
        for i, line in enumerate(box.lines):
            out.append(f'<text class="nm" x="{_n(text_x)}" y="{_n(top + i * LINE_H + 15)}">{_t(line)}</text>')
        status_y = box.bottom - BOX_PAD_Y - 4
        out.append(self._status_line(rollup, text_x, status_y, stale=stale, width=_text_width_for(box.w)))
        out.append("</a>")
        return out

    def _theme_strip(self, box: Box, objective: Objective) -> list[str]:
        """A thin strip at the left of the box, one segment per theme, in theme order."""
        themes = sorted((self.theme_index[t] for t in objective.themes if t in self.theme_index))
        if not themes:
            return []
        top, height = box.y + RADIUS, box.h - 2 * RADIUS
        seg = height / len(themes)
        return [
            f'<rect x="{_n(box.x + STRIP_X)}" y="{_n(top + i * seg)}" width="{_n(STRIP_W)}" '
            f'height="{_n(seg - (1 if len(themes) > 1 else 0))}" fill="{st.theme_colour(index)}"/>'
            for i, index in enumerate(themes)
        ]

    # -- legend ------------------------------------------------------------------

    def _legend(self) -> list[str]:
        items = _legend_items(self.results)
        out = ['<g class="lgd">']
        for kind, payload, text, x, y in _flow(items, self.layout.legend_y):
            out.append(_legend_mark(kind, payload, x, y, self.prefix))
            weight = ' font-weight="700"' if kind == "theme" and payload[1] == self.theme else ""
            out.append(f'<text class="lg" x="{_n(x + 22)}" y="{_n(y + 5)}"{weight}>{_t(text)}</text>')
        out.append("</g>")
        return out


# -- legend layout (shared by the height computation and the writer) ------------------

_LEGEND_MARK_W = 22.0
_LEGEND_GAP = 22.0
_LEGEND_TEXT_MAX = 300.0


def _legend_items(results: Results) -> list[tuple[str, tuple, str]]:
    """(kind, payload, text) of every legend entry: statuses, stale, arrows, then themes."""
    items: list[tuple[str, tuple, str]] = [
        ("status", (status,), st.style(status).label) for status in _STATUS_CLASS
    ]
    items.append(("stale", (), "Stale data"))
    items.append(("arrow", (), "Drives (cause \u2192 effect)"))
    for i, theme in enumerate(results.scorecard.themes):
        items.append(("theme", (i, theme.id), tm.truncate(theme.title, _LEGEND_TEXT_MAX, LEGEND_SIZE)))
    return items


def _flow(items: Iterable[tuple[str, tuple, str]], top: float) -> list[tuple[str, tuple, str, float, float]]:
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


def _legend_height(results: Results) -> float:
    placed = _flow(_legend_items(results), 0.0)
    return (placed[-1][4] if placed else 0.0) + 20.0


def _stale_icon(cx: float, cy: float) -> str:
    """A small stopwatch drawn with shapes: unlike the emoji, it needs no font to show."""
    return (
        f'<g class="stl"><circle cx="{_n(cx)}" cy="{_n(cy + 0.5)}" r="5.5"/>'
        f'<path d="M{_n(cx)} {_n(cy - 7)}V{_n(cy - 5)}M{_n(cx)} {_n(cy + 0.5)}V{_n(cy - 2.5)}M{_n(cx)} {_n(cy + 0.5)}H{_n(cx + 2.5)}"/></g>'
    )


def _legend_mark(kind: str, payload: tuple, x: float, y: float, prefix: str) -> str:
    """The little picture before a legend entry's words."""
    if kind == "status":
        status = payload[0]
        cls = _STATUS_CLASS[status]
        return (
            f'<rect class="{cls}" x="{_n(x)}" y="{_n(y - 8)}" width="16" height="16" rx="3" stroke-width="1.5"/>'
            f'<text class="st i-{cls}" x="{_n(x + 8)}" y="{_n(y + 4.5)}" text-anchor="middle">{st.style(status).icon}</text>'
        )
    if kind == "stale":
        return f'<rect class="stale-key" x="{_n(x - 1)}" y="{_n(y - 9.5)}" width="18" height="19" rx="3"/>' + _stale_icon(x + 8, y)
    if kind == "arrow":
        return f'<path class="ln" d="M{_n(x)} {_n(y)}H{_n(x + 17)}" marker-end="url(#{prefix}-ah)"/>'
    return f'<rect x="{_n(x + 2)}" y="{_n(y - 8)}" width="6" height="16" rx="2" fill="{st.theme_colour(payload[0])}"/>'
