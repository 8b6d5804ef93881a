"""Consolidated KPIs (spec 9.3): actuals made from KPIs of the units below.

A consolidated KPI's actual for a period is ``method`` over its sources'
actuals for that period when *every* source has one; otherwise it has no
value (a total never silently leaves a unit out). Its rows are the periods
some source has a row for. A source may itself be consolidated: sources lie
strictly below, so the recursion always ends.

:func:`fill` turns those rows into ordinary :class:`~generator.model.Actual`
rows, so a consolidated KPI is then scored like any other (spec 9.3.5);
:func:`explain` keeps, per period, each source's value and the units a
missing total is waiting for, for the KPI's page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence

from generator.compute.results import Consolidated, ConsolidatedPeriod, SourceValue
from generator.model import Actual, ConsolidationMethod, Kpi, Scorecard
from generator.periods import Period

__all__ = ["METHODS", "combine", "explain", "fill"]

METHODS: dict[ConsolidationMethod, Callable[[Sequence[float]], float]] = {
    ConsolidationMethod.SUM: lambda values: float(sum(values)),
    ConsolidationMethod.MEAN: lambda values: float(sum(values)) / len(values),
    ConsolidationMethod.MIN: lambda values: float(min(values)),
    ConsolidationMethod.MAX: lambda values: float(max(values)),
}


def combine(method: ConsolidationMethod, values: Sequence[float | None]) -> float | None:
    """``method`` over ``values``; None when any is missing (or there is none)."""
    if not values or any(value is None for value in values):
        return None
    return METHODS[method]([value for value in values if value is not None])


class _Tree:
    """Every unit's KPIs and rows, consolidated rows worked out once each (memoised)."""

    def __init__(self, root: Scorecard) -> None:
        self.units = {card.id: card for card in root.walk()}
        self._rows: dict[tuple[str, str], dict[Period, Actual]] = {}
        self._periods: dict[tuple[str, str], tuple[ConsolidatedPeriod, ...]] = {}

    def kpi(self, unit_id: str, kpi_id: str) -> Kpi:
        return self.units[unit_id].kpi(kpi_id)

    def rows(self, unit_id: str, kpi_id: str) -> dict[Period, Actual]:
        """A KPI's rows by period: its data rows, or its consolidated rows."""
        key = (unit_id, kpi_id)
        if key not in self._rows:
            card = self.units[unit_id]
            kpi = card.kpi(kpi_id)
            if kpi.consolidate is None:
                self._rows[key] = {row.period: row for row in card.actuals.get(kpi_id, ())}
            else:
                self._rows[key] = {p.period: self._actual(kpi, p) for p in self.periods(unit_id, kpi_id)}
        return self._rows[key]

    def periods(self, unit_id: str, kpi_id: str) -> tuple[ConsolidatedPeriod, ...]:
        """A consolidated KPI's periods, oldest first: each source's value and the total."""
        key = (unit_id, kpi_id)
        if key not in self._periods:
            kpi = self.kpi(unit_id, kpi_id)
            assert kpi.consolidate is not None
            sources = [_split(ref) for ref in kpi.consolidate.sources]
            source_rows = [self.rows(u, k) for u, k in sources]
            every = sorted({period for rows in source_rows for period in rows})
            found = []
            for period in every:
                values = tuple(
                    SourceValue(u, k, rows[period].value if period in rows else None, _comment(rows.get(period)))
                    for (u, k), rows in zip(sources, source_rows, strict=True)
                )
                total = combine(kpi.consolidate.method, [v.actual for v in values])
                found.append(ConsolidatedPeriod(period, total, values))
            self._periods[key] = tuple(found)
        return self._periods[key]

    def missing(self, unit_id: str, kpi_id: str, period: Period) -> list[str]:
        """The units, down the chain, whose actual for ``period`` is missing from this KPI's value."""
        kpi = self.kpi(unit_id, kpi_id)
        if kpi.consolidate is None:
            row = self.rows(unit_id, kpi_id).get(period)
            return [] if row is not None and row.value is not None else [unit_id]
        found: list[str] = []
        for source in kpi.consolidate.sources:
            found += self.missing(*_split(source), period)
        return list(dict.fromkeys(found))

    def _actual(self, kpi: Kpi, period: ConsolidatedPeriod) -> Actual:
        notes = [
            f"{self.units[v.unit].organization.name}: {v.comment}" for v in period.sources if v.comment
        ]
        return Actual(period.period, period.actual, "; ".join(notes), kpi.where("consolidate"))


def _split(ref: str) -> tuple[str, str]:
    unit_id, _, kpi_id = ref.partition("/")
    return unit_id, kpi_id


def _comment(row: Actual | None) -> str:
    return row.comment if row is not None else ""


def fill(root: Scorecard) -> Scorecard:
    """The tree with every consolidated KPI's rows in ``actuals``, as if read from a file.

    A consolidated source missing from the tree (a restricted KPI in an
    all-staff build can only feed a restricted total, which is gone too) is
    never looked up.
    """
    tree = _Tree(root)
    return _filled(root, tree)


def _filled(card: Scorecard, tree: _Tree) -> Scorecard:
    consolidated = [kpi for kpi in card.kpis if kpi.consolidate is not None]
    units = tuple(_filled(unit, tree) for unit in card.units)
    if not consolidated and all(new is old for new, old in zip(units, card.units, strict=True)):
        return card
    actuals = dict(card.actuals)
    for kpi in consolidated:
        actuals[kpi.id] = tuple(row for _, row in sorted(tree.rows(card.id, kpi.id).items()))
    return dataclasses.replace(card, actuals=actuals, units=units)


def explain(root: Scorecard, as_of: dt.date | None) -> dict[str, dict[str, Consolidated]]:
    """Every consolidated KPI at ``as_of``, by unit id then KPI id: its periods and whom it waits for."""
    tree = _Tree(root)
    found: dict[str, dict[str, Consolidated]] = {}
    for card in root.walk():
        mine = found.setdefault(card.id, {})
        for kpi in card.kpis:
            if kpi.consolidate is None:
                continue
            ended = tuple(p for p in tree.periods(card.id, kpi.id) if as_of is not None and p.period.end <= as_of)
            latest = ended[-1].period if ended else None
            waiting = tuple(tree.missing(card.id, kpi.id, latest)) if latest is not None else ()
            mine[kpi.id] = Consolidated(kpi, kpi.consolidate.method, ended, latest, waiting)
    return found
