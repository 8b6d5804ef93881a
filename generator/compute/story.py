"""The town-hall story: what a presentation of the latest quarter says, decided from the results.

:func:`story` picks the content of every section of a presentation (the deck
and, later, present mode in the site use the same story): where the
organisation and its perspectives stand, each perspective's objectives and
KPIs with a short trend, the **wins** and **concerns** since the last review,
the initiatives that are late or have overdue milestones, and next quarter's
goals. It holds data only (statuses, scores, periods, user text); the wording
lives in ``generator/render/slides``.

*Since the last review* means since the end of the quarter before the one the
as-of date falls in: the results are computed again as of that day and the
statuses and scores compared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.compute import compute
from generator.compute.goals import GoalPlan, UndefinedGoal
from generator.compute.results import Goal, KpiResult, PeriodResult, Results, RollUp, Status
from generator.compute.rollup import perspective_ids
from generator.load.present import REST, OwnSlide, PresentPlan
from generator.model import DEFAULT_PERSPECTIVES, Initiative, InitiativeStatus, Kpi, Milestone, Objective, Perspective
from generator.periods import Frequency, Period

__all__ = [
    "BIGGEST_MOVES",
    "TREND_PERIODS",
    "Change",
    "InitiativeLine",
    "KpiLine",
    "NextGoal",
    "ObjectiveLine",
    "PerspectiveLine",
    "Story",
    "arrange",
    "section_ids",
    "story",
]

TREND_PERIODS = 6
"""Periods with a value shown in a KPI's small trend."""

BIGGEST_MOVES = 3
"""Score moves listed among the wins (up) and the concerns (down)."""

MIN_MOVE = 0.5
"""A score move smaller than this (on the 0-10 scale) is noise, not news."""

NEXT_GOALS_ALL = 24
"""Up to this many KPIs, the next quarter's slides give every KPI's goal; beyond it, the goals of
the KPIs the trend slides show (:func:`spotlight`), and the portal's OKRs page has the rest."""

TRENDS_PER_PERSPECTIVE = 6
"""KPI trends a perspective shows at most: a town hall walks through a few charts, not hundreds
(an organisation of 1,000 KPIs would otherwise get a deck of 300 charts). The rest are on the portal."""

_RANK = {Status.OFF_TRACK: 0, Status.AT_RISK: 1, Status.ON_TRACK: 2}

FIXED_SECTIONS = ("title", "where-we-stand", "map")
CLOSING_SECTIONS = ("wins", "concerns", "initiatives", "units", "next-quarter", "closing")


@dataclass(frozen=True)
class KpiLine:
    """A KPI as the story tells it.

    Attributes:
        kpi: the KPI.
        result: its computed state at the as-of date.
        trend: its latest periods with a value (at most :data:`TREND_PERIODS`), oldest first.
        off_track_since: the first period of its current run of off-track periods, or None.
        comments: ``(period, comment)`` written for its current period (and any later
            row without a value), in period order.
        initiatives: the initiatives that address its objective.
    """

    kpi: Kpi
    result: KpiResult
    trend: tuple[PeriodResult, ...]
    off_track_since: Period | None
    comments: tuple[tuple[Period, str], ...]
    initiatives: tuple[Initiative, ...]

    @property
    def status(self) -> Status:
        return self.result.status

    @property
    def current(self) -> PeriodResult | None:
        return self.result.current

    @property
    def stale(self) -> bool:
        return self.result.stale


@dataclass(frozen=True)
class ObjectiveLine:
    """An objective, its roll-up and its KPIs (the audience's only)."""

    objective: Objective
    rollup: RollUp
    kpis: tuple[KpiLine, ...]
    stale: bool


@dataclass(frozen=True)
class PerspectiveLine:
    """A perspective, its roll-up and its objectives in map order."""

    perspective: Perspective
    rollup: RollUp
    objectives: tuple[ObjectiveLine, ...]
    spotlight: tuple[KpiLine, ...] = ()
    """The KPIs whose trends the story shows (:func:`spotlight`), in map order."""
    brief: bool = False
    """The scorecard is too big to list every KPI (more than :data:`NEXT_GOALS_ALL`): the
    perspective's table lists every objective but only the spotlight's KPIs."""

    def kpis_shown(self, objective: ObjectiveLine) -> tuple[KpiLine, ...]:
        """The KPIs of ``objective`` the perspective's table lists."""
        if not self.brief:
            return objective.kpis
        shown = {id(line) for line in self.spotlight}
        return tuple(line for line in objective.kpis if id(line) in shown)

    @property
    def more_trends(self) -> int:
        """KPIs with data whose trends the story leaves to the portal."""
        return sum(1 for o in self.objectives for line in o.kpis if line.trend) - len(self.spotlight)


@dataclass(frozen=True)
class Change:
    """An item's status and score at the last review and now.

    Attributes:
        kind: ``organization``, ``perspective``, ``objective`` or ``kpi``.
        item_id: the item's id (unique within its kind).
        name: the item's name.
        before: status and score at the last review.
        after: status and score now.
    """

    kind: str
    item_id: str
    name: str
    before: RollUp
    after: RollUp

    @property
    def delta(self) -> float | None:
        if self.before.score is None or self.after.score is None:
            return None
        return self.after.score - self.before.score

    @property
    def direction(self) -> int:
        """+1 a better status, -1 a worse one, 0 the same (or no data on either side)."""
        a, b = _RANK.get(self.after.status), _RANK.get(self.before.status)
        if a is None or b is None or a == b:
            return 0
        return 1 if a > b else -1


@dataclass(frozen=True)
class InitiativeLine:
    """An initiative that needs a word: late, or with overdue milestones, or reported in trouble."""

    initiative: Initiative
    late: bool
    overdue: tuple[Milestone, ...]

    @property
    def reported(self) -> InitiativeStatus | None:
        return self.initiative.status


@dataclass(frozen=True)
class NextGoal:
    """A KPI's goal for next quarter: the goal of its period that holds the quarter's last day."""

    kpi: KpiLine
    period: Period
    goal: Goal


@dataclass(frozen=True)
class Story:
    """Everything a presentation of one build says.

    Attributes:
        results: the build's results (the audience's: restricted KPIs are absent from an all-staff story).
        previous: the results at the last review (end of the previous quarter), or None without data.
        organization: the organisation's roll-up now.
        perspectives: every perspective in map order.
        improved / worsened: status changes since the last review (perspectives, objectives, KPIs).
        rising / falling: the biggest score moves of objectives whose status did not change.
        off_track: KPIs off track now.
        stale: KPIs whose data is stale.
        initiatives: every initiative in written order.
        attention: the initiatives that are late, have overdue milestones or are reported in trouble.
        quarter: the quarter after the as-of date.
        next_goals: each KPI's goal for that quarter, by objective in map order.
        sections: the sections to show, in order (``content/present.yml`` applied): section
            ids and the presenter's own slides.
    """

    results: Results
    previous: Results | None
    organization: RollUp
    perspectives: tuple[PerspectiveLine, ...]
    improved: tuple[Change, ...]
    worsened: tuple[Change, ...]
    rising: tuple[Change, ...]
    falling: tuple[Change, ...]
    off_track: tuple[KpiLine, ...]
    stale: tuple[KpiLine, ...]
    initiatives: tuple[Initiative, ...]
    attention: tuple[InitiativeLine, ...]
    quarter: Period | None
    next_goals: tuple[NextGoal, ...]
    more_goals: int = 0
    """KPIs whose goals for the next quarter the story leaves to the OKRs page."""
    sections: tuple[str | OwnSlide, ...] = ()

    @property
    def as_of(self) -> dt.date | None:
        return self.results.as_of

    @property
    def review_date(self) -> dt.date | None:
        return self.previous.as_of if self.previous else None

    def kpi_lines(self) -> list[KpiLine]:
        """Every KPI line in map order."""
        return [k for p in self.perspectives for o in p.objectives for k in o.kpis]


def section_ids(perspective_list: list[str]) -> list[str]:
    """Every section id of a story in default order, for perspectives ``perspective_list``.

    A section is what ``content/present.yml`` picks, orders and hides by id.
    """
    middle = [f"{kind}:{pid}" for pid in perspective_list for kind in ("perspective", "trends")]
    return [*FIXED_SECTIONS, *middle, *CLOSING_SECTIONS]


def arrange(ids: list[str], plan: PresentPlan | None) -> list[str | OwnSlide]:
    """The sections shown: ``plan.slides`` in order (``rest``: the unlisted ids), less ``plan.hide``."""
    if plan is None:
        return list(ids)
    listed = {entry for entry in plan.slides if isinstance(entry, str)}
    order: list[str | OwnSlide] = []
    for entry in plan.slides or (REST,):
        if entry == REST:
            order += [i for i in ids if i not in listed]
        else:
            order.append(entry)
    return [entry for entry in order if not (isinstance(entry, str) and entry in plan.hide)]


def previous_review(as_of: dt.date) -> dt.date:
    """The last review before ``as_of``: the end of the quarter before the one holding it."""
    return (Period.containing(as_of, Frequency.QUARTERLY) + -1).end


def looking_back(results: Results) -> Results | None:
    """``results``' scorecard (its whole tree) at the last review, statuses only; None without data."""
    if results.as_of is None:
        return None
    return compute(results.scorecard, previous_review(results.as_of), results.audience, insight=False)


def story(results: Results, plan: PresentPlan | None = None, *, previous: Results | None = None) -> Story:
    """The story of one build, from its results (restricted KPIs are absent from an all-staff build).

    Args:
        results: the build's results.
        plan: ``content/present.yml`` as read by :func:`generator.load.present.read_plan`.
        previous: the same unit at the last review (:func:`looking_back`, whose tree holds
            every unit's); computed here when not given.
    """
    card = results.scorecard
    previous = previous or looking_back(results)
    addressing = _initiatives_by_objective(card.initiatives)
    lines = {k.id: _kpi_line(r, addressing.get(r.kpi.objective, ())) for k, r in _pairs(results)}
    brief = len(lines) > NEXT_GOALS_ALL
    perspectives = tuple(_perspective_line(results, p, lines, brief) for p in _perspectives(results))
    changes = _changes(results, previous) if previous else []
    improved = tuple(c for c in changes if c.direction > 0)
    worsened = tuple(c for c in changes if c.direction < 0)
    moves = [c for c in changes if c.kind == "objective" and c.direction == 0 and abs(c.delta or 0) >= MIN_MOVE]
    ordered = [line for p in perspectives for o in p.objectives for line in o.kpis]
    quarter = Period.containing(results.as_of, Frequency.QUARTERLY) + 1 if results.as_of else None
    return Story(
        results=results,
        previous=previous,
        organization=results.organization,
        perspectives=perspectives,
        improved=improved,
        worsened=worsened,
        rising=tuple(sorted((c for c in moves if (c.delta or 0) > 0), key=lambda c: -(c.delta or 0))[:BIGGEST_MOVES]),
        falling=tuple(sorted((c for c in moves if (c.delta or 0) < 0), key=lambda c: c.delta or 0)[:BIGGEST_MOVES]),
        off_track=tuple(line for line in ordered if line.status is Status.OFF_TRACK),
        stale=tuple(line for line in ordered if line.stale),
        initiatives=card.initiatives,
        attention=tuple(_attention(results)),
        quarter=quarter,
        next_goals=tuple(_next_goals(_goal_lines(ordered, perspectives), quarter)) if quarter else (),
        more_goals=len(ordered) - len(_goal_lines(ordered, perspectives)) if quarter else 0,
        sections=tuple(arrange(section_ids([p.perspective.id for p in perspectives]), plan)),
    )


# -- perspectives, objectives, KPIs ----------------------------------------------------------


def _pairs(results: Results) -> list[tuple[Kpi, KpiResult]]:
    return [(r.kpi, r) for r in results.kpis.values()]


def _perspectives(results: Results) -> list[Perspective]:
    card = results.scorecard
    if card.perspectives:
        return list(card.perspectives)
    names = dict(DEFAULT_PERSPECTIVES)
    return [Perspective(id=pid, name=names.get(pid, pid)) for pid in perspective_ids(card)]


def _perspective_line(
    results: Results, perspective: Perspective, lines: dict[str, KpiLine], brief: bool
) -> PerspectiveLine:
    card = results.scorecard
    objectives = tuple(
        ObjectiveLine(
            objective=o,
            rollup=results.objectives[o.id],
            kpis=tuple(lines[k.id] for k in card.kpis_of(o.id) if k.id in lines),
            stale=any(lines[k.id].stale for k in card.kpis_of(o.id) if k.id in lines),
        )
        for o in card.objectives_in(perspective.id)
    )
    return PerspectiveLine(perspective, results.perspectives[perspective.id], objectives, spotlight(objectives), brief)


def spotlight(objectives: tuple[ObjectiveLine, ...], most: int = TRENDS_PER_PERSPECTIVE) -> tuple[KpiLine, ...]:
    """The KPIs with data a perspective's trend slides show: every one when they are few, else the
    ``most`` that need the audience's attention (off track, then at risk, then stale, then the lowest
    scores), kept in map order."""
    lines = [line for o in objectives for line in o.kpis if line.trend]
    if len(lines) <= most:
        return tuple(lines)

    def urgency(line: KpiLine) -> tuple[int, bool, float]:
        score = line.result.score if line.result.score is not None else 10.0
        return (_RANK.get(line.status, 3), not line.stale, score)

    chosen = {id(line) for line in sorted(lines, key=urgency)[:most]}
    return tuple(line for line in lines if id(line) in chosen)


def _kpi_line(result: KpiResult, initiatives: tuple[Initiative, ...]) -> KpiLine:
    valued = [p for p in result.history if p.actual is not None]
    return KpiLine(
        kpi=result.kpi,
        result=result,
        trend=tuple(valued[-TREND_PERIODS:]),
        off_track_since=_off_track_since(valued),
        comments=_current_comments(result),
        initiatives=initiatives,
    )


def _off_track_since(valued: list[PeriodResult]) -> Period | None:
    """The first period of the unbroken run of off-track periods that ends with the current one."""
    since = None
    for period in reversed(valued):
        if period.status is not Status.OFF_TRACK:
            break
        since = period.period
    return since


def _current_comments(result: KpiResult) -> tuple[tuple[Period, str], ...]:
    """Comments of the current period and of any later row without a value ("data delayed")."""
    if not result.history:
        return ()
    start = result.current.period if result.current else result.history[-1].period
    return tuple((p.period, p.comment.strip()) for p in result.history if p.period >= start and p.comment.strip())


def _initiatives_by_objective(initiatives: tuple[Initiative, ...]) -> dict[str, tuple[Initiative, ...]]:
    found: dict[str, list[Initiative]] = {}
    for initiative in initiatives:
        for objective_id in dict.fromkeys(initiative.objectives):
            found.setdefault(objective_id, []).append(initiative)
    return {k: tuple(v) for k, v in found.items()}


# -- since the last review -------------------------------------------------------------------


def _changes(now: Results, before: Results) -> list[Change]:
    """Every perspective, objective and KPI with its state at the last review and now, in map order."""
    card = now.scorecard
    org = card.organization
    found = [Change("organization", org.id, org.name, before.organization, now.organization)]
    titles = {p.id: p.title for p in _perspectives(now)}
    found += [
        Change("perspective", pid, titles[pid], before.perspectives[pid], r) for pid, r in now.perspectives.items()
    ]
    found += [Change("objective", o.id, o.name, before.objectives[o.id], now.objectives[o.id]) for o in card.objectives]
    found += [
        Change("kpi", k.id, k.name, _as_rollup(before.kpis[k.id]), _as_rollup(now.kpis[k.id]))
        for k in card.kpis
        if k.id in before.kpis
    ]
    return found


def _as_rollup(result: KpiResult) -> RollUp:
    return RollUp(result.id, result.score, result.status)


# -- initiatives and next quarter ------------------------------------------------------------


def _attention(results: Results) -> list[InitiativeLine]:
    """Initiatives late, with overdue milestones, or reported off track / at risk, in written order."""
    trouble = (InitiativeStatus.OFF_TRACK, InitiativeStatus.AT_RISK)
    out = []
    for result in results.initiatives.values():
        overdue = tuple(m for m, due in zip(result.initiative.milestones, result.overdue, strict=True) if due)
        if result.late or overdue or result.initiative.status in trouble:
            out.append(InitiativeLine(result.initiative, result.late, overdue))
    return out


def _goal_lines(lines: list[KpiLine], perspectives: tuple[PerspectiveLine, ...]) -> list[KpiLine]:
    """The KPIs whose next-quarter goals the story gives: all, or the spotlight of a big scorecard."""
    if len(lines) <= NEXT_GOALS_ALL:
        return lines
    shown = {id(line) for p in perspectives for line in p.spotlight}
    return [line for line in lines if id(line) in shown]


def _next_goals(lines: list[KpiLine], quarter: Period) -> list[NextGoal]:
    out = []
    for line in lines:
        period = quarter.as_frequency(line.kpi.frequency)
        try:
            goal = GoalPlan.of(line.kpi).goal(period)
        except UndefinedGoal:  # the loader refuses a KPI without a goal; be safe all the same
            continue
        out.append(NextGoal(line, period, goal))
    return out
