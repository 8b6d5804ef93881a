"""View-model builders: computed results in, the frozen data each template lays out.

Each ``*_page`` function takes one unit's :class:`~generator.compute.results.Results`
and its :class:`~.paths.Paths` and returns a view model (:mod:`.models`). Domain
rules (trend, late, overdue, what needs attention and in what order) are decided
by compute (:mod:`generator.compute.attention`); here they only become words and links.

Only KPIs present in ``results.kpis`` are ever shown: an all-staff build's results
have no restricted KPI, and :func:`visible_kpis` drops any that slipped through,
so no count, table or owner list can reveal one.
"""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup

from generator.compute.attention import Attention, AttentionRef, needs_attention, visible_kpis
from generator.compute.export import periods_csv
from generator.compute.results import InitiativeResult, KpiResult, PeriodResult, Results, RollUp, Status
from generator.model import Direction, Kpi, Milestone, Objective
from generator.render.forecast_text import forecast_sentence
from generator.render.numbers import (
    format_date,
    format_number,
    format_score,
    format_short_date,
    format_value,
    goal_decimals,
)
from generator.render.pages.models import (
    AttentionGroup,
    AttentionItem,
    AttentionPage,
    Chart,
    Fact,
    HomePage,
    InitiativePage,
    InitiativeRow,
    InitiativesPage,
    KpiPage,
    KpiRow,
    KpisPage,
    Link,
    MapImage,
    MapPage,
    MilestoneRow,
    ObjectiveGroup,
    ObjectivePage,
    ObjectiveRow,
    ObjectivesPage,
    PeriodRow,
    PerspectiveCard,
    PerspectivePage,
    StatusCount,
    ThemePage,
    Trend,
)
from generator.render.pages.owner_links import owner_link
from generator.render.pages.paths import Paths
from generator.render.strategy_map.gap import gap_texts

__all__ = [
    "attention_groups",
    "attention_page",
    "home_page",
    "initiative_page",
    "initiatives_page",
    "kpi_page",
    "kpis_page",
    "map_page",
    "objective_page",
    "objectives_page",
    "perspective_page",
    "theme_page",
    "trend",
    "visible_kpis",
]

HOME_ATTENTION_LIMIT = 8
"""How many items the home page lists under "Needs attention" before linking to the full page."""


# -- helpers ---------------------------------------------------------------------------


def _as_of(results: Results) -> str:
    return format_date(results.as_of) if results.as_of else ""


def _rollup(rollups: dict[str, RollUp], item_id: str) -> RollUp:
    return rollups.get(item_id) or RollUp(item_id, None, Status.NO_DATA)


def _perspective_link(results: Results, paths: Paths, perspective_id: str) -> Link:
    names = {p.id: p.title for p in results.scorecard.perspectives}
    return Link(names.get(perspective_id, perspective_id), paths.perspective(perspective_id))


def _goal_text(result: PeriodResult | None, kpi: Kpi, places: int | None = None) -> str:
    return format_value(result.goal, kpi.unit, places) if result else _written_goal(kpi)


def _places(result: KpiResult) -> int | None:
    """The decimals a KPI's goals show with: its actuals' precision (numbers.goal_decimals)."""
    return goal_decimals(row.actual for row in result.history)


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


def _owner_fact(results: Results, paths: Paths, owner: str) -> Fact:
    link = owner_link(results, paths, owner)
    return Fact("Owner", links=(link,)) if link else Fact("Owner", text="not named")


def trend(result: KpiResult) -> Trend | None:
    """The KPI's last move (decided by compute) as an arrow and a signed change."""
    move = result.trend
    if move is None:
        return None
    if move.delta == 0:
        return Trend("\u2192", "0", move.verdict)
    arrow, sign = ("\u2191", "+") if move.delta > 0 else ("\u2193", "\u2212")
    return Trend(arrow, f"{sign}{format_number(abs(move.delta))}", move.verdict)


def kpi_row(results: Results, paths: Paths, result: KpiResult) -> KpiRow:
    """A KPI as a table row."""
    kpi, current = result.kpi, result.current
    objective_name = _objective_name(results, kpi.objective)
    return KpiRow(
        link=Link(kpi.name, paths.kpi(kpi.id)),
        objective=Link(objective_name, paths.objective(kpi.objective)),
        owner=kpi.owner,
        value=format_value(current.actual, kpi.unit) if current else "\u2013",
        goal=_goal_text(current, kpi, _places(result)),
        period=str(current.period) if current else "\u2013",
        score=format_score(result.score),
        status=result.status,
        stale=result.stale,
        trend=trend(result),
        owner_link=owner_link(results, paths, kpi.owner),
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
        owner_link=owner_link(results, paths, objective.owner),
    )


def initiative_row(paths: Paths, result: InitiativeResult, results: Results | None = None) -> InitiativeRow:
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
        owner_link=owner_link(results, paths, item.owner) if results is not None else None,
    )


def _spent(budget: float | None, spent: float | None) -> str:
    if spent is None:
        return ""
    if budget:
        return f"{format_number(spent)} ({spent / budget * 100:.0f} %)"
    return format_number(spent)


# -- attention ---------------------------------------------------------------------------

_GROUP_TITLES = {
    "off-track": "Off-track KPIs",
    "at-risk": "At-risk KPIs",
    "likely-to-miss": "Likely to miss their target (early warning)",
    "objectives": "Objectives off track or at risk",
    "stale": "Stale KPIs (no recent data)",
    "no-data": "KPIs without data",
    "late-initiatives": "Late initiatives",
    "reported-initiatives": "Initiatives reported off track or at risk",
    "overdue-milestones": "Overdue milestones",
}


def _attention(results: Results) -> Attention:
    # Results built by hand (tests, tools) may lack it; the rule is still compute's.
    return results.attention if results.attention is not None else needs_attention(results)


def attention_groups(results: Results, paths: Paths) -> tuple[AttentionGroup, ...]:
    """Everything that needs attention, grouped by kind, worst first within a group."""
    return tuple(
        AttentionGroup(group, _GROUP_TITLES[group], tuple(attention_item(results, paths, ref) for ref in refs))
        for group, refs in _attention(results).groups.items()
    )


def attention_item(results: Results, paths: Paths, ref: AttentionRef) -> AttentionItem:
    """One thing that needs attention, in words."""
    if ref.group == "objectives":
        objective = results.scorecard.objective(ref.item)
        rollup = _rollup(results.objectives, ref.item)
        link = Link(objective.name, paths.objective(objective.id))
        who = owner_link(results, paths, objective.owner)
        # The gap to goal first (as on the map box): "score 0.0 of 10" alone reads as "nothing done".
        gap = gap_texts(results, objective.id)
        detail = f"score {format_score(rollup.score)} of 10"
        detail = f"{gap[0]} ({detail})" if gap else detail
        return AttentionItem("Objective", link, rollup.status, False, detail, owner=who)
    if ref.group in ("late-initiatives", "reported-initiatives", "overdue-milestones"):
        item = results.initiatives[ref.item].initiative
        link = Link(item.name, paths.initiative(item.id))
        who = owner_link(results, paths, item.owner)
        if ref.group == "late-initiatives":
            return AttentionItem("Initiative", link, None, False, f"due {format_date(item.end)}, not done", owner=who)
        if ref.group == "reported-initiatives":
            assert item.status is not None  # only reported statuses are listed
            detail = f"reported {item.status.value.replace('-', ' ')} by {item.owner or 'its owner'}"
            return AttentionItem("Initiative", link, None, False, detail, reported=item.status, owner=who)
        milestone = item.milestones[ref.milestone]
        detail = f"{milestone.name} (due {format_date(milestone.due)})"
        return AttentionItem("Milestone", link, None, False, detail, owner=who)
    result = results.kpis[ref.item]
    link = Link(result.kpi.name, paths.kpi(result.kpi.id))
    detail = _kpi_detail(results, result)
    if ref.group == "likely-to-miss" and ref.item in results.forecasts:
        detail = forecast_sentence(results.forecasts[ref.item], result)
    who = owner_link(results, paths, result.kpi.owner)
    return AttentionItem("KPI", link, result.status, result.stale, detail, owner=who)


def _kpi_detail(results: Results, result: KpiResult) -> str:
    current = result.current
    objective = _objective_name(results, result.kpi.objective)
    if current is None:
        return f"no value reported yet (objective: {objective})"
    value = format_value(current.actual, result.kpi.unit)
    goal = format_value(current.goal, result.kpi.unit, _places(result))
    return f"{value} against a goal of {goal} in {current.period} (objective: {objective})"


# -- page builders -------------------------------------------------------------------------

def home_page(results: Results, paths: Paths, map_image: MapImage | None) -> HomePage:
    """The home page: the organisation at a glance."""
    org = results.scorecard.organization
    top = [attention_item(results, paths, ref) for ref in _attention(results).pressing]
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
        map_image=map_image,
        attention=tuple(top[:HOME_ATTENTION_LIMIT]),
        attention_more=max(0, len(top) - HOME_ATTENTION_LIMIT),
        attention_link=Link("Needs attention", paths.attention()),
        map_link=Link("Show the map full screen, for presenting", paths.map()),
        perspectives=tuple(_perspective_card(results, paths, p.id) for p in results.scorecard.perspectives),
        kpi_count=len(kpis),
        objective_count=len(results.scorecard.objectives),
        initiative_count=len(results.initiatives),
    )


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


def map_page(results: Results, paths: Paths, map_image: MapImage | None) -> MapPage:
    """The strategy map alone, for a big screen."""
    return MapPage(
        path=paths.map(),
        title="Strategy map",
        as_of=_as_of(results),
        map_image=map_image,
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


def theme_page(results: Results, paths: Paths, theme_id: str, map_image: MapImage | None) -> ThemePage:
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
        map_image=map_image,
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
        _owner_fact(results, paths, objective.owner),
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
            initiative_row(paths, r, results)
            for r in results.initiatives.values()
            if objective_id in r.initiative.objectives
        ),
        aliases=objective.aliases,
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
                objectives=tuple(
                    objective_row(results, paths, o) for o in results.scorecard.objectives_in(perspective.id)
                ),
            )
        )
    return ObjectivesPage(path=paths.objectives(), title="Objectives", as_of=_as_of(results), groups=tuple(groups))


RECENT_PERIODS = 12
"""Periods a KPI page lists: a year of a monthly KPI, three of a quarterly one.

The chart shows every period and ``periods.csv`` has every number: a page listing three
years of months would be long to read, and each row is work for the site engine's HTML
parsers (most of a KPI page's build time).
"""


def kpi_page(results: Results, paths: Paths, kpi_id: str, chart: Chart | None = None) -> KpiPage:
    """One KPI: its definition, current value against goal, trend chart and recent periods."""
    result = results.kpis[kpi_id]
    kpi, current = result.kpi, result.current
    places = _places(result)
    newest_first = result.history[::-1]
    listed, earlier = newest_first[:RECENT_PERIODS], newest_first[RECENT_PERIODS:]
    return KpiPage(
        path=paths.kpi(kpi_id),
        title=kpi.name,
        as_of=_as_of(results),
        facts=_kpi_facts(results, paths, kpi),
        value=format_value(current.actual, kpi.unit) if current else "no value yet",
        goal=_goal_text(current, kpi, places),
        period=str(current.period) if current else "",
        score=format_score(result.score),
        status=result.status,
        stale=result.stale,
        trend=trend(result),
        chart=chart,
        periods=tuple(_period_row(row, places) for row in listed),
        period_count=len(newest_first),
        earlier_comments=tuple(_period_row(row, places) for row in earlier if row.comment),
        periods_csv=Link("periods.csv", paths.periods_csv()) if newest_first else None,
        unit=kpi.unit,
        aliases=kpi.aliases,
    )


def _kpi_facts(results: Results, paths: Paths, kpi: Kpi) -> tuple[Fact, ...]:
    facts = [
        Fact("Objective", links=(Link(_objective_name(results, kpi.objective), paths.objective(kpi.objective)),)),
        _owner_fact(results, paths, kpi.owner),
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


def _period_row(row: PeriodResult, places: int | None = None) -> PeriodRow:
    return PeriodRow(
        period=str(row.period),
        actual=format_value(row.actual),
        goal=format_value(row.goal, decimals=places),
        red_flag=format_value(row.red_flag, decimals=places),
        score=format_score(row.score),
        status=row.status,
        comment=row.comment,
    )


def kpis_page(results: Results, paths: Paths, files: dict[str, bytes]) -> KpisPage:
    """Every visible KPI in one table, in scorecard order.

    ``periods.csv`` (every period of those KPIs, compute's plain numbers) is added to ``files``.
    """
    rows = tuple(kpi_row(results, paths, r) for r in visible_kpis(results))
    csv_link = None
    if rows:
        files[paths.periods_csv()] = periods_csv(results).encode("utf-8")
        csv_link = Link("periods.csv", paths.periods_csv())
    return KpisPage(path=paths.kpis(), title="KPIs", as_of=_as_of(results), rows=rows, periods_csv=csv_link)


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
        rows=tuple(initiative_row(paths, r, results) for r in results.initiatives.values()),
        budget_total=format_number(sum(budgets)) if budgets else "",
        spent_total=format_number(sum(spent)) if spent else "",
    )


def initiative_page(results: Results, paths: Paths, initiative_id: str) -> InitiativePage:
    """One initiative: its facts, the objectives it moves and its milestones."""
    result = results.initiatives[initiative_id]
    item = result.initiative
    flagged = result.overdue or (False,) * len(item.milestones)
    order = sorted(enumerate(item.milestones), key=lambda pair: (pair[1].due is None, pair[1].due or dt.date.min))
    row = initiative_row(paths, result, results)
    facts = (
        _owner_fact(results, paths, item.owner),
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
            MilestoneRow(m.name, format_date(m.due) if m.due else "", m.done, flagged[n])
            for n, m in order
        ),
    )


def _milestone_summary(milestones: tuple[Milestone, ...], overdue_count: int) -> str:
    if not milestones:
        return "none"
    done = sum(1 for m in milestones if m.done)
    text = f"{done} of {len(milestones)} done"
    return f"{text}, {overdue_count} overdue" if overdue_count else text


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
