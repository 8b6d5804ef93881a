"""The page registry: every page kind of a unit, declared once.

A :class:`PageKind` names its template, which items it has a page for, where
each page lives (a :class:`~.paths.Paths` method) and the view-model builder
(:mod:`.builders`). :func:`unit_pages` evaluates every kind for one unit's
results and gives a neutral :class:`UnitPages`: files (docs path -> bytes, the
charts' SVG files beside their pages included) and the unit's nav tree. What
lands on disk, and when, is :mod:`generator.render.writer`'s business.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from markupsafe import Markup

from generator.compute.attention import visible_kpis
from generator.compute.results import Results
from generator.render.jinja import render_template
from generator.render.markdown import dir_url
from generator.render.pages import builders as b
from generator.render.pages import insight
from generator.render.pages import units as u
from generator.render.pages.models import Chart, ObjectiveGroup, Page
from generator.render.pages.owners import owners_page
from generator.render.pages.paths import Paths

__all__ = ["PAGE_KINDS", "Art", "PageKind", "UnitPages", "page_paths", "unit_nav", "unit_pages"]


class Art:
    """The pictures of one unit's pages, drawn on first use: map, KPI charts, timeline.

    Every map of the unit shares one layout; KPI charts come from the chart cache
    (all at once, so the cache can draw the missing ones in parallel, started
    before the pages and collected after them, see :meth:`start_charts`) and are
    written as SVG files beside their pages (:attr:`files`).
    """

    def __init__(
        self,
        results: Results,
        paths: Paths,
        cache_dir: Path | None = None,
        content: frozenset[str] = frozenset(),
        present: bool = False,
        root: Results | None = None,
        charts: dict[str, str] | Callable[[], dict[str, str]] | None = None,
    ) -> None:
        self.results, self.paths, self.cache_dir = results, paths, cache_dir
        self.present = present  # the unit has present mode (pages link to it)
        self.files: dict[str, bytes] = {}
        self.content = content  # the hand-written pages' docs paths: link to them only if they are there
        self.root = root or results  # the whole tree, for alignment and consolidated sources
        # The unit's KPI charts: drawn (a dict), being drawn (a function giving the dict,
        # see start_charts) or not started (None). Pages link them as files (_chart_files).
        self._drawn = charts
        self._chart_files: dict[str, str] = {}  # docs path -> KPI id

    @cached_property
    def _layout(self) -> Any:
        from generator.render.strategy_map import layout_map

        return layout_map(self.results)

    def map(
        self, page: str, theme: str | None = None, perspective: str | None = None, evidence: bool = False
    ) -> Markup:
        """The strategy map for ``page`` (its links relative to it), of one theme or perspective when given.

        Its boxes link to their objectives, its band labels to their perspectives.
        ``evidence`` draws the map's evidence view: each arrow styled by its verdict.
        """
        from generator.render.strategy_map import render_map

        def href(objective_id: str) -> str:
            return dir_url(page, self.paths.objective(objective_id))

        def band_href(perspective_id: str) -> str:
            return dir_url(page, self.paths.perspective(perspective_id))

        return Markup(
            render_map(
                self.results, href, theme=theme, layout=self._layout, band_href=band_href, perspective=perspective,
                evidence=self.results.links if evidence else None,
            )
        )

    def start_charts(self) -> None:
        """Start drawing the unit's KPI charts (in worker processes when many) while its pages are rendered."""
        if self._drawn is None:
            from generator.render.charts import start_kpi_charts
            from generator.render.charts.cache import ChartCache

            cache = ChartCache(self.cache_dir) if self.cache_dir is not None else None
            self._drawn = start_kpi_charts(self.results, cache)

    def chart(self, kpi_id: str) -> Chart | None:
        """A KPI's chart as a file beside its page, or None without one.

        The page needs the chart's text and size only; the drawing joins :attr:`files`
        in :meth:`finish_charts`, so pages are rendered while the charts are drawn.
        """
        from generator.render.charts import kpi_chart_size, kpi_chart_text

        result = self.results.kpis.get(kpi_id)
        if result is None:
            return None
        path = self.paths.chart(kpi_id)
        self.files[path] = b""  # its place among the files; the drawing comes in finish_charts
        self._chart_files[path] = kpi_id
        alt = kpi_chart_text(result, self.results.as_of, self.results.forecasts.get(kpi_id))
        width, height = kpi_chart_size(result)
        # kpis/<id>.md is served at kpis/<id>/, and the chart sits in that folder.
        return Chart(src=path.rsplit("/", 1)[1], alt=alt, width=str(round(width)), height=str(round(height)))

    def finish_charts(self) -> None:
        """Put the drawn charts the pages link into :attr:`files` (drawing here what no worker has started)."""
        if self._chart_files or callable(self._drawn):
            self.start_charts()
            drawn = self._drawn() if callable(self._drawn) else self._drawn
            assert drawn is not None  # started above
            for path, kpi_id in self._chart_files.items():
                self.files[path] = drawn[kpi_id].encode("utf-8")

    def timeline(self) -> Markup:
        """The initiatives' timeline, or nothing without initiatives."""
        from generator.render.charts import initiatives_timeline

        if not self.results.initiatives:
            return Markup("")
        return Markup(initiatives_timeline(self.results, "initiatives-timeline"))


def _map_list(results: Results, paths: Paths) -> tuple[ObjectiveGroup, ...]:
    """The map as a list per perspective (top band first): what a phone shows instead of the SVG."""
    return b.objectives_page(results, paths).groups


@dataclass(frozen=True)
class PageKind:
    """One kind of page: its template, its items, where each lives and how its view model is built.

    Attributes:
        name: the kind's name (``kpi``, ``home``...).
        template: the Jinja2 template in ``templates/``.
        path: ``(paths, item id) -> docs path``; the id is ``""`` for a one-per-unit page.
        build: ``(results, paths, art, item id) -> view model``.
        items: ``results -> item ids`` the unit has a page for; None for one page per unit.
    """

    name: str
    template: str
    path: Callable[[Paths, str], str]
    build: Callable[[Results, Paths, Art, str], Page]
    items: Callable[[Results], Sequence[str]] | None = None

    def ids(self, results: Results) -> Sequence[str]:
        """The item ids of this kind's pages in ``results`` (``[""]`` for a one-per-unit page)."""
        return [""] if self.items is None else self.items(results)


def _home_page(r: Results, p: Paths, art: Art, _: str) -> Page:
    page = b.home_page(r, p, art.map(p.home()))
    return replace(page, present=art.present, units=u.units_summary(art.root, r), map_list=_map_list(r, p))


def _objective_page(r: Results, p: Paths, art: Art, i: str) -> Page:
    page = insight.with_evidence(b.objective_page(r, p, i), r, p, i)
    return replace(page, alignment=u.objective_alignment(art.root, r.unit_id, i))


def _kpi_page(r: Results, p: Paths, art: Art, i: str) -> Page:
    page = insight.with_forecast(b.kpi_page(r, p, i, art.chart(i)), r, i)
    return replace(page, consolidated=u.consolidated_view(art.root, r, i))


PAGE_KINDS: tuple[PageKind, ...] = (
    PageKind("home", "home.md.j2", lambda p, _: p.home(),
             _home_page),
    PageKind("map", "map.md.j2", lambda p, _: p.map(),
             lambda r, p, art, _: replace(b.map_page(r, p, art.map(p.map())), present=art.present,
                                          map_list=_map_list(r, p))),
    PageKind("perspective", "perspective.md.j2", lambda p, i: p.perspective(i),
             lambda r, p, art, i: replace(
                 b.perspective_page(r, p, i), map_svg=art.map(p.perspective(i), perspective=i)),
             items=lambda r: [x.id for x in r.scorecard.perspectives]),
    PageKind("theme", "theme.md.j2", lambda p, i: p.theme(i),
             lambda r, p, art, i: b.theme_page(r, p, i, art.map(p.theme(i), theme=i)),
             items=lambda r: [x.id for x in r.scorecard.themes]),
    PageKind("objectives", "objectives_index.md.j2", lambda p, _: p.objectives(),
             lambda r, p, art, _: b.objectives_page(r, p)),
    PageKind("objective", "objective.md.j2", lambda p, i: p.objective(i),
             _objective_page,
             items=lambda r: [x.id for x in r.scorecard.objectives]),
    PageKind("kpis", "kpis_index.md.j2", lambda p, _: p.kpis(),
             lambda r, p, art, _: b.kpis_page(r, p)),
    PageKind("kpi", "kpi.md.j2", lambda p, i: p.kpi(i),
             _kpi_page,
             items=lambda r: [x.kpi.id for x in visible_kpis(r)]),
    PageKind("initiatives", "initiatives_index.md.j2", lambda p, _: p.initiatives(),
             lambda r, p, art, _: b.initiatives_page(r, p, art.timeline())),
    PageKind("initiative", "initiative.md.j2", lambda p, i: p.initiative(i),
             lambda r, p, art, i: b.initiative_page(r, p, i),
             items=lambda r: list(r.initiatives)),
    PageKind("owners", "owners.md.j2", lambda p, _: p.owners(),
             lambda r, p, art, _: owners_page(r, p)),
    PageKind("attention", "attention.md.j2", lambda p, _: p.attention(),
             lambda r, p, art, _: b.attention_page(r, p)),
    PageKind("evidence", "evidence.md.j2", lambda p, _: p.evidence(),
             lambda r, p, art, _: insight.evidence_page(r, p, art.map(p.evidence(), evidence=True), art.content)),
    PageKind("okrs", "okrs.md.j2", lambda p, _: p.okrs(),
             lambda r, p, art, _: insight.okrs_page(r, p, art.files, art.content)),
)  # fmt: skip
"""Every page kind of a unit, in the order a reader meets them."""


@dataclass(frozen=True)
class UnitPages:
    """One unit's pages: ``files`` (docs path -> bytes, charts included) and its ``nav`` tree."""

    files: dict[str, bytes] = field(default_factory=dict)
    nav: list = field(default_factory=list)


def page_paths(results: Results, paths: Paths | None = None) -> list[str]:
    """The docs path of every page of the unit, without rendering anything."""
    paths = paths or Paths()
    return [kind.path(paths, item) for kind in PAGE_KINDS for item in kind.ids(results)]


def unit_pages(
    results: Results,
    paths: Paths | None = None,
    cache_dir: Path | None = None,
    content: Iterable[str] = (),
    *,
    present: bool = False,
    root: Results | None = None,
    charts: dict[str, str] | Callable[[], dict[str, str]] | None = None,
) -> UnitPages:
    """Render every page of one unit.

    Args:
        results: the unit's computed results.
        paths: where the unit's pages live (the root unit's by default).
        cache_dir: the chart cache folder, or None to draw every chart.
        content: the docs paths of the hand-written pages (``content/``); a page links
            one of them (the method page) only when it is there.
        present: the unit has present mode (``present/``): home and map pages link to it.
        root: the whole tree (the organisation's results) when ``results`` is one of its
            units; pages then show alignment and consolidated sources across units, and a
            unit's pages (not the root's) are headed by its breadcrumb and sections.
        charts: the unit's KPI charts (KPI id -> SVG) when drawn already, or a function giving
            them once drawn (see :func:`generator.render.charts.start_tree_charts`); else drawn here.
    """
    paths = paths or Paths()
    root = root or results
    art = Art(results, paths, cache_dir, frozenset(content), present, root, charts)
    art.start_charts()
    files: dict[str, bytes] = {}
    headed = results is not root
    for kind in PAGE_KINDS:
        for item in kind.ids(results):
            page = kind.build(results, paths, art, item)
            text = render_template(kind.template, page=page)
            if headed:
                chrome = u.unit_chrome(root, results.unit_id, page.path, page.title)
                text = _after_title(text, render_template("_unit_chrome.md.j2", page=chrome))
            files[page.path] = text.encode("utf-8")
    art.finish_charts()
    files.update(art.files)
    return UnitPages(files, unit_nav(results, paths))


def _after_title(text: str, block: str) -> str:
    """``block`` right after the page's ``# h1`` (the site engine takes the title from a leading h1)."""
    lines = text.split("\n")
    at = next((n for n, line in enumerate(lines) if line.startswith("# ")), -1)
    # The sidebar lists the organisation's own pages: beside a unit's page it would read as
    # the unit's, so a unit's pages hide it; the block's section links are their menu.
    return "\n".join([_UNIT_FRONT_MATTER, *lines[: at + 1], "", block, *lines[at + 1 :]])


_UNIT_FRONT_MATTER = "---\nhide:\n  - navigation\n---\n"


def unit_nav(results: Results, paths: Paths | None = None) -> list:
    """The unit's sidebar: fixed sections, one entry per perspective and theme.

    Section titles are our own words; a perspective's or theme's entry is a bare
    path, so the site engine titles it from the page's ``# h1``, which the template
    has escaped: no user text is ever in the nav. KPI, objective and initiative
    pages are left out on purpose (reached from the index pages and the map), so
    the sidebar does not grow with them.
    """
    paths = paths or Paths()
    card = results.scorecard
    nav: list[Any] = [{"Home": paths.home()}, {"Strategy map": paths.map()}]
    if card.perspectives:
        nav.append({"Perspectives": [paths.perspective(p.id) for p in card.perspectives]})
    if card.themes:
        nav.append({"Themes": [paths.theme(t.id) for t in card.themes]})
    nav += [
        {"Objectives": paths.objectives()},
        {"KPIs": paths.kpis()},
        {"Initiatives": paths.initiatives()},
        {"Owners": paths.owners()},
        {"Needs attention": paths.attention()},
        {"Is our strategy working?": paths.evidence()},
        {"OKRs": paths.okrs()},
    ]
    return nav
