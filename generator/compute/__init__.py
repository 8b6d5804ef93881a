"""The compute stage: a validated scorecard in, every score and status out.

Entry points: :func:`compute` (one build: one audience, one as-of date) and
:func:`default_as_of`. The arithmetic lives in :mod:`.goals` (goal and red
flag of a period), :mod:`.scoring` (a KPI's periods and its state at the
as-of date) and :mod:`.rollup` (objectives, perspectives, themes, the
organisation). :mod:`.export` turns :class:`~.results.Results` into
``scorecard.json``.
"""

from __future__ import annotations

import datetime as dt
import logging

from generator.compute import scoring
from generator.compute.goals import UndefinedGoal
from generator.compute.results import Audience, InitiativeResult, KpiResult, Results
from generator.compute.rollup import objective_rollups, organization_rollup, perspective_rollups, theme_rollups
from generator.errors import Problem, ValidationFailed
from generator.model import Initiative, InitiativeStatus, Milestone, Scorecard

__all__ = ["compute", "default_as_of", "for_audience", "initiative_result", "milestone_overdue"]

log = logging.getLogger(__name__)


def for_audience(scorecard: Scorecard, audience: Audience) -> Scorecard:
    """The scorecard a build for ``audience`` sees: all staff never see restricted KPIs (spec 8.8)."""
    return scorecard.without_restricted() if audience is Audience.ALL else scorecard


def default_as_of(scorecard: Scorecard, audience: Audience = Audience.ALL) -> dt.date | None:
    """The end of the latest period with any actual value the audience sees; None when there is none.

    The same date :func:`compute` takes when given no as-of date: in an all-staff
    build (the default, as in :func:`compute`) a restricted KPI's data does not move it.
    """
    seen = for_audience(scorecard, audience)
    return scoring.default_as_of(seen.actuals.get(kpi.id, ()) for kpi in seen.kpis)


def compute(scorecard: Scorecard, as_of: dt.date | None = None, audience: Audience = Audience.ALL) -> Results:
    """Compute every status of one build.

    Args:
        scorecard: the validated scorecard, restricted KPIs included.
        as_of: the as-of date; None takes :func:`default_as_of` of the audience's scorecard.
        audience: ``ALL`` computes as if restricted KPIs did not exist (their values
            vanish from every roll-up and from the default as-of date).

    Returns:
        The results; ``results.scorecard`` is the audience's scorecard.

    Raises:
        ValidationFailed: a scored period's goal is 0 under a percentage tolerance
            (or a similar goal that only shows at compute time), every one listed.
    """
    seen = for_audience(scorecard, audience)
    if as_of is None:
        as_of = default_as_of(seen, audience)
    kpis = _kpi_results(seen, as_of)
    objectives = objective_rollups(seen, kpis)
    perspectives = perspective_rollups(seen, objectives)
    log.debug("computed %d KPIs for audience %s as of %s", len(kpis), audience.value, as_of)
    return Results(
        scorecard=seen,
        as_of=as_of,
        audience=audience,
        organization=organization_rollup(seen, perspectives),
        perspectives=perspectives,
        themes=theme_rollups(seen, objectives),
        objectives=objectives,
        kpis=kpis,
        initiatives={i.id: initiative_result(i, as_of) for i in seen.initiatives},
    )


def _kpi_results(scorecard: Scorecard, as_of: dt.date | None) -> dict[str, KpiResult]:
    """Every KPI at ``as_of``, in scorecard order; collects every undefined goal before raising."""
    results: dict[str, KpiResult] = {}
    problems: list[Problem] = []
    for kpi in scorecard.kpis:
        try:
            results[kpi.id] = scoring.kpi_result(kpi, scorecard.actuals.get(kpi.id, ()), as_of)
        except UndefinedGoal as error:
            problems.append(Problem(kpi.where(error.key), str(error)))
    if problems:
        raise ValidationFailed(problems)
    return results


def initiative_result(initiative: Initiative, as_of: dt.date | None) -> InitiativeResult:
    """An initiative at ``as_of``: late once its end date is reached and it is not done.

    With no as-of date (no data anywhere) nothing is late or overdue.
    """
    if as_of is None:
        return InitiativeResult(initiative, late=False, overdue_milestones=0)
    done = initiative.status is InitiativeStatus.DONE
    late = not done and initiative.end is not None and initiative.end <= as_of
    overdue = sum(1 for m in initiative.milestones if milestone_overdue(m, as_of))
    return InitiativeResult(initiative, late=late, overdue_milestones=overdue)


def milestone_overdue(milestone: Milestone, as_of: dt.date | None) -> bool:
    """A milestone is overdue when it is not done and was due on or before the as-of date."""
    return as_of is not None and not milestone.done and milestone.due is not None and milestone.due <= as_of
