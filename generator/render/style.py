"""How a status looks, the same everywhere: colour, icon and word (never colour alone).

The map, the charts, the pages and ``theme/`` CSS all take their status colours
from here (the CSS classes ``sp-status--<status>`` are defined in
``theme/assets/portal.css`` with these same values).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.compute.results import Status


@dataclass(frozen=True)
class StatusStyle:
    """Colours and glyph for one status.

    ``fill`` is a light background that dark ``ink`` text reads on (contrast
    above 7:1, so a projector's washed-out colours still read); ``stroke`` is the
    strong colour for borders, chart markers and icons.
    """

    fill: str
    stroke: str
    ink: str
    icon: str
    label: str
    css_class: str


STATUS_STYLES: dict[Status, StatusStyle] = {
    Status.ON_TRACK: StatusStyle("#d4efdc", "#1a7f37", "#0b3d1a", "\u2714", "On track", "sp-status--on-track"),
    Status.AT_RISK: StatusStyle("#fff0bf", "#9a6700", "#4a3200", "\u25b2", "At risk", "sp-status--at-risk"),
    Status.OFF_TRACK: StatusStyle("#fcd7d7", "#c62828", "#5c0a0a", "\u2716", "Off track", "sp-status--off-track"),
    Status.NO_DATA: StatusStyle("#e6e8eb", "#5f6b76", "#24292f", "\u25cb", "No data", "sp-status--no-data"),
}

STALE_ICON = "\u25f7"  # ◷ a clock face in plain fonts (the stopwatch emoji is missing without an emoji font)
"""Shown beside a status whose KPI is stale (its data is older than one reporting lag)."""

THEME_COLOURS: tuple[str, ...] = ("#3b5bdb", "#c2255c", "#2b8a3e", "#e67700", "#7048e8", "#0b7285")
"""Theme colours in theme order (the map's theme strips and legend, theme chips on pages)."""


def style(status: Status) -> StatusStyle:
    """The style of ``status``."""
    return STATUS_STYLES[status]


def theme_colour(index: int) -> str:
    """The colour of the theme at ``index`` in the scorecard's theme order."""
    return THEME_COLOURS[index % len(THEME_COLOURS)]
