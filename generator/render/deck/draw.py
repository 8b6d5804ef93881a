"""Drawing helpers for the deck: text boxes, status chips, tables, colours and sizes.

Everything is in inches and points so the layout code reads like a design
spec. Status is always shown as its icon and word besides its colour.
"""

from __future__ import annotations

from collections.abc import Sequence

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from generator.compute.results import Status
from generator.render.slides.model import TableContent
from generator.render.slides.words import style_label
from generator.render.style import style

__all__ = ["INK", "MUTED", "ACCENT", "SLIDE_W", "SLIDE_H", "rgb", "text_box", "chip", "table"]

SLIDE_W, SLIDE_H = 13.333, 7.5  # 16:9, in inches
MARGIN = 0.55
CONTENT_TOP = 1.35
CONTENT_BOTTOM = 6.85

INK = "#1f2328"
MUTED = "#57606a"
ACCENT = "#0b57d0"
RULE = "#d0d7de"
HEAD_FILL = "#e7ebf0"
GROUP_FILL = "#f6f8fa"
FONT = "Calibri"


def rgb(colour: str) -> RGBColor:
    """``#1a7f37`` as a python-pptx colour."""
    return RGBColor.from_string(colour.lstrip("#").upper())


def set_run(run, *, size: float, bold: bool = False, colour: str = INK, italic: bool = False) -> None:
    """Font of one run."""
    font = run.font
    font.size = Pt(size)
    font.bold = bold
    font.italic = italic
    font.name = FONT
    font.color.rgb = rgb(colour)


def text_box(
    slide,
    x: float,
    y: float,
    w: float,
    h: float,
    paragraphs: Sequence[str | Sequence[tuple[str, dict]]],
    *,
    size: float = 20,
    bold: bool = False,
    colour: str = INK,
    align: PP_ALIGN = PP_ALIGN.LEFT,
    anchor: MSO_ANCHOR = MSO_ANCHOR.TOP,
    space_after: float = 6,
):
    """A text box of paragraphs; a paragraph is a string or runs ``(text, font options)``."""
    shape = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, Inches(0.04))
    for index, paragraph in enumerate(paragraphs):
        p = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        p.alignment = align
        p.space_after = Pt(space_after)
        runs = [(paragraph, {})] if isinstance(paragraph, str) else paragraph
        for text, options in runs:
            run = p.add_run()
            run.text = text
            set_run(run, size=options.get("size", size), bold=options.get("bold", bold),
                    colour=options.get("colour", colour), italic=options.get("italic", False))
            if options.get("link"):
                run.hyperlink.address = options["link"]
    return shape


def fill(shape, colour: str | None, line: str | None = None, width: float = 1.0, dashed: bool = False) -> None:
    """Solid fill (None: none) and outline (None: none) of an auto shape."""
    if colour is None:
        shape.fill.background()
    else:
        shape.fill.solid()
        shape.fill.fore_color.rgb = rgb(colour)
    if line is None:
        shape.line.fill.background()
    else:
        shape.line.color.rgb = rgb(line)
        shape.line.width = Pt(width)
        if dashed:
            prst = shape.line._get_or_add_ln().get_or_add_prstDash()
            prst.set("val", "dash")
    shape.shadow.inherit = False
    effect = shape._element.find(qn("p:style") + "/" + qn("a:effectRef"))
    if effect is not None:
        effect.set("idx", "0")  # LibreOffice draws the theme's shadow despite an empty effect list


def rectangle(
    slide, x: float, y: float, w: float, h: float, colour: str | None, line: str | None = None, *, rounded: bool = False
):
    """A plain or rounded rectangle."""
    kind = MSO_SHAPE.ROUNDED_RECTANGLE if rounded else MSO_SHAPE.RECTANGLE
    shape = slide.shapes.add_shape(kind, Inches(x), Inches(y), Inches(w), Inches(h))
    fill(shape, colour, line)
    if rounded:
        shape.adjustments[0] = 0.12
    return shape


def shape_text(
    shape, paragraphs: Sequence[Sequence[tuple[str, dict]]], *, size: float, colour: str, align=PP_ALIGN.CENTER,
    margin: float = 0.06,
) -> None:
    """Text inside an auto shape, centred, wrapped, in runs."""
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, Inches(margin))
    for index, runs in enumerate(paragraphs):
        p = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        p.alignment = align
        for text, options in runs:
            run = p.add_run()
            run.text = text
            set_run(run, size=options.get("size", size), bold=options.get("bold", False),
                    colour=options.get("colour", colour))


def chip(
    slide, status: Status, x: float, y: float, w: float, h: float, *, size: float = 16, extra: str = "",
    dashed: bool = False,
):
    """A status chip: its colour, icon and word (and ``extra``, say a score)."""
    look = style(status)
    shape = rectangle(slide, x, y, w, h, look.fill, None, rounded=True)
    fill(shape, look.fill, look.stroke, 1.25, dashed=dashed)
    text = style_label(status) + (f"  {extra}" if extra else "")
    shape_text(shape, [[(text, {"bold": True})]], size=size, colour=look.ink)
    shape.name = f"Status: {look.label}"
    return shape


def table(slide, content: TableContent, x: float, y: float, w: float, *, size: float = 16, row_h: float = 0.42):
    """A native table; the status column shows each row's status colour, icon and word."""
    rows = len(content.rows) + 1
    cols = len(content.columns)
    shape = slide.shapes.add_table(rows, cols, Inches(x), Inches(y), Inches(w), Inches(row_h * rows))
    tbl = shape.table
    _plain_style(shape)
    weights = content.widths or tuple(1.0 for _ in content.columns)
    total = sum(weights)
    widths = [int(Inches(w) * weight / total) for weight in weights]
    widths[-1] = int(Inches(w)) - sum(widths[:-1])
    for index, width in enumerate(widths):
        tbl.columns[index].width = Emu(width)
    for index in range(rows):
        tbl.rows[index].height = Inches(row_h)
    for col, name in enumerate(content.columns):
        _cell(tbl.cell(0, col), name, size=size - 1, bold=True, colour=INK, background=HEAD_FILL)
    for r, row in enumerate(content.rows, start=1):
        for col, text in enumerate(row.cells):
            background = GROUP_FILL if row.heading else "#ffffff"
            colour = INK
            if col == content.status_column and row.status is not None and text:
                background, colour = style(row.status).fill, style(row.status).ink
            align = PP_ALIGN.LEFT if col == 0 else PP_ALIGN.LEFT
            _cell(tbl.cell(r, col), text, size=size, bold=row.heading or col == content.status_column,
                  colour=colour, background=background, align=align)
    return shape


def _plain_style(shape) -> None:
    """No built-in table style: our own fills, so banding never competes with status colours."""
    tbl_pr = shape._element.graphic.graphicData.tbl.tblPr
    tbl_pr.set("firstRow", "0")
    tbl_pr.set("bandRow", "0")
    style_id = tbl_pr.find(qn("a:tableStyleId"))
    if style_id is not None:
        style_id.text = "{5940675A-B579-460E-94D1-54222C63F5DA}"  # "No Style, Table Grid"


def _cell(cell, text: str, *, size: float, bold: bool, colour: str, background: str, align=PP_ALIGN.LEFT) -> None:
    cell.fill.solid()
    cell.fill.fore_color.rgb = rgb(background)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    cell.margin_left = cell.margin_right = Inches(0.08)
    cell.margin_top = cell.margin_bottom = Inches(0.02)
    frame = cell.text_frame
    frame.word_wrap = True
    p = frame.paragraphs[0]
    p.alignment = align
    run = p.add_run()
    run.text = text
    set_run(run, size=size, bold=bold, colour=colour)
