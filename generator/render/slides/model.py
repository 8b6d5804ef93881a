"""The slide types: what each slide shows, as plain worded data both outputs lay out.

A :class:`Slide` has an ``id`` (the story section it comes from, the id
``content/present.yml`` uses), a :class:`SlideKind`, a title, a typed
``content`` and speaker ``notes`` (whole sentences). Text is the user's raw
text and our wording: each output escapes it for where it lands.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from generator.compute.results import Status
from generator.render.strategy_map import MapLayout

__all__ = [
    "Bullet",
    "ChartsContent",
    "ClosingContent",
    "KpiChart",
    "ListContent",
    "MapBox",
    "MapContent",
    "MarkdownContent",
    "ScoreBar",
    "Slide",
    "SlideKind",
    "StandingContent",
    "TableContent",
    "TableRow",
    "TimelineContent",
    "TimelineMilestone",
    "TimelineRow",
    "TitleContent",
]


class SlideKind(str, enum.Enum):
    """What a slide is; decides its layout."""

    TITLE = "title"
    STANDING = "where-we-stand"
    MAP = "map"
    PERSPECTIVE = "perspective"
    TRENDS = "trends"
    WINS = "wins"
    CONCERNS = "concerns"
    INITIATIVES = "initiatives"
    UNITS = "units"
    NEXT_QUARTER = "next-quarter"
    CLOSING = "closing"
    CUSTOM = "custom"


@dataclass(frozen=True)
class TitleContent:
    """The opening slide."""

    organization: str
    vision: str
    as_of: str
    subtitle: str


@dataclass(frozen=True)
class ScoreBar:
    """A named score with its status (a bar of a score chart, a band of the map)."""

    name: str
    score: float | None
    status: Status


@dataclass(frozen=True)
class StandingContent:
    """Where we stand: the organisation's status and its perspectives' scores."""

    overall: ScoreBar
    bars: tuple[ScoreBar, ...]
    facts: tuple[str, ...]


@dataclass(frozen=True)
class MapBox:
    """An objective's box on the map."""

    name: str
    status: Status
    score: float | None
    stale: bool
    gap: str = ""  # the gap to goal, as the portal's map box says it ("4 below goal"); "" without a value


@dataclass(frozen=True)
class MapContent:
    """The strategy map: the site's layout (box places, bands, links) and what each box says."""

    layout: MapLayout
    boxes: dict[str, MapBox]
    bands: dict[str, ScoreBar]


@dataclass(frozen=True)
class TableRow:
    """One table row: its cells, and the status its status cell shows (None: no status).

    ``trend`` is a KPI row's latest actual values, oldest first (present mode draws a
    sparkline); ``statuses`` gives each cell its own status (the units heat map).
    """

    cells: tuple[str, ...]
    status: Status | None = None
    heading: bool = False
    trend: tuple[float | None, ...] = ()
    statuses: tuple[Status | None, ...] = ()


@dataclass(frozen=True)
class TableContent:
    """A table; ``status_column`` is the index of the column that shows ``row.status``."""

    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]
    status_column: int | None = None
    widths: tuple[float, ...] = ()
    footnote: str = ""


@dataclass(frozen=True)
class KpiChart:
    """A KPI's actuals against its goal over its latest periods (a native line chart in the deck).

    ``goal_high`` is set for a range KPI (``goal`` is then the range's low end).
    """

    title: str
    unit: str
    categories: tuple[str, ...]
    actual: tuple[float | None, ...]
    goal: tuple[float | None, ...]
    goal_high: tuple[float | None, ...] | None
    status: Status
    caption: str


@dataclass(frozen=True)
class ChartsContent:
    """Small multiples of KPI charts."""

    charts: tuple[KpiChart, ...]


@dataclass(frozen=True)
class TimelineMilestone:
    """A milestone on an initiative's bar."""

    name: str
    due: dt.date
    done: bool
    overdue: bool


@dataclass(frozen=True)
class TimelineRow:
    """An initiative on the timeline.

    Attributes:
        name: its name.
        start, end: its dates (either may be missing).
        progress: percent done, or None.
        status: the reported status as a computed status (None for done, not started, not reported).
        status_text: the reported status in words (with its icon when ``status`` is set).
        flags: ``Late, 1 overdue milestone``; empty when nothing needs attention.
        milestones: its dated milestones.
    """

    name: str
    start: dt.date | None
    end: dt.date | None
    progress: float | None
    status: Status | None
    status_text: str
    flags: str
    milestones: tuple[TimelineMilestone, ...]


@dataclass(frozen=True)
class TimelineContent:
    """Initiatives on a time axis from ``start`` to ``end``, with the as-of date marked."""

    rows: tuple[TimelineRow, ...]
    start: dt.date
    end: dt.date
    as_of: dt.date | None
    ticks: tuple[tuple[dt.date, str], ...]
    footnote: str = ""


@dataclass(frozen=True)
class Bullet:
    """One point of a list slide; ``status`` adds its icon and word."""

    text: str
    status: Status | None = None


@dataclass(frozen=True)
class ListContent:
    """A list slide (wins, concerns); ``empty`` is said when there is nothing to list."""

    bullets: tuple[Bullet, ...]
    empty: str = ""


@dataclass(frozen=True)
class ClosingContent:
    """The closing slide."""

    lines: tuple[str, ...]
    url: str | None


@dataclass(frozen=True)
class MarkdownContent:
    """A presenter's own slide, its body written in Markdown."""

    markdown: str


Content = (
    TitleContent | StandingContent | MapContent | TableContent | ChartsContent | ListContent | ClosingContent
    | MarkdownContent | TimelineContent
)


@dataclass(frozen=True)
class Slide:
    """One slide.

    Attributes:
        id: the story section (``perspective:customer``) or the presenter's own id.
        kind: what it is.
        title: its heading.
        content: what it shows.
        notes: speaker notes, one paragraph each.
        page: 1-based page of its section (a long section runs over several slides).
    """

    id: str
    kind: SlideKind
    title: str
    content: Content
    notes: tuple[str, ...] = field(default_factory=tuple)
    page: int = 1
