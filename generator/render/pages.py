"""Page models: what each generated page shows, as plain data for its template.

Each ``*_page`` function takes the computed :class:`~generator.compute.results.Results`
and returns a frozen dataclass; the Jinja2 templates in ``templates/`` only lay
it out. Logic (sorting, grouping, trends, what needs attention) lives here so it
can be tested without parsing Markdown.

Text fields hold the user's raw strings: the templates escape them for where
they land. Links are :class:`Link` values (a target page path, made relative by
the template filter), so a page model never holds Markdown syntax.

Only KPIs present in ``results.kpis`` are ever shown: an all-staff build's results
have no restricted KPI, and :func:`visible_kpis` drops any that slipped through,
so no count, table or owner list can reveal one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from markupsafe import Markup

from generator.compute.results import Audience, InitiativeResult, KpiResult, PeriodResult, Results, RollUp, Status
from generator.model import Direction, InitiativeStatus, Kpi, Milestone, Objective
from generator.render.numbers import format_date, format_number, format_score, format_short_date, format_value

__all__ = [
    "Link",
    "Paths",
    "attention_page",
    "home_page",
    "initiative_page",
    "initiatives_page",
    "kpi_page",
    "kpis_page",
    "map_page",
    "objective_page",
    "objectives_page",
    "owners_page",
    "perspective_page",
    "theme_page",
    "visible_kpis",
]

HOME_ATTENTION_LIMIT = 8
"""How many items the home page lists under "Needs attention" before linking to the full page."""


# -- paths -------------------------------------------------------------------------


@dataclass(frozen=True)
class Paths:
    """Where each page of one scorecard unit lives in the docs folder.

    The root unit's pages live at the docs root; a future unit's under
    ``units/<unit-id>/`` (its ``prefix``), so ids need only be unique per unit.
    """

    prefix: str = ""

    def home(self) -> str:
        return f"{self.prefix}index.md"

    def map(self) -> str:
        return f"{self.prefix}map.md"

    def perspective(self, item_id: str) -> str:
        return f"{self.prefix}perspectives/{item_id}.md"

    def theme(self, item_id: str) -> str:
        return f"{self.prefix}themes/{item_id}.md"

    def objectives(self) -> str:
        return f"{self.prefix}objectives/index.md"

    def objective(self, item_id: str) -> str:
        return f"{self.prefix}objectives/{item_id}.md"

    def kpis(self) -> str:
        return f"{self.prefix}kpis/index.md"

    def kpi(self, item_id: str) -> str:
        return f"{self.prefix}kpis/{item_id}.md"

    def initiatives(self) -> str:
        return f"{self.prefix}initiatives/index.md"

    def initiative(self, item_id: str) -> str:
        return f"{self.prefix}initiatives/{item_id}.md"

    def owners(self) -> str:
        return f"{self.prefix}owners.md"

    def attention(self) -> str:
        return f"{self.prefix}attention.md"


# -- building blocks ----------------------------------------------------------------


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


@dataclass(frozen=True)
class ObjectiveRow:
    """One objective with its status and (on perspective and theme pages) its KPIs."""

    link: Link
    perspective: Link
    owner: str
    score: str
    status: Status
    kpis: tuple[KpiRow, ...] = ()


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
    map_svg: Markup
    attention: tuple[AttentionItem, ...]
    attention_more: int
    attention_link: Link
    map_link: Link
    perspectives: tuple[PerspectiveCard, ...]
    kpi_count: int
    objective_count: int
    initiative_count: int


@dataclass(frozen=True)
class MapPage(Page):
    map_svg: Markup
    home: Link


@dataclass(frozen=True)
class PerspectivePage(Page):
    question: str
    score: str
    status: Status
    objectives: tuple[ObjectiveRow, ...]


@dataclass(frozen=True)
class ThemePage(Page):
    description: str
    score: str
    status: Status
    objectives: tuple[ObjectiveRow, ...]
    map_svg: Markup


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
class KpiPage(Page):
    facts: tuple[Fact, ...]
    value: str
    goal: str
    period: str
    score: str
    status: Status
    stale: bool
    trend: Trend | None
    chart_svg: Markup
    periods: tuple[PeriodRow, ...]
    unit: str = ""  # shown once in the period table's header, not in every cell


@dataclass(frozen=True)
class KpisPage(Page):
    rows: tuple[KpiRow, ...]


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
    """Everything one person (or role) is accountable for."""

    name: str
    objectives: tuple[ObjectiveRow, ...]
    kpis: tuple[KpiRow, ...]
    initiatives: tuple[InitiativeRow, ...]


@dataclass(frozen=True)
class OwnersPage(Page):
    owners: tuple[OwnerEntry, ...]


@dataclass(frozen=True)
class AttentionPage(Page):
    groups: tuple[AttentionGroup, ...]
    total: int = field(default=0)


# -- helpers ---------------------------------------------------------------------------


def visible_kpis(results: Results) -> list[KpiResult]:
    """The KPIs this build may show, in scorecard order (never a restricted one for all staff)."""
    return [
        result
        for result in results.kpis.values()
        if results.audience is Audience.RESTRICTED or not result.kpi.restricted
    ]


def _as_of(results: Results) -> str:
    return format_date(results.as_of) if results.as_of else ""


def _rollup(rollups: dict[str, RollUp], item_id: str) -> RollUp:
    return rollups.get(item_id) or RollUp(item_id, None, Status.NO_DATA)


def _perspective_link(results: Results, paths: Paths, perspective_id: str) -> Link:
    names = {p.id: p.title for p in results.scorecard.perspectives}
    return Link(names.get(perspective_id, perspective_id), paths.perspective(perspective_id))


def _goal_text(result: PeriodResult | None, kpi: Kpi) -> str:
    return format_value(result.goal, kpi.unit) if result else _written_goal(kpi)


def _written_goal(kpi: Kpi) -> str:
    """The goal as written (shown while there is no current value)."""
    if kpi.range is not None:
        return format_value(kpi.range, kpi.unit)
    if kpi.target is not None:
        return f"{format_value(kpi.target.value, kpi.unit)} by {kpi.target.period}"
    if kpi.targets:
        last = kpi.targets[-1]
        return f"{format_value(last.value, kpi.unit)} by {last.period}"
    return ""


def trend(result: KpiResult) -> Trend | None:
    """The move from the previous reported value to the current one, judged by the KPI's direction.

    Returns:
        None when there is no current value or no earlier value to compare with.
    """
    if result.current is None or result.current.actual is None:
        return None
    earlier = [row for row in result.history if row.actual is not None and row.period < result.current.period]
    if not earlier:
        return None
    before, now = earlier[-1].actual, result.current.actual
    assert before is not None  # filtered above; keeps the type checker honest
    delta = now - before
    if delta == 0:
        return Trend("\u2192", "0", "no change")
    arrow = "\u2191" if delta > 0 else "\u2193"
    sign = "+" if delta > 0 else "\u2212"
    better = _is_better(result.kpi, result.current.goal, before, now)
    return Trend(arrow, f"{sign}{format_number(abs(delta))}", "better" if better else "worse")


def _is_better(kpi: Kpi, goal: float | tuple[float, float], before: float, now: float) -> bool:
    if kpi.direction is Direction.HIGHER:
        return now > before
    if kpi.direction is Direction.LOWER:
        return now < before
    # A range KPI gets better as it comes closer to the middle of its range.
    middle = (goal[0] + goal[1]) / 2 if isinstance(goal, tuple) else goal
    return abs(now - middle) < abs(before - middle)


def kpi_row(results: Results, paths: Paths, result: KpiResult) -> KpiRow:
    """A KPI as a table row."""
    kpi, current = result.kpi, result.current
    objective_name = _objective_name(results, kpi.objective)
    return KpiRow(
        link=Link(kpi.name, paths.kpi(kpi.id)),
        objective=Link(objective_name, paths.objective(kpi.objective)),
        owner=kpi.owner,
        value=format_value(current.actual, kpi.unit) if current else "\u2013",
        goal=_goal_text(current, kpi),
        period=str(current.period) if current else "\u2013",
        score=format_score(result.score),
        status=result.status,
        stale=result.stale,
        trend=trend(result),
    )


def _objective_name(results: Results, objective_id: str) -> str:
    for objective in results.scorecard.objectives:
        if objective.id == objective_id:
            return objective.name
    return objective_id


def objective_row(results: Results, paths: Paths, objective: Objective, with_kpis: bool = False) -> ObjectiveRow:
    """An objective with its status, optionally with its (visible) KPIs."""
    rollup = _rollup(results.objectives, objective.id)
    kpis: tuple[KpiRow, ...] = ()
    if with_kpis:
        kpis = tuple(kpi_row(results, paths, r) for r in visible_kpis(results) if r.kpi.objective == objective.id)
    return ObjectiveRow(
        link=Link(objective.name, paths.objective(objective.id)),
        perspective=_perspective_link(results, paths, objective.perspective),
        owner=objective.owner,
        score=format_score(rollup.score),
        status=rollup.status,
        kpis=kpis,
    )


def initiative_row(paths: Paths, result: InitiativeResult) -> InitiativeRow:
    """An initiative as a table row."""
    item = result.initiative
    return InitiativeRow(
        link=Link(item.name, paths.initiative(item.id)),
        owner=item.owner,
        start=format_short_date(item.start) if item.start else "",
        end=format_short_date(item.end) if item.end else "",
        budget=format_number(item.budget) if item.budget is not None else "",
        spent=_spent(item.budget, item.spent),
        progress=item.progress,
        status=item.status,
        late=result.late,
        overdue_milestones=result.overdue_milestones,
    )


def _spent(budget: float | None, spent: float | None) -> str:
    if spent is None:
        return ""
    if budget:
        return f"{format_number(spent)} ({spent / budget * 100:.0f} %)"
    return format_number(spent)


def _by_worst(results: list[KpiResult]) -> list[KpiResult]:
    """Lowest score first; scorecard order breaks ties (sorted() is stable)."""
    return sorted(results, key=lambda r: r.score if r.score is not None else 0.0)


# -- attention ---------------------------------------------------------------------------


def attention_groups(results: Results, paths: Paths) -> tuple[AttentionGroup, ...]:
    """Everything that needs attention, grouped by kind, worst first within a group."""
    kpis = visible_kpis(results)
    return (
        _kpi_group(results, paths, "off-track", "Off-track KPIs", _status_kpis(kpis, Status.OFF_TRACK)),
        _kpi_group(results, paths, "at-risk", "At-risk KPIs", _status_kpis(kpis, Status.AT_RISK)),
        _objective_group(results, paths),
        _kpi_group(results, paths, "stale", "Stale KPIs (no recent data)", [r for r in kpis if r.stale]),
        _kpi_group(results, paths, "no-data", "KPIs without data", [r for r in kpis if r.status is Status.NO_DATA]),
        _late_group(results, paths),
        _reported_group(results, paths),
        _milestone_group(results, paths),
    )


def _status_kpis(kpis: list[KpiResult], status: Status) -> list[KpiResult]:
    return _by_worst([r for r in kpis if r.status is status])


def _kpi_group(results: Results, paths: Paths, anchor: str, title: str, kpis: list[KpiResult]) -> AttentionGroup:
    items = tuple(
        AttentionItem(
            kind="KPI",
            link=Link(r.kpi.name, paths.kpi(r.kpi.id)),
            status=r.status,
            stale=r.stale,
            detail=_kpi_detail(results, r),
        )
        for r in kpis
    )
    return AttentionGroup(anchor, title, items)


def _kpi_detail(results: Results, result: KpiResult) -> str:
    current = result.current
    objective = _objective_name(results, result.kpi.objective)
    if current is None:
        return f"no value reported yet (objective: {objective})"
    value = format_value(current.actual, result.kpi.unit)
    goal = format_value(current.goal, result.kpi.unit)
    return f"{value} against a goal of {goal} in {current.period} (objective: {objective})"


def _objective_group(results: Results, paths: Paths) -> AttentionGroup:
    rows = [
        (rollup, objective)
        for objective in results.scorecard.objectives
        if (rollup := _rollup(results.objectives, objective.id)).status in (Status.OFF_TRACK, Status.AT_RISK)
    ]
    rows.sort(key=lambda pair: pair[0].score if pair[0].score is not None else 0.0)
    items = tuple(
        AttentionItem(
            kind="Objective",
            link=Link(objective.name, paths.objective(objective.id)),
            status=rollup.status,
            stale=False,
            detail=f"score {format_score(rollup.score)} of 10",
        )
        for rollup, objective in rows
    )
    return AttentionGroup("objectives", "Objectives off track or at risk", items)


def _late_group(results: Results, paths: Paths) -> AttentionGroup:
    items = tuple(
        AttentionItem(
            kind="Initiative",
            link=Link(r.initiative.name, paths.initiative(r.initiative.id)),
            status=None,
            stale=False,
            detail=f"due {format_date(r.initiative.end)}, not done",
        )
        for r in results.initiatives.values()
        if r.late
    )
    return AttentionGroup("late-initiatives", "Late initiatives", items)


_TROUBLE = (InitiativeStatus.OFF_TRACK, InitiativeStatus.AT_RISK)


def _reported_group(results: Results, paths: Paths) -> AttentionGroup:
    rows = [r for r in results.initiatives.values() if r.initiative.status in _TROUBLE]
    rows.sort(key=lambda r: _TROUBLE.index(r.initiative.status))  # stable: written order within a status
    items = tuple(
        AttentionItem(
            kind="Initiative",
            link=Link(r.initiative.name, paths.initiative(r.initiative.id)),
            status=None,
            stale=False,
            detail=f"reported {r.initiative.status.value.replace('-', ' ')} by {r.initiative.owner or 'its owner'}",
            reported=r.initiative.status,
        )
        for r in rows
    )
    return AttentionGroup("reported-initiatives", "Initiatives reported off track or at risk", items)


def overdue(milestone: Milestone, as_of: dt.date | None) -> bool:
    """A milestone is overdue when it is not done and was due by the as-of date."""
    return as_of is not None and not milestone.done and milestone.due is not None and milestone.due <= as_of


def _milestone_group(results: Results, paths: Paths) -> AttentionGroup:
    items = tuple(
        AttentionItem(
            kind="Milestone",
            link=Link(r.initiative.name, paths.initiative(r.initiative.id)),
            status=None,
            stale=False,
            detail=f"{m.name} (due {format_date(m.due)})",
        )
        for r in results.initiatives.values()
        for m in r.initiative.milestones
        if overdue(m, results.as_of)
    )
    return AttentionGroup("overdue-milestones", "Overdue milestones", items)


# -- page builders -------------------------------------------------------------------------

def home_page(results: Results, paths: Paths, map_svg: Markup) -> HomePage:
    """The home page: the organisation at a glance."""
    org = results.scorecard.organization
    groups = attention_groups(results, paths)
    top = _home_attention(groups)
    kpis = visible_kpis(results)
    return HomePage(
        path=paths.home(),
        title=org.name,
        as_of=_as_of(results),
        vision=org.vision,
        mission=org.mission,
        score=format_score(results.organization.score),
        status=results.organization.status,
        counts=_status_counts(kpis, paths),
        map_svg=map_svg,
        attention=top[:HOME_ATTENTION_LIMIT],
        attention_more=max(0, len(top) - HOME_ATTENTION_LIMIT),
        attention_link=Link("Needs attention", paths.attention()),
        map_link=Link("Show the map full screen, for presenting", paths.map()),
        perspectives=tuple(_perspective_card(results, paths, p.id) for p in results.scorecard.perspectives),
        kpi_count=len(kpis),
        objective_count=len(results.scorecard.objectives),
        initiative_count=len(results.initiatives),
    )


def _home_attention(groups: tuple[AttentionGroup, ...]) -> list[AttentionItem]:
    """Every item of the attention page, the most pressing first, each thing once.

    Off-track objectives and KPIs come before late and off-track initiatives, then
    at-risk items, then stale and missing data, then overdue milestones: what a
    leadership team would raise first. A thing in two groups (a stale off-track
    KPI) is listed at its first place.
    """
    by_anchor = {g.anchor: g.items for g in groups}
    objectives, reported = by_anchor["objectives"], by_anchor["reported-initiatives"]
    ordered = (
        *(i for i in objectives if i.status is Status.OFF_TRACK),
        *by_anchor["off-track"],
        *by_anchor["late-initiatives"],
        *(i for i in reported if i.reported is InitiativeStatus.OFF_TRACK),
        *(i for i in objectives if i.status is Status.AT_RISK),
        *by_anchor["at-risk"],
        *(i for i in reported if i.reported is InitiativeStatus.AT_RISK),
        *by_anchor["stale"],
        *by_anchor["no-data"],
        *by_anchor["overdue-milestones"],
    )
    seen: set[tuple[str, str, str]] = set()
    items: list[AttentionItem] = []
    for item in ordered:
        key = (item.kind, item.link.page, item.detail if item.kind == "Milestone" else "")
        if key not in seen:
            seen.add(key)
            items.append(item)
    return items


def _status_counts(kpis: list[KpiResult], paths: Paths) -> tuple[StatusCount, ...]:
    targets = {
        Status.ON_TRACK: Link("KPIs", paths.kpis()),
        Status.AT_RISK: Link("At risk", paths.attention(), "at-risk"),
        Status.OFF_TRACK: Link("Off track", paths.attention(), "off-track"),
        Status.NO_DATA: Link("No data", paths.attention(), "no-data"),
    }
    return tuple(
        StatusCount(status, sum(1 for r in kpis if r.status is status), targets[status])
        for status in (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.NO_DATA)
    )


def _perspective_card(results: Results, paths: Paths, perspective_id: str) -> PerspectiveCard:
    perspective = next(p for p in results.scorecard.perspectives if p.id == perspective_id)
    rollup = _rollup(results.perspectives, perspective_id)
    return PerspectiveCard(
        link=Link(perspective.title, paths.perspective(perspective_id)),
        question=perspective.question,
        score=format_score(rollup.score),
        status=rollup.status,
        objectives=tuple(objective_row(results, paths, o) for o in results.scorecard.objectives_in(perspective_id)),
    )


def map_page(results: Results, paths: Paths, map_svg: Markup) -> MapPage:
    """The strategy map alone, for a big screen."""
    return MapPage(
        path=paths.map(),
        title="Strategy map",
        as_of=_as_of(results),
        map_svg=map_svg,
        home=Link("Home", paths.home()),
    )


def perspective_page(results: Results, paths: Paths, perspective_id: str) -> PerspectivePage:
    """One perspective: its question, status and objectives with their KPIs."""
    perspective = next(p for p in results.scorecard.perspectives if p.id == perspective_id)
    rollup = _rollup(results.perspectives, perspective_id)
    return PerspectivePage(
        path=paths.perspective(perspective_id),
        title=perspective.title,
        as_of=_as_of(results),
        question=perspective.question,
        score=format_score(rollup.score),
        status=rollup.status,
        objectives=tuple(
            objective_row(results, paths, o, with_kpis=True) for o in results.scorecard.objectives_in(perspective_id)
        ),
    )


def theme_page(results: Results, paths: Paths, theme_id: str, map_svg: Markup) -> ThemePage:
    """One theme: its objectives across perspectives (top perspective first)."""
    theme = next(t for t in results.scorecard.themes if t.id == theme_id)
    rollup = _rollup(results.themes, theme_id)
    order = {p.id: n for n, p in enumerate(results.scorecard.perspectives)}
    members = [o for o in results.scorecard.objectives if theme_id in o.themes]
    members.sort(key=lambda o: order.get(o.perspective, len(order)))
    return ThemePage(
        path=paths.theme(theme_id),
        title=theme.title,
        as_of=_as_of(results),
        description=theme.description,
        score=format_score(rollup.score),
        status=rollup.status,
        objectives=tuple(objective_row(results, paths, o, with_kpis=True) for o in members),
        map_svg=map_svg,
    )


def objective_page(results: Results, paths: Paths, objective_id: str) -> ObjectivePage:
    """One objective: where it sits, who owns it, cause and effect, KPIs and initiatives."""
    card = results.scorecard
    objective = next(o for o in card.objectives if o.id == objective_id)
    rollup = _rollup(results.objectives, objective_id)
    theme_names = {t.id: t.title for t in card.themes}
    facts = (
        Fact("Perspective", links=(_perspective_link(results, paths, objective.perspective),)),
        Fact("Themes", text="none" if not objective.themes else "",
             links=tuple(Link(theme_names.get(t, t), paths.theme(t)) for t in objective.themes)),
        Fact("Owner", text=objective.owner or "not named"),
        Fact("Weight", text=format_number(objective.weight)),
    )  # fmt: skip
    return ObjectivePage(
        path=paths.objective(objective_id),
        title=objective.name,
        as_of=_as_of(results),
        facts=facts,
        description=objective.description,
        score=format_score(rollup.score),
        status=rollup.status,
        driven_by=tuple(objective_row(results, paths, o) for o in card.objectives if objective_id in o.drives),
        drives=tuple(objective_row(results, paths, card.objective(d)) for d in objective.drives),
        kpis=tuple(kpi_row(results, paths, r) for r in visible_kpis(results) if r.kpi.objective == objective_id),
        initiatives=tuple(
            initiative_row(paths, r) for r in results.initiatives.values() if objective_id in r.initiative.objectives
        ),
    )


def objectives_page(results: Results, paths: Paths) -> ObjectivesPage:
    """Every objective, grouped by perspective (top of the map first)."""
    groups = []
    for perspective in results.scorecard.perspectives:
        rollup = _rollup(results.perspectives, perspective.id)
        groups.append(
            ObjectiveGroup(
                perspective=Link(perspective.title, paths.perspective(perspective.id)),
                score=format_score(rollup.score),
                status=rollup.status,
                objectives=tuple(objective_row(results, paths, o) for o in results.scorecard.objectives_in(perspective.id)),
            )
        )
    return ObjectivesPage(path=paths.objectives(), title="Objectives", as_of=_as_of(results), groups=tuple(groups))


def kpi_page(results: Results, paths: Paths, kpi_id: str, chart_svg: Markup) -> KpiPage:
    """One KPI: its definition, current value against goal, trend chart and every period."""
    result = results.kpis[kpi_id]
    kpi, current = result.kpi, result.current
    return KpiPage(
        path=paths.kpi(kpi_id),
        title=kpi.name,
        as_of=_as_of(results),
        facts=_kpi_facts(results, paths, kpi),
        value=format_value(current.actual, kpi.unit) if current else "no value yet",
        goal=_goal_text(current, kpi),
        period=str(current.period) if current else "",
        score=format_score(result.score),
        status=result.status,
        stale=result.stale,
        trend=trend(result),
        chart_svg=chart_svg,
        periods=tuple(_period_row(row) for row in reversed(result.history)),
        unit=kpi.unit,
    )


def _kpi_facts(results: Results, paths: Paths, kpi: Kpi) -> tuple[Fact, ...]:
    facts = [
        Fact("Objective", links=(Link(_objective_name(results, kpi.objective), paths.objective(kpi.objective)),)),
        Fact("Owner", text=kpi.owner or "not named"),
        Fact("Unit", text=kpi.unit or "none"),
        Fact("Direction", text=_DIRECTION_WORDS[kpi.direction]),
        Fact("Indicator", text=kpi.indicator.value if kpi.indicator else "not stated"),
        Fact("Frequency", text=kpi.frequency.value),
        Fact("Source", text=kpi.source or "not stated"),
        Fact("Formula", text=kpi.formula or "not stated"),
    ]
    if kpi.baseline is not None:
        facts.append(Fact("Baseline", text=f"{format_value(kpi.baseline.value, kpi.unit)} in {kpi.baseline.period}"))
    if kpi.range is not None:
        facts.append(Fact("Range", text=format_value(kpi.range, kpi.unit)))
    if kpi.target is not None:
        facts.append(Fact("Target", text=f"{format_value(kpi.target.value, kpi.unit)} by {kpi.target.period}"))
    if kpi.targets:
        steps = ", ".join(f"{format_value(t.value, kpi.unit)} in {t.period}" for t in kpi.targets)
        facts.append(Fact("Period targets", text=steps))
    facts.append(Fact("Tolerance", text=_tolerance_text(kpi)))
    facts.append(Fact("Weight", text=format_number(kpi.weight)))
    if kpi.restricted:
        facts.append(Fact("Visibility", text="restricted: not in the all-staff portal"))
    return tuple(facts)


_DIRECTION_WORDS = {
    Direction.HIGHER: "higher is better",
    Direction.LOWER: "lower is better",
    Direction.RANGE: "within the range is best",
}


def _tolerance_text(kpi: Kpi) -> str:
    tolerance = kpi.tolerance
    if tolerance.percent:
        base = "of the range width" if kpi.direction is Direction.RANGE else "of the goal"
        return f"{format_number(tolerance.value)} % {base}"
    if kpi.unit.strip() == "%":  # "5 %" would read as 5 % of the goal
        return f"{format_number(tolerance.value)} percentage points"
    return format_value(tolerance.value, kpi.unit)


def _period_row(row: PeriodResult) -> PeriodRow:
    return PeriodRow(
        period=str(row.period),
        actual=format_value(row.actual),
        goal=format_value(row.goal),
        red_flag=format_value(row.red_flag),
        score=format_score(row.score),
        status=row.status,
        comment=row.comment,
    )


def kpis_page(results: Results, paths: Paths) -> KpisPage:
    """Every visible KPI in one table, in scorecard order."""
    rows = tuple(kpi_row(results, paths, r) for r in visible_kpis(results))
    return KpisPage(path=paths.kpis(), title="KPIs", as_of=_as_of(results), rows=rows)


def initiatives_page(results: Results, paths: Paths, timeline_svg: Markup) -> InitiativesPage:
    """Every initiative: the timeline and a table with budget, progress and status."""
    items = [r.initiative for r in results.initiatives.values()]
    budgets = [i.budget for i in items if i.budget is not None]
    spent = [i.spent for i in items if i.spent is not None]
    return InitiativesPage(
        path=paths.initiatives(),
        title="Initiatives",
        as_of=_as_of(results),
        timeline_svg=timeline_svg,
        rows=tuple(initiative_row(paths, r) for r in results.initiatives.values()),
        budget_total=format_number(sum(budgets)) if budgets else "",
        spent_total=format_number(sum(spent)) if spent else "",
    )


def initiative_page(results: Results, paths: Paths, initiative_id: str) -> InitiativePage:
    """One initiative: its facts, the objectives it moves and its milestones."""
    result = results.initiatives[initiative_id]
    item = result.initiative
    milestones = sorted(item.milestones, key=lambda m: (m.due is None, m.due or dt.date.min))
    row = initiative_row(paths, result)
    facts = (
        Fact("Owner", text=item.owner or "not named"),
        Fact("Start", text=row.start or "not stated"),
        Fact("End", text=row.end or "not stated"),
        Fact("Budget", text=row.budget or "not stated"),
        Fact("Spent", text=row.spent or "not stated"),
        Fact("Milestones", text=_milestone_summary(item.milestones, result.overdue_milestones)),
    )
    return InitiativePage(
        path=paths.initiative(initiative_id),
        title=item.name,
        as_of=_as_of(results),
        row=row,
        facts=facts,
        objectives=tuple(objective_row(results, paths, results.scorecard.objective(o)) for o in item.objectives),
        milestones=tuple(
            MilestoneRow(m.name, format_date(m.due) if m.due else "", m.done, overdue(m, results.as_of))
            for m in milestones
        ),
    )


def _milestone_summary(milestones: tuple[Milestone, ...], overdue_count: int) -> str:
    if not milestones:
        return "none"
    done = sum(1 for m in milestones if m.done)
    text = f"{done} of {len(milestones)} done"
    return f"{text}, {overdue_count} overdue" if overdue_count else text


def owners_page(results: Results, paths: Paths) -> OwnersPage:
    """Who is accountable for what: each owner (sorted by name) and their items."""
    names = _owner_names(results)
    owners = tuple(
        OwnerEntry(
            name=name,
            objectives=tuple(
                objective_row(results, paths, o) for o in results.scorecard.objectives if _owner(o.owner) == name
            ),
            kpis=tuple(kpi_row(results, paths, r) for r in visible_kpis(results) if _owner(r.kpi.owner) == name),
            initiatives=tuple(
                initiative_row(paths, r) for r in results.initiatives.values() if _owner(r.initiative.owner) == name
            ),
        )
        for name in names
    )
    return OwnersPage(path=paths.owners(), title="Owners", as_of=_as_of(results), owners=owners)


NO_OWNER = ""
"""The owner key of items whose owner is not written; listed last as "No owner named"."""


def _owner(text: str) -> str:
    return " ".join(text.split())


def _owner_names(results: Results) -> list[str]:
    written: Iterable[str] = (
        *(o.owner for o in results.scorecard.objectives),
        *(r.kpi.owner for r in visible_kpis(results)),
        *(r.initiative.owner for r in results.initiatives.values()),
    )
    names = {_owner(name) for name in written}
    # Case-insensitive order people expect; the exact text breaks ties so the order is total.
    return sorted(names - {NO_OWNER}, key=lambda n: (n.casefold(), n)) + ([NO_OWNER] if NO_OWNER in names else [])


def attention_page(results: Results, paths: Paths) -> AttentionPage:
    """Everything that needs attention, each group with its count."""
    groups = attention_groups(results, paths)
    return AttentionPage(
        path=paths.attention(),
        title="Needs attention",
        as_of=_as_of(results),
        groups=groups,
        total=sum(len(g.items) for g in groups),
    )
