"""Every KPI's chart for a build: from the cache, or drawn (in worker processes when many).

The cache key of a chart (:func:`kpi_chart_key`) is everything the drawing
reads, plus a fingerprint of the drawing code itself.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import multiprocessing
import os
import sys
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from generator import __version__
from generator.compute.results import Forecast, KpiResult, PeriodResult, Results
from generator.render import style as style_module
from generator.render.charts.cache import ChartCache
from generator.render.charts.kpi import kpi_chart
from generator.render.charts.series import as_of_period

__all__ = [
    "PARALLEL_FROM", "kpi_chart_id", "kpi_chart_key", "render_kpi_charts", "render_tree_charts", "start_kpi_charts",
    "start_tree_charts",
]

logger = logging.getLogger(__name__)

PARALLEL_FROM = 150
"""Charts to draw before worker processes pay off.

A spawned worker (see :func:`_can_fork`) costs about a second of CPU to start
Python and matplotlib; a chart about 10 ms. On two CPUs, this process and one
worker finish sooner than this process alone from about 150 charts on.
"""

_Job = tuple[KpiResult, str, "dt.date | None", "Forecast | None"]


def kpi_chart_id(kpi_id: str) -> str:
    """The chart id used for a KPI's trend chart (an XML id cannot start with a digit)."""
    return f"kpi-chart-{kpi_id}"


def render_kpi_charts(results: Results, cache: ChartCache | None, workers: int | None = None) -> dict[str, str]:
    """Every KPI's trend chart, through the cache when one is given.

    The charts the cache lacks are drawn in worker processes when there are many
    (a cold build of a thousand KPIs); each chart depends only on its own inputs,
    so a worker draws the same bytes as this process would.

    Args:
        results: the build's results.
        cache: the chart cache, or ``None`` to draw every chart.
        workers: processes to draw in, this one included; ``None``: one per CPU when
            there are at least :data:`PARALLEL_FROM` charts to draw, else this process alone.

    Returns:
        KPI id -> SVG, in the scorecard's KPI order.
    """
    return render_tree_charts([results], cache, workers)[0]


def render_tree_charts(
    units: list[Results], cache: ChartCache | None, workers: int | None = None
) -> list[dict[str, str]]:
    """Every KPI chart of several units (a cascaded organisation) in one batch: one dict per unit.

    One batch, so a thousand KPIs over fifty units are drawn in parallel like a
    thousand in one scorecard (no unit alone has enough charts for workers to pay off).
    """
    unit = start_tree_charts(units, cache, workers)
    return [unit(n) for n in range(len(units))]


def start_kpi_charts(
    results: Results, cache: ChartCache | None, workers: int | None = None
) -> Callable[[], dict[str, str]]:
    """:func:`render_kpi_charts`, started: worker processes draw while this process goes on.

    Returns:
        A function giving the charts (KPI id -> SVG); it draws in this process too
        what no worker has started yet, and waits for the rest.
    """
    unit = start_tree_charts([results], cache, workers)
    return lambda: unit(0)


def start_tree_charts(
    units: list[Results], cache: ChartCache | None, workers: int | None = None
) -> Callable[[int], dict[str, str]]:
    """:func:`render_tree_charts`, started: worker processes draw while this process goes on.

    A build renders its pages meanwhile (they need a chart's text and size, not
    its drawing: :func:`.kpi.kpi_chart_text`), so on two CPUs most charts are
    drawn while pages are.

    Returns:
        A function giving the ``n``-th unit's charts (KPI id -> SVG); call it once
        that unit's pages are done: it draws here what no worker has started yet of
        that unit's charts, and waits for the rest of them.
    """
    jobs = [
        ((n, kpi_id), (result, kpi_chart_id(kpi_id), results.as_of, results.forecasts.get(kpi_id)))
        for n, results in enumerate(units)
        for kpi_id, result in results.kpis.items()
    ]
    keys = {ref: kpi_chart_key(*job) for ref, job in jobs}
    charts: dict[tuple[int, str], str | None] = {ref: cache.lookup(keys[ref]) if cache else None for ref, _ in jobs}
    missing = [(ref, job) for ref, job in jobs if charts[ref] is None]
    drawing = _Drawing([job for _, job in missing], workers)
    finished: set[int] = set()

    def unit(n: int) -> dict[str, str]:
        if n not in finished:
            # The jobs are in unit order, so a unit's missing charts are one run of them.
            mine = [i for i, (ref, _) in enumerate(missing) if ref[0] == n]
            if mine:
                for i, drawn in zip(mine, drawing.result(mine[0], mine[-1] + 1), strict=True):
                    charts[missing[i][0]] = drawn
                    if cache is not None:
                        cache.store(keys[missing[i][0]], drawn)
            finished.add(n)
            if cache is not None and len(finished) == len(units):
                logger.info("KPI charts: %d from cache, %d rendered", cache.hits, cache.misses)
        return {kpi_id: svg for (m, kpi_id), svg in charts.items() if m == n and svg is not None}

    return unit


class _Drawing:
    """``kpi_chart(*job)`` for every job: worker processes start at once, :meth:`result` finishes here.

    With ``workers`` of 2 or more (``None``: one per CPU from :data:`PARALLEL_FROM`
    jobs on), the jobs go out in chunks to ``workers - 1`` worker processes, which
    take them from the front. When some results are asked for, this process draws
    from the back every chunk of them no worker has started yet, then waits for the
    others. The first chunk is always a worker's, so what a worker draws is always
    part of the result.
    """

    def __init__(self, jobs: list[_Job], workers: int | None) -> None:
        self.jobs = jobs
        self.spans: list[tuple[int, int]] = []
        self.futures: list[Future[list[str]]] = []
        self.here: dict[int, list[str]] = {}  # chunk index -> drawn in this process
        self.pool: ProcessPoolExecutor | None = None
        if workers is None:
            workers = _cpu_count() if len(jobs) >= PARALLEL_FROM else 1
        if workers < 2 or len(jobs) < 2:
            return
        size = max(1, len(jobs) // (workers * 16))
        self.spans = [(start, min(start + size, len(jobs))) for start in range(0, len(jobs), size)]
        forked = _can_fork()
        global _forked_jobs
        _forked_jobs = jobs if forked else []
        self.pool = ProcessPoolExecutor(
            max_workers=workers - 1, mp_context=multiprocessing.get_context("fork" if forked else "spawn")
        )
        if forked:  # the workers have the jobs already: send where they are, not what they are
            self.futures = [self.pool.submit(_draw_forked, start, stop) for start, stop in self.spans]
        else:
            self.futures = [self.pool.submit(_draw_chunk, jobs[start:stop]) for start, stop in self.spans]
        # Pages that fail to render never ask for the charts: stop the workers then too.
        weakref.finalize(self, self.pool.shutdown, wait=False, cancel_futures=True)

    def result(self, start: int, stop: int) -> list[str]:
        """The charts of jobs ``start`` to ``stop``, in job order (drawn here too, see the class docstring)."""
        if self.pool is None:
            return _draw_chunk(self.jobs[start:stop])
        wanted = [i for i, (a, b) in enumerate(self.spans) if a < stop and b > start]
        try:
            for index in reversed(wanted):
                if index > 0 and index not in self.here and self.futures[index].cancel():  # no worker took it
                    self.here[index] = _draw_chunk(self.jobs[slice(*self.spans[index])])
            drawn = [svg for i in wanted for svg in (self.here[i] if i in self.here else self.futures[i].result())]
        except BaseException:
            self._close()
            raise
        if all(i in self.here or future.done() for i, future in enumerate(self.futures)):
            self._close()
        first = self.spans[wanted[0]][0]
        return drawn[start - first : stop - first]

    def _close(self) -> None:
        """Stop the workers and let go of the jobs."""
        global _forked_jobs
        assert self.pool is not None
        self.pool.shutdown(cancel_futures=True)
        _forked_jobs = []


_forked_jobs: list[_Job] = []
"""The jobs of the batch being drawn, which forked workers inherit (see :func:`_can_fork`)."""


def _can_fork() -> bool:
    """Whether worker processes may be forked from this one rather than spawned.

    A forked worker starts in milliseconds with matplotlib imported and the jobs
    in memory; a spawned one takes about a second to start Python and import
    matplotlib, then unpickles its jobs (half a second for a thousand KPIs).
    Forking is safe only while this process runs no other thread (a child would
    inherit their locks held: ``serve`` runs a watcher and a web server), and only
    where fork is the platform's way (Linux; macOS's system libraries are not fork-safe).
    """
    return sys.platform.startswith("linux") and threading.active_count() == 1


def _draw_forked(start: int, stop: int) -> list[str]:
    """In a forked worker: the charts of the inherited jobs ``start`` to ``stop``."""
    return _draw_chunk(_forked_jobs[start:stop])


def _draw_chunk(chunk: list[_Job]) -> list[str]:
    return [kpi_chart(*job) for job in chunk]


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


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
