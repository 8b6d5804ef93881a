"""Numbers, scores and dates as people read them, the same on every page and chart.

One rule everywhere, so a KPI's value reads the same in its table, its chart
label and its chart description: thousands separators, as many decimals as the
size of the number calls for (one from 100 up, two from 1, two significant
digits below 1), trailing zeros dropped, and half-up rounding as people round.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["DASH", "format_date", "format_number", "format_score", "format_short_date", "format_value"]

DASH = "\u2013"
"""Shown where there is no value."""

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def format_number(value: float | None) -> str:
    """``12,000``, ``1,234.6``, ``84.17``, ``0.046``; an en dash for ``None``.

    Rounded half up from the decimal the user wrote (``repr``), not from the
    binary float's expansion, so ``2.675`` shows as ``2.68``.
    """
    if value is None or not math.isfinite(value):
        return DASH
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-_decimals(value)), rounding=ROUND_HALF_UP)
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
    return min(6, 1 - math.floor(math.log10(magnitude)))


def format_value(value: float | tuple[float, float] | None, unit: str = "") -> str:
    """A value (or a ``(lo, hi)`` range) with its unit: ``84 %``, ``30 – 40 min``."""
    if value is None:
        return DASH
    if isinstance(value, tuple) and value[0] != value[1]:
        text = f"{format_number(value[0])} {DASH} {format_number(value[1])}"
    elif isinstance(value, tuple):
        text = format_number(value[0])  # a zero-width range is its one value
    else:
        text = format_number(value)
    return f"{text} {unit}".strip() if unit else text


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
