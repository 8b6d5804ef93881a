"""Sentences from the data: what the speaker notes and list slides say.

Numbers go through :mod:`generator.render.numbers`, status words through
:mod:`generator.render.style`, so a value reads as it does on the pages.
"""

from __future__ import annotations

from generator.compute.results import Goal, RollUp, Status
from generator.compute.story import Change, InitiativeLine, KpiLine, NextGoal
from generator.model import InitiativeStatus
from generator.render.numbers import format_date, format_score, format_value, goal_decimals
from generator.render.style import style

__all__ = [
    "change_sentence",
    "comments_sentence",
    "initiative_sentence",
    "kpi_sentence",
    "next_goal_sentence",
    "plural",
    "status_word",
]

_KINDS = {"organization": "The organisation ({})", "perspective": "The {} perspective", "objective": "{}", "kpi": "{}"}


def status_word(status: Status) -> str:
    """``on track``: the status as a word inside a sentence (``without data`` for no data)."""
    return "without data" if status is Status.NO_DATA else style(status).label.lower()


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 objective``, ``3 objectives``."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def places(line: KpiLine) -> int | None:
    """The decimals the KPI's goals show with: its actuals' precision (numbers.goal_decimals)."""
    return goal_decimals(row.actual for row in line.result.history)


def goal_text(goal: Goal, unit: str, decimals: int | None = None) -> str:
    """A goal with its unit; a range reads ``between 75 and 85 %``."""
    if isinstance(goal, tuple) and goal[0] != goal[1]:
        return f"between {format_value(goal[0], decimals=decimals)} and {format_value(goal[1], unit, decimals)}"
    return format_value(goal, unit, decimals)


def _a_goal(goal: Goal, unit: str, decimals: int | None = None) -> str:
    """``a goal of 340``, or ``a goal range of 75 to 85 %``."""
    if isinstance(goal, tuple) and goal[0] != goal[1]:
        return f"a goal range of {format_value(goal[0], decimals=decimals)} to {format_value(goal[1], unit, decimals)}"
    return f"a goal of {format_value(goal, unit, decimals)}"


def kpi_sentence(line: KpiLine, *, trend: bool = True) -> str:
    """``Affordable housing units: 298 against a goal of 340 in 2026-Q3, off track since 2026-Q2.``"""
    kpi, current = line.kpi, line.current
    if current is None:
        return f"{kpi.name}: no data yet."
    text = (
        f"{kpi.name}: {format_value(current.actual, kpi.unit)} against {_a_goal(current.goal, kpi.unit, places(line))} "
        f"in {current.period}, {status_word(current.status)}"
    )
    if line.off_track_since is not None and line.off_track_since != current.period:
        text += f" since {line.off_track_since}"
    text += "."
    if line.stale:
        text += f" Its data is stale: nothing has been reported since {current.period}."
    if trend and len(line.trend) >= 2:
        first = line.trend[0]
        text += f" In {first.period} it was {format_value(first.actual, kpi.unit)}."
    return text


def comments_sentence(line: KpiLine) -> str:
    """Every comment written for the KPI's current period: ``Owner's comment: ...``."""
    if not line.comments:
        return ""
    who = f"{line.kpi.owner}'s comment" if line.kpi.owner else "Comment"
    if len(line.comments) == 1:
        return f"{who}: {_sentence(line.comments[0][1])}"
    return " ".join(f"{who} for {period}: {_sentence(text)}" for period, text in line.comments)


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def rollup_phrase(rollup: RollUp) -> str:
    """``at risk (score 5.2)``."""
    if rollup.score is None:
        return "without data"
    return f"{status_word(rollup.status)} (score {format_score(rollup.score)})"


def change_sentence(change: Change) -> str:
    """``Keep client systems running improved from at risk to on track (score 5.9 to 7.1).``"""
    before, after = change.before, change.after
    if before.status is not after.status:
        move = "improved" if change.direction > 0 else "worsened"
        return (
            f"{_KINDS[change.kind].format(change.name)} {move} from {status_word(before.status)} "
            f"to {status_word(after.status)} (score {format_score(before.score)} to {format_score(after.score)})."
        )
    verb = "rose" if (change.delta or 0) > 0 else "fell"
    return (
        f"{_KINDS[change.kind].format(change.name)} {verb} from {format_score(before.score)} to "
        f"{format_score(after.score)}, still {status_word(after.status)}."
    )


def off_track_sentence(line: KpiLine) -> str:
    """An off-track KPI with its owner and the initiatives that address its objective."""
    text = kpi_sentence(line, trend=False)
    owner = f" Owner: {line.kpi.owner}." if line.kpi.owner else ""
    if line.initiatives:
        names = ", ".join(i.name for i in line.initiatives)
        plan = f" Addressed by: {names}."
    else:
        plan = " No initiative addresses its objective yet."
    return text + owner + plan


def stale_sentence(line: KpiLine) -> str:
    """``Employee engagement index: the latest data is for 2025.``"""
    period = line.current.period if line.current else None
    owner = f" (owner: {line.kpi.owner})" if line.kpi.owner else ""
    return f"{line.kpi.name}: the latest data is for {period}; nothing newer has been reported{owner}."


_REPORTED = {
    InitiativeStatus.NOT_STARTED: "not started",
    InitiativeStatus.ON_TRACK: "on track",
    InitiativeStatus.AT_RISK: "at risk",
    InitiativeStatus.OFF_TRACK: "off track",
    InitiativeStatus.DONE: "done",
}


def reported_word(status: InitiativeStatus | None) -> str:
    """The initiative status its owner reports, as a word (``not reported`` when none)."""
    return _REPORTED[status] if status else "not reported"


def initiative_sentence(line: InitiativeLine) -> str:
    """``Cloud Academy (owner ...), reported on track: milestone X was due 30 June 2026 and is not done.``"""
    initiative = line.initiative
    owner = f" (owner: {initiative.owner})" if initiative.owner else ""
    parts = [f"{initiative.name}{owner} is reported {reported_word(initiative.status)}"]
    if line.late:
        parts.append(f"it was due to end on {format_date(initiative.end)} and is not done")
    for milestone in line.overdue:
        parts.append(f"milestone '{milestone.name}' was due on {format_date(milestone.due)} and is not done")
    return "; ".join(parts) + "."


def next_goal_sentence(goal: NextGoal) -> str:
    """``Revenue: the goal is 4,500 k€ by 2027-03; it stands at 4,100 k€ now.``"""
    kpi, current = goal.kpi.kpi, goal.kpi.current
    now = f"; it stands at {format_value(current.actual, kpi.unit)} ({current.period})" if current else ""
    return f"{kpi.name}: the goal is {goal_text(goal.goal, kpi.unit, places(goal.kpi))} by {goal.period}{now}."


def style_label(status: Status) -> str:
    """``✖ Off track``: a status's icon and word (never its colour alone)."""
    look = style(status)
    return f"{look.icon} {look.label}"


def status_score(status: Status, score: float | None) -> str:
    """``✔ On track 7.2``; without a score, the status alone (``○ No data``)."""
    label = style_label(status)
    return label if score is None else f"{label} {format_score(score)}"
