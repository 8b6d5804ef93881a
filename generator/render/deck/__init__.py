"""The town-hall deck: the story's slides as a native, editable PowerPoint file (16:9).

:func:`deck_bytes` lays out every :class:`~generator.render.slides.model.Slide`
with python-pptx: native charts with their data, the strategy map as shapes
and glued connectors, native tables, speaker notes on every slide. Status is
never shown by colour alone (icon and word beside it). The same story gives
the same bytes (:mod:`.package`).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from generator.compute.story import Story
from generator.render.deck import dml, visuals
from generator.render.deck import draw as d
from generator.render.deck import markdown_text as md
from generator.render.deck.cache import DeckCache
from generator.render.deck.package import Notes, name_parts_quickly, normalise
from generator.render.deck.timeline import timeline
from generator.render.numbers import format_score
from generator.render.slides import build_slides
from generator.render.slides.model import (
    ChartsContent,
    ClosingContent,
    ListContent,
    MapContent,
    MarkdownContent,
    Slide,
    SlideKind,
    StandingContent,
    TableContent,
    TimelineContent,
    TitleContent,
)
from generator.render.slides.words import style_label
from generator.render.style import style

__all__ = ["deck_bytes", "write_deck"]

_TITLE_ONLY = 5  # the default template's "Title Only" layout: a real title placeholder for the outline
_NO_DATE = dt.date(2000, 1, 1)


def deck_bytes(story: Story, *, site_url: str | None = None, cache_dir: Path | None = None) -> bytes:
    """The deck of ``story`` as .pptx bytes (the same story gives the same bytes).

    With ``cache_dir``, a deck made before from the same slides is read from
    ``cache_dir/deck`` instead of laid out again (:mod:`.cache`).
    """
    slides = build_slides(story, site_url=site_url)
    if cache_dir is None:
        return write_deck(slides, story)
    stamp = {"organization": story.results.scorecard.organization.name, "as_of": story.as_of}
    return DeckCache(cache_dir / "deck").get_or_make({"slides": slides, **stamp}, lambda: write_deck(slides, story))


def write_deck(slides: list[Slide], story: Story) -> bytes:
    """Lay ``slides`` out as a .pptx file and return its bytes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)  # 13.333 x 7.5 in, PowerPoint's 16:9
    name_parts_quickly(prs.part.package)
    layout, notes = prs.slide_layouts[_TITLE_ONLY], Notes()
    org = story.results.scorecard.organization.name
    day = story.as_of or _NO_DATE
    footer = f"{org} \u00b7 as of {story.as_of.isoformat() if story.as_of else 'no data'}"
    for number, slide in enumerate(slides, start=1):
        page = prs.slides.add_slide(layout)
        # Shape ids counted on from the last one, not searched for in the whole slide per shape (the
        # map has hundreds): safe as every shape is added through this one ``page.shapes``.
        page.shapes.turbo_add_enabled = True
        _LAYOUTS[slide.kind](page, slide)
        if slide.kind is not SlideKind.TITLE:
            _title(page, slide.title)
            d.text_box(page, d.MARGIN, 7.0, 9.0, 0.35, [footer], size=12, colour=d.MUTED)
            d.text_box(page, d.SLIDE_W - d.MARGIN - 1.5, 7.0, 1.5, 0.35, [f"{number} / {len(slides)}"],
                       size=12, colour=d.MUTED, align=PP_ALIGN.RIGHT)
        notes.text_frame(page).text = "\n\n".join(slide.notes) or slide.title
    _properties(prs, org, day)
    buffer = io.BytesIO()
    prs.save(buffer)
    return normalise(buffer.getvalue(), day)


def _properties(prs, org: str, day: dt.date) -> None:
    """Core properties from the as-of date, never the wall clock."""
    props = prs.core_properties
    stamp = dt.datetime(day.year, day.month, day.day)
    props.title = f"{org}: strategy review"
    props.author = org
    props.last_modified_by = "strategy-portal"
    props.revision = 1
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp


def _fit(text: str, width: float, size: float, lines: int = 1) -> float:
    """The largest size from ``size`` down to 20 pt at which ``text`` (bold) likely fits in ``lines`` lines."""
    for candidate in (size, size * 0.875, size * 0.75, size * 0.625):
        if len(text) * candidate * 0.62 / 72 <= width * lines and candidate >= 20:
            return candidate
    return max(20.0, size * 0.625)


def _title(page, text: str, *, size: float = 32, y: float = 0.35, h: float = 0.85, lines: int = 1) -> None:
    size = _fit(text, d.SLIDE_W - 2 * d.MARGIN, size, lines)
    title = page.shapes.title._element  # the layout's title placeholder, so the title is in the outline
    place = etree.Element(qn("a:xfrm"))
    etree.SubElement(place, qn("a:off"), x=str(Inches(d.MARGIN)), y=str(Inches(y)))
    etree.SubElement(place, qn("a:ext"), cx=str(Inches(d.SLIDE_W - 2 * d.MARGIN)), cy=str(Inches(h)))
    title.spPr.insert(0, place)
    dml.body(title.txBody, anchor="ctr")
    p = dml.paragraph(title.txBody, 0, align="l")
    dml.run(p, text, size=size, bold=True, italic=False, colour=d.INK, font=d.FONT)
    rule = d.rectangle(page, d.MARGIN, y + h + 0.05, 1.2, 0.06, d.ACCENT)
    rule.name = "Accent rule"


# -- one layout per kind -----------------------------------------------------------------------


def _title_slide(page, slide: Slide) -> None:
    content = slide.content
    assert isinstance(content, TitleContent)  # _LAYOUTS picks this function by kind; the kind fixes the content type
    band = d.rectangle(page, 0, 0, d.SLIDE_W, 0.35, d.ACCENT)
    band.name = "Accent band"
    _title(page, content.organization, size=44, y=1.25, h=1.65, lines=2)
    d.text_box(page, d.MARGIN, 3.05, 12.0, 0.6, [content.subtitle], size=26, colour=d.MUTED)
    if content.vision:
        vision = [("Our vision  ", {"bold": True, "colour": d.ACCENT}), (" ".join(content.vision.split()), {})]
        d.text_box(page, d.MARGIN, 4.1, 12.0, 2.4, [vision], size=22)


def _standing(page, slide: Slide) -> None:
    content = slide.content
    assert isinstance(content, StandingContent)  # _LAYOUTS picks this function by kind; the kind fixes the content type
    overall = content.overall
    look = style(overall.status)
    card = d.rectangle(page, d.MARGIN, d.CONTENT_TOP + 0.1, 3.9, 2.2, look.fill, rounded=True)
    d.fill(card, look.fill, look.stroke, 2.0)
    d.shape_text(
        card,
        [
            [("Overall", {"size": 20})],
            [(style_label(overall.status), {"size": 30, "bold": True})],
            [(f"score {format_score(overall.score)} of 10" if overall.score is not None else "no scores yet",
              {"size": 20})],
        ],
        size=20, colour=look.ink,
    )
    card.name = f"Overall: {look.label}"
    d.text_box(page, d.MARGIN, d.CONTENT_TOP + 2.6, 3.9, 2.8, [f"\u2022 {fact}" for fact in content.facts], size=20)
    visuals.score_chart(page, content.bars, 4.8, d.CONTENT_TOP, d.SLIDE_W - 4.8 - d.MARGIN, 5.4)


def _map(page, slide: Slide) -> None:
    content = slide.content
    assert isinstance(content, MapContent)  # _LAYOUTS picks this function by kind; the kind fixes the content type
    visuals.strategy_map(page, content, d.MARGIN - 0.2, d.CONTENT_TOP + 0.02, d.SLIDE_W - 2 * d.MARGIN + 0.4, 5.28)
    d.text_box(
        page, d.MARGIN, 6.66, 12.0, 0.35,
        ["Arrows run from cause to effect. A dashed outline marks stale data."], size=13, colour=d.MUTED,
    )


def _table(page, slide: Slide) -> None:
    content = slide.content
    assert isinstance(content, TableContent)  # _LAYOUTS picks this function by kind; the kind fixes the content type
    d.table(page, content, d.MARGIN, d.CONTENT_TOP + 0.05, d.SLIDE_W - 2 * d.MARGIN, size=16, row_h=0.42)
    if content.footnote:
        y = d.CONTENT_TOP + 0.05 + 0.42 * (len(content.rows) + 1) + 0.25
        d.text_box(page, d.MARGIN, y, d.SLIDE_W - 2 * d.MARGIN, max(d.CONTENT_BOTTOM - y, 0.5), [content.footnote],
                   size=16)


def _charts(page, slide: Slide) -> None:
    content = slide.content
    assert isinstance(content, ChartsContent)  # _LAYOUTS picks this function by kind; the kind fixes the content type
    cols = 2
    cell_w = (d.SLIDE_W - 2 * d.MARGIN - 0.3) / cols
    cell_h = 2.72
    key = "Solid line: actual \u00b7 dashed line: goal"
    d.text_box(page, d.SLIDE_W - d.MARGIN - 5.0, 1.02, 5.0, 0.3, [key], size=13, colour=d.MUTED, align=PP_ALIGN.RIGHT,
               space_after=0)
    # A name too long for one line gets two, in every cell, so the charts stay aligned.
    lines = 2 if any(_too_long(chart.title, cell_w, 16) for chart in content.charts) else 1
    head = 0.3 * lines + 0.04
    for index, chart in enumerate(content.charts):
        x = d.MARGIN + (index % cols) * (cell_w + 0.3)
        y = d.CONTENT_TOP + (index // cols) * (cell_h + 0.05)
        look = style(chart.status)
        d.text_box(page, x, y, cell_w, head, [chart.title], size=16, bold=True, space_after=0)
        d.chip(page, chart.status, x, y + head + 0.02, 1.7, 0.34, size=13)
        d.text_box(page, x + 1.8, y + head, cell_w - 1.8, 0.38, [chart.caption], size=13, colour=look.ink,
                   space_after=0, anchor=MSO_ANCHOR.MIDDLE)
        visuals.kpi_chart(page, chart, x, y + head + 0.4, cell_w, cell_h - head - 0.42)


def _too_long(text: str, width: float, size: float) -> bool:
    """Whether ``text`` in bold ``size`` pt likely needs more than one line of ``width`` inches."""
    return len(text) * size * 0.56 / 72 > width


def _timeline(page, slide: Slide) -> None:
    content = slide.content
    assert isinstance(content, TimelineContent)  # _LAYOUTS picks this function by kind; the kind fixes the content type
    bottom = timeline(page, content, d.CONTENT_TOP)
    key = "Bars run from start to end, darker as far as done. \u25c6 milestone done, \u25c7 open; red: overdue."
    d.text_box(page, d.MARGIN, bottom, d.SLIDE_W - 2 * d.MARGIN, 0.3, [key], size=13, colour=d.MUTED, space_after=0)
    if content.footnote:
        y = bottom + 0.4
        d.text_box(page, d.MARGIN, y, d.SLIDE_W - 2 * d.MARGIN, max(d.CONTENT_BOTTOM - y, 0.5), [content.footnote],
                   size=16)


def _list(page, slide: Slide) -> None:
    content = slide.content
    assert isinstance(content, ListContent)  # _LAYOUTS picks this function by kind; the kind fixes the content type
    if not content.bullets:
        d.text_box(page, d.MARGIN, d.CONTENT_TOP + 0.3, 12.0, 1.0, [content.empty], size=24, colour=d.MUTED)
        return
    row_h = 1.06
    for index, bullet in enumerate(content.bullets):
        y = d.CONTENT_TOP + 0.05 + index * row_h
        if bullet.status is not None:
            d.chip(page, bullet.status, d.MARGIN, y + 0.08, 1.9, 0.48, size=15)
        else:
            stale = d.rectangle(page, d.MARGIN, y + 0.08, 1.9, 0.48, "#ffffff", rounded=True)
            d.fill(stale, "#ffffff", d.MUTED, 1.25, dashed=True)
            d.shape_text(stale, [[("\u25f7 Stale data", {"bold": True})]], size=15, colour=d.INK)
        d.text_box(page, d.MARGIN + 2.1, y, d.SLIDE_W - 2 * d.MARGIN - 2.1, row_h - 0.06, [bullet.text], size=18,
                   anchor=MSO_ANCHOR.TOP)


def _closing(page, slide: Slide) -> None:
    content = slide.content
    assert isinstance(content, ClosingContent)  # _LAYOUTS picks this function by kind; the kind fixes the content type
    paragraphs: list = [[(content.lines[0], {"size": 44, "bold": True})]]
    paragraphs += [[(line, {"size": 24})] for line in content.lines[1:]]
    if content.url:
        paragraphs.append([(content.url, {"size": 28, "bold": True, "colour": d.ACCENT, "link": content.url})])
    d.text_box(page, d.MARGIN, 2.2, d.SLIDE_W - 2 * d.MARGIN, 3.5, paragraphs, size=24, space_after=16)


def _markdown(page, slide: Slide) -> None:
    content = slide.content
    assert isinstance(content, MarkdownContent)  # _LAYOUTS picks this function by kind; the kind fixes the content type
    shape = d.text_box(page, d.MARGIN, d.CONTENT_TOP + 0.1, d.SLIDE_W - 2 * d.MARGIN, 5.4, [], size=22)
    frame = shape.text_frame
    first = True
    for block in md.blocks(content.markdown):
        p = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        p.space_after = Pt(10)
        prefix = {"bullet": "\u2022  ", "number": f"{block.number}.  "}.get(block.kind, "")
        if prefix:
            p.level = block.level
        size = 28 if block.kind == "heading" else 22
        for text, options in [(prefix, {})] * bool(prefix) + md.runs(block.text):
            run = p.add_run()
            run.text = text
            d.set_run(run, size=size, bold=options.get("bold", block.kind == "heading"),
                      italic=options.get("italic", False), colour=options.get("colour", d.INK))
            if options.get("link"):
                run.hyperlink.address = options["link"]


_LAYOUTS = {
    SlideKind.TITLE: _title_slide,
    SlideKind.STANDING: _standing,
    SlideKind.MAP: _map,
    SlideKind.PERSPECTIVE: _table,
    SlideKind.TRENDS: _charts,
    SlideKind.WINS: _list,
    SlideKind.CONCERNS: _list,
    SlideKind.INITIATIVES: _timeline,
    SlideKind.UNITS: _table,
    SlideKind.NEXT_QUARTER: _table,
    SlideKind.CLOSING: _closing,
    SlideKind.CUSTOM: _markdown,
}
