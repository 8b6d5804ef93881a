"""A KPI's scores and statuses, period by period, and its state at the as-of date (spec section 5).

Scores run from 0 to 10: the red flag scores 10/3, the goal 20/3 and one
tolerance beyond the goal 10. Statuses are decided by comparing the actual
with the goal and the red flag, never by comparing (rounded) scores.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from generator.compute.attention import kpi_trend
from generator.compute.goals import GoalPlan, UndefinedGoal
from generator.compute.results import Goal, KpiResult, PeriodResult, Status
from generator.model import Actual, Direction, Kpi

__all__ = ["GOAL_SCORE", "RED_FLAG_SCORE", "default_as_of", "kpi_result", "period_result", "score_actual"]

GOAL_SCORE = 20 / 3
"""The score of an actual exactly at the goal (or at either end of a range)."""

RED_FLAG_SCORE = 10 / 3
"""The score of an actual exactly at the red flag."""

_STEP = 10 / 3  # score points per tolerance


def _clip(score: float) -> float:
    return min(10.0, max(0.0, score))


def _directional(direction: Direction, actual: float, goal: float, red_flag: float) -> tuple[float, Status]:
    """Score and status of a higher/lower KPI.

    ``goal - red_flag`` is ``+tol`` for higher and ``-tol`` for lower, so the one
    formula scores beating the goal above 20/3 in both directions.
    """
    if direction is Direction.LOWER:
        reaches_goal, reaches_flag = actual <= goal, actual <= red_flag
    else:
        reaches_goal, reaches_flag = actual >= goal, actual >= red_flag
    status = Status.ON_TRACK if reaches_goal else Status.AT_RISK if reaches_flag else Status.OFF_TRACK
    spread = goal - red_flag
    if spread == 0:
        # The tolerance vanished next to a huge goal in float arithmetic: any gap is a full step.
        return (GOAL_SCORE if actual == goal else 10.0 if reaches_goal else 0.0), status
    return _clip(GOAL_SCORE + _STEP * (actual - goal) / spread), status


def _ranged(
    actual: float, goal: tuple[float, float], red_flag: tuple[float, float], tol: float
) -> tuple[float, Status]:
    """Score and status of a range KPI.

    Inside ``[lo, hi]``: 10 at the midpoint, 20/3 at either end, linear. A
    zero-width range (``lo == hi``) has its midpoint at the point itself, so an
    actual exactly on it scores 10. Outside: 20/3 at the end, 10/3 one
    tolerance out (the red flag), 0 from two tolerances out.
    """
    lo, hi = goal
    if lo <= actual <= hi:
        half = (hi - lo) / 2
        score = 10.0 if half == 0 else GOAL_SCORE + _STEP * (1 - abs(actual - (lo + hi) / 2) / half)
        return _clip(score), Status.ON_TRACK
    outside = lo - actual if actual < lo else actual - hi
    score = _clip(GOAL_SCORE - _STEP * outside / tol)
    within = red_flag[0] <= actual <= red_flag[1]
    return score, Status.AT_RISK if within else Status.OFF_TRACK


def score_actual(kpi: Kpi, actual: float, goal: Goal, red_flag: Goal) -> tuple[float, Status]:
    """The score (0-10, unrounded) and status of ``actual`` against a period's goal and red flag."""
    if isinstance(goal, tuple) and isinstance(red_flag, tuple):
        return _ranged(actual, goal, red_flag, kpi.tolerance.absolute(goal[1] - goal[0]))
    if isinstance(goal, tuple) or isinstance(red_flag, tuple):
        raise TypeError("goal and red flag must both be ranges or both be numbers")
    return _directional(kpi.direction, actual, goal, red_flag)


def period_result(plan: GoalPlan, row: Actual) -> PeriodResult:
    """One CSV row scored against its period's goal (an empty cell gives ``no-data``).

    Raises:
        UndefinedGoal: the red flag of the period is undefined (percentage of a zero goal).
    """
    goal = plan.goal(row.period)
    if row.value is None:
        # Not scored (spec 8.5 checks an interpolated zero goal "when a period is scored").
        try:
            red_flag: Goal | None = plan.red_flag(row.period, goal)
        except UndefinedGoal:
            red_flag = None
        return PeriodResult(row.period, None, goal, red_flag, None, Status.NO_DATA, row.comment)
    red_flag = plan.red_flag(row.period, goal)
    score, status = score_actual(plan.kpi, row.value, goal, red_flag)
    return PeriodResult(row.period, row.value, goal, red_flag, score, status, row.comment)


def kpi_result(kpi: Kpi, rows: Iterable[Actual], as_of: dt.date | None) -> KpiResult:
    """The KPI at ``as_of``: every row whose period ended by then, the latest with a value, staleness.

    With ``as_of`` None (no actual anywhere) nothing has ended: no history, ``no-data``.

    Raises:
        UndefinedGoal: a row's goal or red flag is undefined.
    """
    if as_of is None:
        return KpiResult(kpi, None, False, ())
    plan = GoalPlan.of(kpi)
    ended = sorted((row for row in rows if row.period.end <= as_of), key=lambda row: row.period.index)
    history = tuple(period_result(plan, row) for row in ended)
    current = next((result for result in reversed(history) if result.actual is not None), None)
    # One period of reporting lag is normal; stale once the period after that has ended too.
    stale = current is not None and (current.period + 2).end <= as_of
    return KpiResult(kpi, current, stale, history, kpi_trend(kpi, current, history))


def default_as_of(actuals: Iterable[Iterable[Actual]]) -> dt.date | None:
    """The end of the latest period that has any actual value, or None when there is none.

    Args:
        actuals: the rows of every KPI in the build (restricted KPIs already dropped
            from an all-staff build, so they do not move the date).
    """
    ends = (row.period.end for rows in actuals for row in rows if row.value is not None)
    return max(ends, default=None)


def goal_gap(current: PeriodResult, direction: Direction) -> tuple[float, str]:
    """How far a scored period's actual is from its goal, and on which side: ``below``/``above``.

    ``(0.0, "")`` when the goal is met (inside the range for a range KPI): the same
    comparison that makes the period on track (spec section 5), never a rounded one.
    """
    actual, goal = current.actual, current.goal
    assert actual is not None and goal is not None, "a period without a value has no gap"
    if isinstance(goal, tuple):
        lo, hi = goal
        if actual < lo:
            return lo - actual, "below"
        return (actual - hi, "above") if actual > hi else (0.0, "")
    if direction is Direction.LOWER:
        return (actual - goal, "above") if actual > goal else (0.0, "")
    return (goal - actual, "below") if actual < goal else (0.0, "")
