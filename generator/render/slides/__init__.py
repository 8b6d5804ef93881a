"""The story as slides: a typed list of slides with their wording and speaker notes.

:func:`build_slides` turns a :class:`~generator.compute.story.Story` into
:class:`~.model.Slide` objects, one or more per story section (a long table
or list runs over several slides of the same id). The deck
(:mod:`generator.render.deck`) and present mode lay the same slides out.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from generator.compute.alignment import heat_map
from generator.compute.results import Status
from generator.compute.story import InitiativeLine, KpiLine, PerspectiveLine, Story
from generator.load.present import OwnSlide
from generator.model import Initiative, InitiativeStatus
from generator.periods import Frequency, Period
from generator.render.numbers import DASH, format_date, format_short_date, format_value
from generator.render.slides import words as w
from generator.render.slides.model import (
    Bullet,
    ChartsContent,
    ClosingContent,
    KpiChart,
    ListContent,
    MapBox,
    MapContent,
    MarkdownContent,
    ScoreBar,
    Slide,
    SlideKind,
    StandingContent,
    TableContent,
    TableRow,
    TimelineContent,
    TimelineMilestone,
    TimelineRow,
    TitleContent,
)
from generator.render.strategy_map import layout_map
from generator.render.strategy_map.gap import gap_texts

__all__ = ["CHARTS_PER_SLIDE", "ROWS_PER_SLIDE", "BULLETS_PER_SLIDE", "Slide", "SlideKind", "build_slides"]

ROWS_PER_SLIDE = 12
"""Table rows on one slide before the table runs on to the next (read from the back of a hall)."""

CHARTS_PER_SLIDE = 4
"""KPI charts on one slide."""

BULLETS_PER_SLIDE = 5
"""Points on one list slide."""

_REPORTED_STATUS = {
    InitiativeStatus.ON_TRACK: Status.ON_TRACK,
    InitiativeStatus.AT_RISK: Status.AT_RISK,
    InitiativeStatus.OFF_TRACK: Status.OFF_TRACK,
}

_PERSPECTIVE_WIDTHS = (4.3, 1.8, 1.8, 1.2, 2.2, 1.3)
_NEXT_WIDTHS = (3.6, 4.0, 1.9, 1.9, 1.2)

T = TypeVar("T")


def build_slides(story: Story, *, site_url: str | None = None) -> list[Slide]:
    """Every slide of the story, in the order of ``story.sections``.

    Args:
        story: the computed story (``content/present.yml`` already applied).
        site_url: the portal's address, shown on the closing slide when known.
    """
    makers: dict[str, Callable[[], list[Slide]]] = {
        "title": lambda: [_title(story)],
        "where-we-stand": lambda: [_standing(story)],
        "map": lambda: [_map(story)],
        "wins": lambda: _wins(story),
        "concerns": lambda: _concerns(story),
        "initiatives": lambda: _initiatives(story),
        "units": lambda: _units(story),
        "next-quarter": lambda: _next_quarter(story),
        "closing": lambda: [_closing(story, site_url)],
    }
    perspectives = {p.perspective.id: p for p in story.perspectives}
    slides: list[Slide] = []
    for section in story.sections:
        if isinstance(section, OwnSlide):
            slides.append(_own(section))
        elif section.startswith("perspective:"):
            slides += _perspective(story, perspectives[section.split(":", 1)[1]])
        elif section.startswith("trends:"):
            slides += _trends(perspectives[section.split(":", 1)[1]])
        else:
            slides += makers[section]()
    return slides


def _pages(items: Sequence[T], size: int) -> Iterator[tuple[int, Sequence[T]]]:
    """``items`` in pages of ``size`` (at least one page, maybe empty), numbered from 1."""
    for start in range(0, max(len(items), 1), size):
        yield start // size + 1, items[start : start + size]


def _continued(title: str, page: int) -> str:
    return title if page == 1 else f"{title} (continued)"


def _as_of(story: Story) -> str:
    return format_date(story.as_of) if story.as_of else "no data yet"


# -- title, standing, map ------------------------------------------------------------------


def _title(story: Story) -> Slide:
    org = story.results.scorecard.organization
    notes = [
        f"Welcome. This is where {org.name} stands on its strategy as of {_as_of(story)}.",
        f"Every figure in this deck comes from the scorecard: {w.plural(len(story.kpi_lines()), 'KPI')} "
        f"measuring {w.plural(sum(len(p.objectives) for p in story.perspectives), 'objective')} "
        f"in {w.plural(len(story.perspectives), 'perspective')}.",
    ]
    if org.vision:
        notes.append(f"Our vision: {' '.join(org.vision.split())}")
    subtitle = f"Strategy review as of {_as_of(story)}" if story.as_of else "Strategy review (no data yet)"
    content = TitleContent(org.name, org.vision, _as_of(story), subtitle)
    return Slide("title", SlideKind.TITLE, org.name, content, tuple(notes))


def _standing(story: Story) -> Slide:
    bars = tuple(ScoreBar(p.perspective.title, p.rollup.score, p.rollup.status) for p in story.perspectives)
    objectives = [o for p in story.perspectives for o in p.objectives]
    counts = {s: sum(1 for o in objectives if o.rollup.status is s) for s in Status}
    facts = tuple(
        f"{w.plural(counts[s], 'objective')} {w.status_word(s)}" for s in Status if counts[s]
    )
    org = story.organization
    notes = [f"Overall we are {w.rollup_phrase(org)} as of {_as_of(story)}."]
    notes += [f"{p.perspective.title}: {w.rollup_phrase(p.rollup)}." for p in story.perspectives]
    if story.previous is not None:
        notes.append(
            f"At the last review ({format_date(story.review_date)})"
            f" we were {w.rollup_phrase(story.previous.organization)}."
        )
    notes.append("Of our objectives: " + ", ".join(facts) + "." if facts else "No objective has data yet.")
    overall = ScoreBar(story.results.scorecard.organization.name, org.score, org.status)
    content = StandingContent(overall, bars, facts)
    return Slide("where-we-stand", SlideKind.STANDING, "Where we stand", content, tuple(notes))


def _map(story: Story) -> Slide:
    lines = {o.objective.id: o for p in story.perspectives for o in p.objectives}
    boxes = {
        oid: MapBox(
            line.objective.name, line.rollup.status, line.rollup.score, line.stale,
            (gap_texts(story.results, oid) or ("",))[-1],  # the shortest: larger text reads from the back
        )
        for oid, line in lines.items()
    }
    bands = {
        p.perspective.id: ScoreBar(p.perspective.title, p.rollup.score, p.rollup.status) for p in story.perspectives
    }
    layout = layout_map(story.results)
    notes = [
        "The strategy map: read it from the bottom up. Each arrow says that one objective drives the next.",
        *(
            f"{p.perspective.title} is {w.rollup_phrase(p.rollup)}: "
            + "; ".join(f"{o.objective.name} {w.rollup_phrase(o.rollup)}" for o in p.objectives)
            + "."
            for p in story.perspectives
            if p.objectives
        ),
    ]
    stale = [o.objective.name for o in lines.values() if o.stale]
    if stale:
        notes.append("Dashed outlines mark objectives with stale data: " + ", ".join(stale) + ".")
    return Slide("map", SlideKind.MAP, "Our strategy map", MapContent(layout, boxes, bands), tuple(notes))


# -- perspectives --------------------------------------------------------------------------------


def _trend_word(line: KpiLine) -> str:
    """``rising``, ``falling`` or ``steady`` from the first to the last value of the small trend."""
    if len(line.trend) < 2:
        return DASH
    first, last = line.trend[0].actual, line.trend[-1].actual
    if first is None or last is None or first == last:
        return "\u2192 steady"
    return "\u2197 rising" if last > first else "\u2198 falling"


def _kpi_row(line: KpiLine) -> TableRow:
    current = line.current
    now = format_value(current.actual, line.kpi.unit) if current else DASH
    goal = format_value(current.goal, line.kpi.unit, w.places(line)) if current else DASH
    period = str(current.period) if current else DASH
    status = w.style_label(line.status) + (" (stale)" if line.stale else "")
    trend = tuple(p.actual for p in line.trend)
    return TableRow(("    " + line.kpi.name, now, goal, period, status, _trend_word(line)), line.status, trend=trend)


def _perspective(story: Story, perspective: PerspectiveLine) -> list[Slide]:
    if not perspective.objectives:
        return []  # a perspective without objectives has nothing to show (the map shows its empty band)
    rows: list[TableRow] = []
    notes: list[str] = [f"{perspective.perspective.title} is {w.rollup_phrase(perspective.rollup)}."]
    if perspective.perspective.question:
        notes.append(f"The question it answers: {perspective.perspective.question}")
    if perspective.brief:
        notes.append("The table lists every objective and the KPIs that need attention most; the portal has the rest.")
    for objective in perspective.objectives:
        status = w.status_score(objective.rollup.status, objective.rollup.score)
        rows.append(TableRow((objective.objective.name, "", "", "", status, ""), objective.rollup.status, heading=True))
        shown = perspective.kpis_shown(objective)
        rows += [_kpi_row(line) for line in shown]
        owner = f", owned by {objective.objective.owner}," if objective.objective.owner else ""
        notes.append(f"{objective.objective.name}{owner} is {w.rollup_phrase(objective.rollup)}.")
        for line in shown:
            notes.append(" ".join(filter(None, (w.kpi_sentence(line), w.comments_sentence(line)))))
    columns = ("Objective and KPI", "Now", "Goal", "Period", "Status", "Trend")
    title = f"{perspective.perspective.title}: {w.status_score(perspective.rollup.status, perspective.rollup.score)}"
    return [
        Slide(
            f"perspective:{perspective.perspective.id}", SlideKind.PERSPECTIVE, _continued(title, page),
            TableContent(columns, tuple(chunk), 4, _PERSPECTIVE_WIDTHS),
            tuple(notes) if page == 1 else (f"{perspective.perspective.title}, continued.",),
            page,
        )
        for page, chunk in enumerate(_row_pages(rows, _PERSPECTIVE_WIDTHS), start=1)
    ]


TABLE_WIDTH = 12.2
"""Inches a table spans on a 16:9 slide (13.33 in less margins)."""

TABLE_HEIGHT = 4.8
"""Inches a slide's table may take below its heading row."""


def _row_lines(row: TableRow, widths: Sequence[float]) -> float:
    """The height ``row`` likely takes in inches: its most wrapped cell's lines of 16 pt text and padding."""
    total = sum(widths)
    most = 1
    for text, weight in zip(row.cells, widths, strict=True):
        chars_per_line = max(4, int(TABLE_WIDTH * weight / total * 9.6) - 1)  # ~9.6 characters per inch at 16 pt
        most = max(most, math.ceil(len(text.strip()) / chars_per_line) if text.strip() else 1)
    return max(0.42, 0.15 + 0.27 * most)


def _row_pages(rows: list[TableRow], widths: Sequence[float], budget: float = TABLE_HEIGHT) -> list[list[TableRow]]:
    """Rows in pages that fit a slide (by their wrapped height); an objective heading never ends a page."""
    pages: list[list[TableRow]] = [[]]
    used = 0.0
    for index, row in enumerate(rows):
        need = _row_lines(row, widths)
        after = _row_lines(rows[index + 1], widths) if index + 1 < len(rows) else 0.0
        full = used + need > budget or len(pages[-1]) >= ROWS_PER_SLIDE
        orphan = row.heading and used + need + after > budget
        if pages[-1] and (full or orphan):
            pages.append([])
            used = 0.0
        pages[-1].append(row)
        used += need
    return pages


def _chart(line: KpiLine) -> KpiChart:
    kpi = line.kpi
    goals = [p.goal for p in line.trend]
    ranged = any(isinstance(g, tuple) for g in goals)
    low = tuple(g[0] if isinstance(g, tuple) else g for g in goals)
    high = tuple(g[1] if isinstance(g, tuple) else g for g in goals) if ranged else None
    current = line.current
    caption = (
        f"{format_value(current.actual, kpi.unit)} against "
        f"{format_value(current.goal, kpi.unit, w.places(line))} in {current.period}"
        if current
        else "No data yet"
    )
    return KpiChart(
        title=kpi.name,
        unit=kpi.unit,
        categories=tuple(str(p.period) for p in line.trend),
        actual=tuple(p.actual for p in line.trend),
        goal=low,
        goal_high=high,
        status=line.status,
        caption=caption,
    )


def _trends(perspective: PerspectiveLine) -> list[Slide]:
    lines = list(perspective.spotlight)  # KPIs with data only: nothing to draw for the others
    if not lines:
        return []
    title = f"{perspective.perspective.title}: KPI trends"
    slides = []
    per_page = math.ceil(len(lines) / math.ceil(len(lines) / CHARTS_PER_SLIDE))  # 5 charts: 3 + 2, not 4 + 1
    for page, chunk in _pages(lines, per_page):
        notes = ["Each chart shows the latest periods: the actual values as a solid line, the goal as a dashed one."]
        if page == 1 and perspective.more_trends:
            notes.append(
                f"These are the KPIs that need attention most; {w.plural(perspective.more_trends, 'more KPI')} "
                "of this perspective are on the portal."
            )
        notes += [" ".join(filter(None, (w.kpi_sentence(line), w.comments_sentence(line)))) for line in chunk]
        slides.append(
            Slide(
                f"trends:{perspective.perspective.id}", SlideKind.TRENDS, _continued(title, page),
                ChartsContent(tuple(_chart(line) for line in chunk)), tuple(notes), page,
            )
        )
    return slides


# -- wins, concerns, initiatives, next quarter ---------------------------------------------------


def _list_slides(
    slide_id: str, kind: SlideKind, title: str, points: list[tuple[Bullet, str]], intro: list[str], empty: str
) -> list[Slide]:
    """List slides of ``points`` (a bullet and its fuller note); each page's notes say its own points."""
    slides = []
    per_page = math.ceil(len(points) / math.ceil(len(points) / BULLETS_PER_SLIDE)) if points else BULLETS_PER_SLIDE
    for page, chunk in _pages(points, per_page):
        notes = (intro if page == 1 else []) + [note for _, note in chunk]
        notes = notes or [empty]
        content = ListContent(tuple(bullet for bullet, _ in chunk), empty)
        slides.append(Slide(slide_id, kind, _continued(title, page), content, tuple(notes), page))
    return slides


def _since(story: Story) -> str:
    return f"since the last review ({format_date(story.review_date)})" if story.review_date else "so far"


def _wins(story: Story) -> list[Slide]:
    changes = [c for c in story.improved if c.kind != "organization"] + list(story.rising)
    points = [(Bullet(w.change_sentence(c), c.after.status), w.change_sentence(c)) for c in changes]
    lines = story.kpi_lines()
    on_track = sum(1 for line in lines if line.status is Status.ON_TRACK)
    if on_track and len(points) < BULLETS_PER_SLIDE:
        text = f"{on_track} of {w.plural(len(lines), 'KPI')} are on track as of {_as_of(story)}."
        points.append((Bullet(text, Status.ON_TRACK), text))
    intro = [f"What went well {_since(story)}."]
    intro += [w.change_sentence(c) for c in story.improved if c.kind == "organization"]
    empty = f"No status improved {_since(story)}."
    title = f"Wins since {format_short_date(story.review_date)}" if story.review_date else "Wins"
    return _list_slides("wins", SlideKind.WINS, title, points, intro, empty)


def _concerns(story: Story) -> list[Slide]:
    changes = [c for c in story.worsened if c.kind != "organization"] + list(story.falling)
    points = [(Bullet(w.change_sentence(c), c.after.status), w.change_sentence(c)) for c in changes]
    points += [
        (
            Bullet(w.off_track_sentence(line), Status.OFF_TRACK),
            " ".join(filter(None, (w.off_track_sentence(line), w.comments_sentence(line)))),
        )
        for line in story.off_track
    ]
    points += [(Bullet(w.stale_sentence(line), None), w.stale_sentence(line)) for line in story.stale]
    intro = [f"What needs attention {_since(story)}."]
    intro += [w.change_sentence(c) for c in story.worsened if c.kind == "organization"]
    empty = "Nothing worsened, nothing is off track and no data is stale."
    return _list_slides("concerns", SlideKind.CONCERNS, "Concerns", points, intro, empty)


TIMELINE_ROWS = 7
"""Initiatives on one timeline slide."""


def _initiatives(story: Story) -> list[Slide]:
    if not story.initiatives:
        return []
    attention = {line.initiative.id: line for line in story.attention}
    rows = [_timeline_row(i, attention.get(i.id), story.as_of) for i in story.initiatives]
    notes = [f"{w.plural(len(story.initiatives), 'initiative')} move the objectives on the map."]
    notes += [w.initiative_sentence(line) for line in story.attention] or [
        "No initiative is late and no milestone is overdue."
    ]
    overdue = [
        f"{line.initiative.name}: {m.name} (due {format_short_date(m.due)})"
        for line in story.attention
        for m in line.overdue
    ]
    footnote = ("Overdue milestones: " + "; ".join(overdue) + ".") if overdue else ""
    start, end, ticks = _time_axis(rows, story.as_of)
    per_page = math.ceil(len(rows) / math.ceil(len(rows) / TIMELINE_ROWS))
    return [
        Slide(
            "initiatives", SlideKind.INITIATIVES, _continued("Initiatives", page),
            TimelineContent(tuple(chunk), start, end, story.as_of, ticks, footnote if page == 1 else ""),
            tuple(notes) if page == 1 else ("Initiatives, continued.",), page,
        )
        for page, chunk in _pages(rows, per_page)
    ]


def _timeline_row(initiative: Initiative, line: InitiativeLine | None, as_of: dt.date | None) -> TimelineRow:
    flags = []
    if line and line.late:
        flags.append("Late")
    if line and line.overdue:
        flags.append(w.plural(len(line.overdue), "overdue milestone"))
    overdue = line.overdue if line else ()
    milestones = tuple(
        TimelineMilestone(m.name, m.due, m.done, m in overdue) for m in initiative.milestones if m.due is not None
    )
    return TimelineRow(
        name=initiative.name,
        start=initiative.start,
        end=initiative.end,
        progress=initiative.progress,
        status=_REPORTED_STATUS.get(initiative.status) if initiative.status else None,
        status_text=_reported(initiative.status),
        flags=", ".join(flags),
        milestones=milestones,
    )


def _time_axis(
    rows: list[TimelineRow], as_of: dt.date | None
) -> tuple[dt.date, dt.date, tuple[tuple[dt.date, str], ...]]:
    """The axis: whole quarters around every date shown, and its tick labels (quarters, or years when long)."""
    days = [d for r in rows for d in (r.start, r.end, *(m.due for m in r.milestones)) if d is not None]
    days += [as_of] if as_of else []
    if not days:
        return dt.date(2000, 1, 1), dt.date(2000, 12, 31), ()
    first = Period.containing(min(days), Frequency.QUARTERLY)
    last = Period.containing(max(days), Frequency.QUARTERLY)
    quarters = [first + i for i in range(last - first + 1)]
    if len(quarters) > 12:
        ticks = tuple((q.start, str(q.start.year)) for q in quarters if q.start.month == 1 or q == first)
    else:
        # The year once, where it starts (or at the first quarter), so the labels stay short.
        ticks = tuple(
            (
                q.start,
                f"Q{(q.start.month - 1) // 3 + 1}" + (f" {q.start.year}" if q.start.month == 1 or q == first else ""),
            )
            for q in quarters
        )
    return first.start, last.end, ticks


def _reported(status: InitiativeStatus | None) -> str:
    """The reported status as shown: with its icon when it is one of the three statuses."""
    mapped = _REPORTED_STATUS.get(status) if status else None
    return w.style_label(mapped) if mapped else w.reported_word(status).capitalize()


def _next_quarter(story: Story) -> list[Slide]:
    if story.quarter is None or not story.next_goals:
        return []
    rows = []
    for goal in story.next_goals:
        name = story.results.scorecard.objective(goal.kpi.kpi.objective).name
        current = goal.kpi.current
        now = format_value(current.actual, goal.kpi.kpi.unit) if current else DASH
        aim = format_value(goal.goal, goal.kpi.kpi.unit, w.places(goal.kpi))
        rows.append(TableRow((name, goal.kpi.kpi.name, now, aim, str(goal.period))))
    title = f"Next quarter: goals for {story.quarter}"
    notes = [f"What we aim for by the end of {story.quarter} ({format_date(story.quarter.end)})."]
    if story.more_goals:
        notes.append(
            f"These are the goals of the KPIs that need attention most; the goals of "
            f"{w.plural(story.more_goals, 'more KPI')} are on the portal's OKRs page."
        )
    notes += [w.next_goal_sentence(goal) for goal in story.next_goals]
    return [
        Slide(
            "next-quarter", SlideKind.NEXT_QUARTER, _continued(title, page),
            TableContent(("Objective", "KPI", "Now", "Goal", "By"), _objective_once(chunk), None, _NEXT_WIDTHS),
            tuple(notes) if page == 1 else ("Next quarter's goals, continued.",), page,
        )
        for page, chunk in enumerate(_row_pages(rows, _NEXT_WIDTHS), start=1)
    ]


def _units(story: Story) -> list[Slide]:
    """The compare-units heat map: every unit's perspective statuses side by side (none without units)."""
    root = story.results
    if not root.units:
        return []
    heat = heat_map(root)
    rows = []
    for unit, rollups in heat.rows:
        statuses = tuple(rollups[pid].status if pid in rollups else None for pid, _ in heat.perspectives)
        cells = tuple(
            w.status_score(rollups[pid].status, rollups[pid].score) if pid in rollups else DASH
            for pid, _ in heat.perspectives
        )
        name = unit.scorecard.organization.name
        rows.append(TableRow((name, *cells), unit.organization.status, statuses=(None, *statuses)))
    columns = ("Unit", *(name for _, name in heat.perspectives))
    widths = (3.0, *(2.0 for _ in heat.perspectives))
    notes = [f"How our {w.plural(len(heat.rows) - 1, 'unit')} stand, perspective by perspective."]
    notes += [
        f"{unit.scorecard.organization.name} is {w.rollup_phrase(unit.organization)}." for unit, _ in heat.rows
    ]
    missing = any(status is None for row in rows for status in row.statuses[1:])
    footnote = "A dash: the perspective is not in that unit's map." if missing else ""
    return [
        Slide(
            "units", SlideKind.UNITS, _continued("Units side by side", page),
            TableContent(columns, tuple(chunk), None, widths, footnote),
            tuple(notes) if page == 1 else ("Units, continued.",), page,
        )
        for page, chunk in enumerate(_row_pages(rows, widths), start=1)
    ]


def _objective_once(rows: Sequence[TableRow]) -> tuple[TableRow, ...]:
    """Rows whose objective cell is blank below the same objective (every page names it once)."""
    out = []
    for index, row in enumerate(rows):
        same = index > 0 and rows[index - 1].cells[0] == row.cells[0]
        out.append(TableRow(("" if same else row.cells[0], *row.cells[1:]), row.status, row.heading))
    return tuple(out)


def _closing(story: Story, site_url: str | None) -> Slide:
    lines = ["Thank you.", "Questions and comments are welcome."]
    notes = ["Thank you. Questions and comments are welcome."]
    if site_url:
        lines.append("Every figure, chart and comment is on the strategy portal:")
        notes.append(f"Everything shown here, and more, is on the strategy portal at {site_url}.")
    else:
        notes.append("Everything shown here, and more, is on the strategy portal.")
    return Slide("closing", SlideKind.CLOSING, "Questions?", ClosingContent(tuple(lines), site_url), tuple(notes))


def _own(slide: OwnSlide) -> Slide:
    text = " ".join(slide.markdown.split())
    notes = (text,) if text else (slide.title,)
    return Slide(slide.id, SlideKind.CUSTOM, slide.title, MarkdownContent(slide.markdown), notes)
