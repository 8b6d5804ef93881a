"""Every KPI's chart for a build: from the cache, or drawn (in worker processes when many).

The cache key of a chart (:func:`kpi_chart_key`) is everything the drawing
reads, plus a fingerprint of the drawing code itself.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import __version__
from generator.compute.results import Forecast, KpiResult, PeriodResult, Results
from generator.render import style as style_module
from generator.render.charts.cache import ChartCache
from generator.render.charts.kpi import kpi_chart
from generator.render.charts.series import as_of_period
from generator.workers import cpu_count, fork_map

__all__ = [
    "PARALLEL_FROM", "ChartJob", "cached_timeline", "chart_jobs", "kpi_chart_id", "kpi_chart_key", "render_kpi_charts",
]

logger = logging.getLogger(__name__)

PARALLEL_FROM = 150
"""Charts from which worker processes pay off (a forked worker starts in milliseconds, a chart costs about 6 ms)."""

_Job = tuple[KpiResult, str, "dt.date | None", "Forecast | None"]


def kpi_chart_id(kpi_id: str) -> str:
    """The chart id used for a KPI's trend chart (an XML id cannot start with a digit)."""
    return f"kpi-chart-{kpi_id}"


def render_kpi_charts(results: Results, cache: ChartCache | None, workers: int | None = None) -> dict[str, str]:
    """Every KPI's trend chart, through the cache when one is given.

    The charts the cache lacks are drawn in forked worker processes when there are many
    (a cold build of a thousand KPIs); each chart depends only on its own inputs,
    so a worker draws the same bytes as this process would. What the workers read or
    drew is recorded in ``cache`` here; the caller saves it.

    Args:
        results: the build's results.
        cache: the chart cache, or ``None`` to draw every chart.
        workers: processes to draw in; ``None``: one per CPU when there are at least
            :data:`PARALLEL_FROM` charts to draw, else this process alone.

    A build does the same with :func:`chart_jobs`, its pages and charts in one batch.

    Returns:
        KPI id -> SVG, in the scorecard's KPI order.
    """
    jobs = chart_jobs(results, cache)
    count = workers or (cpu_count() if len(jobs) >= PARALLEL_FROM else 1)
    run = fork_map if cache is None else cache.fork_map
    made = run(_draw, jobs, count) or [None] * len(jobs)
    return {job.kpi_id: job() if svg is None else svg for job, svg in zip(jobs, made, strict=True)}


@dataclass(frozen=True)
class ChartJob:
    """One KPI's chart: read from the cache, or drawn and kept there; callable in any process.

    In a forked worker, what it read or drew reaches the cache's pack through
    :meth:`.ChartCache.carrying` and :meth:`.ChartCache.merged`.
    """

    kpi_id: str
    inputs: _Job
    cache: ChartCache | None = None

    def __call__(self) -> str:
        if self.cache is None:
            return kpi_chart(*self.inputs)
        return self.cache.get_or_render(kpi_chart_key(*self.inputs), lambda: kpi_chart(*self.inputs))


def chart_jobs(results: Results, cache: ChartCache | None) -> list[ChartJob]:
    """A job for each of a unit's KPI charts, in the unit's KPI order."""
    return [
        ChartJob(kpi_id, (result, kpi_chart_id(kpi_id), results.as_of, results.forecasts.get(kpi_id)), cache)
        for kpi_id, result in results.kpis.items()
    ]


def _draw(job: ChartJob) -> str:
    return job()


def cached_timeline(results: Results, chart_id: str, cache: ChartCache | None) -> str:
    """The initiatives' timeline (:func:`.timeline.initiatives_timeline`), from the cache when it has it.

    A build draws it on every unit's initiatives page; unchanged initiatives at the same
    as-of date give the same drawing, so a rebuild reads it (and matplotlib need not load).
    """
    from generator.render.charts.timeline import initiatives_timeline

    if cache is None:
        return initiatives_timeline(results, chart_id)
    key = {
        "chart": "timeline",
        "chart_id": chart_id,
        "renderer": _renderer_fingerprint(),
        "as_of": results.as_of,
        "initiatives": list(results.initiatives.values()),  # every field, the initiative as written included
    }
    return cache.get_or_render(key, lambda: initiatives_timeline(results, chart_id))


def kpi_chart_key(
    result: KpiResult, chart_id: str, as_of: dt.date | None = None, forecast: Forecast | None = None
) -> dict[str, Any]:
    """Everything :func:`kpi_chart` reads, as plain data for the cache key.

    Keep this in step with the drawing code: a field drawn but missing here
    would serve a stale chart. The hash of the drawing code is part of the
    key, so any change to how charts are drawn re-renders them.
    """
    kpi = result.kpi
    until = as_of_period(result, as_of)
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
        "forecast": _forecast_key(forecast),
    }


def _forecast_key(forecast: Forecast | None) -> dict[str, Any] | None:
    """The parts of a forecast the chart draws and says (None without one)."""
    if forecast is None:
        return None
    return {
        "period": str(forecast.period),
        "goal": forecast.goal,
        "value": forecast.value,
        "p_hit": forecast.p_hit,
        "points": [[str(p.period), p.value, p.low, p.high] for p in forecast.points],
    }


def _row_key(row: PeriodResult) -> list[Any]:
    """The parts of a history row the chart draws."""
    return [str(row.period), row.actual, _plain_goal(row.goal), _plain_goal(row.red_flag), row.status.value]


def _plain_goal(goal: float | tuple[float, float] | None) -> float | list[float] | None:
    """A goal as JSON data."""
    return list(goal) if isinstance(goal, tuple) else goal


@functools.cache
def _renderer_fingerprint() -> str:
    """Hash of the drawing code (this package, the status colours, number formats): a change re-renders every chart."""
    digest = hashlib.sha256()
    drawing = sorted(Path(__file__).parent.glob("*.py"))
    render_dir = Path(style_module.__file__).parent
    shared = (render_dir / "style.py", render_dir / "numbers.py", render_dir / "forecast_text.py")
    for module_file in (*drawing, *shared):
        digest.update(module_file.name.encode())
        digest.update(module_file.read_bytes())
    return f"{__version__}:{digest.hexdigest()[:16]}"
