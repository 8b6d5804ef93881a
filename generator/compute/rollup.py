"""Objectives, perspectives, themes and the organisation: means of scores (spec section 5).

Items without data (score None) are left out of every mean; a mean over
nothing is ``no-data``. Thresholds: a roll-up on or above 20/3 is on-track,
on or above 10/3 at-risk. The spec writes them as 6.6667 and 3.3333, which
are 20/3 and 10/3 rounded; we compare with the exact fractions (less a
float-rounding allowance) so that a KPI exactly at its goal (score 20/3,
on-track) rolls up to an on-track objective.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from generator.compute.results import KpiResult, RollUp, Status
from generator.compute.scoring import GOAL_SCORE, RED_FLAG_SCORE
from generator.model import DEFAULT_PERSPECTIVES, Objective, Scorecard

__all__ = [
    "mean_score",
    "objective_rollups",
    "organization_rollup",
    "perspective_ids",
    "perspective_rollups",
    "rollup_status",
    "theme_rollups",
]

# A weighted mean of scores that are each exactly 20/3 may land one ulp below it.
_ROUNDING = 1e-9


def rollup_status(score: float | None) -> Status:
    """The status of a roll-up score: >= 20/3 on-track, >= 10/3 at-risk, else off-track."""
    if score is None:
        return Status.NO_DATA
    if score >= GOAL_SCORE - _ROUNDING:
        return Status.ON_TRACK
    if score >= RED_FLAG_SCORE - _ROUNDING:
        return Status.AT_RISK
    return Status.OFF_TRACK


def mean_score(weighted: Iterable[tuple[float | None, float]]) -> float | None:
    """The weighted mean of ``(score, weight)`` pairs, ignoring None scores; None when none is left."""
    total = weight_sum = 0.0
    for score, weight in weighted:
        if score is not None:
            total += score * weight
            weight_sum += weight
    return total / weight_sum if weight_sum else None


def _rollup(item_id: str, weighted: Iterable[tuple[float | None, float]]) -> RollUp:
    score = mean_score(weighted)
    return RollUp(item_id, score, rollup_status(score))


def objective_rollups(scorecard: Scorecard, kpis: Mapping[str, KpiResult]) -> dict[str, RollUp]:
    """Each objective: the weighted mean (KPI ``weight``) of its KPIs' current scores, stale ones included."""
    by_objective: dict[str, list[KpiResult]] = defaultdict(list)
    for result in kpis.values():
        by_objective[result.kpi.objective].append(result)
    return {
        objective.id: _rollup(objective.id, ((r.score, r.kpi.weight) for r in by_objective[objective.id]))
        for objective in scorecard.objectives
    }


def perspective_ids(scorecard: Scorecard) -> list[str]:
    """The perspectives in map order (the default four when the scorecard lists none)."""
    if scorecard.perspectives:
        return [perspective.id for perspective in scorecard.perspectives]
    return [perspective_id for perspective_id, _ in DEFAULT_PERSPECTIVES]


def _objective_weights(
    objectives: Iterable[Objective], rollups: Mapping[str, RollUp]
) -> list[tuple[float | None, float]]:
    return [(rollups[o.id].score, o.weight) for o in objectives]


def perspective_rollups(scorecard: Scorecard, objectives: Mapping[str, RollUp]) -> dict[str, RollUp]:
    """Each perspective: the weighted mean (objective ``weight``) of its objectives' scores."""
    members: dict[str, list[Objective]] = defaultdict(list)
    for objective in scorecard.objectives:
        members[objective.perspective].append(objective)
    return {pid: _rollup(pid, _objective_weights(members[pid], objectives)) for pid in perspective_ids(scorecard)}


def theme_rollups(scorecard: Scorecard, objectives: Mapping[str, RollUp]) -> dict[str, RollUp]:
    """Each theme: the weighted mean (objective ``weight``) of the scores of the objectives in it."""
    members: dict[str, list[Objective]] = defaultdict(list)
    for objective in scorecard.objectives:
        for theme_id in dict.fromkeys(objective.themes):  # a theme listed twice counts once
            members[theme_id].append(objective)
    return {t.id: _rollup(t.id, _objective_weights(members[t.id], objectives)) for t in scorecard.themes}


def organization_rollup(scorecard: Scorecard, perspectives: Mapping[str, RollUp]) -> RollUp:
    """The organisation: the plain (unweighted) mean of its perspectives' scores."""
    return _rollup(scorecard.organization.id, ((p.score, 1.0) for p in perspectives.values()))
