"""What the compute stage hands to render: statuses and scores for every item.

These are plain frozen dataclasses: render reads them, never the raw
arithmetic. ``Results`` keeps the scorecard it was computed from, so render
needs nothing else.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.model import ConsolidationMethod, Initiative, Kpi, Objective, Scorecard
from generator.periods import Frequency, Period

if TYPE_CHECKING:
    from generator.compute.attention import Attention


class Status(str, enum.Enum):
    """A computed status (spec section 5)."""

    ON_TRACK = "on-track"
    AT_RISK = "at-risk"
    OFF_TRACK = "off-track"
    NO_DATA = "no-data"

    @property
    def label(self) -> str:
        """The word shown to people: ``On track``."""
        return self.value.replace("-", " ").capitalize()


class Audience(str, enum.Enum):
    """Who the build is for: ``all`` staff never see restricted KPIs."""

    ALL = "all"
    RESTRICTED = "restricted"


Goal = float | tuple[float, float]
"""A goal value, or ``(lo, hi)`` for a range KPI."""


@dataclass(frozen=True)
class PeriodResult:
    """One period of a KPI: its actual against that period's goal.

    ``actual`` is ``None`` for a row whose cell was empty; then ``score`` is
    ``None`` and ``status`` is ``NO_DATA`` (the goal is still set, and the red
    flag too unless it is undefined, a percentage of a zero goal).
    """

    period: Period
    actual: float | None
    goal: Goal
    red_flag: Goal | None
    score: float | None
    status: Status
    comment: str = ""


@dataclass(frozen=True)
class Trend:
    """A KPI's move since its previous reported value (:func:`generator.compute.attention.kpi_trend`).

    ``delta`` is the current value minus the previous one; ``verdict`` is
    ``better``, ``worse`` or ``no change``, judged by the KPI's direction.
    """

    delta: float
    verdict: str


@dataclass(frozen=True)
class KpiResult:
    """A KPI at the as-of date; ``trend`` is its last move (None without two values)."""

    kpi: Kpi
    current: PeriodResult | None
    stale: bool
    history: tuple[PeriodResult, ...]
    trend: Trend | None = None

    @property
    def id(self) -> str:
        return self.kpi.id

    @property
    def score(self) -> float | None:
        return self.current.score if self.current else None

    @property
    def status(self) -> Status:
        return self.current.status if self.current else Status.NO_DATA


@dataclass(frozen=True)
class RollUp:
    """An objective, perspective, theme or the organisation: a weighted mean of scores."""

    id: str
    score: float | None
    status: Status


@dataclass(frozen=True)
class InitiativeResult:
    """An initiative at the as-of date.

    ``late`` is true when its end date is on or before the as-of date (the
    as-of date is a period's last day, taken at its close) and it is not done;
    ``overdue_milestones`` counts milestones due by then and not done;
    ``overdue`` says which, one flag per milestone in written order.
    """

    initiative: Initiative
    late: bool
    overdue_milestones: int
    overdue: tuple[bool, ...] = ()

    @property
    def id(self) -> str:
        return self.initiative.id


@dataclass(frozen=True)
class SourceValue:
    """One source of a consolidated KPI in one period: ``unit``'s KPI ``kpi`` and its actual (None: missing)."""

    unit: str
    kpi: str
    actual: float | None
    comment: str = ""


@dataclass(frozen=True)
class ConsolidatedPeriod:
    """A consolidated KPI's period: the total (None unless every source has an actual) and each source."""

    period: Period
    actual: float | None
    sources: tuple[SourceValue, ...]


@dataclass(frozen=True)
class Consolidated:
    """How a consolidated KPI's actuals came about (spec 9.3), for its page.

    Attributes:
        kpi: the consolidated KPI.
        method: sum, mean, min or max.
        periods: every period some source has a row for, ended by the as-of date, oldest first.
        latest: the latest of those periods (None when there is none).
        waiting_for: the units, down the whole chain of consolidation, whose actual
            for ``latest`` is missing, in ``from`` order (empty when the total is complete).
    """

    kpi: Kpi
    method: ConsolidationMethod
    periods: tuple[ConsolidatedPeriod, ...]
    latest: Period | None
    waiting_for: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.kpi.id


@dataclass(frozen=True)
class Results:
    """Every computed status of one build (one audience, one as-of date) for one unit and the units below it.

    The mappings keep the scorecard's item order. ``units`` are the results of
    the unit's own units (same as-of date and audience), in the scorecard's
    order; ``consolidated`` explains each consolidated KPI. Render a unit's
    ``Results`` exactly like the root's.
    ``attention`` is what needs attention
    (:func:`generator.compute.attention.needs_attention`), filled by
    :func:`generator.compute.compute`.
    """

    scorecard: Scorecard
    as_of: dt.date | None
    audience: Audience
    organization: RollUp
    perspectives: dict[str, RollUp] = field(default_factory=dict)
    themes: dict[str, RollUp] = field(default_factory=dict)
    objectives: dict[str, RollUp] = field(default_factory=dict)
    kpis: dict[str, KpiResult] = field(default_factory=dict)
    initiatives: dict[str, InitiativeResult] = field(default_factory=dict)
    attention: Attention | None = None
    links: tuple[LinkEvidence, ...] = ()
    """The evidence for every ``drives`` arrow, in objective order then ``drives`` order."""
    forecasts: dict[str, Forecast] = field(default_factory=dict)
    """KPI id -> its forecast; a KPI without one (too little data, range, target not ahead) is absent."""
    likely_to_miss: tuple[str, ...] = ()
    """Ids of KPIs whose forecast gives ``p_hit`` below :data:`LIKELY_TO_MISS_BELOW`, in KPI order."""
    okrs: Okrs | None = None
    """The quarterly OKRs drawn from the scorecard; None without an as-of date."""

    units: tuple[Results, ...] = ()
    consolidated: dict[str, Consolidated] = field(default_factory=dict)

    @functools.cached_property
    def visible_kpis(self) -> tuple[KpiResult, ...]:
        """The KPIs this build may show, in scorecard order (never a restricted one for all staff).

        Worked out once: every page, map box and slide asks for it.
        """
        return tuple(
            result
            for result in self.kpis.values()
            if self.audience is Audience.RESTRICTED or not result.kpi.restricted
        )

    @functools.cached_property
    def kpis_by_objective(self) -> dict[str, tuple[KpiResult, ...]]:
        """The visible KPIs of each objective, in scorecard order (an objective without any is absent)."""
        found: dict[str, list[KpiResult]] = {}
        for result in self.visible_kpis:
            found.setdefault(result.kpi.objective, []).append(result)
        return {objective: tuple(results) for objective, results in found.items()}

    @property
    def unit_id(self) -> str:
        """The id of the unit these results are for (the organisation's id for the root)."""
        return self.scorecard.organization.id

    def walk(self) -> tuple[Results, ...]:
        """These results and those of every unit below, a unit before its own units."""
        found: list[Results] = []
        stack = [self]
        while stack:
            results = stack.pop()
            found.append(results)
            stack.extend(reversed(results.units))
        return tuple(found)

    def unit(self, unit_id: str) -> Results:
        """The results of unit ``unit_id`` in this tree.

        Raises:
            KeyError: no such unit (or none the audience sees).
        """
        cache = self.__dict__.setdefault("_units", {})
        if not cache:
            cache.update({results.unit_id: results for results in self.walk()})
        return cache[unit_id]


# -- is the strategy working? (evidence, forecasts, OKRs) -------------------------------


class Evidence(str, enum.Enum):
    """What the data says about one ``drives`` arrow."""

    SUPPORTED = "supported"
    CONTRADICTED = "contradicted"
    NO_EVIDENCE = "no-evidence"
    INSUFFICIENT_DATA = "insufficient-data"

    @property
    def label(self) -> str:
        """The words shown to people: ``No evidence``."""
        return self.value.replace("-", " ").capitalize()


@dataclass(frozen=True)
class ChangePoint:
    """One aligned pair of period-over-period changes, each pointed the good way.

    ``effect_period`` is ``cause_period`` plus the lag.
    """

    cause_period: Period
    effect_period: Period
    cause: float
    effect: float


@dataclass(frozen=True)
class LinkTest:
    """One correlation tested for an arrow: a (cause KPI, effect KPI) pair at one lag.

    ``r`` is Spearman's rank correlation of the changes, ``p`` its two-sided
    p-value and ``p_adjusted`` the Holm-adjusted p-value across every test of
    the arrow (what the verdict uses).
    """

    cause_kpi: str
    effect_kpi: str
    lag: int
    n: int
    r: float
    p: float
    p_adjusted: float


@dataclass(frozen=True)
class LinkEvidence:
    """The evidence for one arrow ``cause -> effect`` (objective ids).

    ``best`` is the test with the smallest adjusted p-value (None when nothing
    could be tested); for ``supported``/``contradicted`` it is the significant
    link reported. ``changes`` is its aligned change series (for a chart),
    ``frequency`` the frequency its lag counts in.
    """

    cause: str
    effect: str
    evidence: Evidence
    best: LinkTest | None = None
    tests: int = 0
    pairs: tuple[tuple[str, str], ...] = ()
    changes: tuple[ChangePoint, ...] = ()
    frequency: Frequency | None = None


LIKELY_TO_MISS_BELOW = 0.2
"""A forecast whose probability of meeting the target is below this is "likely to miss its target"."""


@dataclass(frozen=True)
class ForecastPoint:
    """The projection for one future period with its 80 % prediction interval."""

    period: Period
    value: float
    low: float
    high: float


@dataclass(frozen=True)
class Forecast:
    """A KPI projected to its target period by a linear trend on its recent actuals.

    Attributes:
        kpi: the KPI id.
        period: the target period (in the KPI's frequency).
        goal: the goal of that period (spec section 4).
        value: the projected value in ``period``; ``low``/``high`` its 80 % interval.
        p_hit: the probability of meeting ``goal`` under the model.
        points: the projection for every period after the current one up to ``period``.
        fitted: how many actuals the trend was fitted on; ``first`` the earliest of them.
        slope: the trend, in the KPI's unit per period.
    """

    kpi: str
    period: Period
    goal: float
    value: float
    low: float
    high: float
    p_hit: float
    points: tuple[ForecastPoint, ...]
    fitted: int
    first: Period
    slope: float

    @property
    def likely_to_miss(self) -> bool:
        return self.p_hit < LIKELY_TO_MISS_BELOW


@dataclass(frozen=True)
class KeyResult:
    """A KPI as an OKR key result: from a start value to the goal at the quarter's end.

    Attributes:
        kpi: the KPI.
        start: the actual at the quarter's start (for the coming quarter: the current
            actual), None when there is none; ``start_period`` its period.
        goal: the goal of ``goal_period``, the KPI period holding the quarter's last day;
            ``(lo, hi)`` for a range KPI ("stay within").
        end: the actual at the quarter's end (graded quarters only); ``end_period`` its period.
        grade: 0.0-1.0 progress from ``start`` to ``goal`` (graded quarters only; None
            when the quarter brought no new actual or there was no start value).
    """

    kpi: Kpi
    start: float | None
    start_period: Period | None
    goal: Goal
    goal_period: Period
    end: float | None = None
    end_period: Period | None = None
    grade: float | None = None


@dataclass(frozen=True)
class OkrObjective:
    """An objective as an OKR objective; ``grade`` is the mean of its graded key results."""

    objective: Objective
    key_results: tuple[KeyResult, ...]
    grade: float | None = None


@dataclass(frozen=True)
class OkrQuarter:
    """The OKRs of one quarter; ``graded`` is true for a completed quarter."""

    quarter: Period
    objectives: tuple[OkrObjective, ...]
    graded: bool


@dataclass(frozen=True)
class Okrs:
    """The coming quarter's OKRs and the last completed quarter's, graded."""

    coming: OkrQuarter
    last: OkrQuarter
