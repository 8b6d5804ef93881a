"""From the scorecard to quarterly OKRs: the coming quarter's key results and the last quarter's grades.

Quarters are calendar quarters. With the as-of date ``d``:

* the **coming quarter** is the quarter holding the day after ``d``: the next
  quarter when ``d`` closes a quarter, else the quarter under way (what is
  left of it is still to be won, from the current actual);
* the **last completed quarter** is the latest quarter that has ended by ``d``:
  the quarter holding ``d`` when ``d`` is its last day, else the one before.
  The two are always next to each other.

Every objective with at least one KPI in the build is an OKR objective, each
of its KPIs a key result (restricted KPIs are not in an all-staff build at
all):

* **from** the KPI's current actual at the as-of date for the coming quarter;
  for a graded quarter, the actual at its start (the latest actual whose period
  ended by the day before the quarter);
* **to** the goal (spec section 4) of the KPI period holding the quarter's last
  day; a range KPI's key result is to stay within ``[lo, hi]``.

**Grades** (the last completed quarter): the KPI's actual at the quarter's end
(latest actual whose period ended by then) against its start and goal, as OKR
practice does: ``(end - start) / (goal - start)`` clipped to 0.0-1.0; meeting
the goal is 1.0 and so is staying on the right side of it; a start already past
the goal that slips back is 0.0. A range key result is 1.0 inside the range
and 0.0 outside. No grade (None) without a start value or when the quarter
brought no new actual (a yearly KPI mid-year). An objective's grade is the
plain mean of its graded key results.

:func:`okrs_csv` writes a quarter as CSV for import into OKR tools.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from generator.compute.csv_text import csv_text
from generator.compute.goals import GoalPlan, written_number
from generator.compute.results import Goal, KeyResult, KpiResult, OkrObjective, OkrQuarter, Okrs, PeriodResult
from generator.model import Direction, Scorecard
from generator.periods import Frequency, Period

__all__ = ["CSV_COLUMNS", "coming_quarter", "grade", "key_result_kind", "last_quarter", "okrs", "okrs_csv"]

_DAY = dt.timedelta(days=1)


def coming_quarter(as_of: dt.date) -> Period:
    """The calendar quarter holding the day after ``as_of`` (the next one when ``as_of`` closes a quarter)."""
    return Period.containing(as_of + _DAY, Frequency.QUARTERLY)


def last_quarter(as_of: dt.date) -> Period:
    """The latest calendar quarter that has ended by ``as_of`` (inclusive)."""
    holding = Period.containing(as_of, Frequency.QUARTERLY)
    return holding if holding.end == as_of else Period(Frequency.QUARTERLY, holding.index - 1)


def okrs(scorecard: Scorecard, kpis: dict[str, KpiResult], as_of: dt.date | None) -> Okrs | None:
    """The coming quarter's OKRs and the last completed quarter's, graded; None without an as-of date.

    Args:
        scorecard: the audience's scorecard (objective order and owners).
        kpis: the KPI results of the build (their history ends at the as-of date).
        as_of: the as-of date of the build.
    """
    if as_of is None:
        return None
    return Okrs(
        coming=_quarter(scorecard, kpis, coming_quarter(as_of), graded=False),
        last=_quarter(scorecard, kpis, last_quarter(as_of), graded=True),
    )


def _quarter(scorecard: Scorecard, kpis: dict[str, KpiResult], quarter: Period, graded: bool) -> OkrQuarter:
    by_objective: dict[str, list[KpiResult]] = {}
    for result in kpis.values():
        by_objective.setdefault(result.kpi.objective, []).append(result)
    objectives = []
    for objective in scorecard.objectives:
        mine = by_objective.get(objective.id)
        if not mine:
            continue
        key_results = tuple(_key_result(result, quarter, graded) for result in mine)
        grades = [kr.grade for kr in key_results if kr.grade is not None]
        mean = sum(grades) / len(grades) if graded and grades else None
        objectives.append(OkrObjective(objective, key_results, mean))
    return OkrQuarter(quarter, tuple(objectives), graded)


def _latest(history: tuple[PeriodResult, ...], day: dt.date) -> PeriodResult | None:
    """The latest row with a value whose period ended by ``day``."""
    if not history:
        return None
    holding = Period.containing(day, history[0].period.frequency)
    last = holding.index if holding.end == day else holding.index - 1  # the last period ended by ``day``
    return next((row for row in reversed(history) if row.actual is not None and row.period.index <= last), None)


def _key_result(result: KpiResult, quarter: Period, graded: bool) -> KeyResult:
    kpi = result.kpi
    goal_period = Period.containing(quarter.end, kpi.frequency)
    goal = GoalPlan.of(kpi).goal(goal_period)
    if not graded:
        current = result.current  # the history ends at the as-of date, inside or just before the quarter
        return KeyResult(kpi, _value(current), _period(current), goal, goal_period)
    start = _latest(result.history, quarter.start - _DAY)
    end = _latest(result.history, quarter.end)
    # Graded only on an actual measured in the quarter: a yearly KPI mid-year has nothing new to grade.
    measured = end is not None and end.period.end >= quarter.start
    score = grade(kpi.direction, _value(start), goal, end.actual) if measured and end else None
    return KeyResult(kpi, _value(start), _period(start), goal, goal_period, _value(end), _period(end), score)


def _value(row: PeriodResult | None) -> float | None:
    return row.actual if row is not None else None


def _period(row: PeriodResult | None) -> Period | None:
    return row.period if row is not None else None


def grade(direction: Direction, start: float | None, goal: Goal, end: float | None) -> float | None:
    """A key result's 0.0-1.0 grade: progress from ``start`` to ``goal`` reached at ``end``, clipped.

    Meeting the goal (``>=`` for higher, ``<=`` for lower, inside for a range) is
    1.0; a start already at or past the goal that slips back is 0.0.
    """
    if end is None:
        return None
    if isinstance(goal, tuple):
        return 1.0 if goal[0] <= end <= goal[1] else 0.0
    if start is None:
        return None
    lower = direction is Direction.LOWER
    if (end <= goal) if lower else (end >= goal):
        return 1.0
    distance = goal - start
    if distance == 0 or (distance > 0) == lower:
        return 0.0  # the start already met the goal and the end no longer does
    return min(1.0, max(0.0, (end - start) / distance))


def key_result_kind(direction: Direction) -> str:
    """How a key result reads: ``at-least`` (higher), ``at-most`` (lower) or ``within`` (range)."""
    return {Direction.HIGHER: "at-least", Direction.LOWER: "at-most", Direction.RANGE: "within"}[direction]


CSV_COLUMNS = (
    "quarter",
    "objective_id",
    "objective",
    "objective_owner",
    "key_result_id",
    "key_result",
    "key_result_owner",
    "kind",
    "unit",
    "start_value",
    "target_value",
    "target_low",
    "target_high",
    "target_period",
    "current_value",
    "grade",
)
"""The columns of ``okrs.csv``, one row per key result.

``key_result_id`` is the KPI id, ``key_result`` its name; ``kind`` is
``at-least``/``at-most``/``within``; ``target_value`` is empty for ``within``,
which fills ``target_low``/``target_high``; ``current_value`` (the actual at
the quarter's end) and ``grade`` are filled for a graded quarter only. Numbers
are plain decimals with a dot, no thousands separator; an empty cell means none.
"""


def okrs_csv(quarter: OkrQuarter, number: Callable[[float], str] = written_number) -> str:
    """``okrs.csv``: one row per key result of ``quarter``, columns :data:`CSV_COLUMNS`.

    Args:
        quarter: the quarter to write (the coming one for import; a graded one works too).
        number: how to write a number (default: full precision, as a person writes it).

    Returns:
        CSV text with a header, ``\\n`` line endings (what spreadsheet and OKR tools import).
    """
    rows = (
        [str(quarter.quarter), okr.objective.id, okr.objective.name, okr.objective.owner,
         *_kr_cells(kr, quarter.graded, number)]
        for okr in quarter.objectives
        for kr in okr.key_results
    )
    return csv_text(CSV_COLUMNS, rows)


def _kr_cells(kr: KeyResult, graded: bool, number: Callable[[float], str]) -> list[str]:
    kpi = kr.kpi

    def cell(value: float | None) -> str:
        return "" if value is None else number(value)

    within = isinstance(kr.goal, tuple)
    low, high = kr.goal if isinstance(kr.goal, tuple) else (None, None)
    return [
        kpi.id,
        kpi.name,
        kpi.owner,
        key_result_kind(kpi.direction),
        kpi.unit,
        cell(kr.start),
        "" if within else cell(kr.goal),  # type: ignore[arg-type]
        cell(low),
        cell(high),
        str(kr.goal_period),
        cell(kr.end) if graded else "",
        cell(kr.grade) if graded else "",
    ]
