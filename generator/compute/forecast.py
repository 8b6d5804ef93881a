"""Will we hit the target? A projection of every KPI to its target period.

Method: an ordinary least-squares **linear trend** on the KPI's actuals of the
last :data:`WINDOW` periods up to its current period (gaps are simply absent
points; nothing is interpolated), projected to every period up to the target
period. The interval is the OLS **prediction interval** from the t
distribution with ``n - 2`` degrees of freedom: it widens with the noise
around the trend, with fewer points and with the distance projected. The 80 %
interval runs from the 10th to the 90th percentile; ``p_hit`` is the
probability, under the same model, that the target period's value meets its
goal (``>= goal`` for a higher-is-better KPI, ``<= goal`` for lower).

No forecast (None) for:

* a range KPI (its goal is to stay within, not to reach a value);
* a KPI without a current value, or with fewer than :data:`MIN_POINTS` actuals
  in the window (a trend through a handful of points says little);
* a target period not after the current period (the target is in the past or
  being measured now: the status says it all).

The target period is the KPI's ``target`` period, or its latest ``targets``
entry when it has no ``target``, in the KPI's frequency (spec section 4); the
goal there comes from :class:`~.goals.GoalPlan`.

Caveat: a linear trend with independent noise is the simplest honest model;
a KPI that wanders like a random walk has a wider future than this interval.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from generator.compute.goals import GoalPlan
from generator.compute.results import LIKELY_TO_MISS_BELOW, Forecast, ForecastPoint, KpiResult
from generator.model import Direction, Kpi
from generator.periods import Period

__all__ = ["INTERVAL", "MIN_POINTS", "WINDOW", "forecast", "forecasts", "likely_to_miss", "target_period"]

WINDOW = 24
"""The trend is fitted on the actuals of the last this-many periods up to the current one."""

MIN_POINTS = 6
"""Fewest actuals in the window for a forecast."""

INTERVAL = 0.8
"""The central probability of the interval shown (80 %)."""


def target_period(kpi: Kpi) -> Period | None:
    """The period the KPI's target is for, in the KPI's frequency; None for a range KPI or no target."""
    if kpi.direction is Direction.RANGE:
        return None
    if kpi.target is not None:
        return kpi.target.period.as_frequency(kpi.frequency)
    if kpi.targets:
        return max(point.period.as_frequency(kpi.frequency) for point in kpi.targets)
    return None


def forecast(result: KpiResult) -> Forecast | None:
    """The KPI projected to its target period, or None (see the module docstring for when)."""
    kpi, current = result.kpi, result.current
    target = target_period(kpi)
    if target is None or current is None or target.index <= current.period.index:
        return None
    now = current.period.index
    points = [(row.period.index - now, row.actual) for row in result.history
              if row.actual is not None and now - WINDOW < row.period.index <= now]
    if len(points) < MIN_POINTS:
        return None
    goal = GoalPlan.of(kpi).goal(target)
    if isinstance(goal, tuple):  # a range goal cannot happen for higher/lower; guard the type
        return None
    x = np.array([p[0] for p in points], dtype=float)
    y = np.array([p[1] for p in points], dtype=float)
    return _projection(kpi, target, goal, x, y, current.period)


def _projection(kpi: Kpi, target: Period, goal: float, x: np.ndarray, y: np.ndarray, current: Period) -> Forecast:
    """The OLS trend of ``y`` on ``x`` (periods relative to the current one) projected ``1..h`` periods ahead."""
    n = len(x)
    x_mean, y_mean = x.mean(), y.mean()
    sxx = float(((x - x_mean) ** 2).sum())
    slope = float(((x - x_mean) * (y - y_mean)).sum() / sxx)
    intercept = y_mean - slope * x_mean
    residuals = y - (intercept + slope * x)
    df = n - 2
    sigma = float(np.sqrt((residuals**2).sum() / df))
    ahead = np.arange(1, target.index - current.index + 1, dtype=float)
    values = intercept + slope * ahead
    spread = sigma * np.sqrt(1 + 1 / n + (ahead - x_mean) ** 2 / sxx)
    half = float(special.stdtrit(df, 0.5 + INTERVAL / 2)) * spread
    lows, highs = values - half, values + half
    p_hit = _p_hit(kpi.direction, float(values[-1]), float(spread[-1]), goal, df)
    projected = tuple(
        ForecastPoint(current + int(h), float(v), float(lo), float(hi))
        for h, v, lo, hi in zip(ahead, values, lows, highs, strict=True)
    )
    return Forecast(
        kpi=kpi.id,
        period=target,
        goal=goal,
        value=float(values[-1]),
        low=float(lows[-1]),
        high=float(highs[-1]),
        p_hit=p_hit,
        points=projected,
        fitted=n,
        first=current + int(x.min()),
        slope=slope,
    )


def _p_hit(direction: Direction, value: float, spread: float, goal: float, df: int) -> float:
    """P(value meets goal) when ``(Y - value) / spread`` follows Student's t with ``df`` degrees of freedom."""
    margin = value - goal if direction is Direction.HIGHER else goal - value
    if spread == 0 or not np.isfinite(spread):
        # Actuals exactly on a line: the model has no doubt left.
        return 1.0 if margin >= 0 else 0.0
    return float(np.clip(special.stdtr(df, margin / spread), 0.0, 1.0))


def forecasts(kpis: dict[str, KpiResult]) -> dict[str, Forecast]:
    """Every KPI's forecast, in KPI order; KPIs without one are left out."""
    found = {kpi_id: forecast(result) for kpi_id, result in kpis.items()}
    return {kpi_id: f for kpi_id, f in found.items() if f is not None}


def likely_to_miss(found: dict[str, Forecast]) -> tuple[str, ...]:
    """Ids of KPIs whose forecast meets its goal with probability below :data:`LIKELY_TO_MISS_BELOW`."""
    return tuple(kpi_id for kpi_id, f in found.items() if f.p_hit < LIKELY_TO_MISS_BELOW)
