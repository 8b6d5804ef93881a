"""The KPI chart's artists are added without matplotlib's Axes methods; the charts must not change a byte.

``charts/artists.py`` makes lines, texts, spans and fills directly (and copies lines
and texts from prototypes) only to save time: a reader sees the chart
``ax.plot``, ``ax.text``, ``ax.axvspan``, ``ax.fill_between`` and ``fig.text`` would draw.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from matplotlib.lines import Line2D

from generator.render.charts import kpi as kpi_module
from generator.render.charts import labels as labels_module
from generator.render.charts.kpi import kpi_chart
from tests.test_charts import _sample_forecast, kpi_result, range_result, sample_result, stale_result


def _through_axes_methods(monkeypatch: pytest.MonkeyPatch) -> None:
    """Draw with matplotlib's own Axes methods instead of the helpers."""

    def line(ax: Any, xs: Any, ys: Any, **props: Any) -> Line2D:
        return ax.add_artist(Line2D(xs, ys, **props))

    def text(ax: Any, x: float, y: float, s: str, **props: Any) -> Any:
        return ax.text(x, y, s, **props)

    def span(ax: Any, x0: float, x1: float, **props: Any) -> Any:
        return ax.axvspan(x0, x1, **props)

    def fill(ax: Any, xs: Any, y1: Any, y2: Any, **props: Any) -> Any:
        return ax.fill_between(xs, y1, y2, **props)

    def figure_line(fig: Any, xs: Any, ys: Any, **props: Any) -> Line2D:
        return fig.add_artist(Line2D(xs, ys, **props))

    def figure_text(fig: Any, x: float, y: float, s: str, **props: Any) -> Any:
        return fig.text(x, y, s, **props)

    helpers = {"add_line": line, "add_text": text, "add_span": span, "add_fill": fill,
               "add_figure_line": figure_line, "add_figure_text": figure_text}
    for module in (kpi_module, labels_module):
        for name, helper in helpers.items():
            if hasattr(module, name):
                monkeypatch.setattr(module, name, helper)


def _charts() -> list[tuple[Any, ...]]:
    results, _ = _sample_forecast()
    with_forecasts = [(results.kpis[k], f"c-{k}", results.as_of, results.forecasts.get(k)) for k in results.kpis]
    return [
        (sample_result(), "c"),
        (stale_result(), "c", dt.date(2026, 12, 31)),
        (range_result([31.0, 44.0, 38.0, 24.0]), "c"),
        (kpi_result([None, None, 4400.0], unit="EUR", direction="lower", goal=4000.0, flag=4600.0), "c"),
        *with_forecasts,
    ]


def test_charts_are_byte_for_byte_those_of_the_axes_methods(monkeypatch: pytest.MonkeyPatch) -> None:
    charts = _charts()
    fast = [kpi_chart(*args) for args in charts]
    _through_axes_methods(monkeypatch)
    assert [kpi_chart(*args) for args in charts] == fast
    # Again after other charts: the prototypes and clip boxes carry nothing from one chart to the next.
    monkeypatch.undo()
    assert [kpi_chart(*args) for args in charts] == fast
