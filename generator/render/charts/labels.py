"""Where the current value's label and the stale gap's label go on a KPI chart.

The label tries a few spots around the current point, then just above or
below everything drawn at the current period, and takes the first whose box
(as the renderer would measure it, in display units) stays inside the plot and meets
no line, marker, goal line, key entry or other text. When every spot is
taken, the value axis grows a strip of headroom at the top, which is free by
construction, and the spots are tried again (:mod:`.placement`).
The stale gap's label uses the same machinery with its own spots.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from itertools import chain, pairwise

from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.text import Annotation

from generator.render.charts.artists import add_span
from generator.render.charts.figure import INK, MUTED
from generator.render.charts.placement import (
    LABEL_PAD_PT,
    Obstacles,
    Spot,
    TextBox,
    add_headroom,
    box_of,
    place,
    spot_of,
    square,
    strip_extent,
    text_renderer,
)
from generator.render.charts.series import Series, steps
from generator.render.charts.svg import GAP_LABEL_GID

__all__ = ["RING_PT", "mark_stale_gap", "place_value_label"]

RING_PT = 13.0
_LABEL_GAP_PT = 11.0  # from the current point to the label: clears the ring (radius 6.5 pt)
_MARKER_RADIUS_PT = 4.5  # the largest status marker (7.5 pt) with its white edge


def _label_spots(ax: Axes, s: Series, text: Annotation, size: TextBox, obstacles: Obstacles) -> Iterator[Spot]:
    """Candidate spots in order of preference: beside the point, then just above or below the data at its slot.

    The last two cost a scan of every obstacle, so they are worked out only when no spot
    beside the point is free (it mostly is).
    """
    assert s.current is not None
    # The label's width where it stands now (not where the spots beside would move it).
    left, right = size.across(spot_of(text))
    return chain(_beside(s), _spots_clear_of_data(ax, right - left, obstacles, s.current + 0.5))


def _beside(s: Series) -> list[Spot]:
    """Above, below, left of the current point, diagonally above and below on the left, right of it."""
    assert s.current is not None
    at, gap, diagonal = (float(s.current), s.actual[s.current]), _LABEL_GAP_PT, _LABEL_GAP_PT * 0.75
    return [
        Spot(at, "data", (0, gap), "center", "bottom"),
        Spot(at, "data", (0, -gap), "center", "top"),
        Spot(at, "data", (-gap, 0), "right", "center"),
        Spot(at, "data", (-diagonal, diagonal), "right", "bottom"),
        Spot(at, "data", (-diagonal, -diagonal), "right", "top"),
        Spot(at, "data", (gap, 0), "left", "center"),
    ]


def _spots_clear_of_data(ax: Axes, width: float, obstacles: Obstacles, slot_end: float) -> Iterator[Spot]:
    """Just above and just below everything drawn in the strip the label takes, ending at the current slot's end.

    A generator: nothing is worked out before the first spot is asked for.
    """
    fig = ax.get_figure(root=True)
    assert fig is not None  # the axes is drawn in a figure
    scale = fig.dpi / 72
    x1 = ax.transData.transform((slot_end, 0))[0] - 4 * scale
    x0 = x1 - width - 2 * LABEL_PAD_PT * scale
    axes = box_of(ax.get_window_extent())
    extent = strip_extent(obstacles, axes, x0, x1)
    if extent is None:
        return
    low, high = ((y - axes[1]) / (axes[3] - axes[1]) for y in extent)
    clear, x_data = LABEL_PAD_PT + 1, ("data", "axes fraction")
    yield Spot((slot_end, high), x_data, (-4, clear), "right", "bottom")
    yield Spot((slot_end, low), x_data, (-4, -clear), "right", "top")


def place_value_label(fig: Figure, ax: Axes, s: Series, text: Annotation) -> None:
    """Move ``text`` to the first free spot, adding headroom above the data when none is free."""
    size = TextBox(fig, ax, text, like=_beside(s)[0])
    obstacles = _obstacles(fig, ax, s, text)
    if place(fig, ax, text, _label_spots(ax, s, text, size, obstacles), obstacles, size) > 0:
        # Room for the label, the air around it and its distance from the data.
        x0, y0, x1, y1 = size.box(spot_of(text))
        add_headroom(ax, (y1 - y0) + 4 * (LABEL_PAD_PT + 1) * fig.dpi / 72)
        obstacles = _obstacles(fig, ax, s, text)  # the data moved down
        place(fig, ax, text, _label_spots(ax, s, text, size, obstacles), obstacles, size)


def _obstacles(fig: Figure, ax: Axes, s: Series, label: Annotation) -> Obstacles:
    """The actual line, the goal line(s), every marker (the ring too) and any other label in the plot but ``label``.

    The axes' labels and the key are plain texts and lines laid out outside the plot
    (see ``kpi._layout``), and a label is only scored where it lies wholly inside the
    plot, so they could never count; measuring them was a fifth of placing a label.
    """
    assert s.current is not None
    scale = fig.dpi / 72
    # One transform of every point (each point's display position is worked out on its own, so
    # the same floats as one transform per line); tolist() gives float() of each, without a loop.
    steps_lo, steps_hi = steps(s.goal_lo), steps(s.goal_hi)  # the goal twice, or a range's two edges
    data = [*enumerate(s.actual), *zip(*steps_lo, strict=True), *zip(*steps_hi, strict=True)]
    shown = list(map(tuple, ax.transData.transform(data).tolist()))
    n, m = len(s.actual), len(steps_lo[0])
    points = shown[:n]
    finite = [p for p, v in zip(points, s.actual, strict=True) if math.isfinite(v)]
    boxes = [square(p, _MARKER_RADIUS_PT * scale) for p in finite]
    boxes.append(square(points[s.current], (RING_PT / 2 + 1) * scale))
    measure = text_renderer(fig)
    # The labels placed in the plot (the value's, the stale gap's) are its only annotations.
    boxes += [box_of(a.get_window_extent(measure)) for a in ax.texts if isinstance(a, Annotation) and a is not label]
    lines = [points, shown[n:n + m], shown[n + m:]]
    segments = [(a, b) for line in lines for a, b in pairwise(line) if math.isfinite(a[1] + b[1])]
    return Obstacles(tuple(boxes), tuple(segments))


# -- the stale gap ------------------------------------------------------------------

_GAP_FONT_PT = 9.0


def mark_stale_gap(fig: Figure, ax: Axes, s: Series, end: float | None = None) -> None:
    """Hatch the periods after the current one, up to the as-of period, and say since when data is missing.

    ``end`` is where the gap ends (the as-of slot's right edge) when the axis runs on past it (a forecast).
    """
    assert s.current is not None
    start, end = s.current + 0.5, (s.size - 0.5 if end is None else end)
    add_span(ax, start, end, color=MUTED, alpha=0.08, linewidth=0, zorder=0)
    # A second, unfilled span carries the hatch: one span's alpha would fade the hatch with the fill.
    add_span(ax, start, end, facecolor="none", edgecolor=(*to_rgb(MUTED), 0.55), hatch="///", linewidth=0, zorder=0)
    text = ax.annotate(f"No data since {s.labels[s.current]}", (end, 1), xytext=(0, 0), textcoords="offset points",
                       color=INK, alpha=0.8, fontsize=_GAP_FONT_PT, fontstyle="italic", zorder=6,
                       gid=GAP_LABEL_GID, annotation_clip=False)
    span = ax.transData.transform([(start, 0), (end, 0)])
    size = TextBox(fig, ax, text, like=_gap_spots(start, end, fits_across=True)[0])
    left, right = size.across(spot_of(text))
    fits = (right - left) + 8 * fig.dpi / 72 <= span[1][0] - span[0][0]
    place(fig, ax, text, _gap_spots(start, end, fits_across=fits), _obstacles(fig, ax, s, text), size)


def _gap_spots(start: float, end: float, *, fits_across: bool) -> list[Spot]:
    """Spots for the gap's label: across the top of the gap, from its end leftwards, or upright inside it."""
    middle, x_data = (start + end) / 2, ("data", "axes fraction")
    across = [Spot((middle, 1.0), x_data, (0, -5), "center", "top")] if fits_across else []
    return [
        *across,
        Spot((1.0, 1.0), "axes fraction", (-4, -5), "right", "top"),
        Spot((1.0, 0.0), "axes fraction", (-4, 5), "right", "bottom"),
        Spot((middle, 0.5), x_data, (0, 0), "center", "center", rotation=90),
    ]

