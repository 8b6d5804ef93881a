"""A KPI's forecast in words: for the KPI page, the attention list and the chart's text alternative."""

from __future__ import annotations

from generator.compute.results import Forecast
from generator.render.numbers import format_value

__all__ = ["chance_text", "forecast_sentence"]


def chance_text(p_hit: float) -> str:
    """``83 % likely`` (whole percent; never "0 %" or "100 %", which a model cannot promise)."""
    percent = min(99, max(1, round(p_hit * 100)))
    prefix = "under " if p_hit < 0.005 else "over " if p_hit > 0.995 else ""
    return f"{prefix}{percent} % likely"


def forecast_sentence(forecast: Forecast, unit: str) -> str:
    """``Forecast for 2026-12: 41 (80 % interval 37 – 45), 83 % likely to meet the target of 45.``"""
    value = format_value(forecast.value, unit)
    interval = format_value((forecast.low, forecast.high), unit)
    goal = format_value(forecast.goal, unit)
    return (
        f"Forecast for {forecast.period}: {value} (80 % interval {interval}), "
        f"{chance_text(forecast.p_hit)} to meet the target of {goal}."
    )
