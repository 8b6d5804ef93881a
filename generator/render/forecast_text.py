"""A KPI's forecast in words: for the KPI page, the attention list and the chart's text alternative."""

from __future__ import annotations

from generator.compute.results import Forecast, KpiResult
from generator.render.numbers import format_value, goal_decimals

__all__ = ["chance_text", "forecast_sentence"]


def chance_text(p_hit: float) -> str:
    """``83 % likely`` (whole percent; never "0 %" or "100 %", which a model cannot promise)."""
    percent = min(99, max(1, round(p_hit * 100)))
    prefix = "under " if p_hit < 0.005 else "over " if p_hit > 0.995 else ""
    return f"{prefix}{percent} % likely"


def forecast_sentence(forecast: Forecast, result: KpiResult) -> str:
    """``Forecast for 2026-12: 41 (80 % interval 37 – 45), 83 % likely to meet the target of 45.``

    Numbers show the precision of the KPI's own actuals: a projection is no more exact than them.
    """
    unit = result.kpi.unit
    places = goal_decimals(row.actual for row in result.history)
    value = format_value(forecast.value, unit, places)
    interval = format_value((forecast.low, forecast.high), unit, places)
    goal = format_value(forecast.goal, unit, places)
    return (
        f"Forecast for {forecast.period}: {value} (80 % interval {interval}), "
        f"{chance_text(forecast.p_hit)} to meet the target of {goal}."
    )
