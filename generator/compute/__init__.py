"""The compute stage: a validated scorecard in, every score and status out.

Entry points: :func:`compute` (one build: one audience, one as-of date) and
:func:`default_as_of`. The arithmetic lives in :mod:`.goals` (goal and red
flag of a period), :mod:`.scoring` (a KPI's periods and its state at the
as-of date) and :mod:`.rollup` (objectives, perspectives, themes, the
organisation). The strategy's own check: :mod:`.evidence` (do the map's
arrows show in the data?), :mod:`.forecast` (will each target be met?) and
:mod:`.okrs` (quarterly OKRs from the scorecard). :mod:`.export` turns :class:`~.results.Results` into
``scorecard.json``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from generator.compute import consolidate, evidence, forecast, okrs, scoring
from generator.compute.attention import initiative_late, milestone_overdue, needs_attention
from generator.compute.goals import UndefinedGoal
from generator.compute.results import Audience, Consolidated, InitiativeResult, KpiResult, Results
from generator.compute.rollup import objective_rollups, organization_rollup, perspective_rollups, theme_rollups
from generator.errors import Problem, ValidationFailed
from generator.model import Initiative, Scorecard

__all__ = ["compute", "default_as_of", "for_audience", "initiative_result"]

log = logging.getLogger(__name__)


def for_audience(scorecard: Scorecard, audience: Audience) -> Scorecard:
    """The scorecard a build for ``audience`` sees: all staff never see restricted KPIs (spec 8.8)."""
    return scorecard.without_restricted() if audience is Audience.ALL else scorecard


def default_as_of(scorecard: Scorecard, audience: Audience = Audience.ALL) -> dt.date | None:
    """The end of the latest period with any actual value the audience sees, in any unit; None when there is none.

    The same date :func:`compute` takes when given no as-of date: in an all-staff
    build (the default, as in :func:`compute`) a restricted KPI's data does not move it.
    One date holds for the whole organisation (spec 9.4).
    """
    seen = for_audience(scorecard, audience)
    return scoring.default_as_of(card.actuals.get(kpi.id, ()) for card in seen.walk() for kpi in card.kpis)


def compute(
    scorecard: Scorecard, as_of: dt.date | None = None, audience: Audience = Audience.ALL, *, insight: bool = True
) -> Results:
    """Compute every status of one build, for the organisation and every unit below it.

    Args:
        scorecard: the validated scorecard (tree), restricted KPIs included.
        as_of: the as-of date; None takes :func:`default_as_of` of the audience's scorecard.
        audience: ``ALL`` computes as if restricted KPIs did not exist (their values
            vanish from every roll-up and from the default as-of date), in every unit.
        insight: also test the map's arrows, forecast every KPI and grade the OKRs. Without
            it (a third of the work) ``links``, ``forecasts``, ``likely_to_miss`` and ``okrs``
            stay empty: enough for lint and for the story's look back at the last review.

    Returns:
        The root's results, each unit's in ``units`` (``results.unit(id)``); each
        ``results.scorecard`` is the audience's scorecard of that unit, consolidated
        KPIs' rows filled in from their sources.

    Raises:
        ValidationFailed: a scored period's goal is 0 under a percentage tolerance
            (or a similar goal that only shows at compute time), every one in every unit listed.
    """
    seen = for_audience(scorecard, audience)
    if as_of is None:
        as_of = default_as_of(seen, audience)
    filled = consolidate.fill(seen)
    explained = consolidate.explain(seen, as_of)
    problems: list[Problem] = []
    results = _unit_results(filled, as_of, audience, explained, problems, insight)
    if problems:
        raise ValidationFailed(problems)
    return results


def _unit_results(
    card: Scorecard,
    as_of: dt.date | None,
    audience: Audience,
    explained: dict[str, dict[str, Consolidated]],
    problems: list[Problem],
    insight: bool,
) -> Results:
    """One unit's results (its own items alone, spec 9.4.2), its units' below it."""
    kpis = _kpi_results(card, as_of, problems)
    objectives = objective_rollups(card, kpis)
    perspectives = perspective_rollups(card, objectives)
    forecasts = forecast.forecasts(kpis) if insight else {}
    log.debug("computed %d KPIs of %s for audience %s as of %s", len(kpis), card.id, audience.value, as_of)
    results = Results(
        scorecard=card,
        as_of=as_of,
        audience=audience,
        organization=organization_rollup(card, perspectives),
        perspectives=perspectives,
        themes=theme_rollups(card, objectives),
        objectives=objectives,
        kpis=kpis,
        initiatives={i.id: initiative_result(i, as_of) for i in card.initiatives},
        units=tuple(_unit_results(unit, as_of, audience, explained, problems, insight) for unit in card.units),
        consolidated=explained.get(card.id, {}),
        links=evidence.link_evidences(card, kpis) if insight else (),
        forecasts=forecasts,
        likely_to_miss=forecast.likely_to_miss(forecasts),
        okrs=okrs.okrs(card, kpis, as_of) if insight else None,
    )
    return dataclasses.replace(results, attention=needs_attention(results))


def _kpi_results(scorecard: Scorecard, as_of: dt.date | None, problems: list[Problem]) -> dict[str, KpiResult]:
    """Every KPI at ``as_of``, in scorecard order; adds every undefined goal to ``problems``."""
    results: dict[str, KpiResult] = {}
    for kpi in scorecard.kpis:
        try:
            results[kpi.id] = scoring.kpi_result(kpi, scorecard.actuals.get(kpi.id, ()), as_of)
        except UndefinedGoal as error:
            problems.append(Problem(kpi.where(error.key), str(error)))
    return results


def initiative_result(initiative: Initiative, as_of: dt.date | None) -> InitiativeResult:
    """An initiative at ``as_of``: late once its end date is reached and it is not done.

    With no as-of date (no data anywhere) nothing is late or overdue.
    """
    overdue = tuple(milestone_overdue(m, as_of) for m in initiative.milestones)
    return InitiativeResult(initiative, initiative_late(initiative, as_of), sum(overdue), overdue)
