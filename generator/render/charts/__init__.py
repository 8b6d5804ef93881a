"""KPI trend charts and the initiatives timeline, as SVG documents that also work inline.

Every chart is drawn with matplotlib's SVG backend and then finished (see
:mod:`.svg`) so it reads the same as a file of its own (``<img>``) and pasted
into a page next to other charts. Output bytes depend only on the input: no
dates in the metadata, the chart id as hash salt, no state carried from one
chart to the next.

Modules, by concern:

* :mod:`.series`: a KPI result laid out on period slots, and its text alternative;
* :mod:`.kpi`: drawing a KPI's trend chart; :mod:`.labels` and :mod:`.placement`:
  where its value label and stale-gap label go;
* :mod:`.timeline`: the initiatives timeline;
* :mod:`.figure`: the reused matplotlib figures, ink colours, saving;
* :mod:`.artists`: lines, texts, spans and fills added as the Axes methods would, for less;
* :mod:`.svg`: finishing matplotlib's file (ids, colours, root tag, title and desc);
* :mod:`.batch`: every KPI's chart for a build, in worker processes, through :mod:`.cache`
  (one pack file of the charts the last build used, read once per build).
"""

from __future__ import annotations

from generator.render.charts.batch import (
    PARALLEL_FROM,
    ChartJob,
    cached_timeline,
    chart_jobs,
    kpi_chart_id,
    kpi_chart_key,
    render_kpi_charts,
)
from generator.render.charts.cache import ChartCache
from generator.render.charts.kpi import kpi_chart, kpi_chart_size, kpi_chart_text
from generator.render.charts.series import kpi_description
from generator.render.charts.svg import chart_block
from generator.render.charts.timeline import initiatives_timeline

__all__ = [
    "PARALLEL_FROM",
    "ChartCache",
    "chart_block",
    "initiatives_timeline",
    "kpi_chart",
    "kpi_chart_id",
    "kpi_chart_key",
    "kpi_chart_size",
    "kpi_chart_text",
    "kpi_description",
    "render_kpi_charts",
    "ChartJob",
    "cached_timeline",
    "chart_jobs",
]
