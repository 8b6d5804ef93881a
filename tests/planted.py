"""Scorecards with planted signals for the evidence, forecast and OKR tests (seeded numpy RNG).

Not a test module: ``test_evidence``, ``test_forecast`` and ``test_okrs`` import it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from generator.errors import Location
from generator.model import Actual, Kpi, Objective, Organization, Perspective, Scorecard
from generator.periods import Period

FIRST_MONTH = "2024-01"


def periods(count: int, first: str = FIRST_MONTH) -> list[Period]:
    """``count`` consecutive periods from ``first`` (its frequency)."""
    start = Period.parse(first)
    return [start + i for i in range(count)]


def rows(kpi_id: str, values: Sequence[float | None], first: str = FIRST_MONTH) -> tuple[Actual, ...]:
    """Actuals of consecutive periods from ``first``; None is an empty cell."""
    where = Location(f"scorecard/data/{kpi_id}.csv")
    return tuple(
        Actual(period, None if value is None else round(float(value), 6), "", where)
        for period, value in zip(periods(len(values), first), values, strict=True)
    )


def kpi(kpi_id: str, objective: str, **fields: Any) -> Kpi:
    """A monthly higher-is-better KPI with a far target unless ``fields`` say otherwise."""
    data: dict[str, Any] = {
        "id": kpi_id,
        "name": kpi_id.replace("-", " ").capitalize(),
        "objective": objective,
        "direction": "higher",
        "frequency": "monthly",
        "target": {"period": "2030-12", "value": 1000},
    }
    data.update(fields)
    return Kpi.model_validate(data)


def scorecard(
    objectives: Iterable[tuple[str, Sequence[str]]],
    kpis: Iterable[Kpi],
    actuals: dict[str, tuple[Actual, ...]],
) -> Scorecard:
    """A one-perspective scorecard: ``objectives`` as ``(id, drives)``, owners named after their ids."""
    return Scorecard(
        organization=Organization(id="planted", name="Planted Ltd"),
        perspectives=(Perspective(id="customer", name="Customer"),),
        themes=(),
        objectives=tuple(
            Objective(
                id=oid, name=f"Objective {oid}", perspective="customer", owner=f"Owner of {oid}", drives=list(drives)
            )
            for oid, drives in objectives
        ),
        kpis=tuple(kpis),
        initiatives=(),
        actuals=actuals,
    )


def random_walk(rng: np.random.Generator, count: int, start: float = 100.0, step: float = 1.0) -> np.ndarray:
    """Levels whose changes are independent normal steps."""
    return start + np.concatenate([[0.0], np.cumsum(rng.normal(0.0, step, count - 1))])


def lagged_effect(
    cause: np.ndarray, lag: int, slope: float, noise: float, rng: np.random.Generator, start: float = 50.0
) -> np.ndarray:
    """Levels whose change in period ``t`` is ``slope`` times the cause's change in ``t - lag``, plus noise."""
    cause_changes = np.diff(cause)
    changes = rng.normal(0.0, noise, len(cause_changes))
    changes[lag:] += slope * cause_changes[: len(cause_changes) - lag]
    return start + np.concatenate([[0.0], np.cumsum(changes)])
