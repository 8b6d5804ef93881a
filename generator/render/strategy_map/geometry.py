"""Sizes, colours and class names every step of the map shares (viewBox units).

The map is :data:`WIDTH` wide and scales to the page.
"""

from __future__ import annotations

from generator.compute.results import Status

__all__ = ["STATUS_CLASS", "coord", "text_width_for"]

WIDTH = 1200.0
LABEL_W = 160.0  # the perspective label column at the left of every band
INNER_PAD = 16.0  # between the label column / right edge and the boxes
GAP_X = 32.0  # least space between two boxes of a row (arrows pass through)
ROW_GAP = 44.0  # between two rows of one band
BAND_PAD = 30.0  # above and below the boxes of a band (arrows curve here)
MAX_PER_ROW = 5  # a band with more objectives wraps to another row
MIN_BOX_W = 170.0
MAX_BOX_W = 260.0
MAX_LINES = 4  # of an objective's name; the last resort is an ellipsis

NAME_SIZE = 15.0  # readable from the back of a town hall at 1920 px
LINE_H = 19.0
STATUS_SIZE = 13.0
STATUS_H = 17.0
BOX_PAD_Y = 10.0
BOX_PAD_L = 18.0  # the theme strip sits in the left padding
BOX_PAD_R = 10.0
STRIP_X = 5.0
STRIP_W = 5.0
RADIUS = 8.0

LABEL_SIZE = 16.0
LABEL_LINE_H = 20.0
TITLE_SIZE = 22.0
TITLE_H = 46.0
LEGEND_SIZE = 14.0
LEGEND_ROW_H = 26.0

ARROW_BEND = 0.45  # control-point distance as a share of an arrow's vertical run
SAME_ROW_ARC = 26.0  # height of the arc between two non-adjacent boxes of a row
SWEEPS = 4

BAND_FILLS = ("#f6f8fa", "#eceff3")
LABEL_FILLS = ("#e7ebf0", "#dde2e8")
ARROW_COLOUR = "#57606a"
FOCUS_COLOUR = "#0b57d0"

STATUS_CLASS = {Status.ON_TRACK: "on", Status.AT_RISK: "ar", Status.OFF_TRACK: "off", Status.NO_DATA: "nd"}


def coord(value: float) -> str:
    """A coordinate, rounded to 0.1 and written short (``12``, ``12.5``)."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def text_width_for(box_w: float) -> float:
    """The width an objective's name may take in a box ``box_w`` wide."""
    return box_w - BOX_PAD_L - BOX_PAD_R
