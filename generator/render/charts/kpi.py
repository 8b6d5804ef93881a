"""A KPI's trend chart: bands, goal, actuals, status markers, the key and both axes.

The KPI chart is drawn without matplotlib's tick machinery and legend: each
Tick is five artists laid out at draw time, and a Legend is a tree of offset
boxes; together they were two thirds of the time of a chart. Here ticks and
the key are a few plain Text and Line2D artists placed by hand. Where the
current value's label and the stale gap's label go is worked out in
:mod:`.labels`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from matplotlib import transforms as mtransforms
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from generator.compute.results import Forecast, KpiResult, Status
from generator.model import Direction
from generator.periods import Period
from generator.render.charts.artists import add_figure_line, add_figure_text, add_fill, add_line, add_span, add_text
from generator.render.charts.figure import FONT_PT, GRID, INK, WIDTH_IN, canvas, draw_empty, save
from generator.render.charts.labels import RING_PT, mark_stale_gap, place_value_label
from generator.render.charts.series import (
    Series,
    as_of_period,
    kpi_description,
    kpi_series,
    steps,
    value_extent,
)
from generator.render.charts.svg import VALUE_LABEL_GID, check_chart_id, finish_svg
from generator.render.forecast_text import forecast_sentence
from generator.render.numbers import axis_labels, format_value
from generator.render.style import style

__all__ = ["kpi_chart", "kpi_chart_size", "kpi_chart_text"]

# Marker shape per status, so colour is never the only cue (same idea as the
# ✔ ▲ ✖ icons of render.style): circle, triangle, cross.
_MARKERS: dict[Status, tuple[str, float]] = {
    Status.ON_TRACK: ("o", 6.5),
    Status.AT_RISK: ("^", 7.5),
    Status.OFF_TRACK: ("X", 7.5),
}

_KPI_HEIGHT_IN = 3.0
_EMPTY_HEIGHT_IN = 1.3
# DejaVu Sans digits and capitals are about 0.62 em wide; used to size margins
# without a layout pass (tight/constrained layout costs a second draw).
_CHAR_EM = 0.62
_TICK_PAD_PT = 5.0
_KEY_FONT_PT = 9.0
_KEY_ROW_PT = 14.0
FORECAST_COLOUR = "#0969da"
"""The forecast's line and band: a blue apart from the ink of the actuals and the status colours."""

def kpi_chart(
    result: KpiResult, chart_id: str, as_of: dt.date | None = None, forecast: Forecast | None = None
) -> str:
    """The trend chart of one KPI as an inline ``<svg>`` string.

    Actuals are a line with one marker per period, coloured and shaped by that
    period's status; the goal is drawn per period as computed (a step per
    period, so explicit ``targets`` and pace-based goals both show exactly);
    the zone between goal and red flag is shaded amber (for a range KPI the
    range is green and the tolerance amber). Periods without a value are gaps.
    The current period is ringed, labelled with its value and its tick is bold;
    the value label goes where it hides no point, line or goal.
    A stale KPI's period axis runs on to the as-of period, the periods
    without data hatched and labelled "No data since ...".

    Args:
        result: the KPI at the as-of date.
        chart_id: the SVG's ``id``; every other id in the chart derives from it.
            Letters, digits, ``-`` and ``_``, starting with a letter.
        as_of: the build's as-of date; a stale KPI's axis is drawn up to it.
        forecast: the KPI's forecast, drawn after the last actual up to the target
            period: a dashed line and its 80 % interval band, lighter than the actuals
            and named "Forecast" in the key; the text alternative says it in words.

    Returns:
        The ``<svg>`` element, with no XML declaration and no blank line.

    Raises:
        ValueError: ``chart_id`` is not a valid id.
    """
    check_chart_id(chart_id)
    title, desc, forecast, until = _plan(result, as_of, forecast)
    series = kpi_series(result, forecast.period if forecast is not None else until)
    if series is None:
        with canvas(chart_id, WIDTH_IN, _EMPTY_HEIGHT_IN) as fig:
            draw_empty(fig, "No data yet", "Values appear here once the first actual is reported.")
            raw = save(fig)
    else:
        with canvas(chart_id, WIDTH_IN, _KPI_HEIGHT_IN, keep_axes=True) as fig:
            _draw_kpi(fig, result, series, forecast, until)
            raw = save(fig)
    return finish_svg(raw, chart_id, title, desc)


def kpi_chart_text(result: KpiResult, as_of: dt.date | None = None, forecast: Forecast | None = None) -> str:
    """The chart's text alternative, its ``<title>`` and ``<desc>`` as plain text, without drawing it.

    A page shows the chart as an ``<img>`` with this as ``alt``; the arguments are :func:`kpi_chart`'s.
    """
    title, desc, _, _ = _plan(result, as_of, forecast)
    return " ".join((*title.split(), *desc.split()))


def kpi_chart_size(result: KpiResult) -> tuple[float, float]:
    """The chart's natural width and height in points (its ``viewBox``), without drawing it."""
    return WIDTH_IN * 72, (_KPI_HEIGHT_IN if result.history else _EMPTY_HEIGHT_IN) * 72


def _plan(
    result: KpiResult, as_of: dt.date | None, forecast: Forecast | None
) -> tuple[str, str, Forecast | None, Period | None]:
    """The chart's title and description, the forecast it draws (if any) and a stale KPI's as-of period."""
    title = f"{result.kpi.name}: {result.status.label}" + (" (stale)" if result.stale else "")
    desc = kpi_description(result)
    until = as_of_period(result, as_of)
    if forecast is not None and result.history and (until is None or forecast.period > until):
        desc += " " + forecast_sentence(forecast, result)
    else:
        forecast = None
    return title, desc, forecast, until


@dataclass(frozen=True)
class _Key:
    """One entry of the chart's key: a sample drawn as a line, a patch or a marker."""

    label: str
    kind: str  # "line" | "patch" | "marker"
    props: dict[str, Any]


def _draw_kpi(
    fig: Figure, result: KpiResult, series: Series, forecast: Forecast | None = None, until: Period | None = None
) -> None:
    """Bands, goal, actuals and markers, the key, the current period, a stale gap, a forecast and both axes."""
    unit = result.kpi.unit
    ax = fig.axes[0]
    lo, hi = _y_limits(series, forecast)
    ax.set_xlim(-0.5, series.size - 0.5)
    ax.set_ylim(lo, hi)
    ticks = _y_ticks(lo, hi)
    labels = axis_labels(ticks, unit)
    _layout(fig, ax, series, labels, unit, key_rows=2 if forecast else 1)
    if result.kpi.direction is Direction.RANGE:
        keys = _draw_range_bands(ax, series)
    else:
        keys = _draw_flag_band(ax, series)
    keys.insert(0, _draw_actuals(ax, series))
    keys += _draw_status_markers(ax, series)
    first = min(row.period.index for row in result.history)
    if forecast is not None:
        keys += _draw_forecast(ax, series, forecast, first)
    # The key comes before the value label, which must avoid it; the stale gap's
    # label comes after, and avoids the value label in turn.
    _draw_key(fig, ax, keys)
    # The stale gap ends at the as-of period (the axis may run on to a forecast's target).
    gap_end = (until.index - first) if until is not None else series.size - 1
    if forecast is not None and until is None:
        gap_end = max(row.period.index for row in result.history) - first
    stale_gap = result.stale and series.current is not None and series.current < gap_end
    if series.current is not None:
        _emphasise_current(fig, ax, series, unit, stale=result.stale)
    if stale_gap:
        mark_stale_gap(fig, ax, series, end=gap_end + 0.5 if forecast else None)
    if series.current is None and not any(math.isfinite(v) for v in series.actual):
        add_text(ax, 0.5, 0.5, "No data yet", transform=ax.transAxes, ha="center", va="center",
                 color=INK, fontsize=12, fontweight="bold")
    _draw_value_axis(fig, ax, ticks, labels, unit)
    _draw_period_axis(fig, ax, series, show_last=stale_gap or forecast is not None)


def _y_limits(s: Series, forecast: Forecast | None = None) -> tuple[float, float]:
    """The value range drawn: every actual, goal, red flag and forecast, with 8 % air (a flat line gets some too)."""
    lo, hi = value_extent(s)
    if forecast is not None:
        lo = min(lo, forecast.goal, *(p.low for p in forecast.points))
        hi = max(hi, forecast.goal, *(p.high for p in forecast.points))
    pad = (hi - lo) * 0.08 or max(abs(hi) * 0.05, 1.0)
    return lo - pad, hi + pad


def _y_ticks(lo: float, hi: float) -> list[float]:
    """About five round values inside ``[lo, hi]``."""
    locator = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10], min_n_ticks=4)
    return [float(t) for t in locator.tick_values(lo, hi) if lo <= t <= hi]


def _layout(
    fig: Figure, ax: Axes, series: Series, tick_labels: Sequence[str], unit: str, key_rows: int = 1
) -> None:
    """Place the plot: the left margin fits the y labels and the unit, the right one half the last period label."""
    width_in, height_in = fig.get_size_inches()
    width_pt, height_pt = width_in * 72, height_in * 72
    longest = max((len(t) for t in tick_labels), default=1)
    left_pt = longest * FONT_PT * _CHAR_EM + _TICK_PAD_PT + 8 + (18 if unit else 0)
    half_label = len(series.labels[-1]) * FONT_PT * _CHAR_EM / 2
    half_slot = (width_pt - left_pt) / series.size / 2
    right_pt = max(10.0, half_label + 4 - half_slot)
    bottom_pt, top_pt = 24.0, 30.0 + (key_rows - 1) * _KEY_ROW_PT
    ax.set_position((left_pt / width_pt, bottom_pt / height_pt,
                     1 - (left_pt + right_pt) / width_pt, 1 - (bottom_pt + top_pt) / height_pt))


def _points(fig: Figure, dx: float, dy: float) -> mtransforms.Transform:
    """An offset of ``dx``, ``dy`` points."""
    return mtransforms.ScaledTranslation(dx / 72, dy / 72, fig.dpi_scale_trans)


def _draw_value_axis(fig: Figure, ax: Axes, ticks: Sequence[float], labels: Sequence[str], unit: str) -> None:
    """Light grid lines at the ticks, their labels left of the plot, the unit as the axis title."""
    # One path with a break between lines: a LineCollection (hlines) costs four times as much to make.
    xs = [x for _ in ticks for x in (0.0, 1.0, math.nan)]
    ys = [y for tick in ticks for y in (tick, tick, math.nan)]
    add_line(ax, xs, ys, transform=ax.get_yaxis_transform(), color=GRID, alpha=0.35, linewidth=0.6, zorder=0,
             solid_capstyle="butt")
    to_left = ax.get_yaxis_transform() + _points(fig, -_TICK_PAD_PT, 0)
    for value, label in zip(ticks, labels, strict=True):
        add_text(ax, 0, value, label, transform=to_left, ha="right", va="center", color=INK, fontsize=FONT_PT)
    if unit:
        add_text(ax, 0, 0.5, unit, transform=fig.transFigure + _points(fig, 4, 0), rotation=90,
                 ha="left", va="center", color=INK, fontsize=FONT_PT)


def _draw_period_axis(fig: Figure, ax: Axes, s: Series, *, show_last: bool = False) -> None:
    """The baseline, a tick per period and a thinned set of period labels (the current one bold).

    ``show_last`` labels the last period too where it fits: a stale KPI's axis
    ends at the as-of period, which a reader should be able to read off.
    """
    base = ax.get_xaxis_transform()
    add_line(ax, [0, 1], [0, 0], transform=ax.transAxes, color=INK, alpha=0.6, linewidth=0.8, clip_on=False)
    # A tick per period, as one path of short strokes down from the baseline (display units):
    # as markers, each tick would be an SVG <use> of its own, styled one by one.
    length = (3 if s.size > 24 else 4) * fig.dpi / 72
    bottom = float(ax.transAxes.transform((0, 0))[1])
    # All periods in one transform call (the same arithmetic per point as one call each).
    slots = ax.transData.transform([(i, 0) for i in range(s.size)])[:, 0].tolist()
    xs = [x for slot in slots for x in (slot, slot, math.nan)]
    ys = [y for _ in range(s.size) for y in (bottom, bottom - length, math.nan)]
    add_line(ax, xs, ys, transform=mtransforms.IdentityTransform(), color=INK, alpha=0.6, linewidth=0.8,
             solid_capstyle="butt", snap=False, clip_on=False)
    below = base + _points(fig, 0, -_TICK_PAD_PT - 1)
    for i in _shown_periods(s, show_last=show_last):
        bold = i == s.current
        add_text(ax, i, 0, s.labels[i], transform=below, ha="center", va="top", color=INK, fontsize=FONT_PT,
                 fontweight="bold" if bold else "normal")


def _shown_periods(s: Series, *, show_last: bool = False) -> list[int]:
    """Evenly spaced period positions that fit side by side, counted from the current period."""
    anchor = s.current if s.current is not None else s.size - 1
    width = max(len(label) for label in s.labels)
    room = (WIDTH_IN * 72 - 90) / (width * FONT_PT * _CHAR_EM + 14)
    step = max(1, math.ceil(s.size / max(2, int(room))))
    shown = [i for i in range(s.size) if (i - anchor) % step == 0]
    last = s.size - 1
    if show_last and last not in shown and last - anchor >= step:
        # The last label replaces any neighbour it would run into; the current one always stays.
        shown = [i for i in shown if i == anchor or last - i >= step] + [last]
    return shown


AT_RISK_BAND = "At-risk band (goal to red flag)"
"""The key's name for the shading between goal and red flag (How to read defines "red flag")."""
_AT_RISK_BAND_SHORT = "At-risk band"


def _key_width(keys: Sequence[_Key]) -> float:
    return sum(22 + len(key.label) * _KEY_FONT_PT * 0.55 + 12 for key in keys)


def _draw_key(fig: Figure, ax: Axes, keys: Sequence[_Key]) -> None:
    """The key in one row above the plot, from its left edge; the band's name shortens if the row is full."""
    height_pt = fig.get_size_inches()[1] * 72
    x = ax.get_position().x0 * fig.get_size_inches()[0] * 72
    y = height_pt - 12
    inches = fig.dpi_scale_trans
    width_pt = fig.get_size_inches()[0] * 72
    start = x
    if x + _key_width(keys) > fig.get_size_inches()[0] * 72:
        keys = [replace(k, label=_AT_RISK_BAND_SHORT) if k.label == AT_RISK_BAND else k for k in keys]
    for key in keys:
        if x > start and x + 22 + len(key.label) * _KEY_FONT_PT * 0.55 > width_pt - 6:
            x, y = start, y - _KEY_ROW_PT  # the next row (only a forecast's chart has room for one)
        sample = [(x + 1) / 72, (x + 17) / 72]
        if key.kind == "line":
            add_figure_line(fig, sample, [y / 72] * 2, transform=inches, **key.props)
        elif key.kind == "band":
            band = key.props["band"]
            fig.add_artist(Rectangle((sample[0], (y - 4.5) / 72), 16 / 72, 9 / 72, transform=inches, **band))
            add_figure_line(fig, sample, [y / 72] * 2, transform=inches, **key.props["line"])
        elif key.kind == "patch":
            fig.add_artist(Rectangle((sample[0], (y - 4.5) / 72), 16 / 72, 9 / 72, transform=inches, **key.props))
        else:
            add_figure_line(fig, [(x + 9) / 72], [y / 72], transform=inches, **key.props)
        add_figure_text(fig, (x + 22) / 72, y / 72, key.label, transform=inches, ha="left", va="center", color=INK,
                        fontsize=_KEY_FONT_PT)
        x += 22 + len(key.label) * _KEY_FONT_PT * 0.55 + 12


def _draw_flag_band(ax: Axes, s: Series) -> list[_Key]:
    """Higher/lower KPI: the amber zone between goal and red flag, and the goal line."""
    amber = style(Status.AT_RISK).stroke
    xs, goal = steps(s.goal_lo)
    _, flag = steps(s.flag_lo)
    add_fill(ax, xs, goal, flag, color=amber, alpha=0.2, linewidth=0)
    goal_line = {"color": INK, "linewidth": 1.2, "linestyle": (0, (4, 3)), "alpha": 0.8}
    add_line(ax, xs, goal, **goal_line)
    band = {"facecolor": amber, "alpha": 0.25}
    return [_Key("Goal", "line", goal_line), _Key(AT_RISK_BAND, "patch", band)]


def _draw_range_bands(ax: Axes, s: Series) -> list[_Key]:
    """Range KPI: the goal range green, the tolerance on either side amber."""
    green, amber = style(Status.ON_TRACK).stroke, style(Status.AT_RISK).stroke
    xs, lo = steps(s.goal_lo)
    _, hi = steps(s.goal_hi)
    _, flo = steps(s.flag_lo)
    _, fhi = steps(s.flag_hi)
    add_fill(ax, xs, lo, hi, color=green, alpha=0.18, linewidth=0)
    add_fill(ax, xs, flo, lo, color=amber, alpha=0.2, linewidth=0)
    add_fill(ax, xs, hi, fhi, color=amber, alpha=0.2, linewidth=0)
    for edge in (lo, hi):
        add_line(ax, xs, edge, color=green, linewidth=0.9, alpha=0.9)
    return [
        _Key("Goal range", "patch", {"facecolor": green, "alpha": 0.25, "edgecolor": green}),
        _Key("Tolerance", "patch", {"facecolor": amber, "alpha": 0.25}),
    ]


def _draw_actuals(ax: Axes, s: Series) -> _Key:
    """The actuals as one line; NaN slots (no value) break it into a gap."""
    line = {"color": INK, "linewidth": 1.6, "solid_capstyle": "round"}
    add_line(ax, range(s.size), s.actual, zorder=3, **line)
    return _Key("Actual", "line", line)


def _draw_status_markers(ax: Axes, s: Series) -> list[_Key]:
    """One marker per actual, in its status's colour and shape; a key entry per status shown."""
    keys: list[_Key] = []
    for status, (marker, size) in _MARKERS.items():
        points = [(i, v) for i, v in enumerate(s.actual) if s.status[i] is status and math.isfinite(v)]
        if not points:
            continue
        colour = style(status).stroke
        props = {"marker": marker, "markersize": size, "markerfacecolor": colour, "markeredgecolor": "white",
                 "markeredgewidth": 0.8, "linestyle": "none", "color": colour}
        add_line(ax, [p[0] for p in points], [p[1] for p in points], zorder=4, clip_on=False, **props)
        keys.append(_Key(style(status).label, "marker", props))
    return keys


def _draw_forecast(ax: Axes, s: Series, forecast: Forecast, first: int) -> list[_Key]:
    """The projection from the last actual on: a dashed line in the 80 % interval band, lighter than the actuals."""
    xs = [float(p.period.index - first) for p in forecast.points]
    mid = [p.value for p in forecast.points]
    low = [p.low for p in forecast.points]
    high = [p.high for p in forecast.points]
    if s.current is not None:  # start from the last actual, so the projection visibly continues it
        xs, mid = [float(s.current), *xs], [s.actual[s.current], *mid]
        low, high = [s.actual[s.current], *low], [s.actual[s.current], *high]
    band: dict[str, Any] = {"facecolor": FORECAST_COLOUR, "alpha": 0.15, "linewidth": 0}
    add_fill(ax, xs, low, high, zorder=1, **band)
    line = {"color": FORECAST_COLOUR, "linewidth": 1.6, "linestyle": (0, (4, 2.5)), "alpha": 0.9}
    add_line(ax, xs, mid, zorder=2, **line)
    end = {"marker": "o", "markersize": 5, "markerfacecolor": "white", "markeredgecolor": FORECAST_COLOUR,
           "markeredgewidth": 1.4, "linestyle": "none"}
    add_line(ax, xs[-1:], mid[-1:], zorder=3, clip_on=False, **end)
    # The target period's goal, drawn as the goal line is, so the reader sees what the forecast aims at.
    target = float(forecast.period.index - first)
    add_line(ax, [target - 0.5, target + 0.5], [forecast.goal] * 2, color=INK, linewidth=1.2, linestyle=(0, (4, 3)),
             alpha=0.8)
    return [_Key("Forecast (80 % interval)", "band", {"band": {**band, "alpha": 0.25}, "line": line})]


def _emphasise_current(fig: Figure, ax: Axes, s: Series, unit: str, *, stale: bool) -> None:
    """Ring the current period's marker, shade its slot and write its value (and staleness) beside it."""
    i = s.current
    assert i is not None
    value = s.actual[i]
    add_span(ax, i - 0.5, i + 0.5, color=INK, alpha=0.05, linewidth=0, zorder=0)
    add_line(ax, [i], [value], marker="o", markersize=RING_PT, markerfacecolor="none", markeredgecolor=INK,
             markeredgewidth=1.4, linestyle="none", zorder=5, clip_on=False)
    label = format_value(value, unit) + (" (stale)" if stale else "")
    text = ax.annotate(label, (i, value), xytext=(0, 0), textcoords="offset points", color=INK, fontsize=10,
                       fontweight="bold", zorder=6, gid=VALUE_LABEL_GID, annotation_clip=False)
    place_value_label(fig, ax, s, text)

