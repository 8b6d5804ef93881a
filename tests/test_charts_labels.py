"""The value label and the stale gap's label go where matplotlib's own measurement would put them.

``charts/placement.py`` measures a label once and works out its box at each spot it
tries (:class:`TextBox`) only to save time: the box must be the one
``Annotation.get_window_extent`` gives, to the last bit, or a label could land
elsewhere and the chart change.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import pytest
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.text import Annotation

from bench.make_org import make_org
from generator.compute import compute
from generator.compute.results import Audience
from generator.load import load
from generator.render.charts import placement
from generator.render.charts.kpi import kpi_chart
from generator.render.charts.placement import Obstacles, Spot, TextBox, box_of, place
from tests.test_charts_artists import _charts


def _measured(text: Annotation, spot: Spot) -> tuple[float, ...]:
    """matplotlib's box for ``text`` at ``spot``."""
    placement._move(text, spot)
    return box_of(text.get_window_extent(placement.text_renderer(text.get_figure(root=True))))  # type: ignore[arg-type]


@pytest.mark.parametrize("dpi", [72, 100, 150])
def test_a_spots_box_is_matplotlibs_to_the_last_bit(dpi: float) -> None:
    fig = Figure(figsize=(7, 3), dpi=dpi)
    FigureCanvasSVG(fig)
    ax = fig.add_axes((0.08, 0.17, 0.83, 0.71))
    ax.set_xlim(-0.5, 35.5)
    ax.set_ylim(-13.7, 1234.5)
    anchors = [(3.0, 41.3), (17.0, 1000.123456789), (35.5, -7.77), (0.3, 0.7), (1.0, 1.0)]
    offsets = [(0, 11.0), (0, -11.0), (-8.25, 8.25), (-4, 3.0), (0.1, -5), (7.3, 0)]
    coords: list[Any] = ["data", "axes fraction", ("data", "axes fraction"), ("axes fraction", "data")]
    for label, size in (("66.8 %", 10), ("1,234,567.25 EUR (stale)", 10), ("No data since Dec 2026", 9), ("Ag", 13)):
        text = ax.annotate(label, (0, 0), xytext=(0, 0), textcoords="offset points", fontsize=size, fontweight="bold",
                           annotation_clip=False)
        for like in ("center", "bottom"), ("right", "top"), ("left", "center"):
            boxes = TextBox(fig, ax, text, like=Spot((0, 0), "data", (0, 0), *like))
            assert boxes._exact  # the arithmetic is in use, not the fallback
            for xy, where, offset, ha, va in itertools.product(
                    anchors, coords, offsets, ("left", "center", "right"), ("bottom", "top", "center")):
                spot = Spot(xy, where, offset, ha, va)  # type: ignore[arg-type]
                worked_out = boxes.box(spot)
                assert worked_out == _measured(text, spot), spot
                assert boxes.across(spot) == (worked_out[0], worked_out[2])
        # Another alignment still gives the width where the label stands.
        baseline = Spot((3.0, 41.3), "data", (0, 0), "center", "baseline")
        left, _, right, _ = _measured(text, baseline)
        assert TextBox(fig, ax, text).across(baseline) == (left, right)


def _org_charts(folder: Path) -> list[tuple[Any, ...]]:
    """Charts of a small generated organisation, once with stale gaps (an as-of long after the data)."""
    make_org(folder, kpis=24, months=36)
    scorecard = load(folder).scorecard
    charts: list[tuple[Any, ...]] = []
    for as_of in (None, dt.date(2027, 3, 31)):
        results = compute(scorecard, as_of, Audience.ALL)
        charts += [(r, f"c-{k}", results.as_of, results.forecasts.get(k)) for k, r in results.kpis.items()]
    return charts


def test_every_spot_tried_has_matplotlibs_box_and_the_charts_do_not_change(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    charts = _charts() + _org_charts(tmp_path / "org")
    worked_out = [kpi_chart(*args) for args in charts]
    tried: list[str] = []
    box = TextBox.box

    def checked(self: TextBox, spot: Spot, anchors: Any = None) -> Any:
        found = box(self, spot, anchors)
        here = placement.spot_of(self._text)
        assert found == _measured(self._text, spot), spot
        placement._move(self._text, here)
        tried.append(f"{spot.coords} {spot.ha} {spot.va} {spot.rotation}")
        return found

    monkeypatch.setattr(TextBox, "box", checked)
    assert [kpi_chart(*args) for args in charts] == worked_out
    # Every kind of spot: the six beside the point, the two clear of the data, the gap's four.
    assert len(set(tried)) >= 11
    # And the charts are those of matplotlib measuring every spot.
    monkeypatch.setattr(TextBox, "_arithmetic", lambda self, spot: False)
    assert [kpi_chart(*args) for args in charts] == worked_out


def test_spots_after_the_first_free_one_are_not_worked_out() -> None:
    fig = Figure(figsize=(4, 3), dpi=72)
    FigureCanvasSVG(fig)
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    text = ax.annotate("42", (5, 5), xytext=(0, 0), textcoords="offset points", annotation_clip=False)
    blocked = Obstacles(boxes=(box_of(ax.transData.transform_bbox(_bbox(4, 5.05, 6, 9))),), segments=())
    asked: list[int] = []

    def spots() -> Any:
        for number, offset in enumerate([(0, 11.0), (0, -11.0), (0, -30.0)]):
            asked.append(number)
            yield Spot((5, 5), "data", offset, "center", "bottom" if offset[1] > 0 else "top")

    assert place(fig, ax, text, spots(), blocked) == 0
    assert asked == [0, 1] and text.xyann == (0, -11.0)
    # None free: every spot is tried and the one covering least is taken.
    asked.clear()
    everywhere = Obstacles(boxes=(box_of(ax.transData.transform_bbox(_bbox(0, 0, 10, 10))),), segments=())
    assert place(fig, ax, text, spots(), everywhere) > 0
    assert asked == [0, 1, 2]


def _bbox(x0: float, y0: float, x1: float, y1: float) -> Any:
    from matplotlib.transforms import Bbox

    return Bbox([[x0, y0], [x1, y1]])
