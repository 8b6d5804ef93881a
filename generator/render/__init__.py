"""The render stage: computed results in, a docs folder of Markdown (with inline SVG) out.

:func:`render` writes every generated page (see :mod:`.pages` for what each
shows, ``templates/`` for how), ``scorecard.json``, ``provenance.json``, the
hand-written pages of the project's ``content/`` folder and any extra pages,
and returns the MkDocs nav. It writes a file only when its bytes change and
removes files it no longer generates, so a rebuild keeps mtimes and a deleted
KPI's page disappears. The same results give byte-identical files.

Escaping: every ``{{ }}`` in a template is Markdown-escaped (:func:`_finalize`)
unless the value is :class:`~markupsafe.Markup` (status chips, links, SVG),
which the filters below build from escaped parts. Data is only ever passed to
templates as values, never used as a template, so ``{{ 7*7 }}`` in a name stays text.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator.compute.export import dump_json, scorecard_json
from generator.compute.results import Results, Status
from generator.model import InitiativeStatus
from generator.render import pages as pg
from generator.render.markdown import (
    dir_url,
    initiative_badge,
    md_escape,
    md_link,
    rel_path,
    status_badge,
    user_markdown,
)

__all__ = ["Rendered", "render", "render_pages", "build_nav"]

log = logging.getLogger(__name__)

_TEMPLATES = Path(__file__).with_name("templates")


@dataclass(frozen=True)
class Rendered:
    """What :func:`render` produced.

    Attributes:
        nav: the MkDocs nav (``{title: path}`` / ``{title: [...]}`` entries) the
            site builder writes into the generated ``mkdocs.yml``. Titles are raw
            user text: the site's MkDocs hook escapes them.
        pages: every file path written under the docs folder, sorted.
    """

    nav: list
    pages: tuple[str, ...]


def render(
    results: Results,
    docs_dir: Path,
    *,
    content_dir: Path | None = None,
    cache_dir: Path | None = None,
    extra_pages: Mapping[str, str] | None = None,
    provenance: Mapping[str, Any] | None = None,
) -> Rendered:
    """Write the whole docs folder of one build.

    Args:
        results: the computed build (an all-staff build has no restricted KPI in it).
        docs_dir: the generated docs folder; it belongs to the generator, and files in
            it that this build does not produce are removed.
        content_dir: the project's hand-written pages (``content/``), copied as they
            are; a page there wins over a generated page of the same path. Never written.
        cache_dir: where rendered KPI charts are cached between builds; None renders all.
        extra_pages: more Markdown pages, docs path -> text (e.g. ``about/provenance.md``).
            They win over generated pages; hand-written pages win over them.
        provenance: written as ``provenance.json`` when given.

    Returns:
        The nav and the sorted list of files written.
    """
    files: dict[str, bytes] = {path: text.encode("utf-8") for path, text in render_pages(results, cache_dir).items()}
    files["scorecard.json"] = dump_json(scorecard_json(results)).encode("utf-8")
    if provenance is not None:
        files["provenance.json"] = _json_bytes(provenance)
    for path, text in sorted((extra_pages or {}).items()):
        _check_docs_path(path)
        _notice_override(files, path, "extra page")
        files[path] = text.encode("utf-8")
    for path, data in _content_files(content_dir).items():
        _notice_override(files, path, f"hand-written page in {content_dir}")
        files[path] = data
    _sync(docs_dir, files)
    generated = set(render_pages_paths(results))
    extra = sorted(p for p in files if p.endswith(".md") and p not in generated)
    return Rendered(nav=build_nav(results, extra), pages=tuple(sorted(files)))


# -- pages ----------------------------------------------------------------------------------


def render_pages(results: Results, cache_dir: Path | None = None, paths: pg.Paths | None = None) -> dict[str, str]:
    """Every generated Markdown page of one unit: docs path -> text (in no particular order).

    Args:
        results: the computed build.
        cache_dir: the chart cache folder, or None to render every chart.
        paths: where the unit's pages live (the root unit's by default).
    """
    paths = paths or pg.Paths()
    charts = _kpi_charts(results, cache_dir)
    out: dict[str, str] = {}

    def put(template: str, page: pg.Page) -> None:
        out[page.path] = _template(template).render(page=page)

    draw_map = _map_drawer(results, paths)
    put("home.md.j2", pg.home_page(results, paths, draw_map(paths.home())))
    put("map.md.j2", pg.map_page(results, paths, draw_map(paths.map())))
    for perspective in results.scorecard.perspectives:
        put("perspective.md.j2", pg.perspective_page(results, paths, perspective.id))
    for theme in results.scorecard.themes:
        svg = draw_map(paths.theme(theme.id), theme=theme.id)
        put("theme.md.j2", pg.theme_page(results, paths, theme.id, svg))
    put("objectives_index.md.j2", pg.objectives_page(results, paths))
    for objective in results.scorecard.objectives:
        put("objective.md.j2", pg.objective_page(results, paths, objective.id))
    put("kpis_index.md.j2", pg.kpis_page(results, paths))
    for result in pg.visible_kpis(results):
        put("kpi.md.j2", pg.kpi_page(results, paths, result.kpi.id, Markup(charts.get(result.kpi.id, ""))))
    put("initiatives_index.md.j2", pg.initiatives_page(results, paths, _timeline(results)))
    for initiative_id in results.initiatives:
        put("initiative.md.j2", pg.initiative_page(results, paths, initiative_id))
    put("owners.md.j2", pg.owners_page(results, paths))
    put("attention.md.j2", pg.attention_page(results, paths))
    return out


def render_pages_paths(results: Results, paths: pg.Paths | None = None) -> list[str]:
    """The docs paths :func:`render_pages` writes, without rendering anything."""
    paths = paths or pg.Paths()
    card = results.scorecard
    return [
        paths.home(),
        paths.map(),
        *(paths.perspective(p.id) for p in card.perspectives),
        *(paths.theme(t.id) for t in card.themes),
        paths.objectives(),
        *(paths.objective(o.id) for o in card.objectives),
        paths.kpis(),
        *(paths.kpi(r.kpi.id) for r in pg.visible_kpis(results)),
        paths.initiatives(),
        *(paths.initiative(i) for i in results.initiatives),
        paths.owners(),
        paths.attention(),
    ]


def _map_drawer(results: Results, paths: pg.Paths) -> Callable[..., Markup]:
    """Draws the map for one page (links relative to it); every map of the build shares one layout."""
    from generator.render.strategy_map import layout_map, render_map

    layout = layout_map(results)

    def draw(page: str, theme: str | None = None) -> Markup:
        def href(objective_id: str) -> str:
            return dir_url(page, paths.objective(objective_id))

        return Markup(render_map(results, href, theme=theme, layout=layout))

    return draw


def _timeline(results: Results) -> Markup:
    from generator.render.charts import initiatives_timeline

    if not results.initiatives:
        return Markup("")
    return Markup(initiatives_timeline(results, "initiatives-timeline"))


def _kpi_charts(results: Results, cache_dir: Path | None) -> dict[str, str]:
    from generator.render.cache import ChartCache
    from generator.render.charts import render_kpi_charts

    return render_kpi_charts(results, ChartCache(cache_dir) if cache_dir is not None else None)


# -- nav --------------------------------------------------------------------------------------


def build_nav(results: Results, extra_pages: list[str], paths: pg.Paths | None = None) -> list:
    """The sidebar: fixed sections, one entry per perspective and theme, then hand-written pages.

    KPI, objective and initiative detail pages are left out on purpose (reached
    from the index pages and the map), so the sidebar does not grow with them.

    Args:
        results: the computed build.
        extra_pages: docs paths of Markdown pages not generated here (content and
            extra pages); top-level ones are listed alone, others by folder.
        paths: where the unit's pages live.
    """
    paths = paths or pg.Paths()
    card = results.scorecard
    nav: list[Any] = [{"Home": paths.home()}, {"Strategy map": paths.map()}]
    if card.perspectives:
        nav.append({"Perspectives": [{p.title: paths.perspective(p.id)} for p in card.perspectives]})
    if card.themes:
        nav.append({"Themes": [{t.title: paths.theme(t.id)} for t in card.themes]})
    nav += [
        {"Objectives": paths.objectives()},
        {"KPIs": paths.kpis()},
        {"Initiatives": paths.initiatives()},
        {"Owners": paths.owners()},
        {"Needs attention": paths.attention()},
    ]
    return nav + _extra_nav([p for p in extra_pages if p != paths.home()])


def _extra_nav(extra_pages: list[str]) -> list:
    """Hand-written pages: top-level ones alone, the rest grouped by their first folder.

    Entries are bare paths, so MkDocs titles them from each page's own heading.
    A folder's ``index.md`` comes first in its group.
    """
    top: list[Any] = [p for p in extra_pages if "/" not in p]
    groups: dict[str, list[str]] = {}
    for path in extra_pages:
        if "/" in path:
            groups.setdefault(path.split("/", 1)[0], []).append(path)
    for folder in sorted(groups):
        entries = sorted(groups[folder], key=lambda p: (not p.endswith("/index.md"), p))
        top.append({folder.replace("-", " ").replace("_", " ").capitalize(): entries})
    return top


# -- templates --------------------------------------------------------------------------------


def _finalize(value: Any) -> Any:
    """Markdown-escape every printed value unless it already is Markup (built from escaped parts)."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    return Markup(md_escape(value))


@jinja2.pass_context
def _link_filter(context: jinja2.runtime.Context, link: pg.Link) -> Markup:
    return md_link(link.text, context["page"].path, link.page, link.anchor)


@jinja2.pass_context
def _href_filter(context: jinja2.runtime.Context, link: pg.Link) -> Markup:
    target = rel_path(context["page"].path, link.page)
    return Markup(target + (f"#{link.anchor}" if link.anchor else ""))


def _chip_filter(status: Status, stale: bool = False) -> Markup:
    return status_badge(status, stale)


def _initiative_chip_filter(status: InitiativeStatus | None) -> Markup:
    return initiative_badge(status)


def _progress_filter(percent: float | None) -> Markup:
    """A progress bar with its number beside it (the number is what screen readers and print show)."""
    if percent is None:
        return Markup("–")
    shown = f"{percent:.0f}"
    # The number beside the bar is what screen readers and print get, so the bar is hidden from them.
    return Markup(f'<progress class="sp-progress" max="100" value="{shown}" aria-hidden="true"></progress>{shown} %')


def _raw_filter(text: str) -> Markup:
    """Template-authored HTML (never user data) printed as it is."""
    return Markup(text)


def _user_markdown_filter(text: str) -> Markup:
    return user_markdown(text)


_FILTERS: dict[str, Callable[..., Any]] = {
    "link": _link_filter,
    "href": _href_filter,
    "chip": _chip_filter,
    "initiative_chip": _initiative_chip_filter,
    "progress": _progress_filter,
    "raw": _raw_filter,
    "md": lambda text: Markup(md_escape(text)),
    "user_markdown": _user_markdown_filter,
}


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,  # a value that skips _finalize (e.g. `a ~ b`) is still HTML-escaped
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(_FILTERS)
    return env


_ENV: jinja2.Environment | None = None


def _template(name: str) -> jinja2.Template:
    global _ENV
    if _ENV is None:
        _ENV = _environment()
    return _ENV.get_template(name)


# -- files --------------------------------------------------------------------------------------


def _json_bytes(data: Mapping[str, Any]) -> bytes:
    # Insertion order is the provenance collector's (deterministic); dates become ISO text.
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    return (text + "\n").encode("utf-8")


def _check_docs_path(path: str) -> None:
    parts = Path(path).parts
    if Path(path).is_absolute() or ".." in parts or not parts:
        raise ValueError(f"page path {path!r} must be relative and stay inside the docs folder")


def _notice_override(files: Mapping[str, bytes], path: str, source: str) -> None:
    if path in files:
        log.info("%s: the %s replaces the generated page", path, source)


def _content_files(content_dir: Path | None) -> dict[str, bytes]:
    """Every file under ``content_dir`` (hidden ones skipped), docs path -> bytes, in path order."""
    if content_dir is None or not content_dir.is_dir():
        return {}
    found: dict[str, bytes] = {}
    for path in sorted(content_dir.rglob("*")):
        relative = path.relative_to(content_dir)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            found[relative.as_posix()] = path.read_bytes()
    return found


def _sync(docs_dir: Path, files: Mapping[str, bytes]) -> None:
    """Make ``docs_dir`` hold exactly ``files``: write changed ones, delete the rest."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    for path in sorted(files):
        _write_if_changed(docs_dir / path, files[path])
    for existing in sorted(docs_dir.rglob("*"), reverse=True):
        relative = existing.relative_to(docs_dir).as_posix()
        if existing.is_file() and relative not in files:
            log.debug("removing %s (no longer generated)", relative)
            existing.unlink()
        elif existing.is_dir() and not any(existing.iterdir()):
            existing.rmdir()


def _write_if_changed(target: Path, data: bytes) -> None:
    """Write ``data`` atomically, and only when it differs (keeps mtimes, so ``serve`` rebuilds less)."""
    if target.is_file() and target.read_bytes() == data:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.tmp")
    temp.write_bytes(data)
    os.replace(temp, target)
