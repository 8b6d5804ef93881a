"""Step 2: bands, rows and boxes, sized to the longest name (measured with real font metrics)."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field

from generator.compute.results import Results
from generator.render import text_metrics as tm
from generator.render.strategy_map.geometry import (
    BAND_PAD,
    BOX_PAD_Y,
    GAP_X,
    INNER_PAD,
    LABEL_LINE_H,
    LABEL_SIZE,
    LABEL_W,
    LINE_H,
    MAX_BOX_W,
    MAX_LINES,
    MAX_PER_ROW,
    MIN_BOX_W,
    NAME_SIZE,
    ROW_GAP,
    STATUS_H,
    TITLE_H,
    WIDTH,
    text_width_for,
)
from generator.render.strategy_map.legend import legend_height
from generator.render.strategy_map.order import links as drive_links
from generator.render.strategy_map.order import order_objectives, row_sizes
from generator.render.strategy_map.route import Arrow, route_arrows

__all__ = ["Band", "Box", "MapLayout", "layout_map"]

log = logging.getLogger(__name__)


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
        if all(tm.fits(n, text_width_for(width), NAME_SIZE, bold=True, max_lines=MAX_LINES) for n in names):
            return cols
    return least


def _box_height(lines: int) -> float:
    return 2 * BOX_PAD_Y + lines * LINE_H + 6 + STATUS_H


_RECENT: list[tuple[Results, str | None, MapLayout]] = []
_RECENT_MOST = 8  # a build asks for the same unit's layout from its pages, present mode and deck


def layout_map(results: Results, *, title: str | None = None) -> MapLayout:
    """Place bands, boxes and arrows for ``results`` (no drawing yet).

    The layout of the same ``results`` object is made once and shared: routing the arrows
    of a large map takes about a second, and pages, present mode and the deck all draw it.
    """
    for known, known_title, layout in _RECENT:
        if known is results and known_title == title:
            return layout
    layout = _layout(results, title)
    _RECENT.append((results, title, layout))
    del _RECENT[:-_RECENT_MOST]
    return layout


def _layout(results: Results, title: str | None) -> MapLayout:
    scorecard = results.scorecard
    pids = [p.id for p in scorecard.perspectives]
    layers = [[o.id for o in scorecard.objectives_in(pid)] for pid in pids]
    stray = [o.id for o in scorecard.objectives if o.perspective not in pids]
    if stray:
        log.warning("map: objectives in no known perspective left out: %s", ", ".join(stray))
    placed = [o for o in scorecard.objectives if o.perspective in pids]
    links = drive_links(placed)
    names = {o.id: o.name for o in placed}
    cols = _choose_columns(list(names.values()), max((len(layer) for layer in layers), default=0))
    layers = order_objectives(layers, links, cols)
    box_w = _box_width(cols)
    wrapped = {
        oid: tm.wrap(n, text_width_for(box_w), NAME_SIZE, bold=True, max_lines=MAX_LINES) for oid, n in names.items()
    }
    lines = max([2, *(len(v) for v in wrapped.values())])
    layout = MapLayout(width=WIDTH, height=0.0, title=title, links=links)
    y = TITLE_H if title else 0.0
    for perspective, layer in zip(scorecard.perspectives, layers, strict=True):
        y = _place_band(layout, perspective.id, perspective.title, layer, wrapped, cols, box_w, _box_height(lines), y)
    layout.legend_y = y
    layout.height = y + legend_height(results)
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
    sizes = row_sizes(len(layer), cols)
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
