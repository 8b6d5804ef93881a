"""The page registry: every page kind of a unit, declared once.

A :class:`PageKind` names its template, which items it has a page for, where
each page lives (a :class:`~.paths.Paths` method) and the view-model builder
(:mod:`.builders`). :func:`unit_pages` evaluates every kind for one unit's
results and gives a neutral :class:`UnitPages`: files (docs path -> bytes, the
charts' SVG files beside their pages included) and the unit's nav tree. What
lands on disk, and when, is :mod:`generator.render.writer`'s business.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
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
from generator.render.pages.models import Chart, ObjectiveGroup, Page
from generator.render.pages.owners import owners_page
from generator.render.pages.paths import Paths

__all__ = ["PAGE_KINDS", "Art", "PageKind", "UnitPages", "page_paths", "unit_nav", "unit_pages"]


class Art:
    """The pictures of one unit's pages, drawn on first use: map, KPI charts, timeline.

    Every map of the unit shares one layout; KPI charts come from the chart cache
    (all at once, so the cache can draw the missing ones in parallel) and are
    written as SVG files beside their pages (:attr:`files`).
    """

    def __init__(self, results: Results, paths: Paths, cache_dir: Path | None = None) -> None:
        self.results, self.paths, self.cache_dir = results, paths, cache_dir
        self.files: dict[str, bytes] = {}

    @cached_property
    def _layout(self) -> Any:
        from generator.render.strategy_map import layout_map

        return layout_map(self.results)

    def map(self, page: str, theme: str | None = None) -> Markup:
        """The strategy map for ``page`` (its links relative to it), of one theme when given."""
        from generator.render.strategy_map import render_map

        def href(objective_id: str) -> str:
            return dir_url(page, self.paths.objective(objective_id))

        return Markup(render_map(self.results, href, theme=theme, layout=self._layout))

    @cached_property
    def _charts(self) -> dict[str, str]:
        from generator.render.charts.cache import ChartCache
        from generator.render.charts import render_kpi_charts

        cache = ChartCache(self.cache_dir) if self.cache_dir is not None else None
        return render_kpi_charts(self.results, cache)

    def chart(self, kpi_id: str) -> Chart | None:
        """A KPI's chart as a file beside its page (added to :attr:`files`), or None without one."""
        svg = self._charts.get(kpi_id)
        if not svg:
            return None
        path = self.paths.chart(kpi_id)
        self.files[path] = svg.encode("utf-8")
        # kpis/<id>.md is served at kpis/<id>/, and the chart sits in that folder.
        return Chart(src=path.rsplit("/", 1)[1], alt=_text_alternative(svg), **_size(svg))

    def timeline(self) -> Markup:
        """The initiatives' timeline, or nothing without initiatives."""
        from generator.render.charts import initiatives_timeline

        if not self.results.initiatives:
            return Markup("")
        return Markup(initiatives_timeline(self.results, "initiatives-timeline"))


_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.S)
_DESC = re.compile(r"<desc\b[^>]*>(.*?)</desc>", re.S)
_VIEWBOX = re.compile(r'<svg\b[^>]*\bviewBox="[\d.\-]+ [\d.\-]+ ([\d.]+) ([\d.]+)"')
_ENTITIES = {"&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&#x27;": "'", "&amp;": "&"}


def _unescape(text: str) -> str:
    return re.sub(r"&(lt|gt|quot|#39|#x27|amp);", lambda m: _ENTITIES[m.group(0)], text)


def _text_alternative(svg: str) -> str:
    """The chart's own title and description, as plain text (the template escapes it)."""
    parts = [m.group(1) for pattern in (_TITLE, _DESC) if (m := pattern.search(svg))]
    return " ".join(_unescape(" ".join(part.split())) for part in parts)


def _size(svg: str) -> dict[str, str]:
    found = _VIEWBOX.search(svg)
    width, height = (found.group(1), found.group(2)) if found else ("600", "250")
    return {"width": str(round(float(width))), "height": str(round(float(height)))}


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


PAGE_KINDS: tuple[PageKind, ...] = (
    PageKind("home", "home.md.j2", lambda p, _: p.home(),
             lambda r, p, art, _: replace(b.home_page(r, p, art.map(p.home())), map_list=_map_list(r, p))),
    PageKind("map", "map.md.j2", lambda p, _: p.map(),
             lambda r, p, art, _: replace(b.map_page(r, p, art.map(p.map())), map_list=_map_list(r, p))),
    PageKind("perspective", "perspective.md.j2", lambda p, i: p.perspective(i),
             lambda r, p, art, i: b.perspective_page(r, p, i),
             items=lambda r: [x.id for x in r.scorecard.perspectives]),
    PageKind("theme", "theme.md.j2", lambda p, i: p.theme(i),
             lambda r, p, art, i: b.theme_page(r, p, i, art.map(p.theme(i), theme=i)),
             items=lambda r: [x.id for x in r.scorecard.themes]),
    PageKind("objectives", "objectives_index.md.j2", lambda p, _: p.objectives(),
             lambda r, p, art, _: b.objectives_page(r, p)),
    PageKind("objective", "objective.md.j2", lambda p, i: p.objective(i),
             lambda r, p, art, i: b.objective_page(r, p, i),
             items=lambda r: [x.id for x in r.scorecard.objectives]),
    PageKind("kpis", "kpis_index.md.j2", lambda p, _: p.kpis(),
             lambda r, p, art, _: b.kpis_page(r, p)),
    PageKind("kpi", "kpi.md.j2", lambda p, i: p.kpi(i),
             lambda r, p, art, i: b.kpi_page(r, p, i, art.chart(i)),
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


def unit_pages(results: Results, paths: Paths | None = None, cache_dir: Path | None = None) -> UnitPages:
    """Render every page of one unit.

    Args:
        results: the unit's computed results.
        paths: where the unit's pages live (the root unit's by default).
        cache_dir: the chart cache folder, or None to draw every chart.
    """
    paths = paths or Paths()
    art = Art(results, paths, cache_dir)
    files: dict[str, bytes] = {}
    for kind in PAGE_KINDS:
        for item in kind.ids(results):
            page = kind.build(results, paths, art, item)
            files[page.path] = render_template(kind.template, page=page).encode("utf-8")
    files.update(art.files)
    return UnitPages(files, unit_nav(results, paths))


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
    ]
    return nav
