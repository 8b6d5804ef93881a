"""What the compute stage hands to render: statuses and scores for every item.

These are plain frozen dataclasses: render reads them, never the raw
arithmetic. ``Results`` keeps the scorecard it was computed from, so render
needs nothing else.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.model import Initiative, Kpi, Scorecard
from generator.periods import Period

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
class Results:
    """Every computed status of one build (one audience, one as-of date).

    The mappings keep the scorecard's item order. ``attention`` is what needs
    attention (:func:`generator.compute.attention.needs_attention`), filled by
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
