"""The domain rules of what needs attention, each written once.

* :func:`milestone_overdue` and :func:`initiative_late`: when a milestone is
  overdue and an initiative late (CONTRIBUTING, "Late initiative");
* :func:`kpi_trend`: whether a KPI's latest move is better or worse, judged by
  its direction;
* :func:`needs_attention`: which KPIs, objectives, initiatives and milestones
  need attention, grouped, worst first, and the order in which a leadership
  team would raise them (:attr:`Attention.pressing`).

Render only maps these to words and links; it decides nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.compute.results import Goal, KpiResult, PeriodResult, Results, RollUp, Status, Trend
from generator.model import Direction, Initiative, InitiativeStatus, Kpi, Milestone

__all__ = [
    "GROUPS",
    "Attention",
    "AttentionRef",
    "initiative_late",
    "kpi_trend",
    "milestone_overdue",
    "needs_attention",
    "visible_kpis",
]


def milestone_overdue(milestone: Milestone, as_of: dt.date | None) -> bool:
    """Overdue: not done and due on or before the as-of date (nothing is overdue without one)."""
    return as_of is not None and not milestone.done and milestone.due is not None and milestone.due <= as_of


def initiative_late(initiative: Initiative, as_of: dt.date | None) -> bool:
    """Late: its end is on or before the as-of date and it is not done."""
    if as_of is None or initiative.status is InitiativeStatus.DONE:
        return False
    return initiative.end is not None and initiative.end <= as_of


def kpi_trend(kpi: Kpi, current: PeriodResult | None, history: tuple[PeriodResult, ...]) -> Trend | None:
    """The move from the previous reported value to the current one, judged by the KPI's direction.

    Returns:
        None when there is no current value or no earlier value to compare with.
    """
    if current is None or current.actual is None:
        return None
    earlier = [row for row in history if row.actual is not None and row.period < current.period]
    if not earlier:
        return None
    before, now = earlier[-1].actual, current.actual
    assert before is not None  # filtered above; keeps the type checker honest
    delta = now - before
    if delta == 0:
        return Trend(0.0, "no change")
    return Trend(delta, "better" if _is_better(kpi, current.goal, before, now) else "worse")


def _is_better(kpi: Kpi, goal: Goal, before: float, now: float) -> bool:
    if kpi.direction is Direction.HIGHER:
        return now > before
    if kpi.direction is Direction.LOWER:
        return now < before
    # A range KPI gets better as it comes closer to the middle of its range.
    middle = (goal[0] + goal[1]) / 2 if isinstance(goal, tuple) else goal
    return abs(now - middle) < abs(before - middle)


# -- needs attention ---------------------------------------------------------------------------

GROUPS: tuple[str, ...] = (
    "off-track",
    "at-risk",
    "likely-to-miss",
    "objectives",
    "stale",
    "no-data",
    "late-initiatives",
    "reported-initiatives",
    "overdue-milestones",
)
"""The groups of the attention page, in page order (also their heading anchors)."""


@dataclass(frozen=True)
class AttentionRef:
    """One thing that needs attention: an item of one group.

    ``item`` is a KPI, objective or initiative id (an initiative's for a milestone);
    ``milestone`` is the milestone's index in its initiative's ``milestones``.
    """

    group: str
    item: str
    milestone: int = -1


@dataclass(frozen=True)
class Attention:
    """Everything that needs attention.

    Attributes:
        groups: group name (see :data:`GROUPS`) -> its items, worst first within a group.
        pressing: every thing once, the most pressing first: off-track objectives and
            KPIs, late and reported-off-track initiatives, then at-risk items, stale and
            missing data, overdue milestones. A thing in two groups is at its first place.
    """

    groups: dict[str, tuple[AttentionRef, ...]]
    pressing: tuple[AttentionRef, ...]

    @property
    def total(self) -> int:
        """How many entries the groups hold (a stale off-track KPI counts twice, as listed)."""
        return sum(len(items) for items in self.groups.values())


def visible_kpis(results: Results) -> list[KpiResult]:
    """The KPIs this build may show, in scorecard order (never a restricted one for all staff)."""
    return list(results.visible_kpis)


_TROUBLE = (InitiativeStatus.OFF_TRACK, InitiativeStatus.AT_RISK)


def needs_attention(results: Results) -> Attention:
    """What needs attention in ``results`` (see :class:`Attention`)."""
    kpis = visible_kpis(results)

    def kpi_refs(group: str, chosen: list[KpiResult]) -> tuple[AttentionRef, ...]:
        return tuple(AttentionRef(group, r.kpi.id) for r in chosen)

    objectives = [
        (rollup, o.id)
        for o in results.scorecard.objectives
        if (rollup := _rollup(results.objectives, o.id)).status in (Status.OFF_TRACK, Status.AT_RISK)
    ]
    objectives.sort(key=lambda pair: _score(pair[0].score))  # stable: scorecard order breaks ties
    initiatives = list(results.initiatives.values())
    reported = [r for r in initiatives if r.initiative.status in _TROUBLE]
    reported.sort(key=lambda r: _TROUBLE.index(r.initiative.status))  # stable: written order within a status
    groups = {
        "off-track": kpi_refs("off-track", _by_worst([r for r in kpis if r.status is Status.OFF_TRACK])),
        "at-risk": kpi_refs("at-risk", _by_worst([r for r in kpis if r.status is Status.AT_RISK])),
        "likely-to-miss": kpi_refs("likely-to-miss", _likely_to_miss(results, kpis)),
        "objectives": tuple(AttentionRef("objectives", item) for _, item in objectives),
        "stale": kpi_refs("stale", [r for r in kpis if r.stale]),
        "no-data": kpi_refs("no-data", [r for r in kpis if r.status is Status.NO_DATA]),
        "late-initiatives": tuple(AttentionRef("late-initiatives", r.id) for r in initiatives if r.late),
        "reported-initiatives": tuple(AttentionRef("reported-initiatives", r.id) for r in reported),
        "overdue-milestones": tuple(
            AttentionRef("overdue-milestones", r.id, n)
            for r in initiatives
            for n, m in enumerate(r.initiative.milestones)
            if milestone_overdue(m, results.as_of)
        ),
    }
    return Attention(groups, _pressing(results, groups))


def _likely_to_miss(results: Results, kpis: list[KpiResult]) -> list[KpiResult]:
    """Early warning: the forecast gives under 20 % to meet the target, and the KPI is not off track yet.

    An off-track KPI is already at the top of the list; repeating it here would
    only lengthen the page. Least likely first; scorecard order breaks ties.
    """
    flagged = set(results.likely_to_miss)
    chosen = [r for r in kpis if r.kpi.id in flagged and r.status is not Status.OFF_TRACK]
    return sorted(chosen, key=lambda r: results.forecasts[r.kpi.id].p_hit if r.kpi.id in results.forecasts else 0.0)


def _pressing(results: Results, groups: dict[str, tuple[AttentionRef, ...]]) -> tuple[AttentionRef, ...]:
    def objective_status(ref: AttentionRef) -> Status:
        return _rollup(results.objectives, ref.item).status

    def reported(ref: AttentionRef) -> InitiativeStatus | None:
        return results.initiatives[ref.item].initiative.status

    ordered = (
        *(r for r in groups["objectives"] if objective_status(r) is Status.OFF_TRACK),
        *groups["off-track"],
        *groups["late-initiatives"],
        *(r for r in groups["reported-initiatives"] if reported(r) is InitiativeStatus.OFF_TRACK),
        *(r for r in groups["objectives"] if objective_status(r) is Status.AT_RISK),
        *groups["at-risk"],
        *(r for r in groups["reported-initiatives"] if reported(r) is InitiativeStatus.AT_RISK),
        *groups["stale"],
        *groups["no-data"],
        *groups["overdue-milestones"],
        # An early warning, not yet a problem: only where the list has room left.
        *groups["likely-to-miss"],
    )
    seen: set[tuple[str, str, int]] = set()
    pressing = []
    for ref in ordered:
        key = (_kind(ref.group), ref.item, ref.milestone)
        if key not in seen:
            seen.add(key)
            pressing.append(ref)
    return tuple(pressing)


def _kind(group: str) -> str:
    if group == "objectives":
        return "objective"
    if group in ("late-initiatives", "reported-initiatives"):
        return "initiative"
    return "milestone" if group == "overdue-milestones" else "kpi"


def _rollup(rollups: dict[str, RollUp], item_id: str) -> RollUp:
    return rollups.get(item_id) or RollUp(item_id, None, Status.NO_DATA)


def _score(score: float | None) -> float:
    return score if score is not None else 0.0


def _by_worst(results: list[KpiResult]) -> list[KpiResult]:
    """Lowest score first; scorecard order breaks ties (sorted() is stable)."""
    return sorted(results, key=lambda r: _score(r.score))
