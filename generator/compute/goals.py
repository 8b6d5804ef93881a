"""The goal and red flag of a KPI for one period (spec section 4, 8.4, 8.5).

A :class:`GoalPlan` is built once per KPI: every goal period is converted to
the KPI's frequency up front, so asking for the goal of a period is integer
arithmetic on :attr:`Period.index` (a dictionary look-up, or a bisection for
``targets``-only KPIs), never a scan.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from generator.compute.results import Goal
from generator.model import Direction, GoalPoint, Kpi
from generator.periods import Frequency, Period

__all__ = ["GoalPlan", "UndefinedGoal", "goal_for", "red_flag_for", "written_number"]


class UndefinedGoal(ValueError):
    """A KPI's goal or red flag cannot be computed for a period.

    Compute turns this into a :class:`~generator.errors.Problem` at the KPI's
    ``tolerance`` key (or at the KPI when ``key`` says so).
    """

    def __init__(self, message: str, key: str = "tolerance") -> None:
        super().__init__(message)
        self.key = key


def written_number(value: float) -> str:
    """A number in the scorecard format's own notation, as the user wrote it: ``5`` for 5.0, ``2.5``.

    Not a display format (pages, charts and the what-changed page use
    :mod:`generator.render.numbers`): this one writes values back in the input
    format, in ``scorecard.json`` (``tolerance: "5%"``) and in messages that quote
    the user's own YAML.
    """
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _kpi_period(point: GoalPoint, frequency: Frequency) -> int:
    """The index of the KPI period that contains the last day of ``point``'s period."""
    return point.period.as_frequency(frequency).index


@dataclass(frozen=True)
class GoalPlan:
    """Everything needed to answer "what is the goal in period p?" for one KPI.

    Attributes:
        kpi: the KPI the plan belongs to.
        explicit: ``targets`` entries by KPI period index (rule 1).
        baseline: ``(index, value)`` of the baseline, converted to the KPI's frequency.
        target: ``(index, value)`` of the target, converted likewise.
        steps: ``targets`` entries sorted by index, for KPIs without ``target``
            (spec 8.4: the latest entry at or before a period, else the earliest).
    """

    kpi: Kpi
    explicit: dict[int, float]
    baseline: tuple[int, float] | None
    target: tuple[int, float] | None
    steps: tuple[tuple[int, float], ...]

    @classmethod
    def of(cls, kpi: Kpi) -> GoalPlan:
        """Build the plan of ``kpi``."""
        freq = kpi.frequency
        # Two entries in one KPI period is a load error; if one slips through, the later one wins.
        explicit = {_kpi_period(p, freq): p.value for p in kpi.targets}
        baseline = (_kpi_period(kpi.baseline, freq), kpi.baseline.value) if kpi.baseline else None
        target = (_kpi_period(kpi.target, freq), kpi.target.value) if kpi.target else None
        return cls(kpi, explicit, baseline, target, tuple(sorted(explicit.items())))

    def goal(self, period: Period) -> Goal:
        """``G(p)``: a number, or ``(lo, hi)`` for a range KPI.

        Raises:
            UndefinedGoal: the KPI has no goal at all (the loader rejects this).
        """
        if self.kpi.direction is Direction.RANGE:
            if self.kpi.range is None:
                raise UndefinedGoal(f"kpi '{self.kpi.id}': direction range needs range: [lo, hi]", key="range")
            return self.kpi.range
        p = period.index
        if p in self.explicit:
            return self.explicit[p]
        if self.target is None:
            return self._step(p)
        if self.baseline is None:
            return self.target[1]
        return _interpolate(p, self.baseline, self.target)

    def _step(self, p: int) -> float:
        """Targets-only KPIs: the latest entry at or before ``p``, else the earliest entry."""
        if not self.steps:
            raise UndefinedGoal(f"kpi '{self.kpi.id}': no goal (give target, targets or range)", key="target")
        position = bisect.bisect_right(self.steps, p, key=lambda step: step[0])
        return self.steps[max(position - 1, 0)][1]

    def red_flag(self, period: Period, goal: Goal) -> Goal:
        """``R(p)`` for ``goal = G(p)``; for a range, ``(lo - tol, hi + tol)``.

        Raises:
            UndefinedGoal: a percentage tolerance of a zero goal or a zero-width range.
        """
        tolerance = self.kpi.tolerance
        if isinstance(goal, tuple):
            lo, hi = goal
            if tolerance.percent and hi == lo:
                raise UndefinedGoal(
                    f"kpi '{self.kpi.id}': range [{written_number(lo)}, {written_number(hi)}] has zero width, "
                    "so a percentage tolerance is undefined; give an absolute tolerance"
                )
            tol = tolerance.absolute(hi - lo)
            return (lo - tol, hi + tol)
        if tolerance.percent and goal == 0:
            raise UndefinedGoal(
                f"kpi '{self.kpi.id}': goal for {period} is 0, so a percentage tolerance is undefined; "
                "give an absolute tolerance"
            )
        tol = tolerance.absolute(goal)
        return goal + tol if self.kpi.direction is Direction.LOWER else goal - tol


def _interpolate(p: int, baseline: tuple[int, float], target: tuple[int, float]) -> float:
    """Pace-based goal: ``b + (t - b) * (p - pb) / (pt - pb)``, flat outside ``[pb, pt]``."""
    (pb, b), (pt, t) = baseline, target
    if p >= pt:
        # Also covers pb >= pt, which can only happen when two written periods
        # fall into the same KPI period (say months 01 and 02 of a quarterly KPI).
        return t
    if p <= pb:
        return b
    return b + (t - b) * (p - pb) / (pt - pb)


def goal_for(kpi: Kpi, period: Period) -> Goal:
    """``G(p)`` of ``kpi`` for one period (render may use it to draw the goal line ahead).

    Build a :class:`GoalPlan` instead when asking for many periods of one KPI.
    """
    return GoalPlan.of(kpi).goal(period)


def red_flag_for(kpi: Kpi, period: Period) -> Goal:
    """``R(p)`` of ``kpi`` for one period.

    Raises:
        UndefinedGoal: a percentage tolerance of a zero goal or a zero-width range.
    """
    plan = GoalPlan.of(kpi)
    return plan.red_flag(period, plan.goal(period))
