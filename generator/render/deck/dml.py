"""The deck's DrawingML written with lxml in one go: runs, paragraphs, text bodies, fills, table rows.

python-pptx's property API finds, creates and reorders one child element at a
time through schema look-ups (a run's ``font.color.rgb`` alone is a dozen), and
for a 1,000-KPI organisation that was most of the deck's time. These helpers
write the elements those API calls wrote, in the same order with the same
attributes, so the deck's XML is unchanged; shapes, charts, notes and
hyperlinks still come from python-pptx, which keeps ids and relationships right.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from lxml import etree
from pptx.util import Pt

__all__ = ["A", "run", "run_props", "paragraph", "body", "shape_fill", "table_row"]

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_CTRL = re.compile(r"([\x00-\x08\x0B-\x1F])")  # escaped in a run's text as python-pptx does: BEL is "_x0007_"
_FILLS = tuple(A + tag for tag in ("noFill", "solidFill", "gradFill", "blipFill", "pattFill", "grpFill"))
_SUB = etree.SubElement
_INSETS = (("lIns", 91440), ("rIns", 91440), ("tIns", 45720), ("bIns", 45720))  # DrawingML's defaults (EMU)

Element = Any  # an lxml element (of python-pptx's element classes: the tree is python-pptx's)


def srgb(colour: str) -> str:
    """``#1a7f37`` as DrawingML writes it: ``1A7F37``."""
    return colour.lstrip("#").upper()


def solid(parent: Element, colour: str) -> Element:
    """``<a:solidFill><a:srgbClr val=.../></a:solidFill>`` appended to ``parent``."""
    fill = _SUB(parent, A + "solidFill")
    _SUB(fill, A + "srgbClr", val=srgb(colour))
    return fill


def run_props(r: Element, *, size: float, bold: bool, italic: bool, colour: str, font: str) -> Element:
    """The run properties of ``r`` (which has none yet): size, bold, italic, colour, typeface."""
    props = etree.Element(A + "rPr", sz=str(Pt(size).centipoints), b="1" if bold else "0", i="1" if italic else "0")
    r.insert(0, props)
    solid(props, colour)
    _SUB(props, A + "latin", typeface=font)
    return props


def run(p: Element, text: str, *, size: float, bold: bool, italic: bool, colour: str, font: str) -> Element:
    """A run of ``text`` appended to paragraph ``p``."""
    r = etree.Element(A + "r")
    end = p.find(A + "endParaRPr")
    if end is None:
        p.append(r)
    else:
        end.addprevious(r)
    _SUB(r, A + "t").text = _CTRL.sub(lambda match: f"_x{ord(match.group(1)):04X}_", text)
    run_props(r, size=size, bold=bold, italic=italic, colour=colour, font=font)
    return r


def paragraph(tx_body: Element, index: int, *, align: str, space_after: float | None = None) -> Element:
    """Paragraph ``index`` of a text body: the first one it has, else a new one; aligned, spaced after."""
    p = tx_body.find(A + "p") if index == 0 else _SUB(tx_body, A + "p")
    props = p.find(A + "pPr")
    if props is None:
        props = etree.Element(A + "pPr")
        p.insert(0, props)
    props.set("algn", align)
    if space_after is not None:
        spacing = _SUB(props, A + "spcAft")
        _SUB(spacing, A + "spcPts", val=str(Pt(space_after).centipoints))
    return p


def body(tx_body: Element, *, anchor: str | None, margins: Sequence[int] = ()) -> None:
    """Word wrap on, the vertical anchor, and the insets left, right, top, bottom (EMU), in that order."""
    props = tx_body.find(A + "bodyPr")
    props.set("wrap", "square")
    if anchor is not None:
        props.set("anchor", anchor)
    for (side, default), value in zip(_INSETS, margins, strict=False):
        if value == default:
            props.attrib.pop(side, None)  # python-pptx leaves a default inset out
        else:
            props.set(side, str(value))


def shape_fill(sp_pr: Element, colour: str | None, line: str | None, width: float, dashed: bool) -> None:
    """Fill (None: none), outline (None: none) and no effects of a shape's ``p:spPr``, replacing what it had."""
    for child in list(sp_pr):
        if child.tag in _FILLS or child.tag in (A + "ln", A + "effectLst"):
            sp_pr.remove(child)
    if colour is None:
        _SUB(sp_pr, A + "noFill")
    else:
        solid(sp_pr, colour)
    outline = _SUB(sp_pr, A + "ln")
    if line is None:
        _SUB(outline, A + "noFill")
    else:
        outline.set("w", str(Pt(width)))
        solid(outline, line)
        if dashed:
            _SUB(outline, A + "prstDash", val="dash")
    _SUB(sp_pr, A + "effectLst")


def table_row(tbl: Element, height: int, cells: Sequence[tuple[str, float, bool, str, str]], *, font: str,
              align: str, margins: tuple[int, int]) -> None:
    """A row of cells ``(text, size, bold, colour, background)`` appended to ``a:tbl``.

    Each cell is as python-pptx's new table cell after the deck set its fill,
    anchor, margins (``margins``: left and right, top and bottom), wrap and text.
    """
    tr = _SUB(tbl, A + "tr", h=str(height))
    side, edge = str(margins[0]), str(margins[1])
    for text, size, bold, colour, background in cells:
        tc = _SUB(tr, A + "tc")
        tx_body = _SUB(tc, A + "txBody")
        _SUB(tx_body, A + "bodyPr", wrap="square")
        _SUB(tx_body, A + "lstStyle")
        p = _SUB(tx_body, A + "p")
        _SUB(p, A + "pPr", algn=align)
        run(p, text, size=size, bold=bold, italic=False, colour=colour, font=font)
        props = _SUB(tc, A + "tcPr", anchor="ctr", marL=side, marR=side, marT=edge, marB=edge)
        solid(props, background)
