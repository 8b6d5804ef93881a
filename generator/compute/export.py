"""``scorecard.json`` and ``periods.csv``: the machine-readable build (spec sections 6 and 8.9).

The keys of spec section 6 come first, in its order, then extra keys that
auditors' "what changed" pages diff (names, owners, goals as written). The
units below the root follow in ``units`` (spec 9.5), each with the root's item
shapes; objectives add ``supports``, KPIs ``consolidate`` (null unless
consolidated; with ``waiting_for``, the units whose latest actual is missing). Every
item carries ``org_unit``, the id of the scorecard unit it belongs to: ids are
unique only within a unit (spec section 9), so a consumer must match items by
``(org_unit, id)``. (``unit`` is taken: on a KPI it is the unit of measure.)

``links`` (the evidence for every ``drives`` arrow), ``okrs`` and every KPI's
``forecast`` come from :mod:`.evidence`, :mod:`.okrs` and :mod:`.forecast`.

Numbers are never rounded here; :func:`dump_json` writes floats as Python's
shortest round-tripping ``repr``, so the same results give the same bytes.

:func:`periods_csv` is every period of a unit's KPIs as one table, for a spreadsheet: a KPI
page lists its recent periods, and this file has them all.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from generator.compute.csv_text import csv_text
from generator.compute.goals import written_number
from generator.compute.okrs import key_result_kind
from generator.compute.results import (
    Consolidated,
    Forecast,
    Goal,
    InitiativeResult,
    KeyResult,
    KpiResult,
    LinkEvidence,
    OkrObjective,
    OkrQuarter,
    Okrs,
    PeriodResult,
    Results,
    RollUp,
)
from generator.model import DEFAULT_PERSPECTIVES, GoalPoint, Kpi, Milestone, Tolerance

__all__ = ["FORMAT_VERSION", "PERIODS_CSV_COLUMNS", "dump_json", "periods_csv", "scorecard_json"]

FORMAT_VERSION = 1
"""Bumped when a key changes meaning or disappears (adding keys does not bump it)."""


def scorecard_json(results: Results) -> dict[str, Any]:
    """The content of ``scorecard.json`` for one build: the root's keys, then every unit below (spec 9.5)."""
    return {
        "format": FORMAT_VERSION,
        "as_of": _date(results.as_of),
        "audience": results.audience.value,
        "organization": _organization(results),
        **_items(results),
        "units": [_unit(unit) for unit in results.walk()[1:]],
    }


def _items(results: Results) -> dict[str, Any]:
    """A unit's items, in the shapes of spec section 6."""
    unit = results.scorecard.organization.id
    return {
        "perspectives": [_perspective(results, rollup, unit) for rollup in results.perspectives.values()],
        "themes": [_theme(results, rollup, unit) for rollup in results.themes.values()],
        "objectives": [_objective(results, rollup, unit) for rollup in results.objectives.values()],
        "kpis": [_kpi(result, unit, results) for result in results.kpis.values()],
        "initiatives": [_initiative(result, unit) for result in results.initiatives.values()],
        "links": [_link(link, unit) for link in results.links],
        "okrs": _okrs(results.okrs, unit),
    }


def _unit(results: Results) -> dict[str, Any]:
    """A unit below the root: its id, parent, name and score, then its items (spec 9.5)."""
    card = results.scorecard
    return {
        "id": card.organization.id,
        "parent": card.parent,
        "name": card.organization.name,
        **_scored(results.organization),
        "org_unit": card.organization.id,
        "inherits_perspectives": card.inherits_perspectives,
        **_items(results),
    }


def dump_json(data: dict[str, Any]) -> str:
    """Deterministic JSON text: key order as built, UTF-8 characters kept, trailing newline.

    Laid out as the format spec shows it: an object or list that holds another is
    indented two spaces, one entry a line; one of plain values (a KPI's period in
    ``history``, a goal range) stays on one line. A changed figure is then one changed
    line in a diff, and the file is half the size (and a third of the time) of one
    value a line.

    Raises:
        ValueError: a NaN or infinity slipped in (invalid JSON; never written).
    """
    parts: list[str] = []
    _layout(data, "", parts)
    parts.append("\n")
    return "".join(parts)


_ONE_LINE = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": "))


def _layout(value: Any, indent: str, parts: list[str]) -> None:
    """Append ``value``'s JSON text to ``parts``, its inner lines indented past ``indent``."""
    if isinstance(value, dict):
        items = value.items()
        opening, closing = "{", "}"
    elif isinstance(value, list):
        items = None
        opening, closing = "[", "]"
    else:
        parts.append(_ONE_LINE.encode(value))
        return
    values = value.values() if items is not None else value
    if not values or not any(isinstance(v, (dict, list)) for v in values):
        parts.append(_ONE_LINE.encode(value))
        return
    inner = indent + "  "
    parts.append(opening)
    for n, entry in enumerate(items if items is not None else value):
        parts.append(",\n" if n else "\n")
        parts.append(inner)
        if items is not None:
            key, entry = entry
            parts.append(_ONE_LINE.encode(str(key)) + ": ")
        _layout(entry, inner, parts)
    parts.append(f"\n{indent}{closing}")


PERIODS_CSV_COLUMNS = (
    "kpi_id", "kpi", "unit", "period", "actual", "goal", "goal_low", "goal_high",
    "red_flag", "red_flag_low", "red_flag_high", "score", "status", "comment",
)  # fmt: skip
"""The columns of ``periods.csv``, one row per reported period of a KPI.

A KPI that aims at a range has ``goal_low``/``goal_high`` (and ``red_flag_low``/``red_flag_high``)
and an empty ``goal``/``red_flag``; any other has ``goal``/``red_flag``. Numbers are plain
decimals with a dot, unrounded; ``status`` is the status's id (``on-track``); an empty cell means none.
"""


def periods_csv(results: Results) -> str:
    """``periods.csv``: every reported period of every KPI this build shows, in scorecard then period order.

    Returns:
        CSV text with a header (:data:`PERIODS_CSV_COLUMNS`) and ``\\n`` line endings.
    """
    rows = (
        [kpi.id, kpi.name, kpi.unit, str(row.period), _cell(row.actual), *_goal_cells(row.goal),
         *_goal_cells(row.red_flag), _cell(row.score), row.status.value, row.comment]
        for kpi, history in ((result.kpi, result.history) for result in results.visible_kpis)
        for row in history
    )
    return csv_text(PERIODS_CSV_COLUMNS, rows)


def _cell(value: float | None) -> str:
    return "" if value is None else written_number(value)


def _goal_cells(goal: Goal | None) -> tuple[str, str, str]:
    """A goal (or red flag) as its three columns: the value, or a range's low and high ends."""
    if isinstance(goal, tuple):
        return "", _cell(goal[0]), _cell(goal[1])
    return _cell(goal), "", ""


# -- roll-ups -------------------------------------------------------------------


def _scored(rollup: RollUp) -> dict[str, Any]:
    return {"score": rollup.score, "status": rollup.status.value}


def _organization(results: Results) -> dict[str, Any]:
    organization = results.scorecard.organization
    return {
        "id": organization.id,
        "name": organization.name,
        **_scored(results.organization),
        "org_unit": organization.id,
    }


def _perspective(results: Results, rollup: RollUp, unit: str) -> dict[str, Any]:
    names = dict(DEFAULT_PERSPECTIVES) | {p.id: p.title for p in results.scorecard.perspectives}
    return {"id": rollup.id, **_scored(rollup), "name": names.get(rollup.id, rollup.id), "org_unit": unit}


def _theme(results: Results, rollup: RollUp, unit: str) -> dict[str, Any]:
    names = {t.id: t.title for t in results.scorecard.themes}
    return {"id": rollup.id, **_scored(rollup), "name": names.get(rollup.id, rollup.id), "org_unit": unit}


def _objective(results: Results, rollup: RollUp, unit: str) -> dict[str, Any]:
    objective = results.scorecard.objective(rollup.id)
    return {
        "id": objective.id,
        "perspective": objective.perspective,
        **_scored(rollup),
        "name": objective.name,
        "aliases": list(objective.aliases),
        "org_unit": unit,
        "owner": objective.owner,
        "themes": list(objective.themes),
        "weight": objective.weight,
        "drives": list(objective.drives),
        "supports": list(objective.supports),
    }


# -- KPIs -------------------------------------------------------------------------


def _goal(goal: Goal | None) -> float | list[float] | None:
    if isinstance(goal, tuple):
        return [float(bound) for bound in goal]
    return _number(goal)


def _number(value: float | None) -> float | None:
    """Always a JSON float (``84.0``), so an int slipping in cannot change the bytes."""
    return None if value is None else float(value)


def _history_row(row: PeriodResult) -> dict[str, Any]:
    return {
        "period": str(row.period),
        "actual": _number(row.actual),
        "goal": _goal(row.goal),
        "status": row.status.value,
        "red_flag": _goal(row.red_flag),
        "score": row.score,
        "comment": row.comment,
    }


def _current(result: KpiResult) -> dict[str, Any]:
    current = result.current
    return {
        "period": str(current.period) if current else None,
        "actual": _number(current.actual) if current else None,
        "goal": _goal(current.goal) if current else None,
        "red_flag": _goal(current.red_flag) if current else None,
        "score": result.score,
        "status": result.status.value,
        "stale": result.stale,
    }


def _point(point: GoalPoint | None) -> dict[str, Any] | None:
    return None if point is None else {"period": str(point.period), "value": point.value}


def _tolerance(tolerance: Tolerance) -> str | float:
    """As written: ``"10%"`` for a percentage, the plain number for an absolute tolerance."""
    return f"{written_number(tolerance.value)}%" if tolerance.percent else tolerance.value


def _kpi_definition(kpi: Kpi) -> dict[str, Any]:
    return {
        "name": kpi.name,
        "aliases": list(kpi.aliases),
        "unit": kpi.unit,
        "direction": kpi.direction.value,
        "frequency": kpi.frequency.value,
        "owner": kpi.owner,
        "indicator": kpi.indicator.value if kpi.indicator else None,
        "target": _point(kpi.target),
        "targets": [_point(p) for p in kpi.targets],
        "baseline": _point(kpi.baseline),
        "tolerance": _tolerance(kpi.tolerance),
        "range": list(kpi.range) if kpi.range else None,
        "weight": kpi.weight,
        "visibility": kpi.visibility.value,
    }


def _kpi(result: KpiResult, unit: str, results: Results) -> dict[str, Any]:
    kpi = result.kpi
    return {
        "id": kpi.id,
        "objective": kpi.objective,
        **_current(result),
        "history": [_history_row(row) for row in result.history],
        "org_unit": unit,
        **_kpi_definition(kpi),
        "forecast": _forecast(results.forecasts.get(kpi.id)),
        "consolidate": _consolidate(results.consolidated.get(kpi.id)),
    }


def _forecast(forecast: Forecast | None) -> dict[str, Any] | None:
    """The projection at the target period with its 80 % interval (``compute.forecast``), or null."""
    if forecast is None:
        return None
    return {
        "period": str(forecast.period),
        "value": forecast.value,
        "low": forecast.low,
        "high": forecast.high,
        "p_hit": forecast.p_hit,
    }


def _consolidate(consolidated: Consolidated | None) -> dict[str, Any] | None:
    """As written (method, from), with the units the latest period's total is waiting for."""
    if consolidated is None:
        return None
    assert consolidated.kpi.consolidate is not None
    return {
        "method": consolidated.method.value,
        "from": list(consolidated.kpi.consolidate.sources),
        "waiting_for": list(consolidated.waiting_for),
    }


# -- initiatives ----------------------------------------------------------------------


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _milestone(milestone: Milestone) -> dict[str, Any]:
    return {"name": milestone.name, "due": _date(milestone.due), "done": milestone.done}


def _initiative(result: InitiativeResult, unit: str) -> dict[str, Any]:
    initiative = result.initiative
    return {
        "id": initiative.id,
        "status": initiative.status.value if initiative.status else None,
        "progress": initiative.progress,
        "name": initiative.name,
        "org_unit": unit,
        "owner": initiative.owner,
        "objectives": list(initiative.objectives),
        "start": _date(initiative.start),
        "end": _date(initiative.end),
        "late": result.late,
        "overdue_milestones": result.overdue_milestones,
        "budget": initiative.budget,
        "spent": initiative.spent,
        "milestones": [_milestone(m) for m in initiative.milestones],
    }


# -- is the strategy working? -------------------------------------------------------------


def _link(link: LinkEvidence, unit: str) -> dict[str, Any]:
    """One ``drives`` arrow and its evidence; ``p`` is Holm-adjusted across the arrow's ``tests``.

    ``lag``/``r``/``n``/``p``/``pair`` describe the strongest test (the significant one
    for supported/contradicted); null when nothing could be tested. ``lag`` counts
    periods of ``frequency``, the pair's.
    """
    best = link.best
    return {
        "from": link.cause,
        "to": link.effect,
        "evidence": link.evidence.value,
        "lag": best.lag if best else None,
        "r": best.r if best else None,
        "n": best.n if best else None,
        "p": best.p_adjusted if best else None,
        "pair": [best.cause_kpi, best.effect_kpi] if best else None,
        "frequency": link.frequency.value if link.frequency else None,
        "tests": link.tests,
        "org_unit": unit,
    }


def _okrs(okrs: Okrs | None, unit: str) -> dict[str, Any] | None:
    """The coming quarter's OKRs, and under ``last_quarter`` the last completed one, graded."""
    if okrs is None:
        return None
    return {**_okr_quarter(okrs.coming, unit), "last_quarter": _okr_quarter(okrs.last, unit)}


def _okr_quarter(quarter: OkrQuarter, unit: str) -> dict[str, Any]:
    objectives = [_okr_objective(o, quarter.graded, unit) for o in quarter.objectives]
    return {"quarter": str(quarter.quarter), "objectives": objectives}


def _okr_objective(okr: OkrObjective, graded: bool, unit: str) -> dict[str, Any]:
    objective = okr.objective
    entry: dict[str, Any] = {
        "id": objective.id,
        "name": objective.name,
        "owner": objective.owner,
        "org_unit": unit,
        "key_results": [_key_result(kr, graded) for kr in okr.key_results],
    }
    if graded:
        entry["grade"] = okr.grade
    return entry


def _key_result(kr: KeyResult, graded: bool) -> dict[str, Any]:
    kpi = kr.kpi
    entry: dict[str, Any] = {
        "kpi": kpi.id,
        "name": kpi.name,
        "owner": kpi.owner,
        "kind": key_result_kind(kpi.direction),
        "unit": kpi.unit,
        "from": _number(kr.start),
        "from_period": str(kr.start_period) if kr.start_period else None,
        "to": _goal(kr.goal),
        "to_period": str(kr.goal_period),
    }
    if graded:
        entry["actual"] = _number(kr.end)
        entry["actual_period"] = str(kr.end_period) if kr.end_period else None
        entry["grade"] = kr.grade
    return entry
