"""What a KPI chart draws: a :class:`KpiResult` laid out on period slots, and its text alternative."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from generator.compute.results import KpiResult, PeriodResult, Status
from generator.periods import Period
from generator.render.numbers import format_value, goal_decimals

__all__ = ["SCORED", "Series", "as_of_period", "kpi_description", "kpi_series", "steps", "value_extent"]

SCORED = (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK)
"""The statuses a period can score, in the order the key and the description name them."""


@dataclass(frozen=True)
class Series:
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


def as_of_period(result: KpiResult, as_of: dt.date | None) -> Period | None:
    """A stale KPI's last period ended by ``as_of`` (its axis runs on to it); ``None`` otherwise."""
    if as_of is None or not result.stale:
        return None
    period = Period.containing(as_of, result.kpi.frequency)
    return period if period.end <= as_of else period + (-1)


def kpi_series(result: KpiResult, until: Period | None = None) -> Series | None:
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
    return Series(labels, tuple(actual), tuple(status), tuple(glo), tuple(ghi), tuple(flo), tuple(fhi), current)


def _bounds(goal: float | tuple[float, float]) -> tuple[float, float]:
    """``(lo, hi)`` of a range goal, or the single goal twice."""
    if isinstance(goal, tuple):
        return (float(goal[0]), float(goal[1]))
    return (float(goal), float(goal))


def steps(values: Sequence[float]) -> tuple[list[float], list[float]]:
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


def value_extent(s: Series) -> tuple[float, float]:
    """The lowest and highest value drawn (actuals, goals and red flags)."""
    values = [v for seq in (s.actual, s.goal_lo, s.goal_hi, s.flag_lo, s.flag_hi) for v in seq if math.isfinite(v)]
    return (min(values), max(values)) if values else (0.0, 1.0)


# -- the text alternative ------------------------------------------------------------


def kpi_description(result: KpiResult) -> str:
    """One or two sentences a screen reader speaks for the chart.

    Example: ``Customer satisfaction: 84 % in 2026-06 against a goal of 85 %;
    at risk. 6 periods from 2026-01 to 2026-06: 3 on track, 2 at risk, 1 off track.``
    """
    kpi, current = result.kpi, result.current
    if current is None or current.actual is None:
        return f"{kpi.name}: no data yet."
    goal = _goal_text(current.goal, kpi.unit, goal_decimals(row.actual for row in result.history))
    text = (
        f"{kpi.name}: {format_value(current.actual, kpi.unit)} in {current.period} "
        f"against {goal}; {result.status.label.lower()}"
    )
    if result.stale:
        text += " (stale: no newer value has been reported)"
    return f"{text}. {_trend_summary(result.history)}".rstrip()


def _goal_text(goal: float | tuple[float, float], unit: str, places: int | None = None) -> str:
    """``a goal of 85 %`` or ``a goal range of 30 to 40 °C`` (to the actuals' precision)."""
    if isinstance(goal, tuple):
        lo, hi = goal
        if lo == hi:
            return f"a goal of {format_value(lo, unit, places)}"
        return f"a goal range of {format_value(lo, decimals=places)} to {format_value(hi, unit, places)}"
    return f"a goal of {format_value(goal, unit, places)}"


def _trend_summary(history: Sequence[PeriodResult]) -> str:
    """``6 values from 2026-01 to 2026-06: 3 on track, 2 at risk, 1 off track.`` (empty for one value)."""
    rows = sorted((r for r in history if r.actual is not None), key=lambda r: r.period.index)
    if len(rows) < 2:
        return ""
    counts = Counter(r.status for r in rows)
    parts = [f"{counts[s]} {s.label.lower()}" for s in SCORED if counts[s]]
    return f"{len(rows)} values from {rows[0].period} to {rows[-1].period}: {', '.join(parts)}."
