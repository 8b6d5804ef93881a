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
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from generator.compute.attention import visible_kpis
from generator.compute.results import Results
from generator.render.jinja import render_template
from generator.render.markdown import file_href, href_in_file
from generator.render.pages import builders as b
from generator.render.pages import insight
from generator.render.pages import units as u
from generator.render.pages.models import Chart, MapImage, ObjectiveGroup, Page
from generator.render.pages.owners import owners_page
from generator.render.pages.paths import Paths

if TYPE_CHECKING:  # matplotlib loads only when a chart is drawn
    from generator.render.charts import ChartCache, ChartJob

__all__ = [
    "PAGE_KINDS", "Art", "ChartFile", "MapFile", "PageJob", "PageKind", "UnitPages", "page_jobs", "page_paths",
    "unit_nav", "unit_pages",
]


class Art:
    """The pictures of one unit's pages: map, KPI charts, timeline.

    A page showing the map or a KPI's chart needs only its text and size (:meth:`map`,
    :meth:`chart`), read without drawing; the drawings are files of their own, each a
    job (:meth:`map_files`, :meth:`chart_files`), so a build draws them beside the
    pages, in any process. Every map of the unit shares one layout. The charts come
    through ``charts``, the build's one chart cache (``None``: every chart drawn).
    """

    def __init__(
        self,
        results: Results,
        paths: Paths,
        charts: ChartCache | None = None,
        content: frozenset[str] = frozenset(),
        present: bool = False,
        root: Results | None = None,
    ) -> None:
        self.results, self.paths, self.charts = results, paths, charts
        self.present = present  # the unit has present mode (pages link to it)
        self.files: dict[str, bytes] = {}
        self.content = content  # the hand-written pages' docs paths: link to them only if they are there
        self.root = root or results  # the whole tree, for alignment and consolidated sources
        self._maps: dict[str, MapImage] = {}  # docs path -> the map's text and size

    def take_files(self) -> dict[str, bytes]:
        """The files pages made beside them (``okrs.csv``) since the last call; :attr:`files` is emptied."""
        taken, self.files = self.files, {}
        return taken

    @cached_property
    def _layout(self) -> Any:
        from generator.render.strategy_map import layout_map

        return layout_map(self.results)

    def map(
        self, page: str, theme: str | None = None, perspective: str | None = None, evidence: bool = False
    ) -> MapImage:
        """The strategy map shown on ``page``: one SVG file of the unit, of one theme or perspective when given.

        The map is drawn once per unit (and once more for ``evidence``, each arrow styled
        by its verdict) and written as a file (:attr:`files`); a page shows it by an
        ``<img>`` that ``theme/assets/svg-inline.js`` replaces by the SVG itself. Its boxes
        link to their objectives, its band labels to their perspectives, relative to the
        file (the script resolves them against the file's address). A theme or
        perspective is a focus on the same drawing: the page's wrapper names it and the
        map's own rules dim the rest. The page's Markdown then holds no data of the map,
        so it stays the same (and MkDocs's page cache keeps it) while the figures change.
        """
        from generator.render.strategy_map import focus_key, highlight_sentence

        path = self.paths.evidence_map_image() if evidence else self.paths.map_image()
        if path not in self._maps:
            self._maps[path] = self._map_image(evidence)
        drawn = self._maps[path]
        highlight = highlight_sentence(self.results, theme=theme, perspective=perspective)
        return replace(
            drawn,
            src=file_href(page, path),
            alt=f"{drawn.alt} {highlight}" if highlight else drawn.alt,
            focus=focus_key(self.results, theme=theme, perspective=perspective),
            highlight=highlight,
        )

    def _map_image(self, evidence: bool) -> MapImage:
        """The map's text alternative and size, as its drawing has them (read without drawing it)."""
        from generator.render.strategy_map import map_facts

        title, desc, width, height = map_facts(
            self.results, layout=self._layout, evidence=self.results.links if evidence else None
        )
        # Two sentences: the title has no full stop of its own.
        parts = [" ".join(part.split()) for part in (title, desc)]
        alt = " ".join(part if part.endswith((".", "!", "?")) else f"{part}." for part in parts if part)
        return MapImage(src="", alt=alt, width=str(round(width)), height=str(round(height)))

    def map_files(self) -> list[MapFile]:
        """One job drawing both of the unit's map files, the map and its evidence view.

        One job, not one per file: both draw the same layout, whose arrow routing is most of
        the work (half a second for a 250-objective map), so a worker routes the arrows once.
        """
        return [MapFile(((self.paths.map_image(), False), (self.paths.evidence_map_image(), True)), self)]

    def draw_map(self, path: str, evidence: bool) -> bytes:
        """The map's SVG file at ``path``: its links relative to the file (the page's script resolves them)."""
        from generator.render.strategy_map import render_map

        def href(objective_id: str) -> str:
            return href_in_file(path, self.paths.objective(objective_id))

        def band_href(perspective_id: str) -> str:
            return href_in_file(path, self.paths.perspective(perspective_id))

        svg = render_map(
            self.results, href, layout=self._layout, band_href=band_href,
            evidence=self.results.links if evidence else None,
        )
        return svg.encode("utf-8")

    def chart(self, kpi_id: str) -> Chart | None:
        """A KPI's chart as a file beside its page, or None without one.

        The page needs the chart's text and size only; the drawing is a file of its own
        (:meth:`chart_files`), so a page and its chart are independent jobs.
        """
        from generator.render.charts import kpi_chart_size, kpi_chart_text

        result = self.results.kpis.get(kpi_id)
        if result is None:
            return None
        alt = kpi_chart_text(result, self.results.as_of, self.results.forecasts.get(kpi_id))
        width, height = kpi_chart_size(result)
        src = file_href(self.paths.kpi(kpi_id), self.paths.chart(kpi_id))
        return Chart(src=src, alt=alt, width=str(round(width)), height=str(round(height)))

    def chart_files(self) -> list[ChartFile]:
        """A job for each chart file of the unit's KPI pages: from the chart cache, or drawn and kept there."""
        from generator.render.charts import chart_jobs

        shown = {result.kpi.id for result in visible_kpis(self.results)}
        jobs = chart_jobs(self.results, self.charts)
        return [ChartFile(self.paths.chart(job.kpi_id), job) for job in jobs if job.kpi_id in shown]

    def timeline(self) -> Markup:
        """The initiatives' timeline (through the chart cache), or nothing without initiatives."""
        from generator.render.charts import cached_timeline

        if not self.results.initiatives:
            return Markup("")
        return Markup(cached_timeline(self.results, "initiatives-timeline", self.charts))


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
        small: a page of one objective, KPI or initiative, whose cost does not grow with the
            unit; any other page lists across the unit (an index, a perspective, the OKRs).
    """

    name: str
    template: str
    path: Callable[[Paths, str], str]
    build: Callable[[Results, Paths, Art, str], Page]
    items: Callable[[Results], Sequence[str]] | None = None
    small: bool = False

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
                 b.perspective_page(r, p, i), map_image=art.map(p.perspective(i), perspective=i)),
             items=lambda r: [x.id for x in r.scorecard.perspectives]),
    PageKind("theme", "theme.md.j2", lambda p, i: p.theme(i),
             lambda r, p, art, i: b.theme_page(r, p, i, art.map(p.theme(i), theme=i)),
             items=lambda r: [x.id for x in r.scorecard.themes]),
    PageKind("objectives", "objectives_index.md.j2", lambda p, _: p.objectives(),
             lambda r, p, art, _: b.objectives_page(r, p)),
    PageKind("objective", "objective.md.j2", lambda p, i: p.objective(i),
             _objective_page,
             items=lambda r: [x.id for x in r.scorecard.objectives], small=True),
    PageKind("kpis", "kpis_index.md.j2", lambda p, _: p.kpis(),
             lambda r, p, art, _: b.kpis_page(r, p, art.files)),
    PageKind("kpi", "kpi.md.j2", lambda p, i: p.kpi(i),
             _kpi_page,
             items=lambda r: [x.kpi.id for x in visible_kpis(r)], small=True),
    PageKind("initiatives", "initiatives_index.md.j2", lambda p, _: p.initiatives(),
             lambda r, p, art, _: b.initiatives_page(r, p, art.timeline())),
    PageKind("initiative", "initiative.md.j2", lambda p, i: p.initiative(i),
             lambda r, p, art, i: b.initiative_page(r, p, i),
             items=lambda r: list(r.initiatives), small=True),
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
) -> UnitPages:
    """Render every page of one unit, here and now (:func:`page_jobs` lets a build spread them).

    Args:
        results: the unit's computed results.
        paths: where the unit's pages live (the root unit's by default).
        cache_dir: the chart cache folder (its pack is read, then written back), or None to draw every chart.
        content: the docs paths of the hand-written pages (``content/``); a page links
            one of them (the method page) only when it is there.
        present: the unit has present mode (``present/``): home and map pages link to it.
        root: the whole tree (the organisation's results) when ``results`` is one of its
            units; pages then show alignment and consolidated sources across units, and a
            unit's pages (not the root's) are headed by its breadcrumb and sections.
    """
    from generator.render.charts import ChartCache

    paths = paths or Paths()
    charts = ChartCache(cache_dir) if cache_dir is not None else None
    art = Art(results, paths, charts, frozenset(content), present, root or results)
    files: dict[str, bytes] = {}
    jobs: list[Callable[[], dict[str, bytes]]] = [*page_jobs(art), *art.map_files(), *art.chart_files()]
    for job in jobs:
        files.update(job())
    if charts is not None:
        charts.save()
    return UnitPages(files, unit_nav(results, paths))


@dataclass(frozen=True)
class PageJob:
    """One page of one unit to render; calling it renders it.

    Jobs are independent of each other, so a build may run them in any process that
    has the unit's :class:`Art` (a forked worker has it as it was at the fork).
    """

    kind: PageKind
    item: str
    art: Art

    @property
    def cost(self) -> int:
        """The job's expected cost in pages of one KPI: a page listing across the unit costs one per eight KPIs."""
        return 1 if self.kind.small else 1 + len(self.art.results.kpis) // 8

    def __call__(self) -> dict[str, bytes]:
        """The page's Markdown at its docs path, then any file it made beside it (``okrs.csv``)."""
        art, results = self.art, self.art.results
        page = self.kind.build(results, art.paths, art, self.item)
        text = render_template(self.kind.template, page=page)
        if results is not art.root:
            chrome = u.unit_chrome(art.root, results.unit_id, page.path, page.title)
            text = _after_title(text, render_template("_unit_chrome.md.j2", page=chrome))
        return {page.path: text.encode("utf-8"), **art.take_files()}


@dataclass(frozen=True)
class ChartFile:
    """A KPI chart as a file beside its page; calling it reads it from the cache or draws it (in any process)."""

    path: str
    chart: ChartJob

    def __call__(self) -> dict[str, bytes]:
        return {self.path: self.chart().encode("utf-8")}


@dataclass(frozen=True)
class MapFile:
    """A unit's map files, each a path and whether it is the evidence view; calling it draws them."""

    files: tuple[tuple[str, bool], ...]
    art: Art

    def __call__(self) -> dict[str, bytes]:
        return {path: self.art.draw_map(path, evidence) for path, evidence in self.files}


def page_jobs(art: Art) -> list[PageJob]:
    """Every page of ``art``'s unit as a job, in the order :data:`PAGE_KINDS` gives."""
    return [PageJob(kind, item, art) for kind in PAGE_KINDS for item in kind.ids(art.results)]


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
