"""Rules across items: unique ids, references, KPI goals, initiative dates (spec 2, 8.4, 8.5, 8.7).

These run on items that passed their own validation. Ids of items that failed
still count as existing, so one broken objective does not also turn every
reference to it into an error.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.errors import Location, Problem
from generator.load.hints import did_you_mean, one_of
from generator.load.items import Placed
from generator.model import Direction, GoalPoint, Kpi
from generator.periods import Period

__all__ = ["check_unique_ids", "check_references", "check_kpi_goals", "check_initiative"]

_ABSOLUTE_HINT = "write an absolute tolerance instead (e.g. tolerance: 1)"


def check_unique_ids(section: Sequence[Placed]) -> list[Problem]:
    """Ids are unique within their kind: report every later use, pointing at the first."""
    first: dict[str, Placed] = {}
    problems = []
    for placed in section:
        earlier = first.setdefault(placed.item.id, placed)
        if earlier is not placed:
            at = _at(earlier.where("id"), placed.where("id"))
            problems.append(Problem(placed.where("id"), f"{placed.label}: id used twice (first at {at})"))
    return problems


def check_references(placed: Placed, key: str, known: Sequence[str], plural: str) -> list[Problem]:
    """Every id listed under ``key`` must name an existing item of its kind.

    Args:
        placed: the referring item.
        key: ``perspective``, ``themes``, ``drives``, ``objective`` or ``objectives``.
        known: the ids that exist, in written order (listed in the message when few).
        plural: the kind referred to, for the message (``themes``).
    """
    value = getattr(placed.item, key)
    refs = (value,) if isinstance(value, str) else value
    problems = []
    for index, ref in enumerate(refs):
        if ref not in known:
            where = placed.where(key) if isinstance(value, str) else placed.where(key, index)
            message = f"{placed.label}: {key} {ref!r} does not exist{_options(ref, known, plural)}"
            problems.append(Problem(where, message))
    return problems


def check_kpi_goals(placed: Placed) -> list[Problem]:
    """Spec 8.4 and the load-time part of 8.5: a KPI's goal is complete and consistent."""
    kpi: Kpi = placed.item
    if kpi.direction is Direction.RANGE:
        return _range_goal(placed)
    problems = []
    if kpi.range is not None:
        message = (
            f"{placed.label}: range goes only with direction: range "
            f"(this KPI's direction is {kpi.direction.value})"
        )
        problems.append(Problem(placed.where("range"), message))
    elif kpi.target is None and not kpi.targets:
        problems.append(Problem(placed.where(), f"{placed.label}: needs a goal: target, targets or range"))
    problems += _baseline(placed)
    problems += _targets_once_per_period(placed)
    problems += _zero_goals(placed)
    return problems


def check_initiative(placed: Placed) -> list[Problem]:
    """Spec 8.7: dates in order, money not negative (progress and milestones are checked by the model)."""
    initiative = placed.item
    problems = []
    if not initiative.objectives:
        message = f"{placed.label}: objectives must name at least one objective the initiative moves"
        problems.append(Problem(placed.where("objectives"), message))
    if initiative.start and initiative.end and initiative.start > initiative.end:
        message = f"{placed.label}: start {initiative.start} is after end {initiative.end}"
        problems.append(Problem(placed.where("start"), message))
    for key in ("budget", "spent"):
        amount = getattr(initiative, key)
        if amount is not None and amount < 0:
            problems.append(Problem(placed.where(key), f"{placed.label}: {key} must not be negative (got {amount:g})"))
    return problems


def _range_goal(placed: Placed) -> list[Problem]:
    kpi: Kpi = placed.item
    problems = []
    if kpi.range is None:
        problems.append(Problem(placed.where("direction"), f"{placed.label}: direction range needs range: [lo, hi]"))
    for key in ("target", "targets", "baseline"):
        if placed.raw.data.get(key) not in (None, []):
            message = f"{placed.label}: direction range takes no {key} (the goal is the range)"
            problems.append(Problem(placed.where(key), message))
    if kpi.range is not None and kpi.range[0] == kpi.range[1] and kpi.tolerance.percent:
        where = placed.where("tolerance") if "tolerance" in placed.raw.data else placed.where("range")
        message = (
            f"{placed.label}: range [{kpi.range[0]:g}, {kpi.range[1]:g}] has zero width, so a percentage "
            f"tolerance ({kpi.tolerance}) of it is 0; {_ABSOLUTE_HINT}"
        )
        problems.append(Problem(where, message))
    return problems


def _baseline(placed: Placed) -> list[Problem]:
    kpi: Kpi = placed.item
    if kpi.baseline is None:
        return []
    if kpi.target is None:
        message = f"{placed.label}: baseline needs a target (the value to reach, with its period)"
        return [Problem(placed.where("baseline"), message)]
    start = kpi.baseline.period.as_frequency(kpi.frequency)
    end = kpi.target.period.as_frequency(kpi.frequency)
    if start < end:
        return []
    message = (
        f"{placed.label}: baseline period {_shown(kpi.baseline.period, start)} must come before "
        f"the target period {_shown(kpi.target.period, end)}"
    )
    return [Problem(placed.where("baseline", "period"), message)]


def _targets_once_per_period(placed: Placed) -> list[Problem]:
    kpi: Kpi = placed.item
    seen: dict[Period, int] = {}
    problems = []
    for index, point in enumerate(kpi.targets):
        period = point.period.as_frequency(kpi.frequency)
        first = seen.setdefault(period, index)
        if first != index:
            at = _at(placed.where("targets", first), placed.where("targets", index))
            message = (
                f"{placed.label}: targets #{index + 1} ({point.period}) falls in the same {kpi.frequency.value} "
                f"period {period} as targets #{first + 1} (at {at})"
            )
            problems.append(Problem(placed.where("targets", index), message))
    return problems


def _zero_goals(placed: Placed) -> list[Problem]:
    """A percentage of a written goal of 0 is 0: the KPI could never be at risk, only on or off track."""
    kpi: Kpi = placed.item
    if not kpi.tolerance.percent:
        return []
    written: list[tuple[str, int | None, GoalPoint]] = [("target", None, kpi.target)] if kpi.target is not None else []
    written += [("targets", index, point) for index, point in enumerate(kpi.targets)]
    problems = []
    for key, index, point in written:
        if point.value == 0:
            name = key if index is None else f"targets #{index + 1}"
            path = (key, "value") if index is None else (key, index, "value")
            message = (
                f"{placed.label}: {name} value is 0, so a percentage tolerance ({kpi.tolerance}) of it is 0; "
                f"{_ABSOLUTE_HINT}"
            )
            problems.append(Problem(placed.where(*path), message))
    return problems


def _options(ref: str, known: Sequence[str], plural: str) -> str:
    if not known:
        return f" (no {plural} are defined)"
    hint = did_you_mean(ref, known)
    if hint or len(known) > 8:
        return hint
    return f" ({plural}: {one_of(known)})"


def _at(first: Location, here: Location) -> str:
    """``line 12`` in the same file, else the full ``path:line``."""
    if first.path == here.path and first.line:
        return f"line {first.line}"
    return str(first)


def _shown(written: Period, converted: Period) -> str:
    return str(written) if written == converted else f"{written} (= {converted})"
