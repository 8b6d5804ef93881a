"""The pages and page parts only a cascaded portal has (spec 9): built from the whole tree.

A unit's own pages are the page registry's, evaluated with ``Paths.unit(id)``;
this module adds what needs the whole tree (the root's
:class:`~generator.compute.results.Results`):

* the chrome heading every unit page: breadcrumb, the unit's sections, and on its
  home a unit switcher (:func:`unit_chrome`);
* the units below a unit on its home (:func:`units_summary`);
* alignment both ways on objective pages (:func:`objective_alignment`) and the
  whole cascade of a corporate objective (:func:`alignment_page`,
  ``alignment/<objective-id>.md``);
* each source beside a consolidated KPI's total (:func:`consolidated_view`);
* the units overview (:func:`units_overview_page`, ``units/index.md``): the tree
  and the compare-units heat map.

Lookups are compute's (:mod:`generator.compute.alignment`); here they become links.
"""

from __future__ import annotations

from generator.compute import alignment
from generator.compute.results import Consolidated, Results
from generator.model import ConsolidationMethod
from generator.render.jinja import render_template
from generator.render.numbers import format_date, format_score, format_value
from generator.render.pages.models import Link, Page
from generator.render.pages.paths import Paths
from generator.render.pages.unit_models import (
    AlignedRow,
    AlignmentPage,
    CascadeNode,
    ConsolidatedView,
    HeatCell,
    HeatRow,
    ObjectiveAlignment,
    SourceRow,
    UnitChrome,
    UnitNode,
    UnitsOverviewPage,
    UnitsSummary,
)

__all__ = [
    "OVERVIEW",
    "alignment_page",
    "alignment_path",
    "consolidated_view",
    "objective_alignment",
    "paths_of",
    "tree_pages",
    "unit_chrome",
    "unit_tree",
    "units_overview_page",
    "units_summary",
]

OVERVIEW = "units/index.md"
"""The units overview: the tree of units and the compare-units heat map."""


def alignment_path(objective_id: str) -> str:
    """The alignment view of a corporate (root) objective."""
    return f"alignment/{objective_id}.md"


def paths_of(root: Results, unit_id: str) -> Paths:
    """Where a unit's pages live: the root's at the docs root, any other's under ``units/<id>/``."""
    return Paths() if unit_id == root.unit_id else Paths.unit(unit_id)


def _depth(root: Results, unit: Results) -> int:
    return len(alignment.breadcrumb(root, unit.unit_id)) - 1


def _node(root: Results, unit: Results, current: str = "", children: tuple[UnitNode, ...] = ()) -> UnitNode:
    return UnitNode(
        link=Link(unit.scorecard.organization.name, paths_of(root, unit.unit_id).home()),
        status=unit.organization.status,
        score=format_score(unit.organization.score),
        depth=_depth(root, unit),
        current=unit.unit_id == current,
        children=children,
    )


def unit_tree(root: Results, current: str = "") -> UnitNode:
    """The organisation with every unit below it, nested (``current`` marks where the reader is)."""

    def grow(unit: Results) -> UnitNode:
        return _node(root, unit, current, tuple(grow(u) for u in unit.units))

    return grow(root)


def _sections(paths: Paths) -> tuple[Link, ...]:
    # A unit's pages are not in the sidebar (it would grow with every unit): this row is its menu.
    return (
        Link("Home", paths.home()),
        Link("Strategy map", paths.map()),
        Link("Objectives", paths.objectives()),
        Link("KPIs", paths.kpis()),
        Link("Initiatives", paths.initiatives()),
        Link("Owners", paths.owners()),
        Link("Needs attention", paths.attention()),
        Link("OKRs", paths.okrs()),
        Link("Is our strategy working?", paths.evidence()),
    )


def unit_chrome(root: Results, unit_id: str, page_path: str, title: str) -> UnitChrome:
    """The breadcrumb and section links heading one page of unit ``unit_id``."""
    paths = paths_of(root, unit_id)
    chain = alignment.breadcrumb(root, unit_id)
    crumbs = tuple(Link(u.scorecard.organization.name, paths_of(root, u.unit_id).home()) for u in chain)
    home = page_path == paths.home()
    name = chain[-1].scorecard.organization.name
    return UnitChrome(
        path=page_path,
        unit=name,
        crumbs=crumbs if not home else crumbs[:-1],
        here=name if home else title,
        sections=_sections(paths),
        overview=Link("All units", OVERVIEW),
        switcher=(unit_tree(root, unit_id),) if home else (),
    )


def units_summary(root: Results, unit: Results) -> UnitsSummary | None:
    """The units right below ``unit`` (for its home page), or None when it has none."""
    if not unit.units:
        return None
    return UnitsSummary(tuple(_node(root, u) for u in unit.units), Link("All units and how they compare", OVERVIEW))


# -- alignment ---------------------------------------------------------------------------


def _row(root: Results, aligned: alignment.AlignedObjective) -> AlignedRow:
    paths = paths_of(root, aligned.unit_id)
    return AlignedRow(
        unit=Link(aligned.unit.scorecard.organization.name, paths.home()),
        objective=Link(aligned.objective.name, paths.objective(aligned.objective.id)),
        status=aligned.rollup.status,
        score=format_score(aligned.rollup.score),
    )


def objective_alignment(root: Results, unit_id: str, objective_id: str) -> ObjectiveAlignment | None:
    """What an objective supports above and what supports it below (None in a portal without units)."""
    if not root.units:
        return None
    below = alignment.supporters(root, unit_id, objective_id)
    above = alignment.supported(root, unit_id, objective_id)
    cascade = None
    if unit_id == root.unit_id:
        cascade = Link("The whole cascade, down to the teams", alignment_path(objective_id))
    return ObjectiveAlignment(
        supports=tuple(_row(root, a) for a in above),
        supported_by=tuple(_row(root, a) for a in below),
        cascade=cascade,
        has_units=True,
    )


def _cascade_node(root: Results, node: alignment.AlignmentNode) -> CascadeNode:
    return CascadeNode(_row(root, node.aligned), tuple(_cascade_node(root, child) for child in node.children))


def _count(node: CascadeNode) -> int:
    return len(node.children) + sum(_count(child) for child in node.children)


def alignment_page(root: Results, objective_id: str) -> AlignmentPage:
    """The alignment view of a corporate objective: its whole cascade as a tree, with statuses."""
    objective = root.scorecard.objective(objective_id)
    tree = _cascade_node(root, alignment.cascade(root, root.unit_id, objective_id))
    return AlignmentPage(
        path=alignment_path(objective_id),
        title=f"Alignment: {objective.name}",
        as_of=format_date_or_empty(root),
        objective=Link(objective.name, Paths().objective(objective_id)),
        root=tree,
        count=_count(tree),
        units=Link("Units", OVERVIEW),
    )


def format_date_or_empty(results: Results) -> str:
    return format_date(results.as_of) if results.as_of else ""


# -- consolidated KPIs ----------------------------------------------------------------------

_METHOD_WORDS = {
    ConsolidationMethod.SUM: "the sum",
    ConsolidationMethod.MEAN: "the mean",
    ConsolidationMethod.MIN: "the lowest",
    ConsolidationMethod.MAX: "the highest",
}


def _unit_name(root: Results, unit_id: str) -> str:
    try:
        return root.unit(unit_id).scorecard.organization.name
    except KeyError:  # a unit the audience does not see is named by its id
        return unit_id


def consolidated_view(root: Results, unit: Results, kpi_id: str) -> ConsolidatedView | None:
    """Each source's value beside a consolidated KPI's total for its latest period (None if not consolidated)."""
    found: Consolidated | None = unit.consolidated.get(kpi_id)
    if found is None:
        return None
    count = len(found.kpi.consolidate.sources) if found.kpi.consolidate else 0
    plural = "unit's figure" if count == 1 else "units' figures"
    method = (
        f"{_METHOD_WORDS[found.method].capitalize()} of {count} {plural}; "
        "a total appears only when every unit has reported."
    )
    latest = next((p for p in reversed(found.periods) if p.period == found.latest), None)
    sources = []
    measure = found.kpi.unit
    for source in latest.sources if latest else ():
        source_paths = paths_of(root, source.unit)
        try:
            visible = root.unit(source.unit).kpis.get(source.kpi)
        except KeyError:
            visible = None
        name = visible.kpi.name if visible else source.kpi
        sources.append(
            SourceRow(
                unit=Link(_unit_name(root, source.unit), source_paths.home()),
                kpi=Link(name, source_paths.kpi(source.kpi)) if visible else None,
                kpi_name=name,
                value="not reported yet" if source.actual is None else format_value(source.actual, measure),
            )
        )
    total = "–" if latest is None or latest.actual is None else format_value(latest.actual, measure)
    return ConsolidatedView(
        method=method,
        period=str(found.latest) if found.latest else "",
        total=total,
        sources=tuple(sources),
        waiting_for=tuple(_unit_name(root, u) for u in found.waiting_for),
    )


# -- the units overview -------------------------------------------------------------------


def units_overview_page(root: Results) -> UnitsOverviewPage:
    """Every unit as a tree with its status and score, and the units compared by perspective."""
    heat = alignment.heat_map(root)
    rows = []
    for unit, rollups in heat.rows:
        cells = []
        for perspective_id, name in heat.perspectives:
            rollup = rollups.get(perspective_id)
            if rollup is None:
                cells.append(HeatCell(name, None, ""))
            else:
                cells.append(HeatCell(name, rollup.status, format_score(rollup.score)))
        rows.append(HeatRow(_node(root, unit), tuple(cells)))
    return UnitsOverviewPage(
        path=OVERVIEW,
        title="Units",
        as_of=format_date_or_empty(root),
        tree=(unit_tree(root),),
        perspectives=tuple(name for _, name in heat.perspectives),
        heat=tuple(rows),
    )


def tree_pages(root: Results) -> dict[str, bytes]:
    """The pages of the whole tree (docs path -> Markdown): the overview and each alignment view.

    Empty for a portal without units.
    """
    if not root.units:
        return {}
    pages: list[tuple[str, Page]] = [("units_overview.md.j2", units_overview_page(root))]
    pages += [("alignment.md.j2", alignment_page(root, o.id)) for o in root.scorecard.objectives]
    return {page.path: render_template(template, page=page).encode("utf-8") for template, page in pages}
