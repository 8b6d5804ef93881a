"""View models of what only a cascaded portal shows: units, alignment, consolidated KPIs.

Plain frozen data like :mod:`.models`: text fields hold the user's raw strings,
links are :class:`~.models.Link` values the templates make relative.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.compute.results import Status
from generator.render.pages.models import Link, Page

__all__ = [
    "AlignedRow",
    "AlignmentPage",
    "CascadeNode",
    "ConsolidatedView",
    "HeatCell",
    "HeatRow",
    "ObjectiveAlignment",
    "SourceRow",
    "UnitChrome",
    "UnitNode",
    "UnitsOverviewPage",
    "UnitsSummary",
]


@dataclass(frozen=True)
class UnitNode:
    """One unit in the unit tree: a link to its home, its status and score, how deep it sits (0: the root)."""

    link: Link
    status: Status
    score: str
    depth: int
    current: bool = False
    children: tuple[UnitNode, ...] = ()


@dataclass(frozen=True)
class UnitChrome:
    """What heads every page of a unit: where you are (breadcrumb) and the unit's own sections.

    ``path`` is the page's docs path (links are made relative to it); ``crumbs`` run
    from the organisation down to the unit, ``here`` is the last step (the unit's
    name on its home, else the page's title); ``switcher`` lists every unit (homes only).
    """

    path: str
    unit: str
    crumbs: tuple[Link, ...]
    here: str
    sections: tuple[Link, ...]
    overview: Link
    switcher: tuple[UnitNode, ...] = ()


@dataclass(frozen=True)
class UnitsSummary:
    """The units directly below a unit, on its home page, and where the overview is."""

    units: tuple[UnitNode, ...]
    overview: Link


@dataclass(frozen=True)
class AlignedRow:
    """An objective of some unit in an alignment list: the unit, the objective, its status."""

    unit: Link
    objective: Link
    status: Status
    score: str


@dataclass(frozen=True)
class ObjectiveAlignment:
    """An objective's alignment: what it supports above, what supports it below, its cascade view."""

    supports: tuple[AlignedRow, ...]
    supported_by: tuple[AlignedRow, ...]
    cascade: Link | None
    has_units: bool


@dataclass(frozen=True)
class SourceRow:
    """One source of a consolidated KPI in the current period."""

    unit: Link
    kpi: Link | None
    kpi_name: str
    value: str


@dataclass(frozen=True)
class ConsolidatedView:
    """How a consolidated KPI's current value came about: each source beside the total."""

    method: str
    period: str
    total: str
    sources: tuple[SourceRow, ...]
    waiting_for: tuple[str, ...]


@dataclass(frozen=True)
class HeatCell:
    """A unit's roll-up of one perspective (None: the perspective is not on that unit's map)."""

    perspective: str
    status: Status | None
    score: str


@dataclass(frozen=True)
class HeatRow:
    unit: UnitNode
    cells: tuple[HeatCell, ...]


@dataclass(frozen=True)
class UnitsOverviewPage(Page):
    tree: tuple[UnitNode, ...]
    perspectives: tuple[str, ...]
    heat: tuple[HeatRow, ...]


@dataclass(frozen=True)
class CascadeNode:
    """One objective of a cascade and the unit objectives that support it."""

    row: AlignedRow
    children: tuple[CascadeNode, ...]


@dataclass(frozen=True)
class AlignmentPage(Page):
    objective: Link
    root: CascadeNode
    count: int
    units: Link
