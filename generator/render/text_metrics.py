"""Measure and wrap text the way a browser will lay it out in our SVGs.

SVG text does not wrap by itself, so the map has to know how wide a string
will be before it draws a box around it. We measure with DejaVu Sans, the font
matplotlib ships (so the numbers are the same on every machine), and the SVG
asks browsers for DejaVu Sans first and Verdana next, whose widths are close.
:data:`SAFETY` leaves room for that difference.
"""

from __future__ import annotations

import functools
import logging
import re

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font, LoadFlags

logger = logging.getLogger(__name__)

FONT_STACK = "'DejaVu Sans','Bitstream Vera Sans',Verdana,Geneva,sans-serif"
"""The CSS font-family for SVG text: the measured font first, then look-alikes."""

SAFETY = 1.08
"""Widths are scaled by this so a fallback font (Verdana, a synthetic bold) still fits."""

MISSING_GLYPH_EM = 1.15
"""Width in em of a character DejaVu Sans lacks (CJK, emoji): the browser's fallback is roughly square."""

ELLIPSIS = "\u2026"

_REF_SIZE = 100.0  # measure at 100 px and scale: unhinted advances are linear in the size


@functools.cache
def _font(bold: bool) -> FT2Font:
    props = font_manager.FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal")
    path = font_manager.findfont(props, fallback_to_default=False)
    font = FT2Font(path)
    font.set_size(_REF_SIZE, 72)  # 72 dpi: one point is one pixel
    return font


@functools.cache
def _advance_em(char: str, bold: bool) -> float:
    """The advance of one character in em (fraction of the font size)."""
    font = _font(bold)
    # A private keyword (no fallback fonts: a missing glyph must read as missing), absent from the stubs.
    index = font.get_char_index(ord(char), _fallback=False)  # type: ignore[call-arg]
    if index == 0:
        return MISSING_GLYPH_EM
    glyph = font.load_glyph(index, flags=LoadFlags.NO_HINTING)
    return glyph.linearHoriAdvance / 65536 / _REF_SIZE


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width of ``text`` set in DejaVu Sans at ``size`` px, with the safety margin.

    Kerning is ignored on purpose: it only ever makes text narrower, so the
    result stays an upper bound.
    """
    return sum(_advance_em(c, bold) for c in text) * size * SAFETY


def clean(text: str) -> str:
    """``text`` on one line: whitespace runs become one space, control characters go.

    XML 1.0 forbids most control characters, and a newline in a name would
    otherwise vanish in SVG anyway.
    """
    text = "".join(c if c.isprintable() or c.isspace() else "" for c in text)
    return re.sub(r"\s+", " ", text).strip()


def wrap(text: str, width: float, size: float, *, bold: bool = False, max_lines: int = 4) -> list[str]:
    """Break ``text`` into lines no wider than ``width``, at most ``max_lines`` of them.

    Breaks at spaces; a word longer than a line is cut between characters. Text
    that still does not fit ends in an ellipsis on the last line.

    Returns:
        At least one line (``[""]`` for empty text).
    """
    lines: list[str] = []
    for word in clean(text).split(" "):
        if lines and text_width(f"{lines[-1]} {word}", size, bold=bold) <= width:
            lines[-1] = f"{lines[-1]} {word}"
            continue
        lines.extend(_cut_word(word, width, size, bold))
    if not lines:
        return [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _with_ellipsis(lines[-1], width, size, bold)
    return lines


def fits(text: str, width: float, size: float, *, bold: bool = False, max_lines: int = 4) -> bool:
    """Whether ``text`` wraps into ``max_lines`` lines of ``width`` without an ellipsis."""
    lines = wrap(text, width, size, bold=bold, max_lines=max_lines + 1)
    return len(lines) <= max_lines


def truncate(text: str, width: float, size: float, *, bold: bool = False) -> str:
    """``text`` on one line, cut with an ellipsis when wider than ``width``."""
    text = clean(text)
    if text_width(text, size, bold=bold) <= width:
        return text
    return _with_ellipsis(text, width, size, bold)


def _cut_word(word: str, width: float, size: float, bold: bool) -> list[str]:
    """A word as one line, or cut into pieces when it alone is wider than a line."""
    pieces = [""]
    for char in word:
        if pieces[-1] and text_width(pieces[-1] + char, size, bold=bold) > width:
            pieces.append("")
        pieces[-1] += char
    return pieces


def _with_ellipsis(line: str, width: float, size: float, bold: bool) -> str:
    """``line`` shortened until it and an ellipsis fit ``width``."""
    line = line.rstrip()
    while line and text_width(line + ELLIPSIS, size, bold=bold) > width:
        line = line[:-1].rstrip()
    return line + ELLIPSIS
