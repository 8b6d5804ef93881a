"""Present mode: the story's slides as one standalone HTML page of the site (``present/index.html``).

The slides come from :func:`generator.render.slides.build_slides` (the deck lays the
same slides out); this module adds what only a browser shows (the strategy map as
inline SVG with links to the portal's objective pages, sparklines, trend charts,
the initiatives' bars) and lays every slide out with ``present.html.j2`` through the
render stage's one Jinja environment (an ``.html.j2`` template: HTML autoescaping).

The page is engine-neutral (no MkDocs chrome: MkDocs copies a non-Markdown file as it
is) and loads nothing from outside the site: ``present.css`` and ``present.js`` sit
beside it (:data:`STATIC`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from generator.compute.results import Results, Status
from generator.compute.story import Story
from generator.render.jinja import render_template
from generator.render.markdown import dir_url, user_markdown
from generator.render.numbers import axis_labels, format_score
from generator.render.pages.paths import Paths
from generator.render.present import svg
from generator.render.slides import build_slides
from generator.render.slides.model import (
    ChartsContent,
    MapContent,
    MarkdownContent,
    Slide,
    TableContent,
    TimelineContent,
)
from generator.render.strategy_map.geometry import coord
from generator.render.style import style

__all__ = ["STATIC", "SlideView", "present_files", "present_page"]

STATIC = ("present.css", "present.js")
"""The front end, copied beside every present page."""

_STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

_KIND_CLASS = {
    "title": "slide--title",
    "closing": "slide--title slide--closing",
    "map": "slide--map",
    "custom": "slide--custom",
}


@dataclass(frozen=True)
class SlideView:
    """One slide as present mode lays it out.

    Attributes:
        slide: the slide (its worded content).
        number: 1-based position in the presentation.
        anchor: its fragment id (the section id, ``-2`` for its second page...).
        css: its classes beyond ``slide``.
        art: pictures by slot: ``map``, ``body`` (own Markdown), ``row-<i>`` (a sparkline),
            ``chart-<i>`` (a trend chart), ``bar-<i>`` (an initiative's bar).
    """

    slide: Slide
    number: int
    anchor: str
    css: str
    art: dict[str, Markup] = field(default_factory=dict)


def present_files(
    story: Story, paths: Paths, *, site_url: str | None = None, deck: str | None = None
) -> dict[str, bytes]:
    """The files of one unit's present mode: the page and its front end, docs path -> bytes.

    Args:
        story: the unit's story (``content/present.yml`` applied for the root unit).
        paths: where the unit's pages live.
        site_url: the portal's address, said on the closing slide.
        deck: the deck's docs path when the build carries one (linked from the toolbar).
    """
    page = paths.present()
    folder = page.rsplit("/", 1)[0]
    files = {page: present_page(story, paths, site_url=site_url, deck=deck).encode("utf-8")}
    for name in STATIC:
        files[f"{folder}/{name}"] = (_STATIC_DIR / name).read_bytes()
    return files


def present_page(story: Story, paths: Paths, *, site_url: str | None = None, deck: str | None = None) -> str:
    """The present page's HTML (see :func:`present_files`)."""
    here = _as_page(paths.present())
    slides = build_slides(story, site_url=site_url)
    seen: dict[str, int] = {}
    views = []
    for number, slide in enumerate(slides, start=1):
        anchor = _anchor(slide.id, seen)
        css = _KIND_CLASS.get(slide.kind.value, "")
        views.append(SlideView(slide, number, anchor, css, _art(slide, story.results, paths, here)))
    org = story.results.scorecard.organization.name
    return render_template(
        "present.html.j2",
        title=f"{org}: strategy review",
        organization=org,
        as_of=story.as_of.isoformat() if story.as_of else "no data",
        slides=views,
        total=len(views),
        portal=dir_url(here, paths.home()),
        deck=deck.rsplit("/", 1)[1] if deck else None,
        chip=chip,
        score=format_score,
        axis_ticks=axis_ticks,
    )


def _as_page(path: str) -> str:
    """``present/index.html`` as the Markdown page served at the same URL (links are relative to it)."""
    return path[: -len(".html")] + ".md"


def _anchor(slide_id: str, seen: dict[str, int]) -> str:
    """A fragment id from the section id (``perspective:customer`` -> ``perspective-customer``), unique."""
    base = "".join(c if c.isalnum() or c in "-_" else "-" for c in slide_id).strip("-") or "slide"
    seen[base] = seen.get(base, 0) + 1
    return base if seen[base] == 1 else f"{base}-{seen[base]}"


def chip(status: Status | None, text: str | None = None) -> Markup:
    """A status chip: colour, icon and word (``text`` replaces the word, e.g. ``On track 7.2``)."""
    if status is None:
        return Markup('<span class="chip-text">{}</span>').format(text or "")
    look = style(status)
    words = text if text is not None else look.label
    if words.startswith(look.icon):
        words = words[len(look.icon) :].strip()
    cls = look.css_class.replace("sp-status--", "chip--")
    return Markup('<span class="chip {}"><span aria-hidden="true">{}</span> {}</span>').format(cls, look.icon, words)


def _art(slide: Slide, results: Results, paths: Paths, here: str) -> dict[str, Markup]:
    content = slide.content
    makers: dict[type, Callable[[], dict[str, Markup]]] = {
        MapContent: lambda: {"map": _map(content, results, paths, here)},  # type: ignore[arg-type]
        MarkdownContent: lambda: {"body": user_markdown(content.markdown)},  # type: ignore[union-attr]
        TableContent: lambda: _sparks(content),  # type: ignore[arg-type]
        ChartsContent: lambda: _charts(content),  # type: ignore[arg-type]
        TimelineContent: lambda: _bars(content),  # type: ignore[arg-type]
    }
    make = makers.get(type(content))
    return make() if make else {}


def _map(content: MapContent, results: Results, paths: Paths, here: str) -> Markup:
    from generator.render.strategy_map import render_map

    def href(objective_id: str) -> str:
        return dir_url(here, paths.objective(objective_id))

    def band_href(perspective_id: str) -> str:
        return dir_url(here, paths.perspective(perspective_id))

    svg_text = render_map(results, href, layout=content.layout, id_prefix="sp-present-map", band_href=band_href)
    # The slide shows the bands only, as large as the screen allows (the legend's status
    # words are on every box already): the picture ends where the legend would start.
    layout = content.layout
    whole = f'viewBox="0 0 {coord(layout.width)} {coord(layout.height)}"'
    bands = f'viewBox="0 0 {coord(layout.width)} {coord(layout.legend_y)}"'
    return Markup(svg_text.replace(whole, bands, 1))


def _sparks(content: TableContent) -> dict[str, Markup]:
    out = {}
    for index, row in enumerate(content.rows):
        if row.trend:
            label = f"{row.cells[0].strip()}: {row.cells[-1]}"
            out[f"row-{index}"] = svg.sparkline(row.trend, row.status, label)
    return out


def _charts(content: ChartsContent) -> dict[str, Markup]:
    return {
        f"chart-{index}": svg.trend_chart(
            c.title, c.categories, c.actual, c.goal, c.status, c.caption, goal_high=c.goal_high,
            scale_text=functools.partial(axis_labels, unit=c.unit),
        )
        for index, c in enumerate(content.charts)
    }


def axis_ticks(content: TimelineContent, room: float = 14.0) -> list[tuple[float, str]]:
    """The time axis's labels as ``(percent from the left, label)``, none closer than ``room`` percent.

    A label is about 14 % of the bar column wide at 16 px: closer ones would overlap,
    and one past 86 % would run out of the column.
    """
    days = max((content.end - content.start).days, 1)
    kept: list[tuple[float, str]] = []
    for day, label in content.ticks:
        at = (day - content.start).days / days * 100
        if at <= 100 - room and (not kept or at - kept[-1][0] >= room):
            kept.append((round(at, 1), label))
    return kept


def _bars(content: TimelineContent) -> dict[str, Markup]:
    return {
        f"bar-{index}": svg.timeline_bar(
            row.start,
            row.end,
            (content.start, content.end),
            content.as_of,
            [(m.due, m.done, m.overdue) for m in row.milestones],
            row.status,
        )
        for index, row in enumerate(content.rows)
    }
