"""What the compute stage hands to render: statuses and scores for every item.

These are plain frozen dataclasses: render reads them, never the raw
arithmetic. ``Results`` keeps the scorecard it was computed from, so render
needs nothing else.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from generator.model import ConsolidationMethod, Initiative, Kpi, Scorecard
from generator.periods import Period


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
class KpiResult:
    """A KPI at the as-of date."""

    kpi: Kpi
    current: PeriodResult | None
    stale: bool
    history: tuple[PeriodResult, ...]

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
    ``overdue_milestones`` counts milestones due by then and not done.
    """

    initiative: Initiative
    late: bool
    overdue_milestones: int

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
    units: tuple[Results, ...] = ()
    consolidated: dict[str, Consolidated] = field(default_factory=dict)

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
