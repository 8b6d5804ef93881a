"""Drawing helpers for the deck: text boxes, status chips, tables, colours and sizes.

Everything is in inches and points so the layout code reads like a design
spec. Status is always shown as its icon and word besides its colour.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Inches

from generator.compute.results import Status
from generator.render.deck import dml
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
_TEXT_INSET = Inches(0.04)


def rgb(colour: str) -> RGBColor:
    """``#1a7f37`` as a python-pptx colour."""
    return RGBColor.from_string(colour.lstrip("#").upper())


def set_run(run, *, size: float, bold: bool = False, colour: str = INK, italic: bool = False) -> None:
    """Font of one run (a python-pptx run that has no font settings yet)."""
    dml.run_props(run._r, size=size, bold=bold, italic=italic, colour=colour, font=FONT)


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
    tx_body = shape._element.txBody
    dml.body(tx_body, anchor=MSO_ANCHOR.to_xml(anchor), margins=(_TEXT_INSET,) * 4)
    _paragraphs(shape, tx_body, paragraphs, size=size, bold=bold, colour=colour, align=PP_ALIGN.to_xml(align),
                space_after=space_after)
    return shape


def _paragraphs(shape, tx_body, paragraphs, *, size: float, bold: bool, colour: str, align: str,
                space_after: float | None) -> None:
    """Paragraphs of runs ``(text, font options)`` (or plain strings) into ``tx_body`` of ``shape``."""
    for index, paragraph in enumerate(paragraphs):
        p = dml.paragraph(tx_body, index, align=align, space_after=space_after)
        runs = [(paragraph, {})] if isinstance(paragraph, str) else paragraph
        for text, options in runs:
            dml.run(p, text, size=options.get("size", size), bold=options.get("bold", bold),
                    colour=options.get("colour", colour), italic=options.get("italic", False), font=FONT)
            if options.get("link"):  # a hyperlink is a relationship of the slide: python-pptx makes it
                shape.text_frame.paragraphs[index].runs[-1].hyperlink.address = options["link"]


def fill(shape, colour: str | None, line: str | None = None, width: float = 1.0, dashed: bool = False) -> None:
    """Solid fill (None: none) and outline (None: none) of an auto shape."""
    element = shape._element
    dml.shape_fill(element.spPr, colour, line, width, dashed)
    effect = element.find(qn("p:style") + "/" + qn("a:effectRef"))
    if effect is not None:
        effect.set("idx", "0")  # LibreOffice draws the theme's shadow despite an empty effect list


def rectangle(
    slide, x: float, y: float, w: float, h: float, colour: str | None, line: str | None = None, *,
    rounded: bool = False, width: float = 1.0, dashed: bool = False,
):
    """A plain or rounded rectangle, filled and outlined as :func:`fill` says."""
    kind = MSO_SHAPE.ROUNDED_RECTANGLE if rounded else MSO_SHAPE.RECTANGLE
    shape = slide.shapes.add_shape(kind, Inches(x), Inches(y), Inches(w), Inches(h))
    fill(shape, colour, line, width, dashed)
    if rounded:  # corners of 12 % of the shorter side, as ``shape.adjustments[0] = 0.12`` writes them
        geometry = shape._element.spPr.find(qn("a:prstGeom") + "/" + qn("a:avLst"))
        etree.SubElement(geometry, qn("a:gd"), name="adj", fmla="val 12000")
    return shape


def shape_text(
    shape, paragraphs: Sequence[Sequence[tuple[str, dict]]], *, size: float, colour: str, align=PP_ALIGN.CENTER,
    margin: float = 0.06,
) -> None:
    """Text inside an auto shape, centred, wrapped, in runs."""
    tx_body = shape._element.txBody
    dml.body(tx_body, anchor="ctr", margins=(Inches(margin),) * 4)
    _paragraphs(shape, tx_body, paragraphs, size=size, bold=False, colour=colour, align=PP_ALIGN.to_xml(align),
                space_after=None)


def chip(
    slide, status: Status, x: float, y: float, w: float, h: float, *, size: float = 16, extra: str = "",
    dashed: bool = False,
):
    """A status chip: its colour, icon and word (and ``extra``, say a score)."""
    look = style(status)
    shape = rectangle(slide, x, y, w, h, look.fill, look.stroke, rounded=True, width=1.25, dashed=dashed)
    text = style_label(status) + (f"  {extra}" if extra else "")
    shape_text(shape, [[(text, {"bold": True})]], size=size, colour=look.ink)
    shape.name = f"Status: {look.label}"
    return shape


def table(slide, content: TableContent, x: float, y: float, w: float, *, size: float = 16, row_h: float = 0.42):
    """A native table; the status column shows each row's status colour, icon and word."""
    rows = len(content.rows) + 1
    cols = len(content.columns)
    # One row from python-pptx (the frame, grid and style); the rows are written whole (dml.table_row).
    shape = slide.shapes.add_table(1, cols, Inches(x), Inches(y), Inches(w), Inches(row_h * rows))
    _plain_style(shape)
    weights = content.widths or tuple(1.0 for _ in content.columns)
    total = sum(weights)
    widths = [int(Inches(w) * weight / total) for weight in weights]
    widths[-1] = int(Inches(w)) - sum(widths[:-1])
    tbl = shape.table._tbl
    for column, width in zip(tbl.tblGrid.findall(qn("a:gridCol")), widths, strict=True):
        column.set("w", str(width))
    for row in tbl.findall(qn("a:tr")):
        tbl.remove(row)  # rebuilt below, whole rows at a time
    height = Inches(row_h)
    margins = (Inches(0.08), Inches(0.02))
    head = [(name, size - 1, True, INK, HEAD_FILL) for name in content.columns]
    dml.table_row(tbl, height, head, font=FONT, align="l", margins=margins)
    for row in content.rows:
        cells = []
        for col, text in enumerate(row.cells):
            background, colour = (GROUP_FILL if row.heading else "#ffffff"), INK
            if col == content.status_column and row.status is not None and text:
                background, colour = style(row.status).fill, style(row.status).ink
            cells.append((text, size, row.heading or col == content.status_column, colour, background))
        dml.table_row(tbl, height, cells, font=FONT, align="l", margins=margins)
    return shape


def _plain_style(shape) -> None:
    """No built-in table style: our own fills, so banding never competes with status colours."""
    tbl_pr = shape._element.graphic.graphicData.tbl.tblPr
    tbl_pr.set("firstRow", "0")
    tbl_pr.set("bandRow", "0")
    style_id = tbl_pr.find(qn("a:tableStyleId"))
    if style_id is not None:
        style_id.text = "{5940675A-B579-460E-94D1-54222C63F5DA}"  # "No Style, Table Grid"
