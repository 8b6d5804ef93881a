"""Placing a label on a chart where it covers nothing (matplotlib, display units).

A label tries candidate spots (:class:`Spot`) in order and takes the first whose box
stays inside the plot and meets none of the :class:`Obstacles` (boxes and line
segments); when none is free, the one that covers least. The box is the one the
renderer would measure, worked out from one measurement (:class:`TextBox`). Used by
:mod:`generator.render.charts.labels` for the current value and the stale gap's label.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal, cast

from matplotlib import transforms as mtransforms
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Annotation

__all__ = [
    "LABEL_PAD_PT", "Box", "Obstacles", "Spot", "TextBox", "add_headroom", "box_of", "place", "spot_of",
    "square", "strip_extent", "text_renderer",
]

LABEL_PAD_PT = 2.0  # air around a label, also room for the browser's font being a little wider


@dataclass(frozen=True)
class Spot:
    """A candidate place for a label: an anchor, an offset from it in points, an alignment, a rotation."""

    xy: tuple[float, float]
    coords: str | tuple[str, str]  # "data", "axes fraction", or one for x and one for y
    offset: tuple[float, float]
    ha: Literal["left", "center", "right"]
    va: Literal["bottom", "baseline", "center", "center_baseline", "top"]
    rotation: float = 0.0


Box = tuple[float, float, float, float]
"""A box in display units as ``(x0, y0, x1, y1)``: plain floats, as a Bbox's every attribute read costs a call."""


def box_of(bbox: mtransforms.Bbox) -> Box:
    """A matplotlib Bbox as a :data:`Box`."""
    (x0, y0), (x1, y1) = bbox.get_points().tolist()
    return (x0, y0, x1, y1)


@dataclass(frozen=True)
class Obstacles:
    """What a label must not cover, in display units."""

    boxes: tuple[Box, ...]
    segments: tuple[tuple[tuple[float, float], tuple[float, float]], ...]


def strip_extent(obstacles: Obstacles, axes: Box, x0: float, x1: float) -> tuple[float, float] | None:
    """The lowest and highest display ``y`` of anything inside the plot between ``x0`` and ``x1``."""
    ys: list[float] = []
    bottom, top = axes[1], axes[3]
    for bx0, by0, bx1, by1 in obstacles.boxes:
        # The key and the axes' labels sit outside the plot; only what is drawn in it counts.
        if bx1 > x0 and bx0 < x1 and by1 > bottom and by0 < top:
            ys += [by0, by1]
    for a, b in obstacles.segments:
        # Most segments lie wholly to one side of the strip: they would add nothing.
        if (a[0] < x0 and b[0] < x0) or (a[0] > x1 and b[0] > x1):
            continue
        ys += _ys_within(a, b, x0, x1)
    return (min(ys), max(ys)) if ys else None


def _ys_within(a: tuple[float, float], b: tuple[float, float], x0: float, x1: float) -> list[float]:
    """The ``y`` at both ends of the part of segment ``a``-``b`` between ``x0`` and ``x1`` (none if it misses)."""
    (xa, ya), (xb, yb) = sorted((a, b))
    lo, hi = max(xa, x0), min(xb, x1)
    if lo > hi:
        return []
    if xb == xa:
        return [ya, yb]
    return [ya + (yb - ya) * (x - xa) / (xb - xa) for x in (lo, hi)]


def place(fig: Figure, ax: Axes, text: Annotation, spots: Iterable[Spot], obstacles: Obstacles,
          size: TextBox | None = None) -> float:
    """Move ``text`` to the first spot where it covers nothing, else where it covers least; return that overlap.

    ``spots`` is read only as far as the first free spot, so later ones can be worked out lazily;
    ``size`` is the text's :class:`TextBox`, when the caller has one already.
    """
    inside, size = box_of(ax.get_window_extent()), size or TextBox(fig, ax, text)
    anchors: Anchors = {}  # the spots beside a point share their anchor
    pad = LABEL_PAD_PT * fig.dpi / 72
    scored: list[tuple[float, int]] = []
    tried: list[Spot] = []
    for number, spot in enumerate(spots):
        x0, y0, x1, y1 = size.box(spot, anchors)
        box = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
        # A spot that leaves the plot would be clipped or run into the key and the axes' labels.
        overlap = _overlap(box, obstacles) if _contains(inside, box) else math.inf
        if overlap == 0:
            _move(text, spot)
            return 0.0
        scored.append((overlap, number))
        tried.append(spot)
    overlap, number = min(scored)
    _move(text, tried[number])
    return overlap


def _move(text: Annotation, spot: Spot) -> None:
    """Put the label at ``spot``."""
    text.xy = spot.xy
    text.xycoords = spot.coords
    text.xyann = spot.offset
    text.set_horizontalalignment(spot.ha)
    text.set_verticalalignment(spot.va)
    text.set_rotation(spot.rotation)


def spot_of(text: Annotation) -> Spot:
    """Where ``text`` is now, as a :class:`Spot`."""
    # Coordinates other than names (a transform, an artist) are kept as they are and always measured.
    return Spot(text.xy, cast(str, text.xycoords), text.xyann, text.get_horizontalalignment(),
                text.get_verticalalignment(), text.get_rotation())


_TRANSFORMS = {"data": "transData", "axes fraction": "transAxes"}
Anchors = dict[tuple[tuple[float, float], Any], tuple[float, float]]
"""Anchors in display units by anchor and coordinates, kept while the axes' limits stay as they are."""
_ALIGNED = ("bottom", "top", "center")  # the vertical alignments TextBox works out


class TextBox:
    """The box the renderer would measure for a label at any spot, from one measurement.

    ``Annotation.get_window_extent`` lays the text out for a box that depends only on
    the text, its font and its alignment, then moves it to the anchor plus the offset.
    Measured once at the figure's origin, the box gives the text's width and height;
    an unrotated spot's box then takes the very float operations matplotlib does
    (``Text._get_layout``'s shift for the alignment, the "offset points" transform,
    ``Bbox.translated``), so it is equal to the last bit and no placement can differ
    (``tests/test_charts_labels.py`` holds it to matplotlib's for every kind of spot).
    A rotated spot, a ``va`` other than bottom, top and center, and a label set up
    otherwise are measured by the renderer.

    The measurement takes the alignment of ``like``, the first spot the label tries:
    layouts are kept per text and alignment (:mod:`.figure`), so when the label ends
    there (the common case on smooth data), drawing it lays nothing out again.
    """

    def __init__(self, fig: Figure, ax: Axes, text: Annotation, like: Spot | None = None) -> None:
        """Measure ``text`` once (aligned as ``like``), leaving it where it was."""
        self._ax, self._text, self._renderer = ax, text, text_renderer(fig)
        self._scale = fig.dpi / 72
        self.width = self.height = 0.0
        # The arithmetic holds for what matplotlib does with a label like ours, not for wrapped,
        # clipped (an empty box outside the plot) or tick-rotated text.
        self._exact = (text.anncoords == "offset points" and text.get_annotation_clip() is False
                       and text.get_visible() and not text.get_wrap()
                       and text.get_rotation_mode() in (None, "default", "anchor"))
        if self._exact:
            here = spot_of(text)
            at = Spot((0.0, 0.0), "figure pixels", (0.0, 0.0), "left", "bottom")
            if like is not None and like.va in _ALIGNED:
                at = replace(at, ha=like.ha, va=like.va)
            _move(text, at)
            measured = box_of(text.get_window_extent(self._renderer))
            _move(text, here)
            # Exact differences: each edge is 0, the size or half of it, at the origin.
            self.width, self.height = measured[2] - measured[0], measured[3] - measured[1]
            self._exact = self._relative(at.ha, at.va) == measured

    def box(self, spot: Spot, anchors: Anchors | None = None) -> Box:
        """The label's box at ``spot``, in display units; the label stays where it is unless measured.

        ``anchors`` keeps the anchors worked out, for spots that share one; it is good only
        as long as the axes' limits stay as they are (one placement).
        """
        if not self._arithmetic(spot) or spot.va not in _ALIGNED:
            _move(self._text, spot)
            return box_of(self._text.get_window_extent(self._renderer))
        x, y = self._position(spot, {} if anchors is None else anchors)
        left, bottom, right, top = self._relative(spot.ha, spot.va)
        return (left + x, bottom + y, right + x, top + y)

    def across(self, spot: Spot) -> tuple[float, float]:
        """The left and right of the label's box at ``spot`` (any ``va``), as :meth:`box` would give them."""
        if not self._arithmetic(spot):
            box = self.box(spot)
            return box[0], box[2]
        x, _ = self._position(spot, {})
        left, right = self._across(spot.ha)
        return left + x, right + x

    def _relative(self, ha: str, va: str) -> Box:
        """The box relative to the text's position, as ``Text._get_layout`` works it out (unrotated)."""
        left, right = self._across(ha)
        # ymin is minus the height, ymax is 0 (the first line's top).
        ymin, height = -self.height, self.height
        offset = ymin if va == "bottom" else 0 if va == "top" else (ymin + 0) / 2
        bottom = ymin - offset
        return (left, bottom, right, bottom + height)

    def _across(self, ha: str) -> tuple[float, float]:
        """The box's left and right relative to the text's position (Text._get_layout: xmin 0, xmax the width)."""
        width = self.width
        offset = 0 if ha == "left" else width if ha == "right" else (0 + width) / 2
        left = 0 - offset
        return left, left + width

    def _position(self, spot: Spot, anchors: Anchors) -> tuple[float, float]:
        """The text's position in display units: the anchor plus the offset in points, as matplotlib adds them."""
        found = anchors.get((spot.xy, spot.coords))
        if found is None:
            found = anchors[(spot.xy, spot.coords)] = self._anchor(spot.xy, spot.coords)
        anchor_x, anchor_y = found
        # "offset points" is Affine2D().scale(dpi / 72).translate(*anchor); affine_transform adds
        # each row's products, then the translation.
        (ox, oy), scale = spot.offset, self._scale
        return scale * ox + 0.0 * oy + anchor_x, 0.0 * ox + scale * oy + anchor_y

    def _anchor(self, xy: tuple[float, float], coords: str | tuple[str, str]) -> tuple[float, float]:
        """The anchor in display units, as the annotation's transform for ``coords`` puts it."""
        xcoords, ycoords = coords if isinstance(coords, tuple) else (coords, coords)
        # A blended transform takes x from one transform of the point and y from the other.
        anchor_x, anchor_y = getattr(self._ax, _TRANSFORMS[xcoords]).transform(xy).tolist()
        if ycoords != xcoords:
            anchor_y = getattr(self._ax, _TRANSFORMS[ycoords]).transform(xy).tolist()[1]
        return anchor_x, anchor_y

    def _arithmetic(self, spot: Spot) -> bool:
        """Whether :meth:`box` may work ``spot``'s box out rather than measure it."""
        coords = spot.coords if isinstance(spot.coords, tuple) else (spot.coords,)
        return self._exact and not spot.rotation and all(c in _TRANSFORMS for c in coords)


def add_headroom(ax: Axes, room: float) -> None:
    """Raise the top of the value axis so a strip ``room`` display units high sits above everything drawn."""
    lo, hi = ax.get_ylim()
    height = ax.get_window_extent().height
    ax.set_ylim(lo, lo + (hi - lo) * height / max(height - room, height / 2))


def text_renderer(fig: Figure) -> Any:
    """A renderer to measure text with, as ``Text.get_window_extent()`` would make for itself.

    Handing one to every measurement saves making one per text artist (a
    third of the time label placement takes). Making one runs a print of the
    figure that stops at once (about 1 ms), so each figure keeps its own for
    good: text metrics depend on the font and the dpi, not on the figure's
    size or content, and charts reuse their figures (:mod:`.figure`).
    """
    renderer = _measuring.get(fig)
    if renderer is None:
        # matplotlib's own way outside a draw; private, so not in its stubs.
        renderer = _measuring[fig] = fig._get_renderer()  # type: ignore[attr-defined]
    return renderer


_measuring: weakref.WeakKeyDictionary[Figure, Any] = weakref.WeakKeyDictionary()


def square(centre: tuple[float, float], radius: float) -> Box:
    """The box around a marker."""
    x, y = centre
    return (x - radius, y - radius, x + radius, y + radius)


def _contains(outer: Box, inner: Box) -> bool:
    """Whether ``inner`` lies wholly inside ``outer``."""
    return outer[0] <= inner[0] and inner[2] <= outer[2] and outer[1] <= inner[1] and inner[3] <= outer[3]


def _overlap(box: Box, obstacles: Obstacles) -> float:
    """How much of the obstacles ``box`` covers: areas of boxes plus lengths of segments (as 2-unit strokes)."""
    area = 0.0
    x0, y0, x1, y1 = box
    for ox0, oy0, ox1, oy1 in obstacles.boxes:
        if ox1 <= x0 or ox0 >= x1 or oy1 <= y0 or oy0 >= y1:
            continue  # wholly beside the box: it would add exactly 0
        width = min(x1, ox1) - max(x0, ox0)
        height = min(y1, oy1) - max(y0, oy0)
        area += max(width, 0.0) * max(height, 0.0)
    covered = 0.0
    for a, b in obstacles.segments:
        # Most segments lie wholly to one side of the box: clipping would give 0 anyway.
        if (a[0] < x0 and b[0] < x0) or (a[0] > x1 and b[0] > x1):
            continue
        if (a[1] < y0 and b[1] < y0) or (a[1] > y1 and b[1] > y1):
            continue
        covered += 2 * _clipped_length(box, a, b)
    return area + covered


def _clipped_length(box: Box, a: tuple[float, float], b: tuple[float, float]) -> float:
    """The length of segment ``a``-``b`` inside ``box`` (Liang-Barsky clipping)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, a[0] - box[0]), (dx, box[2] - a[0]), (-dy, a[1] - box[1]), (dy, box[3] - a[1])):
        if p == 0:
            if q < 0:
                return 0.0  # parallel to this edge and outside it
            continue
        t = q / p
        t0, t1 = (max(t0, t), t1) if p < 0 else (t0, min(t1, t))
        if t0 >= t1:
            return 0.0
    return (t1 - t0) * math.hypot(dx, dy)
