"""What an objective's box on the map says beside its status: the gap to goal, not the score.

"0.0 of 10" on a box read as "nothing done" for a near miss. The box says how far
the objective's KPIs are from their goals instead (the score stays on the
objective's page and in the box's tooltip):

* **one KPI with a value**: the gap in the KPI's own unit, to its actuals'
  precision: ``2.5 points below goal``, ``3 % above goal`` (lower is better),
  ``goal met``; a range KPI: ``in range`` or ``4 °C above range``;
* **several KPIs**: how many meet their goal: ``1 of 2 on goal``, because two
  gaps in different units do not fit a box or add up;
* **no KPI with a value**: nothing (the status already says "No data").

When the text does not fit the box beside the status, the unit is left out,
then the text.
"""

from __future__ import annotations

from generator.compute.results import KpiResult, Results, Status
from generator.compute.scoring import goal_gap
from generator.render.numbers import format_value, goal_decimals

__all__ = ["gap_texts"]


def gap_texts(results: Results, objective_id: str) -> tuple[str, ...]:
    """The box's gap text for an objective, longest first (with unit, without), or ``()``."""
    kpis = [r for r in results.kpis_by_objective.get(objective_id, ()) if _valued(r)]
    if not kpis:
        return ()
    if len(kpis) > 1:
        met = sum(1 for r in kpis if r.status is Status.ON_TRACK)  # on track: its goal is met
        return (f"{met} of {len(kpis)} on goal",)
    return _one(kpis[0])


def _valued(result: KpiResult) -> bool:
    current = result.current
    return current is not None and current.actual is not None and current.goal is not None


def _gap(result: KpiResult) -> tuple[float, str]:
    assert result.current is not None
    return goal_gap(result.current, result.kpi.direction)


def _one(result: KpiResult) -> tuple[str, ...]:
    size, side = _gap(result)
    ranged = isinstance(result.current.goal, tuple) if result.current else False
    target = "range" if ranged else "goal"
    if size == 0:
        return ("in range",) if ranged else ("goal met",)
    places = goal_decimals(row.actual for row in result.history)
    with_unit = f"{format_value(size, result.kpi.unit, places)} {side} {target}"
    bare = f"{format_value(size, decimals=places)} {side} {target}"
    return (with_unit, bare) if with_unit != bare else (with_unit,)
