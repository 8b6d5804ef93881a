"""View models: what each generated page shows, as plain frozen data for its template.

Text fields hold the user's raw strings: the templates escape them for where
they land. Links are :class:`Link` values (a target page path, made relative by
the template filter), so a view model never holds Markdown syntax.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markupsafe import Markup

from generator.compute.results import Status
from generator.model import InitiativeStatus

if TYPE_CHECKING:  # the cascade's parts of a page (units pages), filled only in a portal with units
    from generator.render.pages.unit_models import ConsolidatedView, ObjectiveAlignment, UnitsSummary


@dataclass(frozen=True)
class Link:
    """A link to another docs page: ``page`` is its docs path, ``anchor`` an optional heading id."""

    text: str
    page: str
    anchor: str = ""


@dataclass(frozen=True)
class Trend:
    """A KPI's move since its previous reported period."""

    arrow: str
    change: str
    verdict: str  # "better", "worse", "no change"


@dataclass(frozen=True)
class KpiRow:
    """One KPI as a table row."""

    link: Link
    objective: Link
    owner: str
    value: str
    goal: str
    period: str
    score: str
    status: Status
    stale: bool
    trend: Trend | None
    owner_link: Link | None = None  # the owner's section of the owners page


@dataclass(frozen=True)
class ObjectiveRow:
    """One objective with its status and (on perspective and theme pages) its KPIs."""

    link: Link
    perspective: Link
    owner: str
    score: str
    status: Status
    kpis: tuple[KpiRow, ...] = ()
    owner_link: Link | None = None


@dataclass(frozen=True)
class InitiativeRow:
    """One initiative as a table row."""

    link: Link
    owner: str
    start: str
    end: str
    budget: str
    spent: str
    progress: float | None
    status: InitiativeStatus | None
    late: bool
    overdue_milestones: int
    owner_link: Link | None = None


@dataclass(frozen=True)
class AttentionItem:
    """Something that needs attention: what it is, its status and why.

    ``reported`` is an initiative's status as its owner reports it (``status`` is a scored one).
    """

    kind: str
    link: Link
    status: Status | None
    stale: bool
    detail: str
    reported: InitiativeStatus | None = None
    owner: Link | None = None  # who is accountable for it, linked to their section


@dataclass(frozen=True)
class AttentionGroup:
    """One kind of attention item (``anchor`` is the heading id on the attention page)."""

    anchor: str
    title: str
    items: tuple[AttentionItem, ...]


@dataclass(frozen=True)
class StatusCount:
    """How many KPIs have a status, and where the list of them is."""

    status: Status
    count: int
    link: Link


@dataclass(frozen=True)
class Fact:
    """One term of a definition list; ``links`` replace ``text`` when given."""

    term: str
    text: str = ""
    links: tuple[Link, ...] = ()


# -- pages --------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """What every page has: its docs path, its title (the H1) and the as-of date."""

    path: str
    title: str
    as_of: str


@dataclass(frozen=True)
class PerspectiveCard:
    """A perspective on the home page: status and its objectives."""

    link: Link
    question: str
    score: str
    status: Status
    objectives: tuple[ObjectiveRow, ...]


@dataclass(frozen=True)
class HomePage(Page):
    vision: str
    mission: str
    score: str
    status: Status
    counts: tuple[StatusCount, ...]
    map_image: MapImage | None
    attention: tuple[AttentionItem, ...]
    attention_more: int
    attention_link: Link
    map_link: Link
    perspectives: tuple[PerspectiveCard, ...]
    kpi_count: int
    objective_count: int
    initiative_count: int
    present: bool = False  # the build has present mode and the deck (linked from the page)
    units: UnitsSummary | None = None
    map_list: tuple[ObjectiveGroup, ...] = ()  # the map as a list, shown instead of it on a phone


@dataclass(frozen=True)
class MapPage(Page):
    map_image: MapImage | None
    home: Link
    present: bool = False  # the build has present mode (linked from the page)
    map_list: tuple[ObjectiveGroup, ...] = ()  # the map as a list, shown instead of it on a phone


@dataclass(frozen=True)
class PerspectivePage(Page):
    question: str
    score: str
    status: Status
    objectives: tuple[ObjectiveRow, ...]
    map_image: MapImage | None = None  # the map, other perspectives dimmed (set by the registry)


@dataclass(frozen=True)
class ThemePage(Page):
    description: str
    score: str
    status: Status
    objectives: tuple[ObjectiveRow, ...]
    map_image: MapImage | None


@dataclass(frozen=True)
class ObjectivePage(Page):
    facts: tuple[Fact, ...]
    description: str
    score: str
    status: Status
    driven_by: tuple[ObjectiveRow, ...]
    drives: tuple[ObjectiveRow, ...]
    kpis: tuple[KpiRow, ...]
    initiatives: tuple[InitiativeRow, ...]
    # The evidence for the objective's arrows (render.pages.insight.EvidenceRow), and where all of it is.
    evidence: tuple = ()
    evidence_page: Link | None = None
    alignment: ObjectiveAlignment | None = None
    aliases: tuple[str, ...] = ()  # "Also called": other names people search for


@dataclass(frozen=True)
class ObjectiveGroup:
    """The objectives of one perspective on the objectives index."""

    perspective: Link
    score: str
    status: Status
    objectives: tuple[ObjectiveRow, ...]


@dataclass(frozen=True)
class ObjectivesPage(Page):
    groups: tuple[ObjectiveGroup, ...]


@dataclass(frozen=True)
class PeriodRow:
    """One reported period of a KPI."""

    period: str
    actual: str
    goal: str
    red_flag: str
    score: str
    status: Status
    comment: str


@dataclass(frozen=True)
class Chart:
    """A chart written as an SVG file beside its page and shown by an ``<img>``.

    ``src`` is relative to the page's URL; ``alt`` is the chart's own text
    alternative (its ``<title>`` and ``<desc>``), ``width``/``height`` its size in px.
    """

    src: str
    alt: str
    width: str
    height: str


@dataclass(frozen=True)
class MapImage:
    """A strategy map written as an SVG file of the unit and shown by an ``<img>`` (like :class:`Chart`).

    ``src`` is relative to the page's URL; ``alt`` is the map's own text alternative
    (its ``<title>`` and ``<desc>``, then what ``focus`` highlights), ``width``/``height``
    its size in px. ``focus`` (``data-sp-focus`` on the wrapper) brightens one perspective
    or theme of the one drawing and dims the rest; ``highlight`` says which in words.
    """

    src: str
    alt: str
    width: str
    height: str
    focus: str = ""
    highlight: str = ""


@dataclass(frozen=True)
class KpiPage(Page):
    facts: tuple[Fact, ...]
    value: str
    goal: str
    period: str
    score: str
    status: Status
    stale: bool
    trend: Trend | None
    chart: Chart | None
    periods: tuple[PeriodRow, ...]  # the recent ones, newest first
    period_count: int = 0  # every reported period, those not listed included
    earlier_comments: tuple[PeriodRow, ...] = ()  # periods before the listed ones that have a comment
    periods_csv: Link | None = None  # every period of every KPI
    unit: str = ""  # shown once in the period table's header, not in every cell
    forecast: str = ""  # the forecast in words, next to the chart (render.pages.insight.with_forecast)
    consolidated: ConsolidatedView | None = None
    aliases: tuple[str, ...] = ()  # "Also called": other names people search for

    @property
    def comments(self) -> bool:
        """Whether any listed period has a comment: the period table shows that column only then."""
        return any(row.comment for row in self.periods)


@dataclass(frozen=True)
class KpisPage(Page):
    rows: tuple[KpiRow, ...]
    periods_csv: Link | None = None  # every period of every KPI


@dataclass(frozen=True)
class InitiativesPage(Page):
    timeline_svg: Markup
    rows: tuple[InitiativeRow, ...]
    budget_total: str
    spent_total: str


@dataclass(frozen=True)
class MilestoneRow:
    """One milestone: done, open, or open and past due."""

    name: str
    due: str
    done: bool
    overdue: bool


@dataclass(frozen=True)
class InitiativePage(Page):
    row: InitiativeRow
    facts: tuple[Fact, ...]
    objectives: tuple[ObjectiveRow, ...]
    milestones: tuple[MilestoneRow, ...]


@dataclass(frozen=True)
class OwnerEntry:
    """Everything one person (or role) is accountable for; ``anchor`` is their section's id."""

    name: str
    anchor: str
    objectives: tuple[ObjectiveRow, ...]
    kpis: tuple[KpiRow, ...]
    initiatives: tuple[InitiativeRow, ...]
    summary: str = ""  # "1 off track, 2 on track": the statuses of their objectives and KPIs


@dataclass(frozen=True)
class OwnersPage(Page):
    owners: tuple[OwnerEntry, ...]
    letters: tuple[tuple[str, tuple[OwnerEntry, ...]], ...] = ()  # the A-Z index: initial -> owners


@dataclass(frozen=True)
class AttentionPage(Page):
    groups: tuple[AttentionGroup, ...]
    total: int = field(default=0)

