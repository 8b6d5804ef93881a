"""The initiatives timeline: one Gantt-style row per initiative, as an inline ``<svg>`` string."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from generator.compute.results import InitiativeResult, Results, Status
from generator.model import InitiativeStatus
from generator.render.charts.figure import GRID, INK, MUTED, WIDTH_IN, canvas, draw_empty, save
from generator.render.charts.svg import check_chart_id, finish_svg
from generator.render.numbers import trim
from generator.render.style import style

__all__ = ["initiatives_timeline"]

_EMPTY_HEIGHT_IN = 1.3

def initiatives_timeline(results: Results, chart_id: str) -> str:
    """A Gantt-style timeline of every initiative as an inline ``<svg>`` string.

    One row per initiative in scorecard order: a bar from start to end in the
    status colour with the completed share filled solid, milestones as
    diamonds (filled when done), the status word beside each row, and a
    dashed vertical line at the as-of date.

    Args:
        results: the computed build; its initiatives and as-of date are drawn.
        chart_id: the SVG's ``id`` (see :func:`kpi_chart`).

    Raises:
        ValueError: ``chart_id`` is not a valid id.
    """
    check_chart_id(chart_id)
    rows = list(results.initiatives.values())
    title = "Initiatives timeline"
    desc = _timeline_description(rows, results.as_of)
    dated = [r for r in rows if _row_dates(r)]
    height = _EMPTY_HEIGHT_IN if not dated else 1.0 + 0.36 * len(rows)
    with canvas(chart_id, _TIMELINE_WIDTH_IN if dated else WIDTH_IN, height) as fig:
        if not dated:
            message = "No initiatives yet" if not rows else "No initiative has dates yet"
            draw_empty(fig, message, "Initiatives with a start and an end date appear here.")
        else:
            _draw_timeline(fig, rows, results.as_of)
        raw = save(fig)
    return finish_svg(raw, chart_id, title, desc)



_INITIATIVE_STYLE: dict[InitiativeStatus | None, tuple[Status, str]] = {
    InitiativeStatus.NOT_STARTED: (Status.NO_DATA, "Not started"),
    InitiativeStatus.ON_TRACK: (Status.ON_TRACK, "On track"),
    InitiativeStatus.AT_RISK: (Status.AT_RISK, "At risk"),
    InitiativeStatus.OFF_TRACK: (Status.OFF_TRACK, "Off track"),
    InitiativeStatus.DONE: (Status.ON_TRACK, "Done"),
    None: (Status.NO_DATA, "No status"),
}
_NAME_CHARS = 28
# Wider than a KPI chart: the name and status columns take half of it.
_TIMELINE_WIDTH_IN = 8.5
_LABEL_PT = 10.5


def _row_dates(row: InitiativeResult) -> tuple[dt.date, dt.date] | None:
    """The span a row is drawn over; ``None`` when the initiative has no date at all."""
    item = row.initiative
    days = [d for d in (item.start, item.end) if d is not None]
    days += [m.due for m in item.milestones if m.due is not None]
    if not days:
        return None
    return (item.start or min(days), item.end or max(days))


def _status_text(row: InitiativeResult) -> str:
    """The words beside a row: ``At risk · 70 % · late · 1 overdue``."""
    item = row.initiative
    parts = [_INITIATIVE_STYLE[item.status][1]]
    if item.progress is not None:
        parts.append(f"{trim(f'{item.progress:.0f}')} %")
    if row.late:
        parts.append("late")
    if row.overdue_milestones:
        parts.append(f"{row.overdue_milestones} overdue")
    return " · ".join(parts)


def _draw_timeline(fig: Figure, rows: list[InitiativeResult], as_of: dt.date | None) -> None:
    """Every initiative as a row, top to bottom in scorecard order."""
    ax = fig.add_subplot()
    _style_axes(ax)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color=GRID, alpha=0.35, linewidth=0.6)
    days: list[dt.date] = [as_of] if as_of else []
    for y, row in enumerate(rows):
        days += _draw_initiative(ax, y, row)
    _timeline_axes(fig, ax, rows, days, as_of)


def _draw_initiative(ax: Axes, y: int, row: InitiativeResult) -> list[dt.date]:
    """One row: the bar, its progress, its milestones and its status text. Returns the dates used."""
    item = row.initiative
    status, _ = _INITIATIVE_STYLE[item.status]
    colour = style(status).stroke
    span = _row_dates(row)
    blended = ax.get_yaxis_transform()
    ax.text(1.01, y, _status_text(row), transform=blended, va="center", ha="left", color=INK, fontsize=_LABEL_PT)
    if span is None:
        ax.text(0.01, y, "no dates", transform=blended, va="center", ha="left", color=MUTED,
                fontsize=_LABEL_PT, fontstyle="italic")
        return []
    start, end = (mdates.date2num(d) for d in span)
    length = max(end - start, 1.0)
    ax.barh(y, length, left=start, height=0.56, color=colour, alpha=0.22, linewidth=0)
    ax.barh(y, length, left=start, height=0.56, facecolor="none", edgecolor=colour, linewidth=1.0)
    done = 100.0 if item.status is InitiativeStatus.DONE and item.progress is None else item.progress or 0.0
    if done > 0:
        ax.barh(y, length * done / 100, left=start, height=0.56, color=colour, linewidth=0)
    milestone_days = [m.due for m in item.milestones if m.due is not None]
    for number, milestone in enumerate(item.milestones, start=1):
        if milestone.due is not None:
            # The group id says which diamond is which (for page CSS and tests).
            state = "done" if milestone.done else "open"
            ax.plot([mdates.date2num(milestone.due)], [y], marker="D", markersize=6.5, linestyle="none",
                    markeredgecolor=INK, markeredgewidth=1.1, markerfacecolor=INK if milestone.done else "none",
                    zorder=4, gid=f"milestone-{y + 1}-{number}-{state}")
    return [*span, *milestone_days]


def _timeline_axes(
    fig: Figure, ax: Axes, rows: list[InitiativeResult], days: list[dt.date], as_of: dt.date | None
) -> None:
    """Date axis over every date drawn, one labelled row per initiative, the as-of line."""
    first, last = min(days), max(days)
    pad = max(7, (last - first).days // 30)
    ax.set_xlim(mdates.date2num(first - dt.timedelta(days=pad)), mdates.date2num(last + dt.timedelta(days=pad)))
    ax.set_ylim(len(rows) - 0.4, -0.8)  # first initiative on top
    ax.set_yticks(range(len(rows)), [_shorten(r.initiative.name) for r in rows])
    ax.tick_params(axis="y", length=0)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    if as_of is not None:
        x = mdates.date2num(as_of)
        ax.axvline(x, color=INK, linewidth=1.2, linestyle=(0, (3, 2)), zorder=5)
        # Label on the side with more room, so it never runs into the status column.
        left_side = x > sum(ax.get_xlim()) / 2
        ax.annotate(f"As of {as_of.isoformat()}", (x, -0.8), xytext=(-3 if left_side else 3, 1),
                    textcoords="offset points", ha="right" if left_side else "left", va="bottom",
                    color=INK, fontsize=_LABEL_PT, fontweight="bold", annotation_clip=False)
    _timeline_margins(fig, rows)
    ax.tick_params(labelsize=_LABEL_PT)


def _timeline_margins(fig: Figure, rows: list[InitiativeResult]) -> None:
    """Room for the longest name on the left and the longest status text on the right."""
    width_pt, height_pt = (side * 72 for side in fig.get_size_inches())
    name_pt = max(len(_shorten(r.initiative.name)) for r in rows) * _LABEL_PT * 0.55 + 12
    status_pt = max(len(_status_text(r)) for r in rows) * _LABEL_PT * 0.55 + 12
    fig.subplots_adjust(left=min(0.4, name_pt / width_pt), right=1 - min(0.3, status_pt / width_pt),
                        bottom=26 / height_pt, top=1 - 22 / height_pt)


def _shorten(name: str) -> str:
    """An initiative name cut to fit the label column (the full name is in the description)."""
    return name if len(name) <= _NAME_CHARS else name[: _NAME_CHARS - 1].rstrip() + "\u2026"


def _timeline_description(rows: list[InitiativeResult], as_of: dt.date | None) -> str:
    """Counts by status and the late initiatives by name, for screen readers."""
    if not rows:
        return "No initiatives yet."
    counts = Counter(_INITIATIVE_STYLE[r.initiative.status][1] for r in rows)
    order = [word for _, word in _INITIATIVE_STYLE.values()]
    parts = [f"{counts[word]} {word.lower()}" for word in order if counts[word]]
    when = f" as of {as_of.isoformat()}" if as_of else ""
    noun = "initiative" if len(rows) == 1 else "initiatives"
    text = f"{len(rows)} {noun}{when}: {', '.join(parts)}."
    late = sum(r.late for r in rows)
    if late:
        text += f" {late} late: {', '.join(r.initiative.name for r in rows if r.late)}."
    return text



def _style_axes(ax: Axes) -> None:
    """Timeline axes: ink-coloured left and bottom spines and ticks, transparent background."""
    ax.set_facecolor("none")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(INK)
        ax.spines[side].set_alpha(0.6)
    ax.tick_params(colors=INK, labelcolor=INK, which="both")
    ax.set_axisbelow(True)

