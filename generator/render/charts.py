"""KPI trend charts and the initiatives timeline, as inline SVG strings.

Every chart is drawn with matplotlib's SVG backend and then finished so it can
be pasted straight into a Markdown page next to other charts:

* real ``<text>`` (``svg.fonttype = 'none'``) in the page's own font;
* axes, ticks and labels drawn in a sentinel colour that becomes
  ``currentColor``, so one SVG reads in Material's light and dark schemes;
* every ``id`` prefixed with the chart id, so two charts on one page never clash;
* no XML declaration, DOCTYPE, comments or blank lines; width 100 %, height
  from the ``viewBox``;
* ``<title>`` and ``<desc>`` first, ``role="img"``: a screen reader hears the
  KPI's status, not "image".

Output bytes depend only on the input: no dates in the metadata, the chart id
as hash salt, no state carried from one chart to the next.

Figures are reused per process (creating one costs about twice as much as
emptying one, see :func:`_canvas`); a lock keeps threads from sharing them.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import logging
import math
import multiprocessing
import os
import re
import threading
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib
from markupsafe import escape
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib import transforms as mtransforms
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Rectangle
from matplotlib.text import Annotation
from matplotlib.ticker import MaxNLocator

from generator import __version__
from generator.compute.results import InitiativeResult, KpiResult, PeriodResult, Results, Status
from generator.model import Direction, InitiativeStatus
from generator.periods import Period
from generator.render.numbers import format_number, format_value
from generator.render.cache import ChartCache
from generator.render import label_placement
from generator.render.label_placement import LABEL_PAD_PT, Obstacles, Spot, add_headroom, place, square, strip_extent, text_renderer
from generator.render import style as style_module
from generator.render.style import style

__all__ = [
    "chart_block",
    "initiatives_timeline",
    "kpi_chart",
    "kpi_chart_id",
    "kpi_chart_key",
    "kpi_description",
    "render_kpi_charts",
]

logger = logging.getLogger(__name__)

# Ink is drawn in this colour, which no status or band uses, and then replaced by
# `currentColor` so the page's text colour (light or dark scheme) applies.
_INK = "#010203"
_GRID = "#8c959f"
_MUTED = "#8c959f"
_HALO_GID = "value-label"
_GAP_GID = "gap-label"
_CHART_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")

# Marker shape per status, so colour is never the only cue (same idea as the
# ✔ ▲ ✖ icons of render.style): circle, triangle, cross.
_MARKERS: dict[Status, tuple[str, float]] = {
    Status.ON_TRACK: ("o", 6.5),
    Status.AT_RISK: ("^", 7.5),
    Status.OFF_TRACK: ("X", 7.5),
}

_WIDTH_IN = 7.2
_KPI_HEIGHT_IN = 3.0
_EMPTY_HEIGHT_IN = 1.3
_FONT_PT = 10.0
# DejaVu Sans digits and capitals are about 0.62 em wide; used to size margins
# without a layout pass (tight/constrained layout costs a second draw).
_CHAR_EM = 0.62

_RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "text.usetex": False,
    # User strings (KPI names, units) must never be read as $mathtext$.
    "text.parse_math": False,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": _FONT_PT,
    "axes.unicode_minus": False,
    # Simplification may drop vertices of a long weekly series; draw every period.
    "path.simplify": False,
}
_METADATA: dict[str, str | None] = {"Date": None, "Creator": None, "Format": None, "Type": None}

_lock = threading.Lock()
_figures: dict[bool, Figure] = {}  # see _canvas


# -- public entry points --------------------------------------------------------


def kpi_chart(result: KpiResult, chart_id: str, as_of: dt.date | None = None) -> str:
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

    Returns:
        The ``<svg>`` element, with no XML declaration and no blank line.

    Raises:
        ValueError: ``chart_id`` is not a valid id.
    """
    _check_chart_id(chart_id)
    title = f"{result.kpi.name}: {result.status.label}" + (" (stale)" if result.stale else "")
    desc = kpi_description(result)
    series = _series(result, _as_of_period(result, as_of))
    if series is None:
        with _canvas(chart_id, _WIDTH_IN, _EMPTY_HEIGHT_IN) as fig:
            _draw_empty(fig, "No data yet", "Values appear here once the first actual is reported.")
            raw = _save(fig)
    else:
        with _canvas(chart_id, _WIDTH_IN, _KPI_HEIGHT_IN, keep_axes=True) as fig:
            _draw_kpi(fig, result, series)
            raw = _save(fig)
    return _finish_svg(raw, chart_id, title, desc)


def initiatives_timeline(results: Results, chart_id: str) -> str:
    """A Gantt-style timeline of every initiative as an inline ``<svg>`` string.

    One row per initiative in scorecard order: a bar from start to end in the
    status colour with the completed share filled solid, milestones as
    diamonds (filled when done), the status word beside each row, and a
    dashed vertical line at the as-of date.

    Args:
        results: the computed build; its initiatives and as-of date are drawn.
        chart_id: the SVG's ``id`` (see :func:`kpi_chart`).

    Raises:
        ValueError: ``chart_id`` is not a valid id.
    """
    _check_chart_id(chart_id)
    rows = list(results.initiatives.values())
    title = "Initiatives timeline"
    desc = _timeline_description(rows, results.as_of)
    dated = [r for r in rows if _row_dates(r)]
    height = _EMPTY_HEIGHT_IN if not dated else 1.0 + 0.36 * len(rows)
    with _canvas(chart_id, _TIMELINE_WIDTH_IN if dated else _WIDTH_IN, height) as fig:
        if not dated:
            message = "No initiatives yet" if not rows else "No initiative has dates yet"
            _draw_empty(fig, message, "Initiatives with a start and an end date appear here.")
        else:
            _draw_timeline(fig, rows, results.as_of)
        raw = _save(fig)
    return _finish_svg(raw, chart_id, title, desc)


def chart_block(svg: str) -> str:
    """A chart ready to paste into a Markdown page, between blank lines.

    A bare ``<svg>`` is inline HTML to Python-Markdown, which would then turn
    ``_`` or ``*`` in a KPI name into emphasis inside the SVG; a ``<div>`` is
    a block-level element, left untouched. (Not ``<figure>``: Material sizes
    it to fit its content, which shrinks a 100 %-wide SVG to 300 px.)
    """
    return f'\n<div class="sp-chart">\n{svg.rstrip()}\n</div>\n\n'


def kpi_chart_id(kpi_id: str) -> str:
    """The chart id used for a KPI's trend chart (an XML id cannot start with a digit)."""
    return f"kpi-chart-{kpi_id}"


PARALLEL_FROM = 48
"""Charts to draw before worker processes pay off (each starts Python and matplotlib, ~1 s)."""


def render_kpi_charts(results: Results, cache: ChartCache | None, workers: int | None = None) -> dict[str, str]:
    """Every KPI's trend chart, through the cache when one is given.

    The charts the cache lacks are drawn in worker processes when there are many
    (a cold build of a thousand KPIs); each chart depends only on its own inputs,
    so a worker draws the same bytes as this process would.

    Args:
        results: the build's results.
        cache: the chart cache, or ``None`` to draw every chart.
        workers: processes to draw in; ``None``: one per CPU when there are at least
            :data:`PARALLEL_FROM` charts to draw, else this process alone.

    Returns:
        KPI id -> SVG, in the scorecard's KPI order.
    """
    jobs = {kpi_id: (result, kpi_chart_id(kpi_id), results.as_of) for kpi_id, result in results.kpis.items()}
    keys = {kpi_id: kpi_chart_key(*job) for kpi_id, job in jobs.items()}
    charts = {kpi_id: cache.lookup(keys[kpi_id]) if cache else None for kpi_id in jobs}
    missing = [kpi_id for kpi_id, svg in charts.items() if svg is None]
    for kpi_id, svg in zip(missing, _draw_all([jobs[k] for k in missing], workers)):
        charts[kpi_id] = svg
        if cache is not None:
            cache.store(keys[kpi_id], svg)
    if cache is not None:
        logger.info("KPI charts: %d from cache, %d rendered", cache.hits, cache.misses)
    return {kpi_id: svg for kpi_id, svg in charts.items() if svg is not None}


def _draw_all(jobs: list[tuple[KpiResult, str, dt.date | None]], workers: int | None) -> list[str]:
    """``kpi_chart(*job)`` for every job, in order: here, or spread over worker processes."""
    if workers is None:
        workers = _cpu_count() if len(jobs) >= PARALLEL_FROM else 1
    if workers < 2 or len(jobs) < 2:
        return [kpi_chart(*job) for job in jobs]
    # spawn, not fork: a forked child would inherit the threads of `serve` and their locks.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
        return list(pool.map(_draw_job, jobs, chunksize=max(1, len(jobs) // (workers * 4))))


def _draw_job(job: tuple[KpiResult, str, dt.date | None]) -> str:
    return kpi_chart(*job)


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def kpi_chart_key(result: KpiResult, chart_id: str, as_of: dt.date | None = None) -> dict[str, Any]:
    """Everything :func:`kpi_chart` reads, as plain data for the cache key.

    Keep this in step with the drawing code: a field drawn but missing here
    would serve a stale chart. The hash of this module's source is part of the
    key, so any change to how charts are drawn re-renders them.
    """
    kpi = result.kpi
    until = _as_of_period(result, as_of)
    return {
        "chart": "kpi",
        "chart_id": chart_id,
        "renderer": _renderer_fingerprint(),
        "kpi": {"id": kpi.id, "name": kpi.name, "unit": kpi.unit, "direction": kpi.direction.value},
        "current": str(result.current.period) if result.current else None,
        "status": result.status.value,
        "stale": result.stale,
        "until": str(until) if until else None,
        "history": [_row_key(row) for row in result.history],
    }


def kpi_description(result: KpiResult) -> str:
    """One or two sentences a screen reader speaks for the chart.

    Example: ``Customer satisfaction: 84 % in 2026-06 against a goal of 85 %;
    at risk. 6 periods from 2026-01 to 2026-06: 3 on track, 2 at risk, 1 off track.``
    """
    kpi, current = result.kpi, result.current
    if current is None or current.actual is None:
        return f"{kpi.name}: no data yet."
    goal = _goal_text(current.goal, kpi.unit)
    text = (
        f"{kpi.name}: {format_value(current.actual, kpi.unit)} in {current.period} "
        f"against {goal}; {result.status.label.lower()}"
    )
    if result.stale:
        text += " (stale: no newer value has been reported)"
    return f"{text}. {_trend_summary(result.history)}".rstrip()


# -- KPI series -----------------------------------------------------------------


@dataclass(frozen=True)
class _Series:
    """A KPI's history laid out on consecutive period slots ``0..n-1`` (NaN where absent)."""

    labels: tuple[str, ...]
    actual: tuple[float, ...]
    status: tuple[Status, ...]
    goal_lo: tuple[float, ...]  # the goal, or the range's lo
    goal_hi: tuple[float, ...]  # the goal again, or the range's hi
    flag_lo: tuple[float, ...]  # the red flag, or lo - tol
    flag_hi: tuple[float, ...]  # the red flag, or hi + tol
    current: int | None

    @property
    def size(self) -> int:
        """The number of period slots, first to last period of the history."""
        return len(self.labels)


def _as_of_period(result: KpiResult, as_of: dt.date | None) -> Period | None:
    """A stale KPI's last period ended by ``as_of`` (its axis runs on to it); ``None`` otherwise."""
    if as_of is None or not result.stale:
        return None
    period = Period.containing(as_of, result.kpi.frequency)
    return period if period.end <= as_of else period + (-1)


def _series(result: KpiResult, until: Period | None = None) -> _Series | None:
    """Lay the history out by period, on to ``until`` if later; ``None`` when there is nothing to plot at all."""
    rows = sorted(result.history, key=lambda r: r.period.index)
    if not rows:
        return None
    first = rows[0].period
    last = max(rows[-1].period.index, until.index if until else 0)
    size = last - first.index + 1
    slots: dict[int, PeriodResult] = {row.period - first: row for row in rows}
    nan = math.nan
    actual, status, glo, ghi, flo, fhi = ([] for _ in range(6))
    for i in range(size):
        row = slots.get(i)
        actual.append(nan if row is None or row.actual is None else row.actual)
        status.append(Status.NO_DATA if row is None else row.status)
        goal = _bounds(row.goal) if row else (nan, nan)
        flag = _bounds(row.red_flag) if row and row.red_flag is not None else (nan, nan)
        glo.append(goal[0])
        ghi.append(goal[1])
        flo.append(flag[0])
        fhi.append(flag[1])
    current = None
    if result.current is not None and result.current.actual is not None:
        slot = result.current.period - first
        current = slot if 0 <= slot < size and not math.isnan(actual[slot]) else None
    labels = tuple(str(Period(first.frequency, first.index + i)) for i in range(size))
    return _Series(labels, tuple(actual), tuple(status), tuple(glo), tuple(ghi), tuple(flo), tuple(fhi), current)


def _bounds(goal: float | tuple[float, float]) -> tuple[float, float]:
    """``(lo, hi)`` of a range goal, or the single goal twice."""
    if isinstance(goal, tuple):
        return (float(goal[0]), float(goal[1]))
    return (float(goal), float(goal))


def _steps(values: Sequence[float]) -> tuple[list[float], list[float]]:
    """Each period's value held flat across its slot ``[i - 0.5, i + 0.5]``.

    A goal is defined per period, so drawing it as steps shows exactly what each
    period was scored against; NaN slots stay gaps.
    """
    xs: list[float] = []
    ys: list[float] = []
    for i, value in enumerate(values):
        xs += [i - 0.5, i + 0.5]
        ys += [value, value]
    return xs, ys


# -- KPI drawing ----------------------------------------------------------------
#
# The KPI chart is drawn without matplotlib's tick machinery and legend: each
# Tick is five artists laid out at draw time, and a Legend is a tree of
# offset boxes; together they were two thirds of the time of a chart. Here
# ticks and the key are a few plain Text and Line2D artists placed by hand.

_TICK_PAD_PT = 5.0
_KEY_FONT_PT = 9.0


@dataclass(frozen=True)
class _Key:
    """One entry of the chart's key: a sample drawn as a line, a patch or a marker."""

    label: str
    kind: str  # "line" | "patch" | "marker"
    props: dict[str, Any]


def _draw_kpi(fig: Figure, result: KpiResult, series: _Series) -> None:
    """Bands, goal, actuals and markers, the key, the current period, a stale gap and both axes."""
    unit = result.kpi.unit
    ax = fig.axes[0]
    lo, hi = _y_limits(series)
    ax.set_xlim(-0.5, series.size - 0.5)
    ax.set_ylim(lo, hi)
    ticks = _y_ticks(lo, hi)
    labels = _y_labels(ticks, unit)
    _layout(fig, ax, series, labels, unit)
    if result.kpi.direction is Direction.RANGE:
        keys = _draw_range_bands(ax, series)
    else:
        keys = _draw_flag_band(ax, series)
    keys.insert(0, _draw_actuals(ax, series))
    keys += _draw_status_markers(ax, series)
    # The key comes before the value label, which must avoid it; the stale gap's
    # label comes after, and avoids the value label in turn.
    _draw_key(fig, ax, keys)
    stale_gap = result.stale and series.current is not None and series.current < series.size - 1
    if series.current is not None:
        _emphasise_current(fig, ax, series, unit, stale=result.stale)
    if stale_gap:
        _mark_stale_gap(fig, ax, series)
    if series.current is None and not any(math.isfinite(v) for v in series.actual):
        ax.text(0.5, 0.5, "No data yet", transform=ax.transAxes, ha="center", va="center",
                color=_INK, fontsize=12, fontweight="bold")
    _draw_value_axis(fig, ax, ticks, labels, unit)
    _draw_period_axis(fig, ax, series, show_last=stale_gap)


def _y_limits(s: _Series) -> tuple[float, float]:
    """The value range drawn: every actual, goal and red flag, with 8 % air (a flat line gets some too)."""
    lo, hi = _value_extent(s)
    pad = (hi - lo) * 0.08 or max(abs(hi) * 0.05, 1.0)
    return lo - pad, hi + pad


def _y_ticks(lo: float, hi: float) -> list[float]:
    """About five round values inside ``[lo, hi]``."""
    locator = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10], min_n_ticks=4)
    return [float(t) for t in locator.tick_values(lo, hi) if lo <= t <= hi]


def _y_labels(ticks: Sequence[float], unit: str) -> list[str]:
    """Tick labels written the way the pages write numbers: ``80 %``, ``87.5 %``, ``4,400``.

    Only ``%`` is written on every tick (other units are the axis title, where
    a long unit fits). Where the page's rounding would move a tick (``1,000.25``
    shown as ``1,000.3``), the tick gets the decimals it needs instead.
    """
    suffix = "%" if unit.strip() == "%" else ""
    numbers = [format_number(t) for t in ticks]
    if not all(_reads_as(text, t) for text, t in zip(numbers, ticks)):
        decimals = _decimals_for(ticks)
        numbers = [_trim(f"{t:,.{decimals}f}") for t in ticks]
    return [f"{text} {suffix}".strip() for text in numbers]


def _reads_as(text: str, value: float) -> bool:
    """Whether a written number (``1,000.3``) is ``value`` itself, not a rounding of it."""
    return abs(float(text.replace(",", "")) - value) < 1e-9 * max(1.0, abs(value))


def _decimals_for(ticks: Sequence[float]) -> int:
    """The fewest decimals that write every tick exactly (2.5-steps need one, 0.25-steps two)."""
    for decimals in range(7):
        if all(abs(round(t, decimals) - t) < 1e-9 * max(1.0, abs(t)) for t in ticks):
            return decimals
    return 6


def _layout(fig: Figure, ax: Axes, series: _Series, y_labels: Sequence[str], unit: str) -> None:
    """Place the plot: the left margin fits the y labels and the unit, the right one half the last period label."""
    width_in, height_in = fig.get_size_inches()
    width_pt, height_pt = width_in * 72, height_in * 72
    longest = max((len(t) for t in y_labels), default=1)
    left_pt = longest * _FONT_PT * _CHAR_EM + _TICK_PAD_PT + 8 + (18 if unit else 0)
    half_label = len(series.labels[-1]) * _FONT_PT * _CHAR_EM / 2
    half_slot = (width_pt - left_pt) / series.size / 2
    right_pt = max(10.0, half_label + 4 - half_slot)
    bottom_pt, top_pt = 24.0, 30.0
    ax.set_position((left_pt / width_pt, bottom_pt / height_pt,
                     1 - (left_pt + right_pt) / width_pt, 1 - (bottom_pt + top_pt) / height_pt))


def _points(fig: Figure, dx: float, dy: float) -> mtransforms.Transform:
    """An offset of ``dx``, ``dy`` points."""
    return mtransforms.ScaledTranslation(dx / 72, dy / 72, fig.dpi_scale_trans)


def _draw_value_axis(fig: Figure, ax: Axes, ticks: Sequence[float], labels: Sequence[str], unit: str) -> None:
    """Light grid lines at the ticks, their labels left of the plot, the unit as the axis title."""
    ax.hlines(ticks, 0, 1, transform=ax.get_yaxis_transform(), colors=_GRID, alpha=0.35, linewidth=0.6, zorder=0)
    to_left = ax.get_yaxis_transform() + _points(fig, -_TICK_PAD_PT, 0)
    for value, label in zip(ticks, labels):
        ax.text(0, value, label, transform=to_left, ha="right", va="center", color=_INK, fontsize=_FONT_PT)
    if unit:
        ax.text(0, 0.5, unit, transform=fig.transFigure + _points(fig, 4, 0), rotation=90,
                ha="left", va="center", color=_INK, fontsize=_FONT_PT)


def _draw_period_axis(fig: Figure, ax: Axes, s: _Series, *, show_last: bool = False) -> None:
    """The baseline, a tick per period and a thinned set of period labels (the current one bold).

    ``show_last`` labels the last period too where it fits: a stale KPI's axis
    ends at the as-of period, which a reader should be able to read off.
    """
    base = ax.get_xaxis_transform()
    ax.plot([0, 1], [0, 0], transform=ax.transAxes, color=_INK, alpha=0.6, linewidth=0.8, clip_on=False)
    ax.plot(range(s.size), [0] * s.size, transform=base, linestyle="none", marker=3, markersize=3 if s.size > 24 else 4,
            markeredgewidth=0.8, color=_INK, alpha=0.6, clip_on=False)
    below = base + _points(fig, 0, -_TICK_PAD_PT - 1)
    for i in _shown_periods(s, show_last=show_last):
        bold = i == s.current
        ax.text(i, 0, s.labels[i], transform=below, ha="center", va="top", color=_INK, fontsize=_FONT_PT,
                fontweight="bold" if bold else "normal")


def _shown_periods(s: _Series, *, show_last: bool = False) -> list[int]:
    """Evenly spaced period positions that fit side by side, counted from the current period."""
    anchor = s.current if s.current is not None else s.size - 1
    width = max(len(label) for label in s.labels)
    room = (_WIDTH_IN * 72 - 90) / (width * _FONT_PT * _CHAR_EM + 14)
    step = max(1, math.ceil(s.size / max(2, int(room))))
    shown = [i for i in range(s.size) if (i - anchor) % step == 0]
    last = s.size - 1
    if show_last and last not in shown and last - anchor >= step:
        # The last label replaces any neighbour it would run into; the current one always stays.
        shown = [i for i in shown if i == anchor or last - i >= step] + [last]
    return shown


def _draw_key(fig: Figure, ax: Axes, keys: Sequence[_Key]) -> None:
    """The key in one row above the plot, from its left edge."""
    height_pt = fig.get_size_inches()[1] * 72
    x = ax.get_position().x0 * fig.get_size_inches()[0] * 72
    y = height_pt - 12
    inches = fig.dpi_scale_trans
    for key in keys:
        sample = [(x + 1) / 72, (x + 17) / 72]
        if key.kind == "line":
            fig.add_artist(Line2D(sample, [y / 72] * 2, transform=inches, **key.props))
        elif key.kind == "patch":
            fig.add_artist(Rectangle((sample[0], (y - 4.5) / 72), 16 / 72, 9 / 72, transform=inches, **key.props))
        else:
            fig.add_artist(Line2D([(x + 9) / 72], [y / 72], transform=inches, **key.props))
        fig.text((x + 22) / 72, y / 72, key.label, transform=inches, ha="left", va="center", color=_INK,
                 fontsize=_KEY_FONT_PT)
        x += 22 + len(key.label) * _KEY_FONT_PT * 0.55 + 12


def _draw_flag_band(ax: Axes, s: _Series) -> list[_Key]:
    """Higher/lower KPI: the amber zone between goal and red flag, and the goal line."""
    amber = style(Status.AT_RISK).stroke
    xs, goal = _steps(s.goal_lo)
    _, flag = _steps(s.flag_lo)
    ax.fill_between(xs, goal, flag, color=amber, alpha=0.2, linewidth=0)
    goal_line = {"color": _INK, "linewidth": 1.2, "linestyle": (0, (4, 3)), "alpha": 0.8}
    ax.plot(xs, goal, **goal_line)
    return [_Key("Goal", "line", goal_line), _Key("Red-flag zone", "patch", {"facecolor": amber, "alpha": 0.25})]


def _draw_range_bands(ax: Axes, s: _Series) -> list[_Key]:
    """Range KPI: the goal range green, the tolerance on either side amber."""
    green, amber = style(Status.ON_TRACK).stroke, style(Status.AT_RISK).stroke
    xs, lo = _steps(s.goal_lo)
    _, hi = _steps(s.goal_hi)
    _, flo = _steps(s.flag_lo)
    _, fhi = _steps(s.flag_hi)
    ax.fill_between(xs, lo, hi, color=green, alpha=0.18, linewidth=0)
    ax.fill_between(xs, flo, lo, color=amber, alpha=0.2, linewidth=0)
    ax.fill_between(xs, hi, fhi, color=amber, alpha=0.2, linewidth=0)
    for edge in (lo, hi):
        ax.plot(xs, edge, color=green, linewidth=0.9, alpha=0.9)
    return [
        _Key("Goal range", "patch", {"facecolor": green, "alpha": 0.25, "edgecolor": green}),
        _Key("Tolerance", "patch", {"facecolor": amber, "alpha": 0.25}),
    ]


def _draw_actuals(ax: Axes, s: _Series) -> _Key:
    """The actuals as one line; NaN slots (no value) break it into a gap."""
    line = {"color": _INK, "linewidth": 1.6, "solid_capstyle": "round"}
    ax.plot(range(s.size), s.actual, zorder=3, **line)
    return _Key("Actual", "line", line)


def _draw_status_markers(ax: Axes, s: _Series) -> list[_Key]:
    """One marker per actual, in its status's colour and shape; a key entry per status shown."""
    keys: list[_Key] = []
    for status, (marker, size) in _MARKERS.items():
        points = [(i, v) for i, v in enumerate(s.actual) if s.status[i] is status and math.isfinite(v)]
        if not points:
            continue
        colour = style(status).stroke
        props = {"marker": marker, "markersize": size, "markerfacecolor": colour, "markeredgecolor": "white",
                 "markeredgewidth": 0.8, "linestyle": "none", "color": colour}
        ax.plot([p[0] for p in points], [p[1] for p in points], zorder=4, clip_on=False, **props)
        keys.append(_Key(style(status).label, "marker", props))
    return keys


def _emphasise_current(fig: Figure, ax: Axes, s: _Series, unit: str, *, stale: bool) -> None:
    """Ring the current period's marker, shade its slot and write its value (and staleness) beside it."""
    i = s.current
    assert i is not None
    value = s.actual[i]
    ax.axvspan(i - 0.5, i + 0.5, color=_INK, alpha=0.05, linewidth=0, zorder=0)
    ax.plot([i], [value], marker="o", markersize=_RING_PT, markerfacecolor="none", markeredgecolor=_INK,
            markeredgewidth=1.4, linestyle="none", zorder=5, clip_on=False)
    label = format_value(value, unit) + (" (stale)" if stale else "")
    text = ax.annotate(label, (i, value), xytext=(0, 0), textcoords="offset points", color=_INK, fontsize=10,
                       fontweight="bold", zorder=6, gid=_HALO_GID, annotation_clip=False)
    _place_value_label(fig, ax, s, text)


# -- placing the value label ------------------------------------------------------
#
# The label tries a few spots around the current point, then just above or
# below everything drawn at the current period, and takes the first whose box
# (measured by the renderer, in display units) stays inside the plot and meets
# no line, marker, goal line, key entry or other text. When every spot is
# taken, the value axis grows a strip of headroom at the top, which is free by
# construction, and the spots are tried again (generator/render/label_placement.py).
# The stale gap's label uses the same machinery with its own spots.

_RING_PT = 13.0
_LABEL_GAP_PT = 11.0  # from the current point to the label: clears the ring (radius 6.5 pt)
_MARKER_RADIUS_PT = 4.5  # the largest status marker (7.5 pt) with its white edge


def _label_spots(ax: Axes, s: _Series, text: Annotation, obstacles: Obstacles) -> list[Spot]:
    """Candidate spots in order of preference: beside the point, then just above or below the data at its slot."""
    assert s.current is not None
    at, gap, diagonal = (float(s.current), s.actual[s.current]), _LABEL_GAP_PT, _LABEL_GAP_PT * 0.75
    beside = [
        Spot(at, "data", (0, gap), "center", "bottom"),
        Spot(at, "data", (0, -gap), "center", "top"),
        Spot(at, "data", (-gap, 0), "right", "center"),
        Spot(at, "data", (-diagonal, diagonal), "right", "bottom"),
        Spot(at, "data", (-diagonal, -diagonal), "right", "top"),
        Spot(at, "data", (gap, 0), "left", "center"),
    ]
    return beside + _spots_clear_of_data(ax, text, obstacles, s.current + 0.5)


def _spots_clear_of_data(ax: Axes, text: Annotation, obstacles: Obstacles, slot_end: float) -> list[Spot]:
    """Just above and just below everything drawn in the strip the label takes, ending at the current slot's end."""
    scale = ax.figure.dpi / 72
    x1 = ax.transData.transform((slot_end, 0))[0] - 4 * scale
    x0 = x1 - text.get_window_extent(text_renderer(ax.figure)).width - 2 * LABEL_PAD_PT * scale
    axes = ax.get_window_extent()
    extent = strip_extent(obstacles, axes, x0, x1)
    if extent is None:
        return []
    low, high = ((y - axes.y0) / axes.height for y in extent)
    clear, x_data = LABEL_PAD_PT + 1, ("data", "axes fraction")
    return [
        Spot((slot_end, high), x_data, (-4, clear), "right", "bottom"),
        Spot((slot_end, low), x_data, (-4, -clear), "right", "top"),
    ]


def _place_value_label(fig: Figure, ax: Axes, s: _Series, text: Annotation) -> None:
    """Move ``text`` to the first free spot, adding headroom above the data when none is free."""
    obstacles = _obstacles(fig, ax, s, text)
    if place(fig, ax, text, _label_spots(ax, s, text, obstacles), obstacles) > 0:
        # Room for the label, the air around it and its distance from the data.
        add_headroom(ax, text.get_window_extent(text_renderer(fig)).height + 4 * (LABEL_PAD_PT + 1) * fig.dpi / 72)
        obstacles = _obstacles(fig, ax, s, text)  # the data moved down
        place(fig, ax, text, _label_spots(ax, s, text, obstacles), obstacles)


def _obstacles(fig: Figure, ax: Axes, s: _Series, label: Annotation) -> Obstacles:
    """The actual line, the goal line(s), every marker (the ring too), the key and any other text but ``label``."""
    assert s.current is not None
    to_display = ax.transData.transform
    scale = fig.dpi / 72
    points = [(float(x), float(y)) for x, y in to_display([(i, v) for i, v in enumerate(s.actual)])]
    finite = [p for p, v in zip(points, s.actual) if math.isfinite(v)]
    boxes = [square(p, _MARKER_RADIUS_PT * scale) for p in finite]
    boxes.append(square(points[s.current], (_RING_PT / 2 + 1) * scale))
    measure = text_renderer(fig)
    boxes += [a.get_window_extent(measure) for a in (*fig.artists, *fig.texts, *ax.texts) if a is not label]
    lines = [points]
    for goal in (s.goal_lo, s.goal_hi):  # the goal twice, or a range's two edges
        xs, ys = _steps(goal)
        lines.append([(float(x), float(y)) for x, y in to_display(list(zip(xs, ys)))])
    segments = [(a, b) for line in lines for a, b in zip(line, line[1:]) if math.isfinite(a[1] + b[1])]
    return Obstacles(tuple(boxes), tuple(segments))


# -- the stale gap ------------------------------------------------------------------

_GAP_FONT_PT = 9.0


def _mark_stale_gap(fig: Figure, ax: Axes, s: _Series) -> None:
    """Hatch the periods after the current one, up to the as-of period, and say since when data is missing."""
    assert s.current is not None
    start, end = s.current + 0.5, s.size - 0.5
    ax.axvspan(start, end, color=_MUTED, alpha=0.08, linewidth=0, zorder=0)
    # A second, unfilled span carries the hatch: one span's alpha would fade the hatch with the fill.
    ax.axvspan(start, end, facecolor="none", edgecolor=(*to_rgb(_MUTED), 0.55), hatch="///", linewidth=0, zorder=0)
    text = ax.annotate(f"No data since {s.labels[s.current]}", (end, 1), xytext=(0, 0), textcoords="offset points",
                       color=_INK, alpha=0.8, fontsize=_GAP_FONT_PT, fontstyle="italic", zorder=6,
                       gid=_GAP_GID, annotation_clip=False)
    span = ax.transData.transform([(start, 0), (end, 0)])
    fits = text.get_window_extent(text_renderer(fig)).width + 8 * fig.dpi / 72 <= span[1][0] - span[0][0]
    place(fig, ax, text, _gap_spots(start, end, fits_across=fits), _obstacles(fig, ax, s, text))


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


def _value_extent(s: _Series) -> tuple[float, float]:
    """The lowest and highest value drawn (actuals, goals and red flags)."""
    values = [v for seq in (s.actual, s.goal_lo, s.goal_hi, s.flag_lo, s.flag_hi) for v in seq if math.isfinite(v)]
    return (min(values), max(values)) if values else (0.0, 1.0)


def _style_axes(ax: Axes) -> None:
    """Timeline axes: ink-coloured left and bottom spines and ticks, transparent background."""
    ax.set_facecolor("none")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(_INK)
        ax.spines[side].set_alpha(0.6)
    ax.tick_params(colors=_INK, labelcolor=_INK, which="both")
    ax.set_axisbelow(True)


# -- timeline -------------------------------------------------------------------


_INITIATIVE_STYLE: dict[InitiativeStatus | None, tuple[Status, str]] = {
    InitiativeStatus.NOT_STARTED: (Status.NO_DATA, "Not started"),
    InitiativeStatus.ON_TRACK: (Status.ON_TRACK, "On track"),
    InitiativeStatus.AT_RISK: (Status.AT_RISK, "At risk"),
    InitiativeStatus.OFF_TRACK: (Status.OFF_TRACK, "Off track"),
    InitiativeStatus.DONE: (Status.ON_TRACK, "Done"),
    None: (Status.NO_DATA, "No status"),
}
_NAME_CHARS = 28
# Wider than a KPI chart: the name and status columns take half of it.
_TIMELINE_WIDTH_IN = 8.5
_LABEL_PT = 10.5


def _row_dates(row: InitiativeResult) -> tuple[dt.date, dt.date] | None:
    """The span a row is drawn over; ``None`` when the initiative has no date at all."""
    item = row.initiative
    days = [d for d in (item.start, item.end) if d is not None]
    days += [m.due for m in item.milestones if m.due is not None]
    if not days:
        return None
    return (item.start or min(days), item.end or max(days))


def _status_text(row: InitiativeResult) -> str:
    """The words beside a row: ``At risk · 70 % · late · 1 overdue``."""
    item = row.initiative
    parts = [_INITIATIVE_STYLE[item.status][1]]
    if item.progress is not None:
        parts.append(f"{_trim(f'{item.progress:.0f}')} %")
    if row.late:
        parts.append("late")
    if row.overdue_milestones:
        parts.append(f"{row.overdue_milestones} overdue")
    return " · ".join(parts)


def _draw_timeline(fig: Figure, rows: list[InitiativeResult], as_of: dt.date | None) -> None:
    """Every initiative as a row, top to bottom in scorecard order."""
    ax = fig.add_subplot()
    _style_axes(ax)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color=_GRID, alpha=0.35, linewidth=0.6)
    days: list[dt.date] = [as_of] if as_of else []
    for y, row in enumerate(rows):
        days += _draw_initiative(ax, y, row)
    _timeline_axes(fig, ax, rows, days, as_of)


def _draw_initiative(ax: Axes, y: int, row: InitiativeResult) -> list[dt.date]:
    """One row: the bar, its progress, its milestones and its status text. Returns the dates used."""
    item = row.initiative
    status, _ = _INITIATIVE_STYLE[item.status]
    colour = style(status).stroke
    span = _row_dates(row)
    blended = ax.get_yaxis_transform()
    ax.text(1.01, y, _status_text(row), transform=blended, va="center", ha="left", color=_INK, fontsize=_LABEL_PT)
    if span is None:
        ax.text(0.01, y, "no dates", transform=blended, va="center", ha="left", color=_MUTED,
                fontsize=_LABEL_PT, fontstyle="italic")
        return []
    start, end = (mdates.date2num(d) for d in span)
    length = max(end - start, 1.0)
    ax.barh(y, length, left=start, height=0.56, color=colour, alpha=0.22, linewidth=0)
    ax.barh(y, length, left=start, height=0.56, facecolor="none", edgecolor=colour, linewidth=1.0)
    done = 100.0 if item.status is InitiativeStatus.DONE and item.progress is None else item.progress or 0.0
    if done > 0:
        ax.barh(y, length * done / 100, left=start, height=0.56, color=colour, linewidth=0)
    milestone_days = [m.due for m in item.milestones if m.due is not None]
    for number, milestone in enumerate(item.milestones, start=1):
        if milestone.due is not None:
            # The group id says which diamond is which (for page CSS and tests).
            state = "done" if milestone.done else "open"
            ax.plot([mdates.date2num(milestone.due)], [y], marker="D", markersize=6.5, linestyle="none",
                    markeredgecolor=_INK, markeredgewidth=1.1, markerfacecolor=_INK if milestone.done else "none",
                    zorder=4, gid=f"milestone-{y + 1}-{number}-{state}")
    return [*span, *milestone_days]


def _timeline_axes(
    fig: Figure, ax: Axes, rows: list[InitiativeResult], days: list[dt.date], as_of: dt.date | None
) -> None:
    """Date axis over every date drawn, one labelled row per initiative, the as-of line."""
    first, last = min(days), max(days)
    pad = max(7, (last - first).days // 30)
    ax.set_xlim(mdates.date2num(first - dt.timedelta(days=pad)), mdates.date2num(last + dt.timedelta(days=pad)))
    ax.set_ylim(len(rows) - 0.4, -0.8)  # first initiative on top
    ax.set_yticks(range(len(rows)), [_shorten(r.initiative.name) for r in rows])
    ax.tick_params(axis="y", length=0)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    if as_of is not None:
        x = mdates.date2num(as_of)
        ax.axvline(x, color=_INK, linewidth=1.2, linestyle=(0, (3, 2)), zorder=5)
        # Label on the side with more room, so it never runs into the status column.
        left_side = x > sum(ax.get_xlim()) / 2
        ax.annotate(f"As of {as_of.isoformat()}", (x, -0.8), xytext=(-3 if left_side else 3, 1),
                    textcoords="offset points", ha="right" if left_side else "left", va="bottom",
                    color=_INK, fontsize=_LABEL_PT, fontweight="bold", annotation_clip=False)
    _timeline_margins(fig, rows)
    ax.tick_params(labelsize=_LABEL_PT)


def _timeline_margins(fig: Figure, rows: list[InitiativeResult]) -> None:
    """Room for the longest name on the left and the longest status text on the right."""
    width_pt, height_pt = (side * 72 for side in fig.get_size_inches())
    name_pt = max(len(_shorten(r.initiative.name)) for r in rows) * _LABEL_PT * 0.55 + 12
    status_pt = max(len(_status_text(r)) for r in rows) * _LABEL_PT * 0.55 + 12
    fig.subplots_adjust(left=min(0.4, name_pt / width_pt), right=1 - min(0.3, status_pt / width_pt),
                        bottom=26 / height_pt, top=1 - 22 / height_pt)


def _shorten(name: str) -> str:
    """An initiative name cut to fit the label column (the full name is in the description)."""
    return name if len(name) <= _NAME_CHARS else name[: _NAME_CHARS - 1].rstrip() + "\u2026"


def _timeline_description(rows: list[InitiativeResult], as_of: dt.date | None) -> str:
    """Counts by status and the late initiatives by name, for screen readers."""
    if not rows:
        return "No initiatives yet."
    counts = Counter(_INITIATIVE_STYLE[r.initiative.status][1] for r in rows)
    order = [word for _, word in _INITIATIVE_STYLE.values()]
    parts = [f"{counts[word]} {word.lower()}" for word in order if counts[word]]
    when = f" as of {as_of.isoformat()}" if as_of else ""
    noun = "initiative" if len(rows) == 1 else "initiatives"
    text = f"{len(rows)} {noun}{when}: {', '.join(parts)}."
    late = sum(r.late for r in rows)
    if late:
        text += f" {late} late: {', '.join(r.initiative.name for r in rows if r.late)}."
    return text


# -- shared drawing ----------------------------------------------------------------


def _draw_empty(fig: Figure, message: str, hint: str) -> None:
    """The empty state: a framed message instead of an empty plot."""
    ax = fig.add_axes((0.005, 0.02, 0.99, 0.96))
    ax.set_axis_off()
    ax.add_patch(_frame(ax))
    ax.text(0.5, 0.6, message, ha="center", va="center", color=_INK, fontsize=13, fontweight="bold",
            transform=ax.transAxes)
    ax.text(0.5, 0.3, hint, ha="center", va="center", color=_INK, alpha=0.75, fontsize=10,
            transform=ax.transAxes)


def _frame(ax: Axes) -> FancyBboxPatch:
    """A dashed rounded frame around the empty state, so it reads as a placeholder."""
    return FancyBboxPatch((0.01, 0.04), 0.98, 0.92, boxstyle="round,pad=0,rounding_size=0.03",
                          facecolor="none", edgecolor=_GRID, linewidth=1.0, linestyle=(0, (4, 3)),
                          transform=ax.transAxes, mutation_aspect=1 / 5)


@contextmanager
def _canvas(chart_id: str, width_in: float, height_in: float, *, keep_axes: bool = False) -> Iterator[Figure]:
    """A reused figure, sized, with this chart's rc settings; wiped afterwards.

    ``keep_axes`` picks the KPI figure, whose one axes is kept across charts
    and only emptied (creating or clearing an Axes builds its tick machinery,
    a quarter of a chart's time). Every other chart uses a figure cleared
    after use. The two never share a figure, so a chart's bytes do not depend
    on which charts the process drew before. The lock is held for the whole
    draw-and-save: rc settings are process global and the figures are shared.
    """
    with _lock:
        fig = _surface(keep_axes)
        fig.set_size_inches(width_in, height_in)
        rc = dict(_RC, **{"svg.hashsalt": chart_id, "svg.id": chart_id})
        with matplotlib.rc_context(rc):
            try:
                yield fig
            finally:
                _wipe(fig, keep_axes)


def _surface(keep_axes: bool) -> Figure:
    """The process's figure of that kind, made on first use."""
    fig = _figures.get(keep_axes)
    if fig is None:
        # SVG is drawn at 72 dpi; measuring text for the value label at another
        # dpi would switch the figure's dpi mid-chart and skew the geometry.
        fig = Figure(dpi=72)
        FigureCanvasSVG(fig)
        fig.patch.set_alpha(0.0)
        if keep_axes:
            fig.add_axes((0.1, 0.1, 0.8, 0.8)).set_axis_off()  # placed per chart by _layout
        _figures[keep_axes] = fig
    return fig


def _wipe(fig: Figure, keep_axes: bool) -> None:
    """Remove everything a chart drew, keeping the KPI figure's axes."""
    if not keep_axes:
        fig.clear()
        return
    for ax in fig.axes:
        for group in (ax.lines, ax.collections, ax.patches, ax.texts, ax.artists, ax.images):
            for artist in list(group):
                artist.remove()
        ax.set_prop_cycle(None)
    for artist in [*fig.artists, *fig.lines, *fig.patches, *fig.texts, *fig.images]:
        artist.remove()


def _save(fig: Figure) -> str:
    """The figure as SVG text, without the date and software metadata that would vary."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata=_METADATA, transparent=True)
    return buffer.getvalue()


# -- SVG finishing -------------------------------------------------------------------


_TAG = re.compile(r"<[^>]*>")  # matplotlib escapes < and > in text and attributes
_ID_USE = re.compile(r'(\bid="|url\(#|href="#)([^"()]+)')
_FONT_FAMILY = re.compile(r"font-family: [^;\"]*;? ?")
_ROOT = re.compile(r"<svg\b[^>]*>")


def _finish_svg(raw: str, chart_id: str, title: str, desc: str) -> str:
    """Make matplotlib's file an inline element (see the module docstring for why each step)."""
    svg = raw[raw.index("<svg"):]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    # Rewrite markup only: a KPI name reading `id="x"` or `#010203` stays as written.
    svg = _TAG.sub(lambda m: _fix_tag(m.group(0), chart_id), svg)
    # matplotlib's `*{...}` rule would leak onto the whole page once inlined.
    svg = svg.replace('<style type="text/css">*{', f'<style type="text/css">{_halo_rule(chart_id)}#{chart_id} *{{')
    svg = _ROOT.sub(lambda m: _root_tag(m.group(0), chart_id, title, desc), svg, count=1)
    lines = (line.rstrip() for line in svg.splitlines())
    return "\n".join(line for line in lines if line) + "\n"


def _halo_rule(chart_id: str) -> str:
    """CSS that outlines the value and gap labels in the background colour, so they read over lines and hatching.

    The chart is transparent, so the colour comes from the page: a wrapper
    with its own background sets ``--sp-chart-bg``; otherwise Material's page
    background (light or dark scheme) applies.
    """
    return (
        f"#{chart_id}-{_HALO_GID} text, #{chart_id}-{_GAP_GID} text{{paint-order: stroke; "
        "stroke: var(--sp-chart-bg, var(--md-default-bg-color, #fff)); stroke-width: 3px; stroke-linejoin: round}"
    )


def _fix_tag(tag: str, chart_id: str) -> str:
    """One tag: ids prefixed, ink made ``currentColor``, font left to the page."""
    tag = _prefix_ids(tag, chart_id)
    tag = re.sub(re.escape(_INK), "currentColor", tag, flags=re.I)
    return _FONT_FAMILY.sub("", tag)


def _prefix_ids(svg: str, chart_id: str) -> str:
    """Prefix every id and every reference to one with ``chart_id`` (the root keeps ``chart_id``)."""
    prefix = f"{chart_id}-"

    def rename(match: re.Match[str]) -> str:
        """The matched id or reference, prefixed unless it already is."""
        name = match.group(2)
        if name == chart_id or name.startswith(prefix):
            return match.group(0)
        return f"{match.group(1)}{prefix}{name}"

    return _ID_USE.sub(rename, svg)


def _root_tag(tag: str, chart_id: str, title: str, desc: str) -> str:
    """The ``<svg>`` start tag made fluid and accessible, followed by ``<title>`` and ``<desc>``."""
    tag = re.sub(r'\s(width|height)="[^"]*"', "", tag)
    fluid = 'style="width: 100%; height: auto; font-family: var(--md-text-font-family, sans-serif)"'
    labels = f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="sp-chart"'
    tag = tag[:-1].rstrip() + f" {fluid} {labels}>"
    return (
        f'{tag}\n <title id="{chart_id}-title">{escape(title)}</title>\n'
        f' <desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )


def _check_chart_id(chart_id: str) -> None:
    """Refuse an id that is not a valid XML id and CSS selector (it prefixes every id inside)."""
    if not _CHART_ID.fullmatch(chart_id):
        raise ValueError(f"chart id {chart_id!r} must be letters, digits, '-' or '_', starting with a letter")


# -- small helpers ---------------------------------------------------------------------


def _trim(text: str) -> str:
    """``84.50`` -> ``84.5``, ``84.00`` -> ``84``, ``-0`` -> ``0``."""
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _goal_text(goal: float | tuple[float, float], unit: str) -> str:
    """``a goal of 85 %`` or ``a goal range of 30 to 40 °C``."""
    if isinstance(goal, tuple):
        lo, hi = goal
        if lo == hi:
            return f"a goal of {format_value(lo, unit)}"
        return f"a goal range of {format_value(lo)} to {format_value(hi, unit)}"
    return f"a goal of {format_value(goal, unit)}"


def _trend_summary(history: Sequence[PeriodResult]) -> str:
    """``6 values from 2026-01 to 2026-06: 3 on track, 2 at risk, 1 off track.`` (empty for one value)."""
    rows = sorted((r for r in history if r.actual is not None), key=lambda r: r.period.index)
    if len(rows) < 2:
        return ""
    counts = Counter(r.status for r in rows)
    parts = [f"{counts[s]} {s.label.lower()}" for s in _MARKERS if counts[s]]
    return f"{len(rows)} values from {rows[0].period} to {rows[-1].period}: {', '.join(parts)}."


def _row_key(row: PeriodResult) -> list[Any]:
    """The parts of a history row the chart draws."""
    return [str(row.period), row.actual, _plain_goal(row.goal), _plain_goal(row.red_flag), row.status.value]


def _plain_goal(goal: float | tuple[float, float] | None) -> float | list[float] | None:
    """A goal as JSON data."""
    return list(goal) if isinstance(goal, tuple) else goal


@functools.cache
def _renderer_fingerprint() -> str:
    """Hash of the drawing code (this module, label placement, the status colours): a change re-renders every chart."""
    digest = hashlib.sha256()
    for module_file in (__file__, style_module.__file__, label_placement.__file__):
        digest.update(Path(module_file).read_bytes())
    return f"{__version__}:{digest.hexdigest()[:16]}"
