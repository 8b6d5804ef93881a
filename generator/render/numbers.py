"""Numbers, scores and dates as people read them, the same on every page and chart.

One rule everywhere, so a KPI's value reads the same in its table, its chart
label and its chart description: thousands separators, as many decimals as the
size of the number calls for (one from 100 up, two from 1, two significant
digits below 1), trailing zeros dropped, and half-up rounding as people round.

A goal the scorecard did not write (one interpolated between targets) would show
false precision (``41.75 points`` where every actual is whole): pages, chart
descriptions and slides show goals and red flags to :func:`goal_decimals` of the
KPI's actuals (``42 points``); ``scorecard.json`` keeps full precision.

A number and its unit never wrap apart: they are joined by a no-break space
(:data:`NBSP`).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "DASH",
    "NBSP",
    "axis_labels",
    "format_date",
    "format_number",
    "format_score",
    "format_short_date",
    "format_value",
    "goal_decimals",
    "trim",
]

DASH = "\u2013"
"""Shown where there is no value."""

NBSP = "\u00a0"
"""Between a number and its unit (and inside the unit), so ``4,440 EUR / k`` never wraps apart."""

_MAX_DECIMALS = 6

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def format_number(value: float | None, decimals: int | None = None) -> str:
    """``12,000``, ``1,234.6``, ``84.17``, ``0.046``; an en dash for ``None``.

    Rounded half up from the decimal the user wrote (``repr``), not from the
    binary float's expansion, so ``2.675`` shows as ``2.68``. ``decimals`` caps
    the decimals further (a goal shown to its actuals' precision: ``41.75`` with
    0 is ``42``).
    """
    if value is None or not math.isfinite(value):
        return DASH
    places = _decimals(value) if decimals is None else min(max(decimals, 0), _decimals(value))
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _decimals(value: float) -> int:
    magnitude = abs(value)
    if magnitude >= 100:
        return 1
    if magnitude >= 1 or magnitude == 0:
        return 2
    return min(_MAX_DECIMALS, 1 - math.floor(math.log10(magnitude)))


def goal_decimals(actuals: Iterable[float | None]) -> int | None:
    """The precision to show a KPI's goals in: the most decimals among its written actuals.

    ``[39, 41, 37]`` gives 0, ``[93.6, 92.85]`` gives 2; None when no actual is
    written yet (goals then show by the general rule).
    """
    return _most_decimals(tuple(v for v in actuals if v is not None and math.isfinite(v)))


@functools.lru_cache(maxsize=4096)
def _most_decimals(actuals: tuple[float, ...]) -> int | None:
    # Cached: every period row, chart and slide of a KPI asks for the same history.
    return max((_written_decimals(v) for v in actuals), default=None)


def _written_decimals(value: float) -> int:
    text = repr(float(value))
    if "e" not in text and "E" not in text:  # the common case, without Decimal's cost
        digits = text.partition(".")[2].rstrip("0")
        return min(_MAX_DECIMALS, len(digits))
    exponent = Decimal(text).normalize().as_tuple().exponent
    return min(_MAX_DECIMALS, max(0, -exponent)) if isinstance(exponent, int) else 0


def format_value(value: float | tuple[float, float] | None, unit: str = "", decimals: int | None = None) -> str:
    """A value (or a ``(lo, hi)`` range) with its unit: ``84 %``, ``30 – 40 min``.

    The unit is joined by a no-break space; ``decimals`` as in :func:`format_number`.
    """
    if value is None:
        return DASH
    if isinstance(value, tuple) and value[0] != value[1]:
        text = f"{format_number(value[0], decimals)} {DASH} {format_number(value[1], decimals)}"
    elif isinstance(value, tuple):
        text = format_number(value[0], decimals)  # a zero-width range is its one value
    else:
        text = format_number(value, decimals)
    # The unit's own spaces too: "4,440 EUR k" never breaks before the "k".
    return f"{text}{NBSP}{NBSP.join(unit.split())}" if unit.strip() else text


def format_score(score: float | None) -> str:
    """A score to one decimal (``6.3``), or an en dash for no data."""
    return DASH if score is None else f"{score:.1f}"


def format_date(day: dt.date | None) -> str:
    """A date in long form, the same in every locale: ``31 October 2026``."""
    if day is None:
        return DASH
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_short_date(day: dt.date | None) -> str:
    """A date for a table cell, where a long month would wrap: ``13 Jan 2025``."""
    if day is None:
        return DASH
    return f"{day.day} {_MONTHS[day.month - 1][:3]} {day.year}"


def axis_labels(values: Sequence[float], unit: str) -> list[str]:
    """A chart axis's labels, written the way the pages write numbers: ``80 %``, ``87.5 %``, ``4,400``.

    Only ``%`` is written on every label (other units go where a long unit fits: an axis
    title, a caption). Where the pages' rounding would move a label (``1,000.25`` shown as
    ``1,000.3``), the labels get the decimals they need instead.
    """
    suffix = "%" if unit.strip() == "%" else ""
    numbers = [format_number(v) for v in values]
    if not all(_reads_as(text, v) for text, v in zip(numbers, values, strict=True)):
        decimals = _exact_decimals(values)
        numbers = [trim(f"{v:,.{decimals}f}") for v in values]
    return [f"{text} {suffix}".strip() for text in numbers]


def _reads_as(text: str, value: float) -> bool:
    """Whether a written number (``1,000.3``) is ``value`` itself, not a rounding of it."""
    return abs(float(text.replace(",", "")) - value) < 1e-9 * max(1.0, abs(value))


def _exact_decimals(values: Sequence[float]) -> int:
    """The fewest decimals that write every value exactly (2.5-steps need one, 0.25-steps two)."""
    for decimals in range(_MAX_DECIMALS + 1):
        if all(abs(round(v, decimals) - v) < 1e-9 * max(1.0, abs(v)) for v in values):
            return decimals
    return _MAX_DECIMALS


def trim(text: str) -> str:
    """``84.50`` -> ``84.5``, ``84.00`` -> ``84``, ``-0`` -> ``0``."""
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
